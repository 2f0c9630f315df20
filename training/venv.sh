# Sourced by training/train.sh and training/site_reader.sh: the training venv with the pinned, hash-checked PyPI
# requirements (torch brings its CUDA wheels, ~3 GB, once) and the open fonts the plate renderer draws with (Debian;
# training only, see training/ASSETS.md). Sets VENV.
VENV=training/.venv
# onnx2torch is looked up, not imported: importing it needs torchvision, which training/ppocr_torch.py stubs out.
if ! "$VENV/bin/python" -c "import importlib.util as u, torch, onnx, onnxruntime, cv2, PIL; assert u.find_spec('onnx2torch')" 2>/dev/null; then
  python3 -m venv "$VENV"
  echo "training: installing the pinned training requirements into $VENV" >&2
  "$VENV/bin/pip" install -q --require-hashes -r training/requirements.txt
  "$VENV/bin/pip" install -q --require-hashes --no-deps -r training/requirements-nodeps.txt
fi
FONTS=(fonts-opendin fonts-bebas-neue fonts-roboto-unhinted fonts-routed-gothic fonts-liberation fonts-dejavu-core)
missing=(); for p in "${FONTS[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi
