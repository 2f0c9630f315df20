#!/usr/bin/env bash
# CPU per list request (issue 24): what one request costs the server and PostgreSQL in CPU time, which varies far
# less from run to run on a shared VM than requests/s do. Seeds one tenant once (READS, default 300,000: a page of 50
# rows costs what it costs at ten million, docs/scale.md), then, ROUNDS times, starts each build of BINS in turn and
# runs wrk on every list of QUERIES for DURATION, and prints per build and list: requests/s, and milliseconds of CPU
# per request of the server and of PostgreSQL (from /proc: user and system time over the run, divided by requests).
#   BINS="/tmp/old/microanpr .build/release/microanpr" ROUNDS=3 bash bench/request_cpu.sh
# PROFILE=reads_camera also records the server with `perf record -g` while that list runs (bench/out/request_cpu.perf.N,
# N the build's place in BINS; `perf report -i FILE --no-children`).
set -euo pipefail
cd "$(dirname "$0")/.."
BINS=${BINS:-.build/release/microanpr}
READS=${READS:-300000}
ROUNDS=${ROUNDS:-2}
# Checked before PostgreSQL is started for nothing.
[[ $READS =~ ^[0-9]+$ ]] && [ "$READS" -ge 1000 ] || { echo "request_cpu: READS must be a whole number of at least 1000, got '$READS'" >&2; exit 2; }
[[ $ROUNDS =~ ^[0-9]+$ ]] && [ "$ROUNDS" -ge 1 ] || { echo "request_cpu: ROUNDS must be a whole number of at least 1, got '$ROUNDS'" >&2; exit 2; }
DURATION=${DURATION:-8s}
[[ $DURATION =~ ^[1-9][0-9]*s$ ]] || { echo "request_cpu: DURATION must be whole seconds such as 8s, got '$DURATION'" >&2; exit 2; }
for b in $BINS; do [ -x "$b" ] || { echo "request_cpu: $b is not an executable build" >&2; exit 2; }; done
if [ -z "${MICROANPR_TEST_POSTGRES_URL:-}" ]; then
  export MICROANPR_TEST_POSTGRES_SETTINGS="-c shared_buffers=2GB -c work_mem=32MB ${MICROANPR_TEST_POSTGRES_SETTINGS:-}"
  exec bash scripts/test-services.sh bash "$0" "$@"
fi
source scripts/need-tool.sh
need_tool wrk wrk
CONNECTIONS=${CONNECTIONS:-8}
QUERIES=${QUERIES:-reads_plate reads_prefix4 reads_camera reads_hour passes_hour sessions_hour}
WORK=$(mktemp -d /tmp/microanpr-cpu.XXXXXX)
PID=
cleanup() { [ -n "$PID" ] && kill "$PID" 2>/dev/null && wait "$PID" 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT
field() { python3 -c "import json,sys; print(json.load(sys.stdin)['$1'])"; }
ticks() { # pids... -> their user + system clock ticks so far (0 for one that is gone)
  local t=0 p
  for p in "$@"; do [ -r "/proc/$p/stat" ] && t=$((t + $(awk '{print $14 + $15}' "/proc/$p/stat"))); done
  echo "$t"
}
DB=cpu_$$
psql -q "$MICROANPR_TEST_POSTGRES_URL" -c "CREATE DATABASE $DB"
PGURL=${MICROANPR_TEST_POSTGRES_URL%/*}/$DB
FIRST=${BINS%% *}
json=$("$FIRST" tenant create cpu --plan enterprise --database-url "$PGURL" --data-dir "$WORK/pg")
tenant=$(echo "$json" | field tenant_id)
key=$(echo "$json" | field api_key)
echo "== seeding $READS reads for one tenant" >&2
"$FIRST" tenant seed-reads "$tenant" --count "$READS" --passes $((READS / 4)) --sessions $((READS / 20)) --days 90 --image-keys \
  --database-url "$PGURL" --data-dir "$WORK/pg" 2>/dev/null
psql -q "$PGURL" -c "VACUUM (ANALYZE)"; psql -q "$PGURL" -c "CHECKPOINT"
export PLATES=$((READS / 5)) TAG=${tenant: -12} DAYS=90 JOBS=$((READS / 1000))
HZ=$(getconf CLK_TCK)
printf '%-34s %-15s %8s %14s %14s\n' build list req/s "server ms/req" "postgres ms/req"
for round in $(seq 1 "$ROUNDS"); do
  n=0
  for bin in $BINS; do
    n=$((n + 1))
    rm -f "$WORK/port"
    MICROANPR_PORT_FILE=$WORK/port MICROANPR_LOG_LEVEL=warning MICROANPR_RETENTION_INTERVAL_SECONDS=86400 \
      "$bin" serve --port 0 --workers 0 --database-url "$PGURL" --data-dir "$WORK/pg" >"$WORK/serve.log" 2>&1 &
    PID=$!
    for _ in $(seq 1 300); do [ -s "$WORK/port" ] && break; sleep 0.2; done
    PORT=$(cat "$WORK/port")
    QUERY=reads_plate wrk -t1 -c"$CONNECTIONS" -d3s -H "Authorization: Bearer $key" -s bench/scale.lua "http://127.0.0.1:$PORT" >/dev/null
    for q in $QUERIES; do
      pg=($(pgrep -x postgres || true))
      s0=$(ticks "$PID"); p0=$(ticks "${pg[@]}")
      perf=
      if [ "$q" = "${PROFILE:-}" ]; then
        perf record -q -g -o "bench/out/request_cpu.perf.$n" -p "$PID" -- sleep "${DURATION%s}" 2>/dev/null &
        perf=$!
      fi
      out=$(QUERY=$q wrk -t1 -c"$CONNECTIONS" -d"$DURATION" -H "Authorization: Bearer $key" -s bench/scale.lua "http://127.0.0.1:$PORT" | grep '^RESULT')
      s1=$(ticks "$PID"); p1=$(ticks "${pg[@]}")
      [ -n "$perf" ] && wait "$perf"
      rps=$(echo "$out" | sed -n 's/.* rps=\([0-9]*\).*/\1/p')
      secs=${DURATION%s}
      python3 -c "
n = $rps * $secs
print('%-34s %-15s %8d %14.3f %14.3f' % ('$bin'[-34:], '$q', $rps, ($s1 - $s0) / $HZ * 1000 / max(1, n), ($p1 - $p0) / $HZ * 1000 / max(1, n)))"
    done
    kill "$PID"; wait "$PID" 2>/dev/null || true; PID=
  done
done
