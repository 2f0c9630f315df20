"""Averages the weights of plate readers fine-tuned from the same recogniser into one reader (a "model soup":
Wortsman et al., 2022, https://arxiv.org/abs/2203.05482). Readers fine-tuned from one starting point on different
data stay close in weight space, and their average often reads better than each of them, at the cost of one.

  python training/soup.py --out models/plate_reader_soup.onnx models/plate_reader.onnx models/plate_reader_b.onnx

The readers must be exported by training/export.py from the same base (same graph, same initializer names and
shapes, e.g. readers A and B: `make train`, `READER=b make train`); the graphs are folded the same way, so the
average of the folded weights is taken (fold_graph.py's rewrite is the same on each). Float weights are averaged
in float64 and stored as float32; the rest (shapes, indices) must be identical. The first reader's graph and
metadata (its alphabet) are kept. Deterministic: the same readers give the same bytes.
"""
import argparse
import sys

import numpy as np
import onnx
from onnx import numpy_helper


def soup(paths):
    models = [onnx.load(p) for p in paths]
    base = models[0]
    ops = [n.op_type for n in base.graph.node]
    for p, m in zip(paths[1:], models[1:]):
        if [n.op_type for n in m.graph.node] != ops:
            sys.exit(f"soup: {p} has another graph than {paths[0]}")
    weights = [{t.name: numpy_helper.to_array(t) for t in m.graph.initializer} for m in models]
    averaged = 0
    for t in base.graph.initializer:
        arrays = []
        for p, w in zip(paths, weights):
            if t.name not in w or w[t.name].shape != weights[0][t.name].shape:
                sys.exit(f"soup: {p} lacks {t.name} as {paths[0]} has it")
            arrays.append(w[t.name])
        if arrays[0].dtype.kind != "f":
            if any(not np.array_equal(a, arrays[0]) for a in arrays):
                sys.exit(f"soup: {t.name} ({arrays[0].dtype}) differs between readers")
            continue
        mean = np.mean(np.stack(arrays).astype(np.float64), axis=0).astype(arrays[0].dtype)
        t.CopyFrom(numpy_helper.from_array(mean, t.name))
        averaged += 1
    return base, averaged


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("readers", nargs="+")
    a = ap.parse_args()
    if len(a.readers) < 2:
        sys.exit("soup: give at least two readers")
    model, averaged = soup(a.readers)
    onnx.checker.check_model(model)
    onnx.save(model, a.out)
    print(f"soup: {a.out}: {averaged} weight tensors averaged over {len(a.readers)} readers", file=sys.stderr)


if __name__ == "__main__":
    main()
