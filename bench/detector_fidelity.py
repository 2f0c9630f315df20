"""How closely int8 detectors follow the fp32 one, on the validation photos of openalpr_endtoend (never report data;
no labels needed): the mean difference of the plate score (where either sees a plate) and of the box sides (in
stride units) at long sides 320, 384, 512 and 640, and the cells one sees strongly (> 0.5) where the other does not
(< 0.25). Used to choose the int8 calibration (docs/recognition.md). Run with setup's venv from the repository:

  .deps/venv/bin/python bench/detector_fidelity.py .deps/models/platedet_head_int8*.onnx
"""
import glob
import json
import os
import sys

import numpy as np
os.environ["ORT_DISABLE_TELEMETRY"] = "1"  # before onnxruntime loads: no usage telemetry to Microsoft
import onnxruntime as ort

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "scripts"))
from quantize_detector import letterbox  # noqa: E402  (the engine's letterbox, as the calibration sees it)

D = "../shared/datasets/openalpr_endtoend"
sp = json.load(open("training/splits.json"))["datasets"]["openalpr_endtoend"]["images"]
files = sorted(f for f in glob.glob(D + "/**/*.*", recursive=True) if sp.get(os.path.relpath(f, D)) == "validation")


def sess(p):
    o = ort.SessionOptions()
    o.intra_op_num_threads = 1
    return ort.InferenceSession(p, o, providers=["CPUExecutionProvider"])


ref = sess(".deps/models/platedet_head_fp32.onnx")
inputs = [letterbox(f, s) for f in files for s in (320, 384, 512, 640)]
refs = [ref.run(None, {"images": x}) for x in inputs]


def dfl(t):  # (64,H,W) -> expected distances (4,H,W)
    b = t.reshape(4, 16, *t.shape[1:]); e = np.exp(b - b.max(1, keepdims=True)); e /= e.sum(1, keepdims=True)
    return (e * np.arange(16)[None, :, None, None]).sum(1)
def sig(z):
    return 1 / (1 + np.exp(-np.clip(z, -60, 60)))
for p in sys.argv[1:]:
    s = sess(p); ds, db, miss, extra = [], [], 0, 0
    for x, r in zip(inputs, refs):
        q = s.run(None, {"images": x})
        for a, b in zip(r, q):
            ca, cb = sig(a[0, 64:].max(0)), sig(b[0, 64:].max(0))
            m = (ca > 0.1) | (cb > 0.1)
            if m.any():
                ds.append(np.abs(ca - cb)[m].mean()); db.append(np.abs(dfl(a[0, :64]) - dfl(b[0, :64]))[:, m].mean())
            miss += int(((ca > 0.5) & (cb < 0.25)).sum()); extra += int(((cb > 0.5) & (ca < 0.25)).sum())
    print(f"{os.path.basename(p)}: score diff {np.mean(ds):.4f}  box diff {np.mean(db):.4f} (stride units)  strong cells lost {miss}, added {extra}", flush=True)
