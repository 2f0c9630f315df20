"""Writes a copy of a QDQ int8 model whose weights are dequantised to float, so that ONNX Runtime computes on any CPU
what a CPU with exact int8 arithmetic (AVX-512 VNNI, AVX-VNNI) computes with the int8 model itself.

Why: on a CPU with AVX2 only, ONNX Runtime's int8 convolutions add pairs of products in 16 bits (VPMADDUBSW), which
saturate with 8-bit weights, so `make setup` gives such CPUs 7-bit weights (exact there). What a VNNI CPU gets from
the 8-bit model cannot be run on such a CPU as is; this model can. Activations keep their QuantizeLinear /
DequantizeLinear pairs (the same uint8 rounding as the int8 model), the weights are the int8 values times their scales,
and each convolution sums in float (exact to float rounding, as VNNI sums exactly in 32 bits).

    python3 scripts/exact_int8.py INT8_QDQ.onnx OUT.onnx [--check IMAGE]

--check runs INT8_QDQ.onnx with every graph optimisation off (each DequantizeLinear and Conv on its own, in float)
and OUT.onnx with every optimisation on (as MicroANPR loads models) on IMAGE at 320 pixels, and prints the largest
difference of their outputs.
"""
import argparse
import sys

import numpy as np
import onnx
from onnx import numpy_helper


def dequantised(model: onnx.ModelProto) -> onnx.ModelProto:
    g = model.graph
    inits = {i.name: i for i in g.initializer}
    nodes, weights, n = [], 0, 0

    def const(name: str, value) -> str:
        g.initializer.append(numpy_helper.from_array(np.asarray(value, np.float32), name))
        return name

    for node in g.node:
        n += 1
        if node.op_type == "DequantizeLinear" and node.input[0] in inits:
            # A weight: its int8 values times its scales, a float constant.
            q = numpy_helper.to_array(inits[node.input[0]]).astype(np.float64)
            scale = numpy_helper.to_array(inits[node.input[1]]).astype(np.float64)
            zero = numpy_helper.to_array(inits[node.input[2]]).astype(np.float64) if len(node.input) > 2 and node.input[2] else 0
            axis = next((a.i for a in node.attribute if a.name == "axis"), 1)
            if np.ndim(scale) == 1 and q.ndim > 1:
                shape = [1] * q.ndim
                shape[axis] = -1
                scale, zero = scale.reshape(shape), (zero.reshape(shape) if np.ndim(zero) else zero)
            g.initializer.append(numpy_helper.from_array(((q - zero) * scale).astype(np.float32), node.output[0]))
            weights += 1
        elif node.op_type in ("QuantizeLinear", "DequantizeLinear"):
            # An activation's quantisation written as plain arithmetic (ONNX Round rounds half to even, as
            # QuantizeLinear does), which graph optimisations cannot fuse into int8 kernels: the output stays the
            # quantised value, held in float.
            zp = inits.get(node.input[2]) if len(node.input) > 2 else None
            zero = numpy_helper.to_array(zp).astype(np.float32) if zp is not None else np.float32(0)
            lo, hi = (0, 255) if zp is None or zp.data_type == onnx.TensorProto.UINT8 else (-128, 127)
            x, s, out, k = node.input[0], node.input[1], node.output[0], f"_exact{n}"
            z = const(k + "_zero", zero)
            if node.op_type == "QuantizeLinear":
                nodes += [
                    onnx.helper.make_node("Div", [x, s], [k + "_d"]),
                    onnx.helper.make_node("Round", [k + "_d"], [k + "_r"]),
                    onnx.helper.make_node("Add", [k + "_r", z], [k + "_a"]),
                    onnx.helper.make_node("Clip", [k + "_a", const(k + "_lo", lo), const(k + "_hi", hi)], [out]),
                ]
            else:
                nodes += [onnx.helper.make_node("Sub", [x, z], [k + "_s"]), onnx.helper.make_node("Mul", [k + "_s", s], [out])]
        else:
            nodes.append(node)
    if weights == 0:
        sys.exit("exact_int8: no DequantizeLinear of an initializer: not a QDQ model")
    del g.node[:]
    g.node.extend(nodes)
    used = {i for nd in g.node for i in nd.input}
    kept = [i for i in g.initializer if i.name in used]
    del g.initializer[:]
    g.initializer.extend(kept)
    # Quantised tensors are float now: drop their recorded (uint8) types.
    del g.value_info[:]
    return model


def check(original: str, emulated: str, image: str) -> None:
    import cv2
    import onnxruntime as ort

    im = cv2.imread(image)
    if im is None:
        sys.exit(f"exact_int8: cannot read {image}")
    h0, w0 = im.shape[:2]
    s = 320 / max(h0, w0)
    w, h = round(w0 * s), round(h0 * s)
    canvas = np.full(((h + 31) // 32 * 32, (w + 31) // 32 * 32, 3), 114, np.uint8)
    canvas[:h, :w] = cv2.resize(im, (w, h), interpolation=cv2.INTER_AREA)
    x = canvas[:, :, ::-1].transpose(2, 0, 1)[None].astype(np.float32) / 255

    def run(path: str, level) -> list:
        o = ort.SessionOptions()
        o.graph_optimization_level = level
        o.intra_op_num_threads = 1
        s = ort.InferenceSession(path, o)
        return s.run(None, {s.get_inputs()[0].name: x})

    a = run(original, ort.GraphOptimizationLevel.ORT_DISABLE_ALL)
    b = run(emulated, ort.GraphOptimizationLevel.ORT_ENABLE_ALL)
    print("largest difference of the outputs:", max(float(np.abs(p - q).max()) for p, q in zip(a, b)))


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("src")
    p.add_argument("dst")
    p.add_argument("--check", metavar="IMAGE")
    a = p.parse_args()
    onnx.save(dequantised(onnx.load(a.src)), a.dst)
    if a.check:
        check(a.src, a.dst, a.check)


if __name__ == "__main__":
    main()
