"""Reads a validation set with an exported reader (ONNX Runtime, greedy CTC, no grammar) and prints exact reads per
group: real validation crops, rendered plates, and GB plates composed from the glyph tiles of validation photos.

  python training/evaluate.py --model models/plate_reader.onnx --data training/data48

Used to compare a new model with the shipped one on validation data only (never the report split).
"""
import argparse
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(__file__))
from teacher import probabilities, session  # noqa: E402
from train import greedy, group  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", default="models/plate_reader.onnx")
    ap.add_argument("--data", default="training/data48")
    ap.add_argument("--threads", type=int, default=2)
    a = ap.parse_args()
    va = np.load(os.path.join(a.data, "validation.npz"))
    sess = session(a.model, a.threads)
    hits: dict[str, list[int]] = {}
    for x, y, t in zip(va["x"], va["y"], va["tag"]):
        text = greedy(torch.from_numpy(probabilities(sess, x)[None]))[0]  # as train.py reads its checkpoints
        h = hits.setdefault(group(str(t)), [0, 0])
        h[0] += text == str(y)
        h[1] += 1
    for g, (ok, n) in sorted(hits.items()):
        print(f"{g}: {ok}/{n} ({100 * ok / n:.1f}%)")


if __name__ == "__main__":
    main()
