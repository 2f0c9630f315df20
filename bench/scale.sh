#!/usr/bin/env bash
# Reads at scale (issue 24, `make bench-scale`): seeds one tenant with READS reads (default 10 million), a quarter
# as many passes and a tenth as many parking sessions over 30 days, plus OTHER_READS reads spread over OTHERS other
# tenants; then measures every list and search with wrk (p50/p99/max, requests/s), the one-day CSV export, and
# prints each query's plan. On PostgreSQL (a throwaway server from scripts/test-services.sh) and SQLite.
#   READS=1000000 ENGINES=postgres DURATION=5s bash bench/scale.sh     # a quicker run
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${MICROANPR_TEST_POSTGRES_URL:-}" ]; then exec bash scripts/test-services.sh bash "$0" "$@"; fi
command -v wrk >/dev/null || { [ "$(id -u)" -eq 0 ] && apt-get install -y -q wrk >/dev/null; }
BIN=${BIN:-.build/release/microanpr}
READS=${READS:-10000000}
PASSES=${PASSES:-$((READS / 4))}
SESSIONS=${SESSIONS:-$((READS / 10))}
OTHERS=${OTHERS:-20}
OTHER_READS=${OTHER_READS:-$((READS / 10))}
DAYS=30
DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-8}
ENGINES=${ENGINES:-postgres sqlite}
QUERIES=${QUERIES:-reads_plate reads_prefix reads_camera reads_hour reads_job reads_pages passes_plate passes_hour sessions_plate sessions_hour summary}
OUT=bench/out
mkdir -p "$OUT"
WORK=$(mktemp -d /tmp/microanpr-scale.XXXXXX)
PID=
cleanup() { [ -n "$PID" ] && kill "$PID" 2>/dev/null && wait "$PID" 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT
[ -x "$BIN" ] || { echo "scale: $BIN missing: run swift build -c release first" >&2; exit 1; }

serve() { # storage args...
  rm -f "$WORK/port"
  MICROANPR_PORT_FILE=$WORK/port MICROANPR_LOG_LEVEL=warning MICROANPR_RETENTION_INTERVAL_SECONDS=86400 \
    "$BIN" serve --port 0 --workers 0 "$@" >"$WORK/serve.log" 2>&1 &
  PID=$!
  for _ in $(seq 1 300); do [ -s "$WORK/port" ] && break; sleep 0.2; done
  PORT=$(cat "$WORK/port")
}
stop() { kill "$PID"; wait "$PID" 2>/dev/null || true; PID=; }
field() { python3 -c "import json,sys; print(json.load(sys.stdin)['$1'])"; }

explain() { # engine storage-args...
  local engine=$1 tenant=$2 plate=$3 job=$4
  local from=$(( ($(date +%s) - 10 * 86400) * 1000 )) to=$(( ($(date +%s) - 10 * 86400 + 3600) * 1000 ))
  # The statements Store.reads/passes/sessions send for each filter (the first page: newest first, 51 rows).
  local -a sql=(
    "SELECT * FROM reads WHERE tenant_id = '$tenant' AND plate IN ('$plate', '~x') ORDER BY captured_at DESC, id DESC LIMIT 51"
    "SELECT * FROM reads WHERE tenant_id = '$tenant' AND plate >= 'GY' AND plate < 'GY' || char(127) ORDER BY captured_at DESC, id DESC LIMIT 51"
    "SELECT * FROM reads WHERE tenant_id = '$tenant' AND camera_id = 'cam_2' ORDER BY captured_at DESC, id DESC LIMIT 51"
    "SELECT * FROM reads WHERE tenant_id = '$tenant' AND captured_at >= $from AND captured_at < $to ORDER BY captured_at DESC, id DESC LIMIT 51"
    "SELECT * FROM reads WHERE tenant_id = '$tenant' AND job_id = '$job' ORDER BY captured_at DESC, id DESC LIMIT 51"
    "SELECT * FROM passes WHERE tenant_id = '$tenant' AND plate IN ('$plate', '~x') ORDER BY first_seen_at DESC, id DESC LIMIT 51"
    "SELECT * FROM parking_sessions WHERE tenant_id = '$tenant' AND plate IN ('$plate', '~x') ORDER BY created_at DESC, id DESC LIMIT 51"
  )
  for s in "${sql[@]}"; do
    echo "-- $s"
    if [ "$engine" = postgres ]; then
      psql -q "$PGURL" -c "EXPLAIN (ANALYZE, BUFFERS) ${s//char(127)/chr(127)}" | sed 's/^/   /'
    else
      sqlite3 "$WORK/sqlite/microanpr.sqlite" "EXPLAIN QUERY PLAN $s" | sed 's/^/   /'
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
  "$BIN" tenant seed-reads "$tenant" --count "$READS" --passes "$PASSES" --sessions "$SESSIONS" --days "$DAYS" "$@"
  t1=$(date +%s.%N)
  for i in $(seq 1 "$OTHERS"); do
    local other
    other=$("$BIN" tenant create "other-$i" "$@" | field tenant_id)
    "$BIN" tenant seed-reads "$other" --count $((OTHER_READS / OTHERS)) --passes $((OTHER_READS / OTHERS / 4)) \
      --sessions $((OTHER_READS / OTHERS / 10)) --days "$DAYS" "$@" 2>/dev/null
  done
  local t2; t2=$(date +%s.%N)
  python3 -c "print(f'   seeded the tenant in {$t1 - $t0:.0f} s ({($READS + $PASSES + $SESSIONS) / ($t1 - $t0):,.0f} rows/s), the others in {$t2 - $t1:.0f} s')"
  if [ "$engine" = postgres ]; then psql -q "$PGURL" -c "VACUUM ANALYZE"; fi
  serve "$@"
  export PLATES=$((READS / 5)) TAG=${tenant: -12} DAYS JOBS=$((READS / 1000))
  QUERY=reads_plate wrk -t1 -c"$CONNECTIONS" -d3s -H "Authorization: Bearer $key" -s bench/scale.lua "http://127.0.0.1:$PORT" >/dev/null
  echo "== $engine: wrk -t1 -c$CONNECTIONS -d$DURATION per query (ms)"
  for q in $QUERIES; do
    QUERY=$q wrk -t1 -c"$CONNECTIONS" -d"$DURATION" -H "Authorization: Bearer $key" -s bench/scale.lua "http://127.0.0.1:$PORT" \
      | grep '^RESULT' | sed 's/^RESULT /   /'
  done
  local day_from day_to
  day_from=$(date -u -d "@$(( $(date +%s) - 3 * 86400 ))" +%Y-%m-%dT00:00:00Z)
  day_to=$(date -u -d "@$(( $(date +%s) - 2 * 86400 ))" +%Y-%m-%dT00:00:00Z)
  curl -s -o "$WORK/day.csv" -w "   export one day as CSV: %{time_total} s, %{size_download} bytes, HTTP %{http_code}\n" \
    -H "Authorization: Bearer $key" "http://127.0.0.1:$PORT/v1/exports/reads?format=csv&from=$day_from&to=$day_to"
  echo "   ($(($(wc -l < "$WORK/day.csv") - 1)) rows)"
  stop
  echo "== $engine: query plans"
  explain "$engine" "$tenant" "$(cd "$WORK" && python3 -c "
n=7; k=(n*2654435761)%4294967296; L=lambda d: chr(65+(k//d)%26)
print(L(1)+L(26)+str(10+(k//676)%80)+L(54080)+L(1406080)+L(36558080))")" "job_${tenant: -12}_7"
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
