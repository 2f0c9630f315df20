#!/usr/bin/env bash
# A/B of two server builds on one seeded PostgreSQL database (issue 24): seeds READS reads for one tenant once,
# then alternates BIN_A and BIN_B ROUNDS times on each of QUERIES (wrk, as bench/scale.sh measures them), so that
# the machine's state, which moves more between runs than a change does, is the same for both. With INDEXES set
# (names of indexes as they are created by the migrations), the ingest is also measured with and without them, to
# give the write cost of those indexes.
# PERF=FILE records a CPU profile (`perf record -g`) of B's server during its first round of the first query, for
# `perf report -i FILE`.
# ENV_A / ENV_B: environment settings for each side's server (e.g. ENV_A=MICROANPR_RETENTION_PAUSE_PERCENT=0); with
# them BIN_A is BIN_B unless given. RETENTION=1 measures, instead of QUERIES, reads by plate while the server's
# retention sweeper deletes the oldest day (one more day each time: the tenant's retention is lowered by a day
# before each side starts; DAYS=9 with READS=1000000 gives a day of 111,000 reads, as ten million over 90 days do).
# INGEST=1 measures each query (QUERIES, reads_plate unless given) while passes are ingested (POST /v1/passes of 5
# reads with 2 connections, as bench/scale.sh does) and prints the ingest's figures after it (the server CPU per
# request then counts the ingest's CPU too).
# SQL_A / SQL_B: SQL run on the server before each side starts (e.g. SQL_A="ALTER SYSTEM SET synchronous_commit = off"
# SQL_B="ALTER SYSTEM RESET synchronous_commit"; the configuration is reloaded after it).
# URL_PARAMS_A adds query parameters to A's database URL (BIN_A is then BIN_B unless given): the same build with a
# setting changed, e.g. URL_PARAMS_A=statement_cache_size=0 for no prepared statements.
#   BIN_A=/tmp/microanpr-before BIN_B=.build/release/microanpr QUERIES="reads_prefix4" \
#     INDEXES="reads_tenant_prefix4 passes_tenant_prefix4" bash bench/scale_ab.sh
# Each line also gives the milliseconds of CPU per request of PostgreSQL's processes (postgres_cpu_ms_per_request).
set -euo pipefail
cd "$(dirname "$0")/.."
# Checked before PostgreSQL is started for nothing.
READS=${READS:-10000000}
ROUNDS=${ROUNDS:-2}
DURATION=${DURATION:-10s}
[[ $READS =~ ^[0-9]+$ ]] && [ "$READS" -ge 1000 ] || { echo "scale_ab: READS must be a whole number of at least 1000, got '$READS'" >&2; exit 2; }
[[ $ROUNDS =~ ^[0-9]+$ ]] && [ "$ROUNDS" -ge 1 ] || { echo "scale_ab: ROUNDS must be a whole number of at least 1, got '$ROUNDS'" >&2; exit 2; }
[[ $DURATION =~ ^[1-9][0-9]*s$ ]] || { echo "scale_ab: DURATION must be whole seconds such as 8s, got '$DURATION'" >&2; exit 2; }
for b in ${BIN_A:-} ${BIN_B:-.build/release/microanpr}; do
  [ -x "$b" ] || { echo "scale_ab: $b is not an executable build" >&2; exit 2; }
done
if [ -z "${MICROANPR_TEST_POSTGRES_URL:-}" ]; then
  export MICROANPR_TEST_POSTGRES_SETTINGS="-c fsync=on -c synchronous_commit=on -c shared_buffers=4GB -c effective_cache_size=16GB -c work_mem=32MB -c maintenance_work_mem=512MB -c max_wal_size=8GB ${MICROANPR_TEST_POSTGRES_SETTINGS:-}"
  exec bash scripts/test-services.sh bash "$0" "$@"
