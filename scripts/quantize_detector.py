"""Setup-time int8 quantisation of the detector (not used at run time).

Static QDQ quantisation (per-channel int8 weights, uint8 activations) with ONNX Runtime's own tools. The
activation ranges are calibrated on real photos: with a splits file (training/splits.json, setup's default), the
images of the folder's training split only (94 for openalpr_endtoend; a folder the splits file does not name: all its
images; at most 128), else every 8th image of the folder (searched recursively; at most 24), letterboxed exactly as
the engine does (long side 320, padded to a multiple of 32 with grey). Chosen on validation data (docs/recognition.md):
fidelity to the fp32 detector on the validation photos, then the passes of the development videos.
On AVX-512 VNNI CPUs this runs the detector about 2.4x faster at equal recall (see the README).
With MICROANPR_INT8_WEIGHT_BITS=7 the weights are quantised to 7 bits (`reduce_range`): CPUs without VNNI (AVX2
only, e.g. the AMD EPYC of 2026-12-03) multiply uint8 activations by int8 weights in pairs summed into int16, which
saturates with full-range weights; on such a CPU the 8-bit model lost 6 of the fp32 detector's strong cells on the
validation photos and added 3, the 7-bit one none (docs/benchmarks.md, session 18). Setup chooses 8 bits where
/proc/cpuinfo shows VNNI and 7 elsewhere, and passes its choice in this variable (session 19).
"""
import glob
import os
import sys

import numpy as np
from PIL import Image, ImageOps
os.environ["ORT_DISABLE_TELEMETRY"] = "1"  # before onnxruntime loads: no usage telemetry to Microsoft
from onnxruntime.quantization import CalibrationDataReader, QuantFormat, QuantType, quantize_static
from onnxruntime.quantization.shape_inference import quant_pre_process

LONG_SIDE, STRIDE = 320, 32


def letterbox(path, side=LONG_SIDE):
    """An image as the engine gives it to the detector: long side `side`, padded to a multiple of 32 with grey."""
    img = ImageOps.exif_transpose(Image.open(path)).convert("RGB")
    w, h = img.size
    r = side / max(w, h)
    nw, nh = max(1, round(w * r)), max(1, round(h * r))
    canvas = np.full(((nh + STRIDE - 1) // STRIDE * STRIDE, (nw + STRIDE - 1) // STRIDE * STRIDE, 3), 114, np.uint8)
    canvas[:nh, :nw] = np.asarray(img.resize((nw, nh), Image.BILINEAR))
    return canvas.transpose(2, 0, 1)[None].astype(np.float32) / 255.0


class Reader(CalibrationDataReader):
    def __init__(self, files):
        self.items = iter([{"images": letterbox(f)} for f in files])

    def get_next(self):
        return next(self.items, None)


def main():
    src, dst, folder = sys.argv[1], sys.argv[2], sys.argv[3]
    splits = sys.argv[4] if len(sys.argv) > 4 else None
    files = sorted(f for ext in ("jpg", "jpeg", "png") for f in glob.glob(os.path.join(folder, "**", "*." + ext), recursive=True))
    if splits and os.path.exists(splits):
        # Calibrate only on images of the training split: reported figures must come from images that chose nothing.
        import json
        with open(splits) as fh:
            table = json.load(fh)["datasets"].get(os.path.basename(os.path.normpath(folder)))
        if table is not None:
            files = [f for f in files if table["images"].get(os.path.relpath(f, folder), table.get("default") or "report") == "train"]
        files = files[:128]
    else:
        files = files[::8][:24]
    if len(files) < 8:
        sys.exit(f"quantize_detector: need at least 8 calibration images under {folder}, found {len(files)}")
    pre = dst + ".pre.onnx"
    quant_pre_process(src, pre, skip_symbolic_shape=True)
    quantize_static(pre, dst, Reader(files), quant_format=QuantFormat.QDQ, per_channel=True,
                    activation_type=QuantType.QUInt8, weight_type=QuantType.QInt8, reduce_range=os.environ.get("MICROANPR_INT8_WEIGHT_BITS", "8") == "7")
    os.remove(pre)


if __name__ == "__main__":
    main()
