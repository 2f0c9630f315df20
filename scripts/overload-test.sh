#!/usr/bin/env bash
# Overload (issue 22): a server under `ulimit -n 256` faced with more SSE clients than it may hold stays alive,
# answers the excess streams 503 too_many_streams, serves an upload and a read, delivers every later event to
# the streams it kept, accepts again once the clients leave, and ends within its grace period on SIGTERM
# while a client that never reads holds a stream open.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${MICROANPR_BIN:-.build/debug/microanpr}
[ -x "$BIN" ] || swift build
IMAGE=${OVERLOAD_IMAGE:-../shared/datasets/micrometre_carpark1/images/pd_test_data_2.jpg}
if [ ! -f "$IMAGE" ]; then echo "overload-test: skipped (no sample image at $IMAGE)"; exit 0; fi
WORK=$(mktemp -d /tmp/microanpr-overload.XXXXXX)
PID=
cleanup() { [ -n "$PID" ] && kill -9 "$PID" 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT
KEY=$("$BIN" tenant create overload --plan enterprise --data-dir "$WORK" | python3 -c 'import json,sys; print(json.load(sys.stdin)["api_key"])')
GRACE=5
( ulimit -n 256; exec env MICROANPR_RUN_CAMERAS=0 MICROANPR_PORT_FILE="$WORK/port" MICROANPR_SHUTDOWN_GRACE_SECONDS=$GRACE \
    MICROANPR_SSE_HEARTBEAT_SECONDS=1 "$BIN" serve --port 0 --data-dir "$WORK" ) >"$WORK/serve.log" 2>&1 &
PID=$!
for _ in $(seq 1 300); do [ -s "$WORK/port" ] && break; sleep 0.2; done
[ -s "$WORK/port" ] || { echo "overload-test: FAILED: server did not start"; cat "$WORK/serve.log"; exit 1; }
PORT=$(cat "$WORK/port")
grep 'open files' "$WORK/serve.log" | grep -q 'soft_limit=256' \
  || { echo "overload-test: FAILED: the open-file limits were not logged"; cat "$WORK/serve.log"; exit 1; }
if ! python3 scripts/overload-test.py "$PORT" "$KEY" 400 "$IMAGE"; then
  echo "--- server log"; tail -n 30 "$WORK/serve.log"; exit 1
fi
kill -0 "$PID" 2>/dev/null || { echo "overload-test: FAILED: the server died"; tail -n 30 "$WORK/serve.log"; exit 1; }
# SIGTERM while a client that never reads holds a stream: the process ends within the grace period.
exec 3<>/dev/tcp/127.0.0.1/"$PORT"
printf 'GET /v1/stream HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\n\r\n' "$KEY" >&3
sleep 1
START=$(date +%s)
kill -TERM "$PID"
for _ in $(seq 1 $(( (GRACE + 5) * 10 ))); do kill -0 "$PID" 2>/dev/null || break; sleep 0.1; done
if kill -0 "$PID" 2>/dev/null; then echo "overload-test: FAILED: still running $(( $(date +%s) - START )) s after SIGTERM"; exit 1; fi
wait "$PID" 2>/dev/null || true
PID=
exec 3>&-
grep -q "SSE streams refused" "$WORK/serve.log" || { echo "overload-test: FAILED: refusals were not logged"; exit 1; }
echo "overload-test: passed (stopped $(( $(date +%s) - START )) s after SIGTERM)"
