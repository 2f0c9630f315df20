#!/usr/bin/env bash
# `make train`: reproduces models/plate_reader.onnx from scratch on CPU (fixed seeds; ~1.5 h on 2 cores).
#   1. a Python venv with the pinned, hash-checked requirements (PyPI; torch brings its CUDA wheels, ~3 GB, once)
#   2. the UK-like open fonts from Debian (training only; see training/ASSETS.md)
#   3. the format grammar exported from the Swift packs (microanpr formats --json)
#   4. rendered plates + real crops of the training split (training/splits.json) -> training/data
#   5. training (training/out), ONNX export with a parity check -> models/plate_reader.onnx
# Environment: SYNTHETIC (rendered plates, default 120000), STEPS (default 6000), CORRECTIONS (folders written
# by `microanpr training-export`, space-separated: a site's corrected crops added to the training set).
set -euo pipefail
cd "$(dirname "$0")/.."
DATASETS=${DATASETS:-../shared/datasets}
VENV=training/.venv
if ! "$VENV/bin/python" -c "import torch, onnx, onnxruntime, cv2, PIL" 2>/dev/null; then
  python3 -m venv "$VENV"
  echo "train: installing the pinned training requirements into $VENV" >&2
  "$VENV/bin/pip" install -q --require-hashes -r training/requirements.txt
fi
FONTS=(fonts-opendin fonts-bebas-neue fonts-roboto-unhinted fonts-routed-gothic fonts-liberation fonts-dejavu-core)
missing=(); for p in "${FONTS[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi
.build/release/microanpr formats --json > training/formats.json
"$VENV/bin/python" training/make_splits.py "$DATASETS" training/splits.json
git diff --quiet -- training/splits.json 2>/dev/null || echo "train: note: training/splits.json changed (different datasets?)" >&2
CORR=()
for d in ${CORRECTIONS:-}; do CORR+=("$d"); done
"$VENV/bin/python" training/build_data.py --formats training/formats.json --datasets "$DATASETS" --out training/data \
  --synthetic "${SYNTHETIC:-120000}" ${CORR[@]:+--corrections "${CORR[@]}"}
"$VENV/bin/python" training/train.py --data training/data --out training/out --steps "${STEPS:-6000}"
"$VENV/bin/python" training/export.py --checkpoint training/out/best.pt --data training/data --out models/plate_reader.onnx
echo "train: wrote models/plate_reader.onnx; run make setup && bash bench/run.sh to measure it" >&2
