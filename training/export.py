"""Exports the trained reader to ONNX and checks parity with ONNX Runtime on 100 validation crops.

  python training/export.py --checkpoint training/out/best.pt --data training/data --out models/plate_reader.onnx

Input `x`: 1 x 3 x 32 x W (BGR or RGB, (pixel/255 - 0.5) / 0.5), W a multiple of 4 (the manifest pads to 160).
Output: 1 x W/4 x 37 probabilities; class 0 is the CTC blank, class k the k-th character of
0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ (also stored in the model's metadata under `character`).
"""
import argparse
import os
import sys

import numpy as np
import onnx
os.environ["ORT_DISABLE_TELEMETRY"] = "1"  # before onnxruntime loads: no usage telemetry to Microsoft
import onnxruntime as ort
import torch

sys.path.insert(0, os.path.dirname(__file__))
from plates import ALPHABET, HEIGHT, WIDTH  # noqa: E402
from fold_graph import fold_file  # noqa: E402
from train import Exported, check_size, greedy, make_model, to_tensor  # noqa: E402


def parity(ex, path, crops):
    """The largest difference between `ex` (PyTorch) and the ONNX file at `path` (ONNX Runtime) on `crops` (reader
    inputs, as the engine feeds them: 3 channels), and on how many of them the two read the same."""
    sess = ort.InferenceSession(path, providers=["CPUExecutionProvider"])
    worst, same = 0.0, 0
    for i in range(len(crops)):
        t = to_tensor(crops[i:i + 1]).repeat(1, 3, 1, 1)
        with torch.no_grad():
            ref = ex(t).numpy()
        got = sess.run(None, {"x": t.numpy()})[0]
        worst = max(worst, float(np.abs(ref - got).max()))
        same += greedy(torch.from_numpy(ref))[0] == greedy(torch.from_numpy(got))[0]
    return worst, same


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--checkpoint", default="training/out/best.pt")
    ap.add_argument("--data", default="training/data")
    ap.add_argument("--out", default="models/plate_reader.onnx")
    ap.add_argument("--base", help="the PP-OCR recogniser the checkpoint was fine-tuned from (as for train.py)")
    ap.add_argument("--arch", default="crnn", choices=["crnn", "small"], help="as for train.py")
    ap.add_argument("--narrow", type=int, default=0, choices=[0, 1, 2], help="as for train.py")
    a = ap.parse_args()
    crops = np.load(os.path.join(a.data, "validation.npz"))["x"]  # the size check's, then the parity check's
    check_size(crops, a.data)
    torch.manual_seed(0)
    m = make_model(a.base, a.arch, a.narrow)
    m.load_state_dict(torch.load(a.checkpoint))
    m.eval()
    ex = Exported(m).eval()
    dummy = torch.zeros(1, 3, HEIGHT, WIDTH)
    tmp = a.out + ".tmp"
    torch.onnx.export(ex, dummy, tmp, input_names=["x"], output_names=["probabilities"], opset_version=17,
                      dynamic_axes={"x": {3: "width"}, "probabilities": {1: "steps"}}, dynamo=False)
    model = onnx.load(tmp)
    onnx.checker.check_model(model)
    meta = model.metadata_props.add()
    meta.key, meta.value = "character", "\n".join(ALPHABET)
    meta = model.metadata_props.add()
    meta.key, meta.value = "producer", "MicroANPR training/train.py (see models/plate_reader.md)"
    onnx.save(model, a.out)
    os.remove(tmp)
    # The same function in fewer operators (affine blocks folded into convolutions, one HardSwish per activation):
    # about a fifth faster on a CPU. The parity check below is made on the folded model, the one shipped.
    print(fold_file(a.out, a.out))
    # Parity: ONNX Runtime against PyTorch on 100 validation crops (as 3-channel input, as the engine feeds it).
    x = crops[:100]
    worst, same = parity(ex, a.out, x)
    print(f"parity on {len(x)} crops: max |torch - onnxruntime| = {worst:.2e}, same reading {same}/{len(x)}")
    if worst > 1e-3 or same != len(x):
        sys.exit("parity check failed")
    print(f"wrote {a.out} ({os.path.getsize(a.out) / 1e6:.2f} MB)")


if __name__ == "__main__":
    main()