fi
command -v wrk >/dev/null || { [ "$(id -u)" -eq 0 ] && apt-get install -y -q wrk >/dev/null; }
BIN_B=${BIN_B:-.build/release/microanpr}
URL_PARAMS_A=${URL_PARAMS_A:-}
ENV_A=${ENV_A:-}
ENV_B=${ENV_B:-}
RETENTION=${RETENTION:-}
SQL_A=${SQL_A:-}
SQL_B=${SQL_B:-}
if [ -n "$URL_PARAMS_A$ENV_A$ENV_B$SQL_A$SQL_B" ]; then BIN_A=${BIN_A:-$BIN_B}; fi
BIN_A=${BIN_A:?BIN_A: the build to compare against (or URL_PARAMS_A)}
DAYS=${DAYS:-90}
CONNECTIONS=${CONNECTIONS:-8}
INGEST=${INGEST:-}
QUERIES=${QUERIES:-$([ -n "$INGEST" ] && echo reads_plate || echo reads_prefix4)}
INDEXES=${INDEXES:-}
PERF=${PERF:-}
WORK=$(mktemp -d /tmp/microanpr-ab.XXXXXX)
PID=
cleanup() { [ -n "$PID" ] && kill "$PID" 2>/dev/null && wait "$PID" 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT
field() { python3 -c "import json,sys; print(json.load(sys.stdin)['$1'])"; }
serve() { # binary [database URL query] [environment settings]
  rm -f "$WORK/port"
  env ${3:-} MICROANPR_PORT_FILE=$WORK/port MICROANPR_LOG_LEVEL=${LOG_LEVEL:-warning} MICROANPR_RETENTION_INTERVAL_SECONDS=86400 \
    "$1" serve --port 0 --workers 0 --database-url "$PGURL${2:+?$2}" --data-dir "$WORK/pg" >"$WORK/serve.log" 2>&1 &
  PID=$!
  for _ in $(seq 1 300); do [ -s "$WORK/port" ] && break; sleep 0.2; done
  PORT=$(cat "$WORK/port")
}
stop() { kill "$PID"; wait "$PID" 2>/dev/null || true; PID=; }
use() { # side (A or B): sets bin, params and envs for it and runs its SQL on the server
  if [ "$1" = A ]; then bin=$BIN_A params=$URL_PARAMS_A envs=$ENV_A sql=$SQL_A; else bin=$BIN_B params= envs=$ENV_B sql=$SQL_B; fi
  if [ -n "$sql" ]; then psql -q "$PGURL" -c "$sql" -c "SELECT pg_reload_conf()" >/dev/null; fi
}
# The server's CPU time so far (user + system, in clock ticks): requests/s moves with everything else on the machine,
# the server's CPU per request much less.
ticks() { awk '{print $14 + $15}' "/proc/$PID/stat"; }
postgres_ticks() { # the same for every PostgreSQL process named (0 for one that is gone)
  local t=0 p
  for p in "$@"; do [ -r "/proc/$p/stat" ] && t=$((t + $(awk '{print $14 + $15}' "/proc/$p/stat"))); done
  echo "$t"
}
measure() { # label query connections
  local before result after pg pg_before pg_after
  pg=($(pgrep -x postgres || true))
  before=$(ticks); pg_before=$(postgres_ticks "${pg[@]}")
  local recorder=
  if [ -n "$PERF" ] && [ "$1" = B ]; then
    perf record -q -g -p "$PID" -o "$PERF" -- sleep "${DURATION%s}" >/dev/null 2>&1 &
    recorder=$!; PERF=
  fi
  result=$(QUERY=$2 wrk -t1 -c"$3" -d"$DURATION" -H "Authorization: Bearer $KEY" -s bench/scale.lua "http://127.0.0.1:$PORT" \
    | grep '^RESULT' | sed 's/^RESULT //')
  after=$(ticks); pg_after=$(postgres_ticks "${pg[@]}")
  [ -n "$recorder" ] && wait "$recorder"
  python3 -c "
import re, sys
r = '$result'; rps = float(re.search(r'rps=(\d+)', r).group(1)); seconds = float('${DURATION%s}')
per = lambda ticks: ticks * 1000 / $(getconf CLK_TCK) / max(1, rps * seconds)
print(f'   %-4s %s server_cpu_ms_per_request=%.3f postgres_cpu_ms_per_request=%.3f' % ('$1', r, per($after - $before), per($pg_after - $pg_before)))"
}

DB=ab_$$
psql -q "$MICROANPR_TEST_POSTGRES_URL" -c "CREATE DATABASE $DB"
PGURL=${MICROANPR_TEST_POSTGRES_URL%/*}/$DB
# The newer build creates the schema, so that both run on the same tables and indexes.
json=$("$BIN_B" tenant create ab --plan enterprise --database-url "$PGURL" --data-dir "$WORK/pg")
TENANT=$(echo "$json" | field tenant_id)
KEY=$(echo "$json" | field api_key)
echo "== seeding $READS reads, $((READS / 4)) passes for one tenant"
"$BIN_B" tenant seed-reads "$TENANT" --image-keys --count "$READS" --passes $((READS / 4)) --sessions $((READS / 20)) --days "$DAYS" \
  --database-url "$PGURL" --data-dir "$WORK/pg" 2>/dev/null
psql -q "$PGURL" -c "VACUUM (ANALYZE)"; psql -q "$PGURL" -c "VACUUM"; psql -q "$PGURL" -c "CHECKPOINT"
export PLATES=$((READS / 5)) TAG=${TENANT: -12} DAYS JOBS=$((READS / 1000))
echo "== A: $BIN_A${URL_PARAMS_A:+ (database URL ?$URL_PARAMS_A)}, B: $BIN_B; wrk -t1 -c$CONNECTIONS -d$DURATION, milliseconds"
if [ -n "$RETENTION" ]; then
  echo "== retention: reads_plate (wrk -c$CONNECTIONS -d$DURATION) while the sweeper deletes the oldest day; A: ${ENV_A:-$BIN_A}, B: ${ENV_B:-$BIN_B}"
  days=$DAYS
  for round in $(seq 1 "$ROUNDS"); do
    for side in A B; do
      use "$side"
      days=$((days - 1))
      serve "$BIN_B"
      curl -s -o /dev/null -X PATCH -H "Authorization: Bearer $KEY" -H "Content-Type: application/json" \
        -d "{\"retention_days\": $days}" "http://127.0.0.1:$PORT/v1/tenant"
      stop
      psql -q "$PGURL" -c "CHECKPOINT"
      LOG_LEVEL=info serve "$bin" "" "$envs"
      measure "$side" reads_plate "$CONNECTIONS"
      for _ in $(seq 1 600); do grep -q "retention sweep" "$WORK/serve.log" && break; sleep 1; done
      echo "   $side    sweep: $(grep "retention sweep" "$WORK/serve.log" | grep -oE '(deleted_reads|seconds)=[0-9.]+' | tr '\n' ' ')"
      stop
    done
  done
  exit 0
fi
[ -n "$INGEST" ] && echo "== while ingest (POST /v1/passes of 5 reads, wrk -c2) runs"
for round in $(seq 1 "$ROUNDS"); do
  for side in A B; do
    use "$side"
    serve "$bin" "$params" "$envs"
    QUERY=reads_plate wrk -t1 -c"$CONNECTIONS" -d3s -H "Authorization: Bearer $KEY" -s bench/scale.lua "http://127.0.0.1:$PORT" >/dev/null
    for q in $QUERIES; do
      if [ -z "$INGEST" ]; then measure "$side" "$q" "$CONNECTIONS"; continue; fi
      QUERY=ingest wrk -t1 -c2 -d"$DURATION" -H "Authorization: Bearer $KEY" -s bench/scale.lua "http://127.0.0.1:$PORT" \
        | grep '^RESULT' | sed "s/^RESULT /   $side    /" > "$WORK/ingest.txt" &
      ingest=$!
      measure "$side" "$q" "$CONNECTIONS"
      wait "$ingest"; cat "$WORK/ingest.txt"
    done
    stop
  done
done
if [ -n "$INDEXES" ]; then
  # The statements that made the indexes, to make them again after measuring without them.
  defs=$(psql -At "$PGURL" -c "SELECT indexdef FROM pg_indexes WHERE indexname IN ($(printf "'%s'," $INDEXES | sed 's/,$//'))")
  echo "== ingest (POST /v1/passes of 5 reads, wrk -c2) with and without: $INDEXES"
  serve "$BIN_B"
  for round in $(seq 1 "$ROUNDS"); do
    measure "+ix" ingest 2
    for ix in $INDEXES; do psql -q "$PGURL" -c "DROP INDEX $ix"; done
    psql -q "$PGURL" -c "CHECKPOINT"
    measure "-ix" ingest 2
    while IFS= read -r d; do psql -q "$PGURL" -c "$d"; done <<<"$defs"
    psql -q "$PGURL" -c "CHECKPOINT"
  done
  stop
fi
