#!/usr/bin/env bash
# Reproduces the benchmark figures in the README: accuracy and speed on the shared datasets, one inference
# thread. Writes JSON summaries and per-plate CSVs to bench/out/.
set -euo pipefail
cd "$(dirname "$0")/.."
DATASETS=${1:-../shared/datasets}
BIN=.build/release/microanpr
OUT=bench/out
mkdir -p "$OUT"
run() { # name dataset [extra args]
  local name=$1 dir=$2; shift 2
  echo "== $name: microanpr bench $DATASETS/$dir --threads 1 $*" >&2
  "$BIN" bench "$DATASETS/$dir" --threads 1 --json --csv "$OUT/$name.csv" "$@" | tee "$OUT/$name.json"
}
run carpark_gb micrometre_carpark1 --country gb
run carpark_auto micrometre_carpark1 --country auto
run endtoend_auto openalpr_endtoend --country auto --fold-o0
run segocr_us openalpr_segocr --crop --country us
run segocr_us_fold openalpr_segocr --crop --country us --fold-o0
run nomeroff_ua nomeroff_benchmark --country ua
run nomeroff_auto nomeroff_benchmark --country auto

# Video: one pass per vehicle (compare with video_plates.csv) and speed against real time (on stderr).
VIDEO=$DATASETS/micrometre_carpark1/video/alprVideo.mp4
if [ -f "$VIDEO" ]; then
  echo "== video: microanpr recognise --json $VIDEO" >&2
  "$BIN" recognise --json "$VIDEO" 2> >(tee "$OUT/video.log" >&2) | tee "$OUT/video.json"
fi
