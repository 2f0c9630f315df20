#!/usr/bin/env bash
# Reads at scale (issue 24, `make bench-scale`): seeds one tenant with READS reads (default 10 million: 90 days, the
# default retention, of a large site), a quarter as many passes and a twentieth as many parking sessions, plus
# OTHER_READS reads spread over OTHERS other tenants; then measures every list and search with wrk (p50/p99/max, requests/s), the one-day CSV export, and
# prints each query's plan. On PostgreSQL (a throwaway server from scripts/test-services.sh) and SQLite.
#   READS=1000000 ENGINES=postgres DURATION=5s bash bench/scale.sh     # a quicker run
set -euo pipefail
cd "$(dirname "$0")/.."
OTHER_WORK_GB=${OTHER_WORK_GB:-0}
[[ $OTHER_WORK_GB =~ ^[0-9]+$ ]] || { echo "scale: OTHER_WORK_GB must be a whole number of gigabytes, got '$OTHER_WORK_GB'" >&2; exit 2; }
# PostgreSQL as a production server is set up (the tests' server runs without fsync): durable commits, and caches
# sized for the machine (the defaults' 128 MB of shared buffers thrash on ten million rows). The shared buffers (two
# thirds of the memory, at most 16 GB: 15 GB here) hold the whole database (13 GB at 11 million reads): this VM's
# kernel pages out file pages left untouched for about a minute (a DAMON pageout scheme), so a database held only in
# the page cache was read back from disk by the lists (docs/scale.md, runs P4-P9); shared memory is not paged out on a
# machine without swap (runs Q1-Q3).
if [ -z "${MICROANPR_TEST_POSTGRES_URL:-}" ]; then
  mem_gb=$(awk '/^MemTotal/ {print int($2 / 1048576)}' /proc/meminfo)  # 23 here
  buffers_gb=$(( mem_gb * 2 / 3 < 16 ? mem_gb * 2 / 3 : 16 ))
  export MICROANPR_TEST_POSTGRES_SETTINGS="-c fsync=on -c synchronous_commit=on -c shared_buffers=${buffers_gb}GB -c effective_cache_size=$(( mem_gb * 5 / 6 ))GB -c work_mem=32MB -c maintenance_work_mem=512MB -c max_wal_size=8GB -c log_checkpoints=on -c log_autovacuum_min_duration=0 -c log_min_duration_statement=50 ${MICROANPR_TEST_POSTGRES_SETTINGS:-}"
  exec bash scripts/test-services.sh bash "$0" "$@"
