#!/usr/bin/env bash
# API benchmarks (run by `make bench-api`): with 100,000 stored reads, GET /v1/reads filtered by a random
# plate prefix (p50/p99 from wrk on loopback), on SQLite and on PostgreSQL; POST /v1/recognise throughput
# with 2 inference workers and the server's CPU use; server RSS idle with models loaded.
# PostgreSQL comes from scripts/test-services.sh (throwaway server on loopback).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${MICROANPR_TEST_POSTGRES_URL:-}" ]; then exec bash scripts/test-services.sh bash "$0" "$@"; fi
source scripts/need-tool.sh
need_tool wrk wrk
BIN=.build/release/microanpr
READS=${READS:-100000}
DURATION=${DURATION:-20s}
IMAGE=${IMAGE:-../shared/datasets/micrometre_carpark1/images/pd_test_data_2.jpg}
OUT=bench/out
mkdir -p "$OUT"
WORK=$(mktemp -d /tmp/microanpr-bench.XXXXXX)
PID=
cleanup() { [ -n "$PID" ] && kill "$PID" 2>/dev/null && wait "$PID" 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT

cat > "$WORK/prefix.lua" <<'LUA'
local letters = "ABCDEFGHJKLMNOPRSTUVWXYZ"
math.randomseed(42)
request = function()
  local a = math.random(1, #letters); local b = math.random(1, #letters)
  local p = letters:sub(a, a) .. letters:sub(b, b)
  return wrk.format("GET", "/v1/reads?limit=50&plate_prefix=" .. p)
end
LUA
cat > "$WORK/recognise.lua" <<LUA
local f = io.open("$IMAGE", "rb"); local body = f:read("*a"); f:close()
wrk.method = "POST"; wrk.body = body; wrk.headers["Content-Type"] = "image/jpeg"
LUA

rss() { awk '/VmRSS/ {print int($2/1024)}' "/proc/$1/status"; }
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

serve() { # storage args...
  rm -f "$WORK/port"
  MICROANPR_PORT_FILE=$WORK/port MICROANPR_LOG_LEVEL=warning "$BIN" serve --port 0 "$@" >"$WORK/serve.log" 2>&1 &
  PID=$!
  for _ in $(seq 1 300); do [ -s "$WORK/port" ] && break; sleep 0.2; done
  PORT=$(cat "$WORK/port")
}
stop() { kill "$PID"; wait "$PID" 2>/dev/null || true; PID=; }

bench_engine() { # name storage args...
  local name=$1; shift
  local json tenant key
  json=$("$BIN" tenant create bench --plan enterprise "$@")
  tenant=$(echo "$json" | python3 -c 'import json,sys; print(json.load(sys.stdin)["tenant_id"])')
  key=$(echo "$json" | python3 -c 'import json,sys; print(json.load(sys.stdin)["api_key"])')
  "$BIN" tenant seed-reads "$tenant" --image-keys --count "$READS" "$@" 2>/dev/null
  serve "$@"
  sleep 2
  echo "== $name: idle RSS with models loaded: $(rss "$PID") MB"
  wrk -t1 -c8 -d5s -H "Authorization: Bearer $key" -s "$WORK/prefix.lua" "http://127.0.0.1:$PORT" >/dev/null # warm-up
  echo "== $name: GET /v1/reads?plate_prefix=XX&limit=50 over $READS reads, wrk -t1 -c8 -d$DURATION"
  wrk -t1 -c8 -d"$DURATION" --latency -H "Authorization: Bearer $key" -s "$WORK/prefix.lua" "http://127.0.0.1:$PORT" \
    | tee "$OUT/api_reads_$name.txt" | grep -E "Latency|50%|90%|99%|Requests/sec|Non-2xx"
  if [ "$name" = sqlite ]; then
    local t0 t1 hz
    hz=$(getconf CLK_TCK)
    t0=$(cpu_ticks "$PID")
    echo "== $name: POST /v1/recognise (stored, $IMAGE), 2 inference workers, wrk -t1 -c4 -d$DURATION"
    wrk -t1 -c4 -d"$DURATION" --latency -H "Authorization: Bearer $key" -s "$WORK/recognise.lua" "http://127.0.0.1:$PORT/v1/recognise" \
      | tee "$OUT/api_recognise.txt" | grep -E "Latency|50%|99%|Requests/sec|Non-2xx"
    t1=$(cpu_ticks "$PID")
    echo "   server CPU during the run: $(( (t1 - t0) * 100 / hz / ${DURATION%s} ))% of one core (200% = both cores)"
    echo "   RSS after load: $(rss "$PID") MB"
  fi
  stop
}

bench_engine sqlite --data-dir "$WORK/sqlite"
DB=bench_$$
psql -q "$MICROANPR_TEST_POSTGRES_URL" -c "CREATE DATABASE $DB"
PGURL=${MICROANPR_TEST_POSTGRES_URL%/*}/$DB
bench_engine postgres --database-url "$PGURL" --data-dir "$WORK/pg"
