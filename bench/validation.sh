#!/usr/bin/env bash
# Reads the validation split (the data settings are chosen on; never the report split) with a model manifest and
# prints one line per set: registrations right, precision, median ms per image, then the validation queued-cars
# videos (passes right). Extra arguments go to every
# `microanpr bench` (e.g. --no-country-mix).
#   bash bench/validation.sh [MANIFEST] [bench args...]
# VALIDATION_SEEDS="1 2" adds other plans of the validation video at both heights (bench/queued_video.py --seed: the
# same photos in another order, other approaches and gaps).
# VALIDATION_STYLES="black:2.2 cut:1.6 blur:1.6:pan" adds the default plan in other styles, GAP:ZOOM[:MOTION] each
# (bench/queued_video.py --gap blur|black|cut --zoom Z --motion zoom|pan: black frames or hard cuts between approaches,
# zoomed in further, the view panned across each plate), at both heights.
# VALIDATION_CROSSING="800 1600" adds cars crossing a side-on view at those speeds in pixels a second
# (bench/crossing_video.py: the validation photos at half the frame's height, sliding across 1280x720).
# VALIDATION_KINDS="dark compressed" adds the training and validation photos made poor by bench/degraded.py (its kinds).
# Held-out GB plates (1,000 plates composed from the glyph tiles of the UK photos held out of training) are read
# when HELDOUT names their folder: `python3 training/heldout_crops.py training/data48 DIR` after `make train`.
set -euo pipefail
cd "$(dirname "$0")/.."
for speed in ${VALIDATION_CROSSING:-}; do
  [[ $speed =~ ^[0-9]+$ ]] && [ "$speed" -ge 100 ] && [ "$speed" -le 20000 ] || { echo "validation: VALIDATION_CROSSING must be speeds from 100 to 20000 (pixels a second), got '$speed'" >&2; exit 2; }
done
for seed in ${VALIDATION_SEEDS:-}; do
  [[ $seed =~ ^[0-9]+$ ]] || { echo "validation: VALIDATION_SEEDS must be whole numbers, got '$seed'" >&2; exit 2; }
done
# VALIDATION_KINDS are checked against bench/degraded.py's own list, before anything is read.
python3 -c 'import sys; sys.path.insert(0, "bench"); from degraded import KINDS
bad = [k for k in sys.argv[1:] if k not in KINDS]
bad and sys.exit("validation: VALIDATION_KINDS must be among " + ", ".join(KINDS) + f", got {bad[0]!r}")' ${VALIDATION_KINDS:-} || exit 2
for style in ${VALIDATION_STYLES:-}; do
  # ZOOM as bench/queued_video.py --zoom takes it (1 to 4): checked here, as that script's errors are not shown below.
  [[ $style =~ ^(blur|black|cut):([1-3](\.[0-9]+)?|4(\.0+)?)(:(zoom|pan))?$ ]] || { echo "validation: VALIDATION_STYLES must be GAP:ZOOM[:MOTION] (GAP blur, black or cut; ZOOM from 1 to 4; MOTION zoom or pan), got '$style'" >&2; exit 2; }
done
source scripts/need-tool.sh
need_tool ffmpeg ffmpeg  # makes the benchmark videos
MANIFEST=${1:-.deps/models/manifest.json}
shift || true
BIN=${BIN:-.build/release/microanpr}  # BIN=another build, for an A/B
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
# VALIDATION_KINDS="dusk compressed": the training and validation photos of openalpr_endtoend made poor by
# bench/degraded.py (each kind's folder made once under $OUT/degraded), read as the photos above are.
for kind in ${VALIDATION_KINDS:-}; do
  if [ ! -f "$OUT/degraded/$kind/groundtruth.csv" ]; then
    python3 bench/degraded.py "$D" "$OUT/degraded" --dataset openalpr_endtoend --split train,validation --kind "$kind" >/dev/null
  fi
  run "endtoend_$kind" "$OUT/degraded/$kind" --split all --country auto --fold-o0
done
# queued_video NAME VIDEO: reads VIDEO under `auto` and prints one line: its passes checked against its truth file
# (O and 0 folded), and its speed.
queued_video() {
  "$BIN" recognise --json --country auto --models "$MANIFEST" ${VIDEO_ARGS:-} "$2" > "$OUT/$1.json" 2>"$OUT/$1.log"
  printf '%-29s %s  %s\n' "$1" \
    "$(python3 bench/queued_video.py check "${2%.mp4}.truth.csv" "$OUT/$1.json" --fold-o0 | tail -1)" \
    "$(grep -o '([0-9.]*x real time)' "$OUT/$1.log")"
}
# Queued cars made from the validation photos of openalpr_endtoend (bench/queued_video.py --dataset ... --split
# validation): the video settings (e.g. --video-reread-below) are chosen on it, never on the development videos'
# car-park stills, which are report data for the readers. VIDEO_ARGS go to `microanpr recognise`.
for run in 0 ${VALIDATION_SEEDS:-} ${VALIDATION_STYLES:-}; do
  seed=$run STYLE=()
  if [[ $run == *:* ]]; then
    IFS=: read -r gap zoom motion <<< "$run"
    seed=0 STYLE=(--gap "$gap" --zoom "$zoom" --motion "${motion:-zoom}")
  fi
  for h in 720 1080; do
    NAME=queued_validation$h
    if [[ $run == *:* ]]; then NAME=${NAME}_${gap}_zoom${zoom}${motion:+_$motion}; elif [ "$seed" != 0 ]; then NAME=${NAME}_seed$seed; fi
    QV=$OUT/$NAME.mp4
    [ -f "$QV" ] || python3 bench/queued_video.py make "$D" "$QV" --dataset openalpr_endtoend --split validation --seed "$seed" --height $h "${STYLE[@]}" 2>/dev/null
    queued_video "$NAME" "$QV"
  done
done
for speed in ${VALIDATION_CROSSING:-}; do
  NAME=crossing_validation$speed CV=$OUT/crossing_validation$speed.mp4
  [ -f "$CV" ] || python3 bench/crossing_video.py "$D" "$CV" --speed "$speed" 2>/dev/null
  queued_video "$NAME" "$CV"
done