fi
source scripts/need-tool.sh
need_tool wrk wrk
BIN=${BIN:-.build/release/microanpr}
READS=${READS:-10000000}
PASSES=${PASSES:-$((READS / 4))}
SESSIONS=${SESSIONS:-$((READS / 20))}
OTHERS=${OTHERS:-20}
OTHER_READS=${OTHER_READS:-$((READS / 10))}
DAYS=${DAYS:-90}
DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-8}
ENGINES=${ENGINES:-postgres sqlite}
QUERIES=${QUERIES:-reads_plate reads_prefix reads_prefix1 reads_prefix1_rare reads_prefix4 reads_camera reads_hour reads_job reads_pages passes_plate passes_hour sessions_plate sessions_hour summary}
OUT=bench/out
mkdir -p "$OUT"
WORK=$(mktemp -d /tmp/microanpr-scale.XXXXXX)
PID=
cleanup() { [ -n "$PID" ] && kill "$PID" 2>/dev/null && wait "$PID" 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT
[ -x "$BIN" ] || { echo "scale: $BIN missing: run swift build -c release first" >&2; exit 1; }

serve() { # storage args...
  rm -f "$WORK/port"
  MICROANPR_PORT_FILE=$WORK/port MICROANPR_LOG_LEVEL=${MICROANPR_LOG_LEVEL:-warning} MICROANPR_RETENTION_INTERVAL_SECONDS=86400 \
    "$BIN" serve --port 0 --workers 0 "$@" >"$WORK/serve.log" 2>&1 &
  PID=$!
  for _ in $(seq 1 300); do [ -s "$WORK/port" ] && break; sleep 0.2; done
  PORT=$(cat "$WORK/port")
}
stop() { kill "$PID"; wait "$PID" 2>/dev/null || true; PID=; }
field() { python3 -c "import json,sys; print(json.load(sys.stdin)['$1'])"; }

psi() { # memory|io -> microseconds in which some task stalled on it so far (0 where the kernel does not say)
  [ -r "/proc/pressure/$1" ] && awk -F'total=' '/^some/ {print $2}' "/proc/pressure/$1" || echo 0
}
# engine -> "refaults blocks_read memory_stall io_stall": the kernel's file refaults, PostgreSQL's blocks read, and the
# microseconds in which some task waited for memory (reclaim) or for the disk (pressure stall information), so far.
page_counters() {
  local blocks=0
  [ "$1" = postgres ] && blocks=$(psql -qtA "$PGURL" -c "SELECT sum(blks_read) FROM pg_stat_database")
  echo "$(awk '$1 == "workingset_refault_file" {print $2}' /proc/vmstat) $blocks $(psi memory) $(psi io)"
}

explain() { # engine storage-args...
  local engine=$1 tenant=$2 plate=$3 job=$4
  local from=$(( ($(date +%s) - 10 * 86400) * 1000 )) to=$(( ($(date +%s) - 10 * 86400 + 3600) * 1000 ))
  # The statements Store.reads/passes/sessions send for each filter (the first page: newest first, 51 rows).
  local -a sql=(
    "SELECT * FROM reads WHERE tenant_id = '$tenant' AND plate IN ('$plate', '~x') ORDER BY captured_at DESC, id DESC LIMIT 51"
    "SELECT * FROM reads WHERE tenant_id = '$tenant' AND substr(plate, 1, 2) = 'GY' ORDER BY captured_at DESC, id DESC LIMIT 51"
    "SELECT * FROM reads WHERE tenant_id = '$tenant' AND substr(plate, 1, 1) = 'G' ORDER BY captured_at DESC, id DESC LIMIT 51"
    "SELECT * FROM reads WHERE tenant_id = '$tenant' AND substr(plate, 1, 4) = 'GY12' ORDER BY captured_at DESC, id DESC LIMIT 51"
    "SELECT * FROM reads WHERE tenant_id = '$tenant' AND id IN (SELECT id FROM reads WHERE tenant_id = '$tenant' AND plate >= 'GY1' AND plate < 'GY1' || char(127) ORDER BY captured_at DESC, id DESC LIMIT 51) ORDER BY captured_at DESC, id DESC"
    "SELECT * FROM reads WHERE tenant_id = '$tenant' AND camera_id = 'cam_2' ORDER BY captured_at DESC, id DESC LIMIT 51"
    "SELECT * FROM reads WHERE tenant_id = '$tenant' AND captured_at >= $from AND captured_at < $to ORDER BY captured_at DESC, id DESC LIMIT 51"
    "SELECT * FROM reads WHERE tenant_id = '$tenant' AND job_id = '$job' ORDER BY captured_at DESC, id DESC LIMIT 51"
    "SELECT * FROM passes WHERE tenant_id = '$tenant' AND plate IN ('$plate', '~x') ORDER BY first_seen_at DESC, id DESC LIMIT 51"
    "SELECT * FROM parking_sessions WHERE tenant_id = '$tenant' AND plate IN ('$plate', '~x') ORDER BY COALESCE(entered_at, exited_at) DESC, id DESC LIMIT 51"
    "SELECT * FROM parking_sessions WHERE tenant_id = '$tenant' AND COALESCE(exited_at, entered_at) >= $from AND COALESCE(entered_at, exited_at) >= $((from - 48 * 3600000)) AND COALESCE(entered_at, exited_at) < $to ORDER BY COALESCE(entered_at, exited_at) DESC, id DESC LIMIT 51"
    "SELECT * FROM passes WHERE tenant_id = '$tenant' AND first_seen_at >= $from AND first_seen_at < $to ORDER BY first_seen_at DESC, id DESC LIMIT 51"
  )
  for s in "${sql[@]}"; do
    # Four-character prefixes have their own index on PostgreSQL only (SQLite sends them the ids-first way, as three).
    [ "$engine" = sqlite ] && [[ $s == *"substr(plate, 1, 4)"* ]] && continue
    if [ "$engine" = sqlite ]; then  # the index hints Store adds on SQLite (it has no statistics to choose by)
      s=${s//FROM reads WHERE tenant_id = \'$tenant\' AND plate IN/FROM reads INDEXED BY reads_tenant_plate WHERE tenant_id = \'$tenant\' AND plate IN}
      s=${s//FROM passes WHERE tenant_id = \'$tenant\' AND plate IN/FROM passes INDEXED BY passes_tenant_plate WHERE tenant_id = \'$tenant\' AND plate IN}
      s=${s//FROM parking_sessions WHERE tenant_id = \'$tenant\' AND plate IN/FROM parking_sessions INDEXED BY parking_plate WHERE tenant_id = \'$tenant\' AND plate IN}
      # One character: a range walked in time order on SQLite (an index of its own on PostgreSQL).
      s=${s//FROM reads WHERE tenant_id = \'$tenant\' AND substr(plate, 1, 1) = \'G\'/FROM reads INDEXED BY reads_tenant_time WHERE tenant_id = \'$tenant\' AND plate >= \'G\' AND plate < \'G\' || char(127)}
      s=${s//WHERE tenant_id = \'$tenant\' AND id IN/WHERE +tenant_id = \'$tenant\' AND id IN}
    fi
    echo "-- $s"
    if [ "$engine" = postgres ]; then
      psql -q "$PGURL" -c "EXPLAIN (ANALYZE, BUFFERS) ${s//char(127)/chr(127)}" | sed 's/^/   /'
    else
      sqlite3 "$WORK/sqlite/microanpr.db" "EXPLAIN QUERY PLAN $s" | sed 's/^/   /'
    fi
  done
}

bench_engine() { # engine storage-args...
  local engine=$1; shift
  local json tenant key t0 t1
  json=$("$BIN" tenant create scale --plan enterprise "$@")
  tenant=$(echo "$json" | field tenant_id)
  key=$(echo "$json" | field api_key)
  echo "== $engine: seeding $READS reads, $PASSES passes, $SESSIONS sessions for one tenant, $OTHER_READS reads over $OTHERS others"
  t0=$(date +%s.%N)
  "$BIN" tenant seed-reads "$tenant" --count "$READS" --passes "$PASSES" --sessions "$SESSIONS" --days "$DAYS" --image-keys "$@"
  t1=$(date +%s.%N)
  for i in $(seq 1 "$OTHERS"); do
    local other
    other=$("$BIN" tenant create "other-$i" "$@" | field tenant_id)
    "$BIN" tenant seed-reads "$other" --image-keys --count $((OTHER_READS / OTHERS)) --passes $((OTHER_READS / OTHERS / 4)) \
      --sessions $((OTHER_READS / OTHERS / 10)) --days "$DAYS" "$@" 2>/dev/null
  done
  local t2; t2=$(date +%s.%N)
  python3 -c "print(f'   seeded the tenant in {$t1 - $t0:.0f} s ({($READS + $PASSES + $SESSIONS) / ($t1 - $t0):,.0f} rows/s), the others in {$t2 - $t1:.0f} s')"
  # Twice: the first pass cannot mark pages all-visible while autovacuum's ANALYZE of the fresh rows holds a snapshot.
  # Then a checkpoint: writing out the seed's gigabytes of dirty pages would otherwise run during the measurements
  # (a server in service writes what a few minutes of traffic dirtied, not a bulk load).
  if [ "$engine" = postgres ]; then
    psql -q "$PGURL" -c "VACUUM (ANALYZE)"; psql -q "$PGURL" -c "VACUUM"; psql -q "$PGURL" -c "CHECKPOINT"
    # PREWARM=1: every table and index read into memory first (pg_prewarm into shared buffers), as a server in
    # service holds its working set (and as `pg_prewarm.autoprewarm` restores it after a restart): this
    # VM's kernel pages out file pages left untouched for about a minute (a DAMON pageout scheme), so the lists
    # measured first after seeding can find the heap on disk (docs/scale.md, session 20).
    # OTHER_WORK_GB=N: N GB of another file written and read twice first, as other work on a shared machine fills the
    # page cache (run P4's condition, made repeatable): the database must then compete for memory.
    if [ "$OTHER_WORK_GB" -gt 0 ]; then
      head -c "${OTHER_WORK_GB}G" /dev/zero > "$WORK/other-work"; sync  # written back before the lists are measured
      cat "$WORK/other-work" > /dev/null; cat "$WORK/other-work" > /dev/null
      echo "   other work: $OTHER_WORK_GB GB of another file in the page cache ($(free -g | awk '/^Mem/ {print $6}') GB cached)"
    fi
    if [ "${PREWARM:-0}" = 1 ]; then
      local t3; t3=$(date +%s)
      psql -q "$PGURL" -c "CREATE EXTENSION IF NOT EXISTS pg_prewarm" \
        -c "SELECT count(pg_prewarm(c.oid)) FROM pg_class c WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'i')" >/dev/null
      echo "   prewarmed the database ($(psql -qtA "$PGURL" -c "SELECT pg_size_pretty(pg_database_size(current_database()))")) in $(( $(date +%s) - t3 )) s"
    fi
  fi
  if [ "$engine" = postgres ]; then
    echo "   largest relations (table or index: size):"
    psql -qtA -F ': ' "$PGURL" -c "SELECT c.relname, pg_size_pretty(pg_relation_size(c.oid)) FROM pg_class c
      WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'i') ORDER BY pg_relation_size(c.oid) DESC LIMIT 12" \
      | sed 's/^/     /'
  fi
  serve "$@"
  export PLATES=$((READS / 5)) TAG=${tenant: -12} DAYS JOBS=$((READS / 1000))
  QUERY=reads_plate wrk -t1 -c"$CONNECTIONS" -d3s -H "Authorization: Bearer $key" -s bench/scale.lua "http://127.0.0.1:$PORT" >/dev/null
  echo "== $engine: wrk -t1 -c$CONNECTIONS -d$DURATION per query (summary: -c1), milliseconds"
  for q in $QUERIES; do
    # The summary is a report a person opens: measured with one client, the lists with $CONNECTIONS.
    local c=$CONNECTIONS; [ "$q" = summary ] && c=1
    # Where a slow run's time went: pages the kernel had evicted and read back from disk (refaults, 4 KiB), on
    # PostgreSQL blocks it read from outside its shared buffers (8 KiB), and the machine's stalls on memory and disk,
    # while the query ran.
    local before out after
    before=($(page_counters "$engine"))
    local started; started=$(date -u +%H:%M:%S)
    out=$(QUERY=$q wrk -t1 -c"$c" -d"$DURATION" -H "Authorization: Bearer $key" -s bench/scale.lua "http://127.0.0.1:$PORT" \
      | grep '^RESULT' | sed 's/^RESULT /   /')
    after=($(page_counters "$engine"))
    echo "$out refaults=$((after[0] - before[0]))$([ "$engine" = postgres ] && echo " blocks_read=$((after[1] - before[1]))")" \
      "memory_stall_ms=$(((after[2] - before[2]) / 1000)) io_stall_ms=$(((after[3] - before[3]) / 1000)) from=$started to=$(date -u +%H:%M:%S)"
  done
  local day_from day_to
  day_from=$(date -u -d "@$(( $(date +%s) - 3 * 86400 ))" +%Y-%m-%dT00:00:00Z)
  day_to=$(date -u -d "@$(( $(date +%s) - 2 * 86400 ))" +%Y-%m-%dT00:00:00Z)
  curl -s -o "$WORK/day.csv" -w "   export one day as CSV: %{time_total} s, %{size_download} bytes, HTTP %{http_code}\n" \
    -H "Authorization: Bearer $key" "http://127.0.0.1:$PORT/v1/exports/reads?format=csv&from=$day_from&to=$day_to"
  echo "   ($(($(wc -l < "$WORK/day.csv") - 1)) rows)"

  echo "== $engine: ingest (POST /v1/passes of 5 reads, wrk -c2) while reads_plate runs (wrk -c$CONNECTIONS)"
  QUERY=ingest wrk -t1 -c2 -d"$DURATION" -H "Authorization: Bearer $key" -s bench/scale.lua "http://127.0.0.1:$PORT" \
    | grep '^RESULT' > "$WORK/ingest.txt" &
  local ingest=$!
  QUERY=reads_plate wrk -t1 -c"$CONNECTIONS" -d"$DURATION" -H "Authorization: Bearer $key" -s bench/scale.lua "http://127.0.0.1:$PORT" \
    | grep '^RESULT' | sed 's/^RESULT /   /'
  wait "$ingest"
  sed 's/^RESULT /   /' "$WORK/ingest.txt"
  python3 -c "import re; r=float(re.search(r'rps=(\d+)', open('$WORK/ingest.txt').read()).group(1)); print(f'   reads stored: {r * 5:,.0f}/s ({r:,.0f} passes/s, each with its reads and events in one transaction)')"

  # Retention at this size: with one day less to keep, the sweeper (at start) deletes the oldest day in batches.
  curl -s -o /dev/null -X PATCH -H "Authorization: Bearer $key" -H "Content-Type: application/json" \
    -d "{\"retention_days\": $((DAYS - 1))}" "http://127.0.0.1:$PORT/v1/tenant"
  stop
  MICROANPR_LOG_LEVEL=info serve "$@"
  echo "== $engine: reads_plate (wrk -c$CONNECTIONS) while the retention sweeper deletes one day of the tenant"
  QUERY=reads_plate wrk -t1 -c"$CONNECTIONS" -d"$DURATION" -H "Authorization: Bearer $key" -s bench/scale.lua "http://127.0.0.1:$PORT" \
    | grep '^RESULT' | sed 's/^RESULT /   /'
  for _ in $(seq 1 600); do grep -q "retention sweep" "$WORK/serve.log" && break; sleep 1; done
  grep "retention sweep" "$WORK/serve.log" | sed 's/^/   /' | cut -c1-200
  stop
  if [ "$engine" = postgres ]; then
    # What the database did meanwhile (checkpoints, autovacuum, statements over 50 ms), to set beside each list's
    # window above: a stall in a list whose pages were all in memory has its cause here or in the machine's.
    local pglog; pglog="$(psql -qtA "$PGURL" -c "SHOW data_directory")/server.log"
    [ -r "$pglog" ] && cp "$pglog" "$OUT/scale_postgres_server.log" \
      && echo "   PostgreSQL's log (checkpoints, autovacuum, statements over 50 ms): $OUT/scale_postgres_server.log"
  fi
  echo "== $engine: query plans"
  explain "$engine" "$tenant" "$(cd "$WORK" && python3 -c "
n=7; k=(n*2654435761)%4294967296; L=lambda d: chr(65+(k//d)%26)
print(L(1)+L(26)+str(10+(k//676)%80)+L(54080)+L(1406080)+L(36558080))")" "job_${tenant: -12}_$((READS / 1000 - 7))"
}

for engine in $ENGINES; do
  case $engine in
    sqlite) bench_engine sqlite --data-dir "$WORK/sqlite" | tee "$OUT/scale_sqlite.txt" ;;
    postgres)
      DB=scale_$$
      psql -q "$MICROANPR_TEST_POSTGRES_URL" -c "CREATE DATABASE $DB"
      PGURL=${MICROANPR_TEST_POSTGRES_URL%/*}/$DB
      bench_engine postgres --database-url "$PGURL" --data-dir "$WORK/pg" | tee "$OUT/scale_postgres.txt" ;;
  esac
done
