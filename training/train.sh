#!/usr/bin/env bash
# `make train`: reproduces models/plate_reader.onnx on CPU (fixed seeds; about 1.5 h on 2 cores): PP-OCRv4's
# recogniser (fetched by `make setup`, pinned and sha256-checked) fine-tuned on plates, as measured against a CRNN
# trained from scratch in models/plate_reader.md.
#   1. a Python venv with the pinned, hash-checked requirements (PyPI; torch brings its CUDA wheels, ~3 GB, once)
#   2. the UK-like open fonts from Debian (training only; see training/ASSETS.md)
#   3. the format grammar exported from the Swift packs (microanpr formats --json): training/formats.json holds the
#      export the shipped readers were trained on and is used as it is, so that `make train` reproduces them; when
#      the packs have changed since, a note says so, and FORMATS=current exports today's packs there and trains on them
#   4. rendered plates + real crops of the training split (training/splits.json) -> training/data48 (48 x 224)
#   5. fine-tuning (training/out-ppocr), ONNX export with a parity check -> models/plate_reader.onnx
# Environment: SYNTHETIC (rendered plates, default 60000), STEPS (default 800), CORRECTIONS (folders written by
# `microanpr training-export`, space-separated: a site's corrected crops added to the training set).
# READER=b trains the second reader of the default manifest instead (-> models/plate_reader_b.onnx); READER=a2 the video
# frames' reader (reader A trained 1,200 steps further, from `make train`'s checkpoint; -> models/plate_reader_a2.onnx);
# READER=c, READER=v6 and
# READER=f and READER=m the readers measured and not adopted (models/plate_reader.md).
# NARROW=1 or NARROW=2 trains reader A's recipe with half the columns from PP-OCRv4's second or third stage on
# (-> models/plate_reader_n1.onnx or _n2.onnx; about 42% or 20% less time a crop; measured and not adopted, session 51).
# INPUT=32x160 trains reader A's recipe on 32 x 160 crops instead of 48 x 224 (reader S, -> models/plate_reader_s.onnx;
# about half the time a crop; session 54, models/plate_reader.md).
# ARCH=crnn trains the CRNN from scratch instead (32 x 160, 120000 plates, 6000 steps) -> models/plate_reader_crnn.onnx.
# ARCH=small trains the small reader (48 x 224, 0.75 M parameters) from scratch on the same data as the fine-tuned one,
# learning frame by frame from models/plate_reader.onnx as well (distillation; STEPS default 5500)
# -> models/plate_reader_small.onnx.
set -euo pipefail
cd "$(dirname "$0")/.."
DATASETS=${DATASETS:-../shared/datasets}
# Settings checked before anything is installed or built.
if [ -n "${NARROW:-}" ]; then
  [[ $NARROW =~ ^[12]$ ]] || { echo "train: NARROW must be 1 or 2, got '$NARROW'" >&2; exit 2; }
  [ "${READER:-a}" = a ] && [ "${ARCH:-ppocr}" = ppocr ] || { echo "train: NARROW goes with reader A's recipe only (no READER or ARCH)" >&2; exit 2; }
fi
if [ -n "${INPUT:-}" ]; then
  [ "$INPUT" = 32x160 ] || { echo "train: INPUT must be 32x160, got '$INPUT'" >&2; exit 2; }
  [ "${READER:-a}" = a ] && [ "${ARCH:-ppocr}" = ppocr ] && [ -z "${NARROW:-}" ] || { echo "train: INPUT goes with reader A's recipe only (no READER, ARCH or NARROW)" >&2; exit 2; }
fi
case "${READER:-a}" in
  a | a2 | b | c | v6 | f | m) ;;
  *) echo "train: READER must be a, a2, b, c, v6, f or m, got '$READER'" >&2; exit 2 ;;
esac
A_CHECKPOINT=${A_CHECKPOINT:-training/out-ppocr/best.pt}  # READER=a2 starts from it (`make train` writes it)
if [ "${READER:-a}" = a2 ] && [ ! -f "$A_CHECKPOINT" ]; then
  echo "train: READER=a2 starts from reader A's checkpoint $A_CHECKPOINT, which is missing: run make train first (or set A_CHECKPOINT)" >&2; exit 2
