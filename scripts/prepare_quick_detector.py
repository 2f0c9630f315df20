"""Setup-time model preparation (not used at run time): the video detector.

Converts the YOLOv8n plate detector that the `fastanpr` wheel ships as an Ultralytics checkpoint (`best.pt`, fp16) into
an fp32 ONNX model with the same three raw detection-head outputs as the still-image detector (64 box-distribution
channels + 1 score channel per stride 8/16/32, decoder "yolov8-dfl") and a dynamic input size. Neither PyTorch nor
Ultralytics is needed: the checkpoint is a zip of raw tensors and a pickle naming the layers, which is read with a
restricted unpickler (it builds no object of any class it names; only the layers' attributes and tensors are read), and
the graph is written with `onnx.helper` from the YOLOv8 layer types (Conv = Conv2d + BatchNorm + SiLU, C2f, SPPF,
Upsample, Concat, Detect), batch normalisation folded into the convolutions.

  python scripts/prepare_quick_detector.py best.pt out.onnx
"""
import collections
import pickle
import sys
import zipfile

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper


class Layer:
    """Any module of the checkpoint: its pickled attributes, nothing else."""

    def __init__(self, *args, **kwargs):
        pass

    def __setstate__(self, state):
        self.__dict__.update(state if isinstance(state, dict) else {})

    def child(self, name):
        return self.__dict__["_modules"][name]

    def tensor(self, name):
        d = self.__dict__
        return d["_parameters"].get(name) if name in d["_parameters"] else d["_buffers"].get(name)


class Storage:
    def __init__(self, dtype):
        self.dtype = dtype


STORAGES = {"FloatStorage": np.float32, "HalfStorage": np.float16, "LongStorage": np.int64}


def rebuild_tensor(storage, offset, size, stride, *rest):
    item = storage.itemsize
    return np.lib.stride_tricks.as_strided(storage[offset:], shape=tuple(size), strides=tuple(s * item for s in stride)).copy()


class Checkpoint(pickle.Unpickler):
    def __init__(self, z, prefix, f):
        super().__init__(f)
        self.z, self.prefix = z, prefix

    def find_class(self, module, name):
        if (module, name) == ("torch._utils", "_rebuild_tensor_v2"):
            return rebuild_tensor
        if (module, name) == ("torch._utils", "_rebuild_parameter"):
            return lambda data, *rest: data
        if module == "torch" and name in STORAGES:
            return Storage(STORAGES[name])
        if (module, name) == ("collections", "OrderedDict"):
            return collections.OrderedDict
        if (module, name) in (("__builtin__", "set"), ("builtins", "set")):
            return set
        if (module, name) == ("torch", "Size"):
            return lambda *a: tuple(*a)
        if (module, name) == ("torch", "device"):
            return lambda *a: str(a[0]) if a else "cpu"
        if module.startswith(("torch.nn.", "ultralytics.")):
            return type(name, (Layer,), {})
        raise pickle.UnpicklingError(f"unexpected {module}.{name} in the checkpoint")

    def persistent_load(self, pid):
        kind, storage, key, _location, numel = pid
        assert kind == "storage", pid
        raw = self.z.read(f"{self.prefix}/data/{key}")
        return np.frombuffer(raw, dtype=storage.dtype, count=numel)


def load(path):
    z = zipfile.ZipFile(path)
    pkl = next(n for n in z.namelist() if n.endswith("/data.pkl"))
    with z.open(pkl) as f:
        ckpt = Checkpoint(z, pkl.rsplit("/", 1)[0], f).load()
    if not isinstance(ckpt, dict):
        return ckpt
    return ckpt.get("ema") or ckpt["model"]


