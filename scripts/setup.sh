#!/usr/bin/env bash
# Installs what MicroANPR needs on Debian 12 and fetches the ONNX Runtime library, its C header and the model
# weights into .deps/ (git-ignored). Idempotent: a step whose result is already present and verified is skipped.
# Every download is pinned by version and checked by sha256.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DEPS="$ROOT/.deps"
mkdir -p "$DEPS/wheels" "$DEPS/lib" "$DEPS/include" "$DEPS/models"

die() { echo "setup: $*" >&2; exit 1; }
step() { echo "setup: $*" >&2; }

# --- the int8 detector's weights: 8 bits where the CPU has VNNI, 7 elsewhere ---------------------------------
# VNNI (vpdpbusd) sums uint8 x int8 products into int32; AVX2 without it sums pairs into int16 (vpmaddubsw), which
# saturates with full-range weights, so there the weights take 7 bits (docs/recognition.md). Checked first: a bad
# MICROANPR_INT8_WEIGHT_BITS stops setup before it installs anything.
if [ -n "${MICROANPR_INT8_WEIGHT_BITS:-}" ]; then WEIGHT_BITS=$MICROANPR_INT8_WEIGHT_BITS
elif grep -qwE 'avx512_vnni|avx_vnni' /proc/cpuinfo 2>/dev/null; then WEIGHT_BITS=8
else WEIGHT_BITS=7; fi
case "$WEIGHT_BITS" in 7|8) ;; *) die "MICROANPR_INT8_WEIGHT_BITS must be 7 or 8, not '$WEIGHT_BITS'" ;; esac

# --- pinned artefacts --------------------------------------------------------------------------------------
ORT_VERSION=1.31.1
ORT_WHEEL="onnxruntime-${ORT_VERSION}-cp311-cp311-manylinux_2_28_x86_64.whl"
ORT_SHA=5752bd508126ae7c49894d3b9d2e83f0c3d487319246d04c444b393308d7ad7f
RAPIDOCR_VERSION=1.4.4
RAPIDOCR_WHEEL="rapidocr_onnxruntime-${RAPIDOCR_VERSION}-py3-none-any.whl"
RAPIDOCR_SHA=971d7d5f223a7a808662229df1ef69893809d8457d834e6373d3854bc1782cbf
RAPIDOCR6_VERSION=3.10.0
RAPIDOCR6_WHEEL="rapidocr-${RAPIDOCR6_VERSION}-py3-none-any.whl"
RAPIDOCR6_SHA=2fc34e26cd0f48514804a94f8832283039c7334076bff60768b1fed9ad068050
PLATEDET_VERSION=0.0.2
PLATEDET_WHEEL="platedet-${PLATEDET_VERSION}-py3-none-any.whl"
PLATEDET_SHA=c39c602c4824809fa2e2f6c213f1fb1211b966bc99776c16c41d80caadf80d4f
# The video detector: fastanpr's YOLOv8n plate detector (an Ultralytics checkpoint; converted below without PyTorch).
FASTANPR_VERSION=0.1.13
FASTANPR_WHEEL="fastanpr-${FASTANPR_VERSION}-py3-none-any.whl"
FASTANPR_SHA=e50469264d81e65106a359d84736608dc994dfadd43f3065ac9be03c228c722a
HEADER_PKG=libonnxruntime-dev
HEADER_SUITE=trixie
HEADER_VERSION=1.21.0+dfsg-1
HEADER_DEB_SHA=14f7d959d5deacbcf1504830d4189f91fc67382b399ed9ae9d3aa9c4050ced08
HEADER_SHA=7783e9664bdb0b1b36145b5c8587dd1bc9a399aa000edf2e3dd03003cafc6882

# --- Debian packages ---------------------------------------------------------------------------------------
APT_PKGS=(libopencv-imgcodecs-dev libopencv-imgproc-dev libavformat-dev libavcodec-dev libswscale-dev pkg-config unzip python3-venv)
missing=()
for p in "${APT_PKGS[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  [ "$(id -u)" = 0 ] || die "need root to install Debian packages: ${missing[*]}"
  step "installing Debian packages: ${missing[*]}"
  apt-get update -qq || die "apt-get update failed"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null || die "apt-get install failed: ${missing[*]}"