fi
case "${FORMATS:-}" in
  "" | current) ;;
  *) echo "train: FORMATS must be empty (the shipped readers' training/formats.json) or current (today's packs), got '$FORMATS'" >&2; exit 2 ;;
esac
source training/venv.sh
# Rendered strings are drawn from the packs' formats: a pack narrowed or widened since the shipped readers were trained
# changes some of their training plates, so the snapshot they were trained on stays the default.
if [ "${FORMATS:-}" = current ] || [ ! -f training/formats.json ]; then
  .build/release/microanpr formats --json > training/formats.json
elif ! .build/release/microanpr formats --json | cmp -s - training/formats.json; then
  echo "train: note: the format packs changed since training/formats.json (the shipped readers' grammar) was written; training on it as it is (FORMATS=current: on today's packs)" >&2
fi
"$VENV/bin/python" training/make_splits.py "$DATASETS" training/splits.json
git diff --quiet -- training/splits.json 2>/dev/null || echo "train: note: training/splits.json changed (different datasets?)" >&2
CORR=()
for d in ${CORRECTIONS:-}; do CORR+=("$d"); done
if [ "${ARCH:-ppocr}" = crnn ]; then
  "$VENV/bin/python" training/build_data.py --formats training/formats.json --datasets "$DATASETS" --out training/data \
    --synthetic "${SYNTHETIC:-120000}" ${CORR[@]:+--corrections "${CORR[@]}"}
  "$VENV/bin/python" training/train.py --data training/data --out training/out --steps "${STEPS:-6000}"
  "$VENV/bin/python" training/export.py --checkpoint training/out/best.pt --data training/data --out models/plate_reader_crnn.onnx
  echo "train: wrote models/plate_reader_crnn.onnx" >&2
  exit 0
fi
if [ "${ARCH:-ppocr}" = small ]; then
  export PLATE_INPUT_SIZE=48x224
  [ -f training/data48/train.npz ] || "$VENV/bin/python" training/build_data.py --formats training/formats.json --datasets "$DATASETS" \
    --out training/data48 --synthetic "${SYNTHETIC:-60000}" ${CORR[@]:+--corrections "${CORR[@]}"}
  "$VENV/bin/python" training/teacher.py --model models/plate_reader.onnx --data training/data48
  "$VENV/bin/python" training/train.py --arch small --teacher training/data48/teacher.npy --data training/data48 \
    --out training/out-small --steps "${STEPS:-5500}" --batch 64 --lr 2e-3 --eval-every 500 --max-minutes 100
  "$VENV/bin/python" training/export.py --arch small --checkpoint training/out-small/best.pt --data training/data48 \
    --out models/plate_reader_small.onnx
  echo "train: wrote models/plate_reader_small.onnx" >&2
  exit 0
fi
BASE=.deps/models/ppocrv4_rec.onnx
[ -f "$BASE" ] || { echo "train: $BASE is missing: run make setup first" >&2; exit 1; }
export PLATE_INPUT_SIZE=48x224
# GB plates: 70% composed from the real character tiles of the training photos (splits.json holds a fifth of the
# photos out: their glyphs make the held-out GB validation plates it was compared on; models/plate_reader.md).
# READER=b trains the default manifest's second plate reader (models/plate_reader_b.onnx): the same recipe on other
# rendered plates (seeds from 1000001) with half of the training glyph tiles varied (--tile-augment 0.5), so that its
# mistakes differ from the first reader's (models/plate_reader.md).
DATA=training/data48; OUT=training/out-ppocr; MODEL=models/plate_reader.onnx; EXTRA=()
# How the reader is trained from there (reader A's schedule unless said) and the checkpoint exported.
TRAIN=(--steps "${STEPS:-800}" --lr 3e-4); KEEP=best.pt
if [ "${READER:-a}" = a2 ]; then
  # READER=a2: reader A (its checkpoint from `make train`, or A_CHECKPOINT) trained on the same data for 1,200 more
  # steps, the crops in another order (seed 2), LR 1e-4; the last checkpoint is exported (session 55: it read more
  # held-out GB plates and as many real crops as reader A; the best by real crops alone read fewer held-out GB plates).
  # models/plate_reader.md.
  OUT=training/out-ppocr-a2; MODEL=models/plate_reader_a2.onnx; KEEP=last.pt
  TRAIN=(--init "$A_CHECKPOINT" --seed 2 --steps "${STEPS:-1200}" --lr 1e-4)
elif [ "${READER:-a}" = b ]; then
  DATA=training/data48b; OUT=training/out-ppocr-b; MODEL=models/plate_reader_b.onnx; EXTRA=(--seed 1000001 --tile-augment 0.5)
elif [ "${READER:-a}" = v6 ]; then
  # READER=v6: PP-OCRv6-small's recogniser fine-tuned instead of PP-OCRv4's, on reader B's data (3.0 M parameters once
  # its head is cut to the plate alphabet); measured and not adopted (models/plate_reader.md).
  BASE=.deps/models/ppocrv6_rec_small.onnx
  DATA=training/data48b; OUT=training/out-v6; MODEL=models/plate_reader_v6.onnx; EXTRA=(--seed 1000001 --tile-augment 0.5)
elif [ "${READER:-a}" = f ]; then
  # READER=f: reader A's recipe with 15% of the rendered plates (30% of the US ones) in a dealer's frame
  # (--frames 0.15); measured and not adopted, session 30 (models/plate_reader.md).
  DATA=training/data48f; OUT=training/out-ppocr-f; MODEL=models/plate_reader_f.onnx; EXTRA=(--frames 0.15)
elif [ "${READER:-a}" = m ]; then
  # READER=m: reader A's recipe with 30% of the rendered plates smeared by motion as their crop is seen (--smear 0.3;
  # plates.smear); measured in session 53 (models/plate_reader.md).
  DATA=training/data48m; OUT=training/out-ppocr-m; MODEL=models/plate_reader_m.onnx; EXTRA=(--smear 0.3)
elif [ "${READER:-a}" = c ]; then
  # READER=c: a third reader, measured and not adopted (models/plate_reader.md): other rendered plates again, and
  # more GB plates composed from real glyph tiles.
  DATA=training/data48c; OUT=training/out-ppocr-c; MODEL=models/plate_reader_c.onnx; EXTRA=(--seed 2000001 --tile-augment 0.5)
fi
[ -f "$BASE" ] || { echo "train: $BASE is missing: run make setup first" >&2; exit 1; }
SHAPE=()
if [ -n "${NARROW:-}" ]; then
  OUT=training/out-ppocr-n$NARROW; MODEL=models/plate_reader_n$NARROW.onnx; SHAPE=(--narrow "$NARROW")
fi
if [ -n "${INPUT:-}" ]; then
  # The same plates, seeds and steps as reader A, rendered and read at 32 x 160.
  export PLATE_INPUT_SIZE=$INPUT
  DATA=training/data32; OUT=training/out-ppocr-s; MODEL=models/plate_reader_s.onnx
fi
GB_TILES=0.7; [ "${READER:-a}" = c ] && GB_TILES=0.85
"$VENV/bin/python" training/build_data.py --formats training/formats.json --datasets "$DATASETS" --out "$DATA" \
  --synthetic "${SYNTHETIC:-60000}" --gb-tiles "$GB_TILES" "${EXTRA[@]}" ${CORR[@]:+--corrections "${CORR[@]}"}
"$VENV/bin/python" training/train.py --base "$BASE" "${SHAPE[@]}" --data "$DATA" --out "$OUT" "${TRAIN[@]}" \
  --batch 32 --warmup 0.1 --eval-every 200 --max-minutes 100
"$VENV/bin/python" training/export.py --base "$BASE" "${SHAPE[@]}" --checkpoint "$OUT/$KEEP" --data "$DATA" --out "$MODEL"
echo "train: wrote $MODEL; run make setup && bash bench/run.sh to measure it" >&2
