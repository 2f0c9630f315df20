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
os.environ["ORT_DISABLE_TELEMETRY"] = "1"  # before onnxruntime loads: no usage telemetry to Microsoft
import onnxruntime as ort


def session(model: str, threads: int) -> ort.InferenceSession:
    """An ONNX Runtime session of an exported reader on `threads` CPU threads."""
    so = ort.SessionOptions()
    so.intra_op_num_threads = threads
    return ort.InferenceSession(model, so, providers=["CPUExecutionProvider"])


def reader_input(crop: np.ndarray) -> np.ndarray:
    """One grey crop as the engine feeds a reader: 1 x 3 x H x W, three equal channels, (pixel / 255 - 0.5) / 0.5."""
    return ((crop.astype(np.float32) / 255.0 - 0.5) / 0.5)[None, None].repeat(3, axis=1)


def probabilities(sess: ort.InferenceSession, crop: np.ndarray) -> np.ndarray:
    """The reader's per-step probabilities (steps x classes) for one grey reader input, fed as the engine feeds it."""
    return sess.run(None, {"x": reader_input(crop)})[0][0]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", default="models/plate_reader.onnx")
    ap.add_argument("--data", default="training/data48")
    ap.add_argument("--threads", type=int, default=2)
    a = ap.parse_args()
    x = np.load(os.path.join(a.data, "train.npz"))["x"]
    sess = session(a.model, a.threads)
    out = None
    start = time.time()
    for i in range(len(x)):
        p = probabilities(sess, x[i])
        if out is None:
            out = np.zeros((len(x),) + p.shape, np.float16)
        out[i] = p
        if i % 2000 == 0:
            print(f"teacher {i}/{len(x)} ({100 * i // len(x)}%) {(time.time() - start) / 60:.1f} min", file=sys.stderr, flush=True)
    np.save(os.path.join(a.data, "teacher.npy"), out)
    print(f"wrote {a.data}/teacher.npy {out.shape}", file=sys.stderr)


if __name__ == "__main__":
    main()