fi
command -v swift >/dev/null || [ -x /opt/swift/usr/bin/swift ] || die "Swift 6 toolchain not found (expected on PATH or at /opt/swift)"

# --- wheels from PyPI --------------------------------------------------------------------------------------
PY=python3
command -v $PY >/dev/null || die "python3 is needed at setup time (pip downloads wheels)"
fetch_wheel() { # name==version file sha [extra pip args]
  local spec=$1 file=$2 sha=$3; shift 3
  local path="$DEPS/wheels/$file"
  if [ -f "$path" ] && echo "$sha  $path" | sha256sum -c --status; then return 0; fi
  step "downloading $spec from PyPI"
  rm -f "$path"
  $PY -m pip download -q --no-deps --only-binary=:all: -d "$DEPS/wheels" "$@" "$spec" >/dev/null 2>&1 \
    || die "pip download of $spec failed"
  [ -f "$path" ] || die "pip download of $spec did not produce $file"
  echo "$sha  $path" | sha256sum -c --status || { rm -f "$path"; die "sha256 mismatch for $file"; }
}
fetch_wheel "onnxruntime==$ORT_VERSION" "$ORT_WHEEL" "$ORT_SHA" --python-version 3.11 --platform manylinux_2_28_x86_64
fetch_wheel "rapidocr-onnxruntime==$RAPIDOCR_VERSION" "$RAPIDOCR_WHEEL" "$RAPIDOCR_SHA"
fetch_wheel "rapidocr==$RAPIDOCR6_VERSION" "$RAPIDOCR6_WHEEL" "$RAPIDOCR6_SHA"
fetch_wheel "platedet==$PLATEDET_VERSION" "$PLATEDET_WHEEL" "$PLATEDET_SHA"
fetch_wheel "fastanpr==$FASTANPR_VERSION" "$FASTANPR_WHEEL" "$FASTANPR_SHA"

extract() { # wheel member dest
  local wheel=$1 member=$2 dest=$3
  if [ ! -f "$dest" ]; then
    unzip -p "$DEPS/wheels/$wheel" "$member" > "$dest.tmp" || die "cannot extract $member from $wheel"
    mv "$dest.tmp" "$dest"
  fi
}
extract "$ORT_WHEEL" "onnxruntime/capi/libonnxruntime.so.$ORT_VERSION" "$DEPS/lib/libonnxruntime.so.$ORT_VERSION"
ln -sf "libonnxruntime.so.$ORT_VERSION" "$DEPS/lib/libonnxruntime.so.1"
ln -sf "libonnxruntime.so.1" "$DEPS/lib/libonnxruntime.so"
extract "$RAPIDOCR_WHEEL" "rapidocr_onnxruntime/models/ch_PP-OCRv4_rec_infer.onnx" "$DEPS/models/ppocrv4_rec.onnx"
extract "$RAPIDOCR_WHEEL" "rapidocr_onnxruntime/models/ch_PP-OCRv4_det_infer.onnx" "$DEPS/models/ppocrv4_det.onnx"
extract "$RAPIDOCR6_WHEEL" "rapidocr/models/PP-OCRv6_rec_small.onnx" "$DEPS/models/ppocrv6_rec_small.onnx"
extract "$PLATEDET_WHEEL" "platedet/artifacts/platedet.onnx" "$DEPS/models/platedet_fp16.onnx"
extract "$FASTANPR_WHEEL" "fastanpr/best.pt" "$DEPS/models/fastanpr_yolov8n.pt"

