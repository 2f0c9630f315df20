#!/usr/bin/env bash
# Reproduces the benchmark figures in docs/benchmarks.md: accuracy and speed on the shared datasets, one inference
# thread. Writes JSON summaries and per-plate CSVs to bench/out/.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/need-tool.sh
need_tool ffmpeg ffmpeg  # makes the benchmark videos
DATASETS=${1:-../shared/datasets}
BIN=.build/release/microanpr
OUT=bench/out
mkdir -p "$OUT"
run() { # name dataset (under DATASETS, or an absolute path) [extra args]
  local name=$1 dir=$2; shift 2
  [[ $dir == /* ]] || dir=$DATASETS/$dir
  echo "== $name: microanpr bench $dir --threads 1 $*" >&2
  "$BIN" bench "$dir" --threads 1 --json --csv "$OUT/$name.csv" "$@" | tee "$OUT/$name.json"
}
run carpark_gb micrometre_carpark1 --country gb
run carpark_auto micrometre_carpark1 --country auto
run endtoend_auto openalpr_endtoend --country auto --fold-o0
# The same images as sites whose cameras are set to their country would read them (a configured default wins).
run endtoend_us openalpr_endtoend --folder us --country us --fold-o0
run endtoend_br openalpr_endtoend --folder br --country br --fold-o0
run segocr_us openalpr_segocr --crop --country us
run segocr_us_fold openalpr_segocr --crop --country us --fold-o0
run nomeroff_ua nomeroff_benchmark --country ua
run nomeroff_auto nomeroff_benchmark --country auto
# Close-ups (session 34): the report photos' plates cut out to fill 40-95% of a 1280x960 picture (bench/close_ups.py).
python3 bench/close_ups.py "$DATASETS" "$OUT/close_ups" --split report >&2
for fill in 40 60 80 95; do run "close_ups$fill" "$(cd "$OUT/close_ups" && pwd)/fill$fill" --split all --country auto --fold-o0; done
# Other cameras (session 37): the car park's frames as a 1280x720 and a 1920x1080 camera would show the same scene
# (scaled up and letterboxed by bench/rescaled.py): the detector looks at them at other sizes.
python3 bench/rescaled.py "$DATASETS" "$OUT/rescaled" --dataset micrometre_carpark1 --split report >&2
for size in 1280x720 1920x1080; do run "carpark_$size" "$(cd "$OUT/rescaled" && pwd)/$size" --split all --country gb; done
# A wide 4K camera (session 40): the report photos laid out in 3840x2160 pictures at their own size (bench/wide_view.py;
# the car park's 640x480 frames 4x3 to a picture, each vehicle once, the EU/US/BR photos 3x3): plates as small in the picture as they
# are in a wide view of a car park or several lanes.
python3 bench/wide_view.py "$DATASETS" "$OUT/wide_carpark" --dataset micrometre_carpark1 --split report --cells 4x3 >&2
run carpark_wide "$(cd "$OUT/wide_carpark" && pwd)" --split all --country gb
python3 bench/wide_view.py "$DATASETS" "$OUT/wide_endtoend" --dataset openalpr_endtoend --split report --cells 3x3 >&2
run endtoend_wide "$(cd "$OUT/wide_endtoend" && pwd)" --split all --country auto --fold-o0
# Poor light (session 38): the car park's frames underexposed, at dusk and in haze; since session 39 also blurred by
# motion, since session 40 with a camera's date and time stamped on them, since session 42 squeezed into a low-quality
# JPEG and as a monochrome (infrared) camera sees them (bench/degraded.py).
python3 bench/degraded.py "$DATASETS" "$OUT/degraded" --dataset micrometre_carpark1 --split report >&2
for kind in dark dusk fog motion overlay compressed grey; do run "carpark_$kind" "$(cd "$OUT/degraded" && pwd)/$kind" --split all --country gb; done

# Video: one pass per vehicle (compare with video_plates.csv) and speed against real time (on stderr).
VIDEO=$DATASETS/micrometre_carpark1/video/alprVideo.mp4
if [ -f "$VIDEO" ]; then
  echo "== video: microanpr recognise --json $VIDEO" >&2
  "$BIN" recognise --json "$VIDEO" 2> >(tee "$OUT/video.log" >&2) | tee "$OUT/video.json"
fi

# 1080p, 25 fps: a video made with ffmpeg from the car park camera's frames (each shown 0.5 s, letterboxed to
# 1920x1080); the frames are snapshots minutes apart, so a car seen in two bursts gives two passes.
FRAMES=$(cd "$DATASETS/micrometre_carpark1/images" 2>/dev/null && pwd || echo "$DATASETS/micrometre_carpark1/images")  # absolute: ffmpeg resolves the list from its folder
V1080=$OUT/carpark1080.mp4
if ls "$FRAMES"/nexjs_public_images_uploadvideo-cam1-*.jpg >/dev/null 2>&1; then
  if [ ! -f "$V1080" ]; then
    ls "$FRAMES"/nexjs_public_images_uploadvideo-cam1-*.jpg | sort | sed "s|^\(.*\)$|file '\1'\nduration 0.5|" > "$OUT/frames1080.txt"
    ffmpeg -y -loglevel error -f concat -safe 0 -i "$OUT/frames1080.txt" \
      -vf "scale=1440:1080,pad=1920:1080:240:0,fps=25,format=yuv420p" -c:v libx264 -preset veryfast -crf 23 "$V1080"
  fi
  echo "== video 1080p: microanpr recognise --json $V1080" >&2
  "$BIN" recognise --json "$V1080" 2> >(tee "$OUT/video1080.log" >&2) | tee "$OUT/video1080.json"
  python3 bench/car_park_runs.py "$DATASETS/micrometre_carpark1" "$OUT/frames1080.txt" "$OUT/video1080.json"
fi

# Queued cars (issue 17): made from micrometre_carpark1 stills by bench/queued_video.py (one approach per
# registration, gaps of 0-1 s, two cars in view twice), at 1280x720 and 1920x1080, 25 fps. Target: every
# registration exactly one pass with the right text, at most one other pass; speed on stderr.
# queued_video NAME TRUTH: reads $OUT/NAME.mp4 (speed on stderr, kept in NAME.log) and checks its passes against TRUTH.
queued_video() {
  echo "== $1: microanpr recognise --json $OUT/$1.mp4" >&2
  "$BIN" recognise --json "$OUT/$1.mp4" 2> >(tee "$OUT/$1.log" >&2) > "$OUT/$1.json"
  python3 bench/queued_video.py check "$2" "$OUT/$1.json" | tee "$OUT/$1.check" || true
}
if [ -d "$DATASETS/micrometre_carpark1" ]; then
  for h in 720 1080; do
    [ -f "$OUT/queued$h.mp4" ] || python3 bench/queued_video.py make "$DATASETS" "$OUT/queued$h.mp4" --height $h
    queued_video "queued$h" "$OUT/queued$h.truth.csv"
  done
  # The same videos underexposed (session 38, bench/degraded.py --video --kind dark): a camera at dusk; since session
  # 42 also at a low bitrate (--kind compressed: x264 -crf 38), a camera's stream squeezed onto a thin link.
  for kind in dark compressed; do
    for h in 720 1080; do
      python3 bench/degraded.py --video "$OUT/queued$h.mp4" "$OUT/queued${h}_$kind.mp4" --kind $kind >&2
      queued_video "queued${h}_$kind" "$OUT/queued$h.truth.csv"
    done
  done
  # The same registrations with the view panned across each plate instead of zooming towards it (session 43,
  # bench/queued_video.py --motion pan): a car crossing the camera's view at a constant size, not approaching it.
  for h in 720 1080; do
    [ -f "$OUT/queued${h}_pan.mp4" ] || python3 bench/queued_video.py make "$DATASETS" "$OUT/queued${h}_pan.mp4" --height $h --motion pan
    queued_video "queued${h}_pan" "$OUT/queued${h}_pan.truth.csv"
  done
  # Cars crossing a side-on view fast (session 43, bench/crossing_video.py --report): each registration's still at half
  # the frame's height slides across 1280x720 at 800 or 1600 pixels a second (plates 2 or 4-5 widths between reads).
  for speed in 800 1600; do
    [ -f "$OUT/crossing$speed.mp4" ] || python3 bench/crossing_video.py "$DATASETS" "$OUT/crossing$speed.mp4" --report --speed $speed
    queued_video "crossing$speed" "$OUT/crossing$speed.truth.csv"
  done
fi
