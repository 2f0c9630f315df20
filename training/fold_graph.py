"""Rewrites an exported reader's ONNX graph into an equivalent one that costs less on a CPU, without changing what it
computes (up to float rounding; checked on random inputs):

- a `Conv` followed only by `Mul` and `Add` with constant scalars or per-channel constants (PP-LCNetV3's learnable
  affine blocks) becomes one `Conv` with scaled weights and bias: W' = a * W, b' = a * b + c;
- `x * Clip(x + 3, 0, 6) / 6`, the hard-swish activation as PyTorch's exporter writes it in four elementwise
  operators, becomes one `HardSwish` (ONNX opset 14+).

PyTorch's export of the fine-tuned PP-OCRv4 recogniser spends about a third of its time in those elementwise
operators (ONNX Runtime profile: 86 Mul, 98 Add, 28 Div, 30 Clip).

  python training/fold_graph.py IN.onnx OUT.onnx

export.py runs it on every reader it exports. ONNX Runtime's basic optimisations (constant folding, removing
identities; standard ONNX operators only) run first so that constants are plain initializers.
"""
import os
import sys

import numpy as np
import onnx
from onnx import helper, numpy_helper

os.environ["ORT_DISABLE_TELEMETRY"] = "1"  # before onnxruntime loads: no usage telemetry to Microsoft
import onnxruntime as ort  # noqa: E402


def basic_optimised(path: str, out: str) -> onnx.ModelProto:
    so = ort.SessionOptions()
    so.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_BASIC
    so.optimized_model_filepath = out
    ort.InferenceSession(path, so, providers=["CPUExecutionProvider"])
    return onnx.load(out)


def per_channel(v: np.ndarray, channels: int) -> np.ndarray | None:
    """A constant as one value per channel: a scalar, or a (C, 1, 1) tensor broadcast over (C, H, W); else None."""
    if v.size == 1:
        return np.full(channels, v.reshape(-1)[0], dtype=np.float32)
    if v.size == channels and v.ndim >= 3 and v.shape[-3:] == (channels, 1, 1):
        return v.reshape(-1).astype(np.float32)
    return None