# --- ONNX Runtime C header (Debian trixie's libonnxruntime-dev; only the header is used) --------------------
HDR="$DEPS/include/onnxruntime_c_api.h"
if [ ! -f "$HDR" ]; then
  step "fetching the ONNX Runtime C header from Debian $HEADER_SUITE ($HEADER_PKG)"
  MIRROR=$(grep -hoE '^(URIs:|deb) +[a-z]+://[^ ]+' /etc/apt/sources.list /etc/apt/sources.list.d/*.sources 2>/dev/null \
           | awk '{print $2}' | grep -v security | grep -i debian | head -n1 || true)
  [ -n "$MIRROR" ] || die "cannot find a Debian mirror in /etc/apt sources"
  APTDIR="$DEPS/apt-$HEADER_SUITE"
  mkdir -p "$APTDIR/lists/partial" "$APTDIR/cache/archives/partial" "$APTDIR/etc"
  echo "deb [trusted=yes] $MIRROR $HEADER_SUITE main" > "$APTDIR/etc/sources.list"
  APTOPTS=(-o Dir::Etc::SourceList="$APTDIR/etc/sources.list" -o Dir::Etc::SourceParts=/dev/null
           -o Dir::State::Lists="$APTDIR/lists" -o Dir::Cache="$APTDIR/cache" -o APT::Get::List-Cleanup=0
           -o Dir::State::status=/dev/null -o Debug::NoLocking=1)
  apt-get "${APTOPTS[@]}" update -qq >/dev/null 2>&1 || die "apt-get update for $HEADER_SUITE failed"
  (cd "$APTDIR" && apt-get "${APTOPTS[@]}" download "$HEADER_PKG=$HEADER_VERSION" >/dev/null 2>&1) \
    || die "apt-get download $HEADER_PKG=$HEADER_VERSION failed"
  DEB=$(ls "$APTDIR"/${HEADER_PKG}_*.deb | head -n1)
  echo "$HEADER_DEB_SHA  $DEB" | sha256sum -c --status || { rm -f "$DEB"; die "sha256 mismatch for $DEB"; }
  rm -rf "$APTDIR/x" && dpkg-deb -x "$DEB" "$APTDIR/x" || die "cannot unpack $DEB"
  cp "$APTDIR/x/usr/include/onnxruntime/"*.h "$DEPS/include/" || die "$HEADER_PKG has no onnxruntime headers"
  rm -rf "$APTDIR"
fi
echo "$HEADER_SHA  $HDR" | sha256sum -c --status || { rm -f "$HDR"; die "sha256 mismatch for $HDR (run make setup again)"; }

# --- models: detector fp16 -> fp32 cut to its raw head, then int8 --------------------------------------------
# The engine loads platedet_head.onnx: a link to the int8 model when calibration images were available
# (MICROANPR_CALIBRATION, default ../shared/datasets/openalpr_endtoend, of which only the training split of
# MICROANPR_CALIBRATION_SPLITS, default training/splits.json, is used: no reported image chooses anything; see
# docs/recognition.md), else to the fp32 model.
VENV="$DEPS/venv"
venv_ready() {
  [ -x "$VENV/bin/python" ] || $PY -m venv "$VENV" || die "cannot create a Python venv for model conversion"
  "$VENV/bin/python" -c "import onnx, onnxruntime, PIL" 2>/dev/null && return 0
  step "installing model-conversion tools into $VENV (setup time only)"
  "$VENV/bin/pip" install -q "$DEPS/wheels/$ORT_WHEEL" "onnx==1.23.2" "numpy==2.4.6" "pillow==13.0.0" >/dev/null 2>&1 \
    || die "pip install of onnx/onnxruntime/numpy/pillow into the setup venv failed"
}
CALIB="${MICROANPR_CALIBRATION:-$ROOT/../shared/datasets/openalpr_endtoend}"
# detector_model WHAT NAME CONVERTER SOURCE: SOURCE converted by scripts/CONVERTER to NAME_fp32.onnx (fp32, raw head,
# dynamic input size), quantised to int8 on the calibration images, and NAME.onnx linked to the int8 model (to the fp32
# one without calibration images). The int8 file is named after its calibration and weight range (WEIGHT_BITS, chosen
# at the top): installs quantised otherwise before are redone once, and moving .deps to a CPU of the other kind makes
# the other file on the next setup.
# int8_model NAME BITS: the int8 file of NAME with BITS-bit weights.
int8_model() {
  case "$2" in
    8) echo "$DEPS/models/${1}_int8_trainsplit.onnx" ;;
    7) echo "$DEPS/models/${1}_int8w7_trainsplit.onnx" ;;
  esac
}
# quantise WHAT NAME BITS: NAME_fp32.onnx quantised to int8 on the calibration images with BITS-bit weights, once.
quantise() {
  local what=$1 fp32="$DEPS/models/${2}_fp32.onnx" int8
  int8=$(int8_model "$2" "$3")
  [ -f "$int8" ] && return 0
  step "quantising the $what to int8, $3-bit weights (calibration images: $CALIB)"
  venv_ready
  MICROANPR_INT8_WEIGHT_BITS=$3 "$VENV/bin/python" "$ROOT/scripts/quantize_detector.py" "$fp32" "$int8.tmp" "$CALIB" "${MICROANPR_CALIBRATION_SPLITS:-$ROOT/training/splits.json}" >/dev/null 2>&1 \
    || die "$what quantisation ($3-bit weights) failed"
  mv "$int8.tmp" "$int8"
}
detector_model() {
  local what=$1 name=$2 converter=$3 source=$4
  local fp32="$DEPS/models/${name}_fp32.onnx" int8
  int8=$(int8_model "$name" "$WEIGHT_BITS")
  if [ ! -f "$fp32" ]; then
    step "preparing the $what (fp32, dynamic input size)"
    venv_ready
    "$VENV/bin/python" "$ROOT/scripts/$converter" "$source" "$fp32.tmp" || die "$what conversion failed"
    mv "$fp32.tmp" "$fp32"
  fi
  if [ -d "$CALIB" ]; then quantise "$what" "$name" "$WEIGHT_BITS"; fi
  if [ -f "$int8" ]; then ln -sfn "$(basename "$int8")" "$DEPS/models/$name.onnx"
  else
    step "no calibration images at $CALIB: using the fp32 $what (slower)"
    ln -sfn "$(basename "$fp32")" "$DEPS/models/$name.onnx"
  fi
}
detector_model "plate detector" platedet_head prepare_detector.py "$DEPS/models/platedet_fp16.onnx"
# --- models: the video detector (YOLOv8n) -> fp32 ONNX with the same raw head, then int8 like the still detector ----
# The engine loads platedet_quick.onnx for video and camera frames (`quick_detector` in the manifest): about a third
# of the still detector's cost per frame (docs/video.md).
detector_model "video detector" platedet_quick prepare_quick_detector.py "$DEPS/models/fastanpr_yolov8n.pt"
# --- models: the still detector's 8-bit weights as a CPU with VNNI computes them, for the tests (CPUs without VNNI) --
# A few end-to-end tests expect the boxes of the 8-bit detector that CPUs with VNNI get. Elsewhere they run against an
# exact emulation of it (scripts/exact_int8.py: what VNNI's exact int8 sums compute, in float; docs/video.md, "On a
# CPU with VNNI"), made once here. The engine never loads it.
if [ "$WEIGHT_BITS" = 7 ] && [ -d "$CALIB" ] && [ ! -f "$DEPS/models/platedet_head_int8_exact.onnx" ]; then
  quantise "plate detector" platedet_head 8
  step "emulating the 8-bit plate detector for the tests (this CPU has no VNNI)"
  venv_ready
  "$VENV/bin/python" "$ROOT/scripts/exact_int8.py" "$(int8_model platedet_head 8)" "$DEPS/models/platedet_head_int8_exact.onnx.tmp" || die "8-bit detector emulation failed"
  mv "$DEPS/models/platedet_head_int8_exact.onnx.tmp" "$DEPS/models/platedet_head_int8_exact.onnx"
fi
# --- models: PP-OCRv6-small's classifier cut to the blank, letters and digits (same readings, ~3 ms less a run) --
V6PLATE="$DEPS/models/ppocrv6_rec_small_plate.onnx"
# (Made again whenever the whole model is newer than the cut one, e.g. after it was replaced.)
if [ ! -f "$V6PLATE" ] || [ "$DEPS/models/ppocrv6_rec_small.onnx" -nt "$V6PLATE" ]; then
  step "cutting PP-OCRv6-small's classifier to plate characters"
  venv_ready
  "$VENV/bin/python" "$ROOT/scripts/prepare_reader.py" "$DEPS/models/ppocrv6_rec_small.onnx" "$V6PLATE.tmp" >&2 || die "reader preparation failed"
  mv "$V6PLATE.tmp" "$V6PLATE"
fi
cp "$ROOT/models/manifest.json" "$DEPS/models/manifest.json"
# The plate reader this project trains (training/, `make train`) is committed: copied, never trained here.
for f in "$ROOT"/models/*.onnx "$ROOT"/models/manifest-*.json; do [ -f "$f" ] && cp "$f" "$DEPS/models/"; done
step "ready: $DEPS"
