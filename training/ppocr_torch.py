"""PP-OCR's recogniser (ONNX, from the pinned rapidocr wheel that `make setup` fetches) as a trainable PyTorch
module with a plate alphabet: the classifier keeps only the blank and 0-9A-Z rows of the pretrained weights, so
fine-tuning starts from what the general reader already knows about these glyphs.

Used by finetune.py; the converted module is exported back to ONNX there.
"""
import sys
import types

import numpy as np
import onnx
from onnx import numpy_helper
import torch
import torch.nn as nn

# onnx2torch imports torchvision for NMS/RoIAlign converters only; PP-OCR's recogniser uses neither, and
# torchvision's PyPI wheel would pin a second copy of torch. A stub keeps the dependency list short.
_tv = types.ModuleType("torchvision")
_tv.ops = types.ModuleType("torchvision.ops")
_tv.ops.roi_align = _tv.ops.nms = _tv.ops.batched_nms = None
sys.modules.setdefault("torchvision", _tv)
sys.modules.setdefault("torchvision.ops", _tv.ops)
from onnx2torch import convert  # noqa: E402
import onnx2torch.node_converters.batch_norm as _bn  # noqa: E402

# The Paddle export leaves some shapes unknown; every BatchNormalization in these recognisers follows a Conv2d.
_bn._BN_CLASS_FROM_SPATIAL_RANK[-2] = nn.BatchNorm2d


def load(path: str, alphabet: str, height: int, width: int) -> nn.Module:
    """The recogniser at `path`, its head cut to CTC blank + `alphabet`, its final softmax removed (logits out)."""
    m = onnx.load(path)
    g = m.graph
    # PP-OCRv5/v6's HGNetV2 stem pads its 2 x 2, stride-1 convolution and pooling with `auto_pad: SAME_UPPER`, which
    # onnx2torch does not convert: the same padding written out (the extra pixel after, as SAME_UPPER puts it).
    for nd in g.node:
        for at in list(nd.attribute):
            if at.name == "auto_pad" and at.s == b"SAME_UPPER":
                kernel = next(x.ints for x in nd.attribute if x.name == "kernel_shape")
                strides = next((x.ints for x in nd.attribute if x.name == "strides"), [1] * len(kernel))
                if any(s != 1 for s in strides):
                    raise ValueError(f"{nd.name}: SAME_UPPER with strides {list(strides)} is not supported")
                total = [k - 1 for k in kernel]
                nd.attribute.remove(at)
                nd.attribute.append(onnx.helper.make_attribute("pads", [t // 2 for t in total] + [t - t // 2 for t in total]))
    chars = {p.key: p.value for p in m.metadata_props}["character"].split("\n")
    keep_cls = [0] + [1 + chars.index(c) for c in alphabet]
    # Weights stored as Constant nodes -> initializers (onnx2torch reads weights from initializers).
    nodes = []
    for nd in g.node:
        if nd.op_type == "Constant" and len(nd.attribute) == 1 and nd.attribute[0].name == "value" and len(nd.attribute[0].t.dims) > 0:
            t = nd.attribute[0].t
            t.name = nd.output[0]
            g.initializer.append(t)
        else:
            nodes.append(nd)
    classes = len(chars) + 2  # blank + characters + space
    inits = {t.name: t for t in g.initializer}
    for t in list(g.initializer):
        a = numpy_helper.to_array(t)
        if a.ndim >= 1 and a.shape[-1] == classes and a.dtype == np.float32:
            t.CopyFrom(numpy_helper.from_array(np.ascontiguousarray(a[..., keep_cls]), t.name))
    # Drop the final Softmax: the model ends in logits for CTC training.
    last = nodes[-1]
    if last.op_type == "Softmax":
        nodes.pop()
        out = g.output[0]
        out.name = last.input[0]
        out.type.tensor_type.shape.dim[-1].dim_value = len(keep_cls)
    del g.node[:]
    g.node.extend(nodes)
    # The backbone leaves height / 16 rows, which its one pooling (3 x 2 at PP-OCR's 48-pixel height) averages to one:
    # at any height (reader S: 32 x 160) it spans that many rows.
    if height % 16:
        raise ValueError(f"load: height {height} is not a multiple of 16")
    for nd in g.node:
        if nd.op_type == "AveragePool":
            for at in nd.attribute:
                if at.name in ("kernel_shape", "strides") and list(at.ints) == [3, 2]:
                    at.ints[:] = [height // 16, 2]
    d = g.input[0].type.tensor_type.shape.dim
    d[0].dim_value, d[2].dim_value, d[3].dim_value = 1, height, width
    del g.value_info[:]
    m = onnx.shape_inference.infer_shapes(m)
    net = convert(m)
    # onnx2torch keeps MatMul/Add constants as buffers: make the floating ones trainable too.
    for mod in net.modules():
        if isinstance(mod, nn.modules.batchnorm._BatchNorm):
            continue
        for name, buf in list(mod._buffers.items()):
            if buf is not None and buf.is_floating_point() and buf.numel() > 1:
                del mod._buffers[name]
                mod.register_parameter(name, nn.Parameter(buf.clone()))
    return net


def narrow(net: nn.Module, at: int = 1) -> nn.Module:
    """PP-OCRv4's recogniser with half as many columns from one stage on (reader N, models/plate_reader.md): the
    `at`-th depthwise convolution that halves only the height (stride 2 x 1; 1: the second stage's, 2: the third's)
    halves the width too, and the last pooling (3 x 2) then keeps the width, so the output has as many steps (W/8)
    as before. The later stages' 1 x 1 convolutions, most of the reader's time, run on half the columns."""
    halving = [m for m in net.modules() if isinstance(m, nn.Conv2d) and m.groups > 1 and tuple(m.stride) == (2, 1)]
    pools = [m for m in net.modules() if isinstance(m, nn.AvgPool2d)]
    if not 1 <= at <= len(halving) or len(pools) != 1 or list(pools[0].kernel_size) != [3, 2]:
        raise ValueError("narrow: expected PP-OCRv4's recogniser (convolutions of stride 2 x 1, one 3 x 2 pooling)")
    halving[at - 1].stride = (2, 2)
    pools[0].kernel_size = pools[0].stride = (3, 1)
    return net


class GreyReader(nn.Module):
    """3 x H x W in [-1, 1] -> logits N x T x C. Colour is averaged first (as the CRNN does): trained on grey
    renders, it reads colour and IR frames the same way."""

    def __init__(self, net: nn.Module):
        super().__init__()
        self.net = net

    def forward(self, x):
        g = x.mean(dim=1, keepdim=True).expand(-1, 3, -1, -1)
        return self.net(g)
