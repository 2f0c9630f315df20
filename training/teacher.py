"""Writes the shipped reader's per-step probabilities for every training crop (the teacher of distill.py).

  python training/teacher.py --model models/plate_reader.onnx --data training/data48

Output: DATA/teacher.npy, float16, N x T x 37 (T = WIDTH / 8), in the order of DATA/train.npz. Only the
training split is read: the validation crops stay what chooses the student's checkpoint.
"""
import argparse
import os
import sys
import time

import numpy as np
import onnxruntime as ort


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", default="models/plate_reader.onnx")
    ap.add_argument("--data", default="training/data48")
    ap.add_argument("--threads", type=int, default=2)
    a = ap.parse_args()
    x = np.load(os.path.join(a.data, "train.npz"))["x"]
    so = ort.SessionOptions()
    so.intra_op_num_threads = a.threads
    sess = ort.InferenceSession(a.model, so, providers=["CPUExecutionProvider"])
    out = None
    start = time.time()
    for i in range(len(x)):
        t = ((x[i].astype(np.float32) / 255.0 - 0.5) / 0.5)[None, None].repeat(3, axis=1)
        p = sess.run(None, {"x": t})[0][0]
        if out is None:
            out = np.zeros((len(x),) + p.shape, np.float16)
        out[i] = p
        if i % 2000 == 0:
            print(f"teacher {i}/{len(x)} ({100 * i // len(x)}%) {(time.time() - start) / 60:.1f} min", file=sys.stderr, flush=True)
    np.save(os.path.join(a.data, "teacher.npy"), out)
    print(f"wrote {a.data}/teacher.npy {out.shape}", file=sys.stderr)


if __name__ == "__main__":
    main()