def fold(model: onnx.ModelProto) -> tuple[onnx.ModelProto, int, int]:
    g = model.graph
    inits = {i.name: i for i in g.initializer}
    outputs = {o.name for o in g.output}

    def consumers(name):
        return [n for n in g.node if name in n.input]

    def const(name):
        return numpy_helper.to_array(inits[name]) if name in inits else None

    def only_consumer(name, op):
        c = consumers(name)
        return c[0] if len(c) == 1 and c[0].op_type == op and name not in outputs else None

    def other_input(node, name):
        rest = [i for i in node.input if i != name]
        return rest[0] if len(rest) == 1 else None

    for k, n in enumerate(g.node):
        n.name = f"n{k}_{n.op_type}"  # unique names: nodes are removed by name below
    removed = set()
    folded = 0
    for conv in [n for n in g.node if n.op_type == "Conv"]:
        w = const(conv.input[1])
        if w is None:
            continue
        channels = w.shape[0]
        mul = only_consumer(conv.output[0], "Mul")
        add = mul and only_consumer(mul.output[0], "Add")
        if not add:
            continue
        a, c = const(other_input(mul, conv.output[0]) or ""), const(other_input(add, mul.output[0]) or "")
        if a is None or c is None:
            continue
        a, c = per_channel(a, channels), per_channel(c, channels)
        if a is None or c is None:
            continue
        b = const(conv.input[2]) if len(conv.input) > 2 and conv.input[2] else np.zeros(channels, np.float32)
        if b is None:
            continue
        name = conv.name or conv.output[0]
        wn, bn = f"{name}_folded_w", f"{name}_folded_b"
        g.initializer.append(numpy_helper.from_array((w * a.reshape(-1, *([1] * (w.ndim - 1)))).astype(np.float32), wn))
        g.initializer.append(numpy_helper.from_array((a * b + c).astype(np.float32), bn))
        inits[wn], inits[bn] = g.initializer[-2], g.initializer[-1]
        x = conv.input[0]
        del conv.input[:]
        conv.input.extend([x, wn, bn])
        conv.output[0] = add.output[0]
        removed.update([mul.name, add.name])
        folded += 1
    keep = [n for n in g.node if n.name not in removed]
    del g.node[:]
    g.node.extend(keep)

    # An affine block whose only reader is a pointwise convolution (1x1, no padding, one group) folds into it:
    # conv(a * x + c) = (W a) x + (b + W c). (Not into a padded one: its zero border is not transformed.)
    removed = set()
    for conv in [n for n in g.node if n.op_type == "Conv"]:
        w = const(conv.input[1])
        attrs = {a.name: helper.get_attribute_value(a) for a in conv.attribute}
        if w is None or w.shape[2:] != (1, 1) or attrs.get("group", 1) != 1 or any(attrs.get("pads", [0])):
            continue
        add = next((n for n in g.node if n.op_type == "Add" and conv.input[0] in n.output), None)
        if not add or len(consumers(add.output[0])) != 1:
            continue
        mul = next((n for n in g.node if n.op_type == "Mul" and n.output[0] in add.input), None)
        if not mul or len(consumers(mul.output[0])) != 1:
            continue
        c = const(other_input(add, mul.output[0]) or "")
        a_name = next((i for i in mul.input if const(i) is not None), None)
        if c is None or a_name is None:
            continue
        x = other_input(mul, a_name)
        a = const(a_name)
        a, c = per_channel(a, w.shape[1]), per_channel(c, w.shape[1])
        if a is None or c is None or x is None:
            continue
        b = const(conv.input[2]) if len(conv.input) > 2 and conv.input[2] else np.zeros(w.shape[0], np.float32)
        if b is None:
            continue
        wn, bn = f"{conv.name}_pre_w", f"{conv.name}_pre_b"
        g.initializer.append(numpy_helper.from_array((w * a.reshape(1, -1, 1, 1)).astype(np.float32), wn))
        g.initializer.append(numpy_helper.from_array((b + w[:, :, 0, 0] @ c).astype(np.float32), bn))
        inits[wn], inits[bn] = g.initializer[-2], g.initializer[-1]
        del conv.input[:]
        conv.input.extend([x, wn, bn])
        removed.update([mul.name, add.name])
        folded += 1
    keep = [n for n in g.node if n.name not in removed]
    del g.node[:]
    g.node.extend(keep)

    swishes = 0
    removed = set()
    for add in [n for n in g.node if n.op_type == "Add"]:
        three = next((const(i) for i in add.input if const(i) is not None), None)
        if three is None or three.size != 1 or float(three.reshape(-1)[0]) != 3.0:
            continue
        x = next(i for i in add.input if const(i) is None)
        clip = only_consumer(add.output[0], "Clip")
        if not clip or len(clip.input) < 3:
            continue
        lo, hi = const(clip.input[1]), const(clip.input[2])
        if lo is None or hi is None or float(lo) != 0.0 or float(hi) != 6.0:
            continue
        mul = only_consumer(clip.output[0], "Mul")
        if not mul or x not in mul.input:
            continue
        div = only_consumer(mul.output[0], "Div")
        if not div or div.input[0] != mul.output[0]:
            continue
        six = const(div.input[1])
        if six is None or six.size != 1 or float(six.reshape(-1)[0]) != 6.0:
            continue
        hs = helper.make_node("HardSwish", [x], [div.output[0]], name=f"{add.name}_hardswish")
        add.CopyFrom(hs)
        removed.update([clip.name, mul.name, div.name])
        swishes += 1
    keep = [n for n in g.node if n.name not in removed]
    del g.node[:]
    g.node.extend(keep)
    # Initializers no node reads any more (the unfolded weights) are dropped.
    used = {i for n in g.node for i in n.input}
    live = [i for i in g.initializer if i.name in used]
    del g.initializer[:]
    g.initializer.extend(live)
    return model, folded, swishes


def fold_file(src: str, dst: str) -> str:
    """Writes the folded graph of `src` to `dst` (they may be the same file) after checking that it computes the
    same probabilities on random inputs; returns a one-line report."""
    original = onnx.load(src)
    model = basic_optimised(src, dst + ".basic")
    os.remove(dst + ".basic")
    model, folded, swishes = fold(model)
    del model.metadata_props[:]
    model.metadata_props.extend(original.metadata_props)  # the alphabet (`character`) and any other metadata
    onnx.checker.check_model(model)
    tmp = dst + ".folded"
    onnx.save(model, tmp)
    a = ort.InferenceSession(src, providers=["CPUExecutionProvider"])
    b = ort.InferenceSession(tmp, providers=["CPUExecutionProvider"])
    name, shape = a.get_inputs()[0].name, a.get_inputs()[0].shape
    worst, tried = 0.0, 0
    rng = np.random.default_rng(0)
    for width in (160, 224, 320):  # the fine-tuned readers take only the width they were exported at (224)
        x = rng.uniform(-1, 1, (1, 3, shape[2] if isinstance(shape[2], int) else 48, width)).astype(np.float32)
        try:
            want = a.run(None, {name: x})[0]
        except Exception:
            continue
        worst = max(worst, float(np.abs(want - b.run(None, {name: x})[0]).max()))
        tried += 1
    if not tried or worst > 1e-3:
        os.remove(tmp)
        sys.exit(f"fold_graph: {tmp} computes something else (difference {worst:.2e}, widths tried {tried})")
    os.replace(tmp, dst)
    return (f"{src} -> {dst}: {folded} affine blocks folded into convolutions, {swishes} hard-swish chains made "
            f"single operators; max probability difference on random inputs {worst:.2e}")


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: fold_graph.py IN.onnx OUT.onnx")
    print(fold_file(sys.argv[1], sys.argv[2]), file=sys.stderr)


if __name__ == "__main__":
    main()
