#!/usr/bin/env bash
# Drives the dashboard in Debian's headless Chromium (chromium + chromium-driver, installed when missing) with
# Selenium (PyPI, pinned, in .deps/venv-browser) against a live server with a throwaway data folder.
# Screenshots of every page go to test-output/screenshots/.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=.deps/venv-browser
SELENIUM_VERSION=4.27.1
source scripts/need-tool.sh
need_tool chromium chromium chromium-driver
need_tool chromedriver chromium chromium-driver
if ! "$VENV/bin/python" -c "import selenium, sys; sys.exit(selenium.__version__ != '$SELENIUM_VERSION')" 2>/dev/null; then
  [ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
  echo "browser-test: installing selenium==$SELENIUM_VERSION into $VENV" >&2
  "$VENV/bin/pip" install -q "selenium==$SELENIUM_VERSION"
fi
[ "${1:-}" = "--setup-only" ] && exit 0
BIN=${MICROANPR_BIN:-.build/debug/microanpr}
[ -x "$BIN" ] || swift build
WORK=$(mktemp -d /tmp/microanpr-browser.XXXXXX)
PID=
cleanup() { [ -n "$PID" ] && kill "$PID" 2>/dev/null && wait "$PID" 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT
# Chromium's profile and crash folders go under WORK, which the trap removes.
mkdir -p "$WORK/tmp"
export TMPDIR="$WORK/tmp"
OUT=${BROWSER_TEST_OUTPUT:-test-output}
rm -rf "$OUT/screenshots" && mkdir -p "$OUT/screenshots"
TENANT_JSON=$("$BIN" tenant create browser --plan enterprise --data-dir "$WORK")
export MICROANPR_TEST_TENANT=$(echo "$TENANT_JSON" | python3 -c 'import json,sys; print(json.load(sys.stdin)["tenant_id"])')
export MICROANPR_TEST_KEY=$(echo "$TENANT_JSON" | python3 -c 'import json,sys; print(json.load(sys.stdin)["api_key"])')
export MICROANPR_TEST_PASSWORD="owner-pass-$RANDOM-$RANDOM"
echo "$MICROANPR_TEST_PASSWORD" | "$BIN" user add "$MICROANPR_TEST_TENANT" --email owner@example.com --role owner --password-stdin --data-dir "$WORK" >/dev/null
# One person with the same password in two organisations: the sign-in page asks which.
OTHER_TENANT=$("$BIN" tenant create "second site" --data-dir "$WORK" | python3 -c 'import json,sys; print(json.load(sys.stdin)["tenant_id"])')
for t in "$MICROANPR_TEST_TENANT" "$OTHER_TENANT"; do
  echo "$MICROANPR_TEST_PASSWORD" | "$BIN" user add "$t" --email both@example.com --role viewer --password-stdin --data-dir "$WORK" >/dev/null
done
"$BIN" tenant seed-reads "$MICROANPR_TEST_TENANT" --count 1000 --data-dir "$WORK" >/dev/null 2>&1
MICROANPR_SECURE_COOKIES=0 MICROANPR_ALLOW_PRIVATE_WEBHOOKS=1 MICROANPR_RUN_CAMERAS=0 MICROANPR_PORT_FILE=$WORK/port MICROANPR_PASSWORD_COST=12 "$BIN" serve --port 0 --data-dir "$WORK" >"$WORK/serve.log" 2>&1 &
PID=$!
for _ in $(seq 1 300); do [ -s "$WORK/port" ] && break; sleep 0.2; done
[ -s "$WORK/port" ] || { cat "$WORK/serve.log" >&2; echo "browser-test: server did not start" >&2; exit 1; }
export MICROANPR_TEST_BASE="http://127.0.0.1:$(cat "$WORK/port")"
export MICROANPR_TEST_SCREENSHOTS="$OUT/screenshots"
export MICROANPR_TEST_IMAGES=${DATASETS:-../shared/datasets}/micrometre_carpark1/images
if ! "$VENV/bin/python" Tests/Browser/dashboard_test.py; then
  echo "browser-test: server log tail:" >&2; tail -30 "$WORK/serve.log" >&2
  exit 1
fi
echo "browser-test: passed (screenshots in $OUT/screenshots)"
