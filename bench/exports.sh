#!/usr/bin/env bash
# Export figures (release build): 1,000,000 reads exported as CSV, JSON Lines and Excel through the API, with the
# time, the size, and the server's resident memory before and at its peak (VmHWM) during each export; then the
# same CSV as a background export job (POST /v1/export-jobs, polled until done), with the progress seen on the way.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.build/release/microanpr
[ -x "$BIN" ] || swift build -c release
COUNT=${EXPORT_READS:-1000000}
WORK=$(mktemp -d /tmp/microanpr-export.XXXXXX)
PID=
cleanup() { [ -n "$PID" ] && kill "$PID" 2>/dev/null && wait "$PID" 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT
J=$("$BIN" tenant create bench --plan enterprise --data-dir "$WORK")
TENANT=$(echo "$J" | python3 -c 'import json,sys; print(json.load(sys.stdin)["tenant_id"])')
KEY=$(echo "$J" | python3 -c 'import json,sys; print(json.load(sys.stdin)["api_key"])')
"$BIN" tenant seed-reads "$TENANT" --count "$COUNT" --data-dir "$WORK" 2>/dev/null
rss() { awk '/VmRSS/ {print int($2/1024)}' /proc/$PID/status; }
# Starts a fresh server (PID, BASE) and notes its resident memory before any export (BEFORE).
start_server() {
  rm -f "$WORK/port"
  MICROANPR_RUN_CAMERAS=0 MICROANPR_PORT_FILE=$WORK/port "$BIN" serve --port 0 --data-dir "$WORK" >"$WORK/serve.log" 2>&1 &
  PID=$!
  for _ in $(seq 1 300); do [ -s "$WORK/port" ] && break; sleep 0.2; done
  BASE="http://127.0.0.1:$(cat "$WORK/port")"
  BEFORE=$(rss)
}
for fmt in csv jsonl xlsx; do
  start_server
  START=$(date +%s.%N)
  curl -sf -H "Authorization: Bearer $KEY" "$BASE/v1/exports/reads?format=$fmt" -o "$WORK/out.$fmt"
  END=$(date +%s.%N)
  PEAK=$(awk '/VmHWM/ {print int($2/1024)}' /proc/$PID/status)
  if [ "$fmt" = xlsx ]; then
    ROWS=$(python3 -c '
import sys, zipfile
n = 0
tail = b""
with zipfile.ZipFile(sys.argv[1]).open("xl/worksheets/sheet1.xml") as f:
    while chunk := f.read(1 << 20):
        n += (tail + chunk).count(b"<row ") - tail.count(b"<row ")
        tail = chunk[-4:]
print(n)' "$WORK/out.xlsx")
  else
    ROWS=$(wc -l < "$WORK/out.$fmt")
  fi
  printf '%-5s %d rows (header included for csv/xlsx) in %.1f s, %d MB; server RSS %d MB before, peak %d MB\n' \
    "$fmt" "$ROWS" "$(echo "$END - $START" | bc)" "$(( $(stat -c %s "$WORK/out.$fmt") / 1048576 ))" "$BEFORE" "$PEAK"
  [ "$fmt" = xlsx ] && [ -x .deps/venv-browser/bin/python ] && .deps/venv-browser/bin/python -c "import openpyxl" 2>/dev/null && \
    .deps/venv-browser/bin/python -c "
import openpyxl, sys
wb = openpyxl.load_workbook(sys.argv[1], read_only=True)
ws = wb.active
rows = ws.iter_rows(min_row=1, max_row=3, values_only=True)
for r in rows: print('  openpyxl:', r[:4], r[9])
" "$WORK/out.xlsx"
  kill "$PID"; wait "$PID" 2>/dev/null || true; PID=
done

# The CSV again as an export job: queued, polled every second (progress printed), downloaded.
start_server
START=$(date +%s.%N)
ID=$(curl -sf -H "Authorization: Bearer $KEY" -H 'Content-Type: application/json' -d '{"dataset":"reads","format":"csv"}' \
  "$BASE/v1/export-jobs" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
SEEN=""
while true; do
  J=$(curl -sf -H "Authorization: Bearer $KEY" "$BASE/v1/export-jobs/$ID")
  STATUS=$(echo "$J" | python3 -c 'import json,sys; j=json.load(sys.stdin); print(j["status"], j["progress"])')
  SEEN="$SEEN ${STATUS#* }"
  case "$STATUS" in done*|failed*) break ;; esac
  sleep 1
done
END=$(date +%s.%N)
PEAK=$(awk '/VmHWM/ {print int($2/1024)}' /proc/$PID/status)
curl -sf -H "Authorization: Bearer $KEY" "$BASE/v1/export-jobs/$ID/download" -o "$WORK/job.csv"
printf 'job   %s: %d lines in %.1f s (queued to done), %d MB; server RSS %d MB before, peak %d MB; progress seen:%s\n' \
  "${STATUS% *}" "$(wc -l < "$WORK/job.csv")" "$(echo "$END - $START" | bc)" "$(( $(stat -c %s "$WORK/job.csv") / 1048576 ))" \
  "$BEFORE" "$PEAK" "$SEEN"
kill "$PID"; wait "$PID" 2>/dev/null || true; PID=