class Graph:
    def __init__(self):
        self.nodes, self.inits, self.n = [], [], 0

    def name(self, hint):
        self.n += 1
        return f"{hint}_{self.n}"

    def const(self, array, hint="w"):
        n = self.name(hint)
        self.inits.append(numpy_helper.from_array(np.ascontiguousarray(array), n))
        return n

    def op(self, kind, inputs, **attrs):
        out = self.name(kind.lower())
        self.nodes.append(helper.make_node(kind, inputs, [out], name=out, **attrs))
        return out

    def conv2d(self, x, c, weight, bias):
        k = weight.shape[2]
        s = c.__dict__["stride"][0]
        p = c.__dict__["padding"]
        p = p[0] if isinstance(p, tuple) else (k // 2 if p == "same" else p)
        g = c.__dict__["groups"]
        return self.op("Conv", [x, self.const(weight.astype(np.float32)), self.const(bias.astype(np.float32), "b")],
                       kernel_shape=[k, k], strides=[s, s], pads=[p, p, p, p], group=g)

    def conv(self, x, m):
        """Ultralytics Conv: Conv2d (no bias) + BatchNorm2d folded + SiLU."""
        c, bn = m.child("conv"), m.child("bn")
        w = c.tensor("weight").astype(np.float32)
        gamma, beta = bn.tensor("weight").astype(np.float32), bn.tensor("bias").astype(np.float32)
        mean, var = bn.tensor("running_mean").astype(np.float32), bn.tensor("running_var").astype(np.float32)
        f = gamma / np.sqrt(var + bn.__dict__["eps"])
        y = self.conv2d(x, c, w * f[:, None, None, None], beta - mean * f)
        return self.op("Mul", [y, self.op("Sigmoid", [y])])

    def plain_conv(self, x, c):
        w = c.tensor("weight").astype(np.float32)
        b = c.tensor("bias")
        return self.conv2d(x, c, w, np.zeros(w.shape[0], np.float32) if b is None else b.astype(np.float32))

    def c2f(self, x, m):
        y = self.conv(x, m.child("cv1"))
        c = m.__dict__["c"]
        a = self.name("split_a"); b = self.name("split_b")
        self.nodes.append(helper.make_node("Split", [y, self.const(np.array([c, c], np.int64), "s")], [a, b], axis=1))
        parts = [a, b]
        for bott in m.child("m").__dict__["_modules"].values():
            h = self.conv(self.conv(parts[-1], bott.child("cv1")), bott.child("cv2"))
            parts.append(self.op("Add", [parts[-1], h]) if bott.__dict__["add"] else h)
        return self.conv(self.op("Concat", parts, axis=1), m.child("cv2"))

    def sppf(self, x, m):
        y = [self.conv(x, m.child("cv1"))]
        k = m.child("m").__dict__["kernel_size"]
        for _ in range(3):
            y.append(self.op("MaxPool", [y[-1]], kernel_shape=[k, k], strides=[1, 1], pads=[k // 2] * 4))
        return self.conv(self.op("Concat", y, axis=1), m.child("cv2"))


def convert(model):
    g = Graph()
    layers = list(model.child("model").__dict__["_modules"].values())
    x, outs = "images", []
    for layer in layers:
        kind = type(layer).__name__
        f = layer.__dict__["f"]
        src = x if f == -1 else (outs[f] if isinstance(f, int) else [x if j == -1 else outs[j] for j in f])
        if kind == "Conv":
            x = g.conv(src, layer)
        elif kind == "C2f":
            x = g.c2f(src, layer)
        elif kind == "SPPF":
            x = g.sppf(src, layer)
        elif kind == "Upsample":
            s = float(layer.__dict__["scale_factor"])
            x = g.op("Resize", [src, "", g.const(np.array([1, 1, s, s], np.float32), "scales")], mode="nearest",
                     coordinate_transformation_mode="asymmetric", nearest_mode="floor")
        elif kind == "Concat":
            x = g.op("Concat", src, axis=layer.__dict__["d"])
        elif kind == "Detect":
            heads = []
            for i, feat in enumerate(src):
                branch = []
                for name in ("cv2", "cv3"):
                    seq = list(layer.child(name).__dict__["_modules"].values())[i].__dict__["_modules"]
                    a, b, c = seq.values()
                    branch.append(g.plain_conv(g.conv(g.conv(feat, a), b), c))
                heads.append(g.op("Concat", branch, axis=1))
            x = heads
        else:
            sys.exit(f"prepare_quick_detector: unsupported layer {kind}")
        outs.append(x)
    names = ["p3", "p4", "p5"]
    for n, h in zip(names, x):
        g.nodes.append(helper.make_node("Identity", [h], [n]))
    inp = helper.make_tensor_value_info("images", TensorProto.FLOAT, [1, 3, "height", "width"])
    outputs = [helper.make_tensor_value_info(n, TensorProto.FLOAT, [1, None, None, None]) for n in names]
    graph = helper.make_graph(g.nodes, "platedet_quick", [inp], outputs, g.inits)
    m = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], producer_name="microanpr")
    m.ir_version = 8
    onnx.checker.check_model(m)
    return m


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: prepare_quick_detector.py best.pt out.onnx")
    onnx.save(convert(load(sys.argv[1])), sys.argv[2])
