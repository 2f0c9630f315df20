#!/usr/bin/env bash
# Event benchmarks (release build, SQLite, loopback): SSE clients (default 10,000, spread over load-generator
# processes of 2,500 clients each) each receiving every event, latency from the store to delivery, and the
# server's memory per idle client; 10,000 webhook events to a receiver failing 30% of requests.
# Figures in bench/out/events-*.json. The server raises its own open-file limit to the hard limit.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.build/release/microanpr
CLIENTS=${CLIENTS:-10000}; SSE_EVENTS=${SSE_EVENTS:-20}; HOOK_EVENTS=${HOOK_EVENTS:-10000}
OUT=bench/out; mkdir -p "$OUT"
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true  # the load generators need descriptors too
WORK=$(mktemp -d /tmp/microanpr-events.XXXXXX)
PID=
cleanup() { [ -n "$PID" ] && kill "$PID" 2>/dev/null && wait "$PID" 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT
KEY=$("$BIN" tenant create bench --plan enterprise --data-dir "$WORK" | python3 -c 'import json,sys; print(json.load(sys.stdin)["api_key"])')
MICROANPR_ALLOW_PRIVATE_WEBHOOKS=1 MICROANPR_WEBHOOK_RETRY_BASE_SECONDS=${RETRY_BASE:-1} MICROANPR_RUN_CAMERAS=0 \
  MICROANPR_PORT_FILE=$WORK/port MICROANPR_LOG_LEVEL=warning "$BIN" serve --port 0 --data-dir "$WORK" >"$WORK/serve.log" 2>&1 &
PID=$!
for _ in $(seq 1 300); do [ -s "$WORK/port" ] && break; sleep 0.2; done
PORT=$(cat "$WORK/port")
echo "== SSE: $CLIENTS clients, $SSE_EVENTS events" >&2
# Load generators: bench/sse_load.c (epoll, one process per core) when a C compiler is there, else Python
# (asyncio, 2,500 streams per process). LOADGEN=python forces the Python one.
if [ "${LOADGEN:-c}" = c ] && cc -O2 -o "$WORK/sse_load" bench/sse_load.c 2>/dev/null; then
  export SSE_LOAD_BIN=$WORK/sse_load
  PROCS=${PROCS:-2}
else
  PROCS=${PROCS:-$(( (CLIENTS + 2499) / 2500 ))}
fi
[ "$PROCS" -lt 2 ] && [ -n "${SSE_LOAD_BIN:-}" ] && PROCS=2  # the multi-process path (separate generator processes)
SERVER_PID=$PID python3 bench/events.py sse "$PORT" "$KEY" "$CLIENTS" "$SSE_EVENTS" "$PROCS" | tee "$OUT/events-sse.json"
kill -0 "$PID" || { echo "events: the server died" >&2; exit 1; }
echo "== webhooks: $HOOK_EVENTS events, receiver failing 30%" >&2
RPORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
python3 bench/events.py webhooks "$PORT" "$KEY" "$HOOK_EVENTS" 0.3 "$RPORT" | tee "$OUT/events-webhooks.json"
echo "server RSS: $(awk '/VmRSS/ {print int($2/1024)}' /proc/$PID/status) MB" >&2
