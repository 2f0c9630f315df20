"""Setup-time model preparation (not used at run time).

Cuts a PP-OCR recogniser's classifier to the classes a plate can hold: the CTC blank and the single ASCII letters
and digits of its alphabet (63 of PP-OCRv6-small's 18,710). MicroANPR's reader keeps only those classes anyway and
divides their probabilities by their sum at each step (PlateReader.read), and a softmax over a subset of the logits
is exactly the full softmax divided that way, so the cut model gives the same readings. It skips the other 18,647
columns of the last matrix product and of the softmax, and a 3 MB output per run (docs/recognition.md, session 35).

    python3 prepare_reader.py SRC.onnx DST.onnx

Checks on random inputs that the cut model's output equals the full model's renormalised output and exits 1 if not.
"""
import sys

import numpy as np
import onnx
import onnxruntime as ort
from onnx import numpy_helper


def plate_character(entry: str) -> bool:
    """A class MicroANPR's reader keeps (Symbol.index in Sources/Plates/Symbol.swift: ASCII 0-9, A-Z, a-z)."""
    return len(entry) == 1 and entry.isascii() and entry.isalnum()


def cut(src: str, dst: str) -> list[int]:
    m = onnx.load(src)
    meta = {p.key: p.value for p in m.metadata_props}
    if "character" not in meta:
        sys.exit(f"prepare_reader: {src} has no 'character' metadata (its alphabet)")
    entries = meta["character"].split("\n")
    keep = [0] + [i + 1 for i, e in enumerate(entries) if plate_character(e)]  # class 0 is the CTC blank
    inits = {i.name: i for i in m.graph.initializer}
    made_by = {o: n for n in m.graph.node for o in n.output}
    # The graph ends MatMul(x, W) -> Add(b) -> [Identity] -> Softmax; W's and b's columns are the classes.
    softmax = made_by[m.graph.output[0].name]
    if softmax.op_type != "Softmax":
        sys.exit(f"prepare_reader: {src} does not end with a Softmax ({softmax.op_type})")
    node = made_by[softmax.input[0]]
    while node.op_type == "Identity":
        node = made_by[node.input[0]]
    add = node
    matmul = made_by[next(x for x in add.input if x not in inits)] if add.op_type == "Add" else None
    if matmul is None or matmul.op_type != "MatMul":
        sys.exit(f"prepare_reader: {src} does not end with MatMul -> Add -> Softmax")
    w_name = next(x for x in matmul.input if x in inits)
    b_name = next(x for x in add.input if x in inits)
    w, b = numpy_helper.to_array(inits[w_name]), numpy_helper.to_array(inits[b_name])
    inits[w_name].CopyFrom(numpy_helper.from_array(np.ascontiguousarray(w[:, keep]), w_name))
    inits[b_name].CopyFrom(numpy_helper.from_array(np.ascontiguousarray(b[keep]), b_name))
    for p in m.metadata_props:
        if p.key == "character":
            p.value = "\n".join(entries[c - 1] for c in keep[1:])
    for out in m.graph.output:  # the class count is no longer the original one
        dims = out.type.tensor_type.shape.dim
        if len(dims) == 3:
            dims[2].ClearField("dim_value")
            dims[2].dim_param = "classes"
    del m.graph.value_info[:]
    onnx.save(m, dst)
    return keep


def check(src: str, dst: str, keep: list[int]) -> float:
    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    full = ort.InferenceSession(src, options, providers=["CPUExecutionProvider"])
    small = ort.InferenceSession(dst, options, providers=["CPUExecutionProvider"])
    name = full.get_inputs()[0].name
    rng = np.random.default_rng(1)
    worst = 0.0
    for width in (160, 320):
        x = (rng.random((1, 3, 48, width), dtype=np.float32) * 2 - 1).astype(np.float32)
        p = full.run(None, {name: x})[0][0][:, keep]
        p = p / p.sum(axis=1, keepdims=True)
        q = small.run(None, {name: x})[0][0]
        worst = max(worst, float(np.abs(p - q).max()))
    return worst


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: prepare_reader.py SRC.onnx DST.onnx")
    kept = cut(sys.argv[1], sys.argv[2])
    difference = check(sys.argv[1], sys.argv[2], kept)
    if difference > 1e-4:
        sys.exit(f"prepare_reader: the cut model differs from the full one by {difference} (limit 1e-4)")
    print(f"prepare_reader: {len(kept)} classes kept; largest difference from the full model {difference:.1e}")
