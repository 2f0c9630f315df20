#!/usr/bin/env bash
# Checks the live server against its OpenAPI document with schemathesis (PyPI, pinned, in .deps/venv-api):
# every documented operation is called with generated valid and invalid input; responses must match the
# document (status codes, content types, schemas), never be a 5xx, and bad input must be rejected.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=.deps/venv-api
SCHEMATHESIS_VERSION=4.32.5
if ! "$VENV/bin/schemathesis" --version 2>/dev/null | grep -q "$SCHEMATHESIS_VERSION"; then
  [ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
  echo "api-fuzz: installing schemathesis==$SCHEMATHESIS_VERSION into $VENV" >&2
  "$VENV/bin/pip" install -q "schemathesis==$SCHEMATHESIS_VERSION"
fi
BIN=${MICROANPR_BIN:-.build/debug/microanpr}
[ -x "$BIN" ] || swift build
WORK=$(mktemp -d /tmp/microanpr-fuzz.XXXXXX)
PID=
cleanup() { [ -n "$PID" ] && kill "$PID" 2>/dev/null && wait "$PID" 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT
KEY=$("$BIN" tenant create fuzz --plan enterprise --data-dir "$WORK" | python3 -c 'import json,sys; print(json.load(sys.stdin)["api_key"])')
# A metrics token the fuzzer does not know: /metrics answers 401 to it, as to a request without one.
MICROANPR_METRICS_TOKEN="fuzz-$RANDOM-$RANDOM" MICROANPR_PASSWORD_COST=12 MICROANPR_RUN_CAMERAS=0 MICROANPR_PORT_FILE=$WORK/port "$BIN" serve --port 0 --data-dir "$WORK" --max-upload-bytes 2000000 >"$WORK/serve.log" 2>&1 &
PID=$!
for _ in $(seq 1 300); do [ -s "$WORK/port" ] && break; sleep 0.2; done
PORT=$(cat "$WORK/port")
BASE="http://127.0.0.1:$PORT"
# Something to find: one camera and one stored read.
curl -sf -H "Authorization: Bearer $KEY" -H 'Content-Type: application/json' -d '{"name":"Gate"}' "$BASE/v1/cameras" >/dev/null
SAMPLE=../shared/datasets/micrometre_carpark1/images/pd_test_data_2.jpg
[ -f "$SAMPLE" ] && curl -sf -H "Authorization: Bearer $KEY" -F "file=@$SAMPLE" "$BASE/v1/recognise" >/dev/null
"$VENV/bin/schemathesis" run "$BASE/openapi.json" -H "Authorization: Bearer $KEY" \
  --checks all --exclude-checks positive_data_acceptance --max-examples "${FUZZ_EXAMPLES:-40}" --seed 1 --generation-deterministic \
  --request-timeout 60 --suppress-health-check all \
  --exclude-path-regex '^/v1/(api-keys/|stream$)' "$@"
# Excluded: /v1/stream (an event stream never ends, so every call would time out; tested by EventsTests) and
# DELETE /v1/api-keys/{id} (its stateful phase would revoke the key the run authenticates with;
# revocation is covered by ServerTests). Not checked: positive_data_acceptance, because schema-valid input can
# still be refused on purpose (unknown camera or cursor, private webhook target, bytes that are no image).
echo "api-fuzz: passed"
