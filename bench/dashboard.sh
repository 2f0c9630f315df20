#!/usr/bin/env bash
# Dashboard figures (release build, headless Chromium): how soon a stored read shows in the live feed, the server
# time of the search page's reads list with 100 reads per page over 100,000 stored reads, and the overview's first
# paint with those reads and 10,000 parking sessions.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.build/release/microanpr
[ -x "$BIN" ] || swift build -c release
bash scripts/browser-test.sh --setup-only
WORK=$(mktemp -d /tmp/microanpr-dash.XXXXXX)
PID=
cleanup() { [ -n "$PID" ] && kill "$PID" 2>/dev/null && wait "$PID" 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT
J=$("$BIN" tenant create bench --plan enterprise --data-dir "$WORK")
export MICROANPR_TEST_TENANT=$(echo "$J" | python3 -c 'import json,sys; print(json.load(sys.stdin)["tenant_id"])')
export MICROANPR_TEST_KEY=$(echo "$J" | python3 -c 'import json,sys; print(json.load(sys.stdin)["api_key"])')
export MICROANPR_TEST_PASSWORD="bench-pass-$RANDOM-$RANDOM"
echo "$MICROANPR_TEST_PASSWORD" | "$BIN" user add "$MICROANPR_TEST_TENANT" --email owner@example.com --password-stdin --data-dir "$WORK" >/dev/null
"$BIN" tenant seed-reads "$MICROANPR_TEST_TENANT" --count 100000 --passes 25000 --sessions 10000 --data-dir "$WORK" 2>/dev/null
MICROANPR_SECURE_COOKIES=0 MICROANPR_RUN_CAMERAS=0 MICROANPR_PORT_FILE=$WORK/port "$BIN" serve --port 0 --data-dir "$WORK" >"$WORK/serve.log" 2>&1 &
PID=$!
for _ in $(seq 1 300); do [ -s "$WORK/port" ] && break; sleep 0.2; done
export MICROANPR_TEST_BASE="http://127.0.0.1:$(cat "$WORK/port")"
export MICROANPR_TEST_IMAGES=${DATASETS:-../shared/datasets}/micrometre_carpark1/images
.deps/venv-browser/bin/python bench/dashboard.py
