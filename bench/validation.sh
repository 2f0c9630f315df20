#!/usr/bin/env bash
# Reads the validation split (the data settings are chosen on; never the report split) with a model manifest and
# prints one line per set: registrations right, precision, median ms per image. Extra arguments go to every
# `microanpr bench` (e.g. --no-country-mix).
#   bash bench/validation.sh [MANIFEST] [bench args...]
# Held-out GB plates (1,000 plates composed from the glyph tiles of the UK photos held out of training) are read
# when HELDOUT names their folder: `python3 training/heldout_crops.py training/data48 DIR` after `make train`.
set -euo pipefail
cd "$(dirname "$0")/.."
MANIFEST=${1:-.deps/models/manifest.json}
shift || true
BIN=.build/release/microanpr
D=${DATASETS:-../shared/datasets}
OUT=${OUT:-bench/out/validation}
mkdir -p "$OUT"
run() { # name args...
  local name=$1; shift
  "$BIN" bench "$@" --threads 1 --models "$MANIFEST" --json --csv "$OUT/$name.csv" "${EXTRA[@]}" > "$OUT/$name.json" 2>/dev/null
  python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print('%-22s %4d / %4d  precision %.3f  median %.1f ms' % (sys.argv[2], d['registrations_right'], d['registrations'], d['precision'], d['median_ms']['total']))" "$OUT/$name.json" "$name"
}
EXTRA=("$@")
run endtoend_auto "$D/openalpr_endtoend" --split validation --country auto --fold-o0
run segocr_us "$D/openalpr_segocr" --split validation --crop --country us
run segocr_auto "$D/openalpr_segocr" --split validation --crop --country auto --fold-o0
if [ -n "${HELDOUT:-}" ] && [ -f "$HELDOUT/groundtruth.csv" ]; then
  run heldout_gb "$HELDOUT" --split all --crop --country gb
  run heldout_auto "$HELDOUT" --split all --crop --country auto
else
  echo "held-out GB plates: skipped (set HELDOUT to their folder)"
fi
