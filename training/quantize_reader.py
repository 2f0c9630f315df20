"""A shipped plate reader in int8: optional quantisation-aware fine-tuning (QAT), then ONNX Runtime's static QDQ
quantisation of its convolutions, each step measured on the validation crops (greedy, no grammar).

  training/.venv/bin/python training/quantize_reader.py --model models/plate_reader.onnx --data training/data48 \
      --steps 400 --lr 3e-6 --out /tmp/plate_reader_int8.onnx

Measured and not adopted (models/plate_reader.md, 2026-12-04, session 29). What it does:
- The reader's first two convolutions stay in float: quantised alone, each loses ~4% of the held-out GB plates
  (the tensor between them, the stem's output before a depthwise convolution with large weights, does not survive
  8 bits); every other convolution alone costs at most 0.7%.
- QAT: the reader's convolutions see int8 weights (per output channel, symmetric) and uint8 inputs and outputs
  (per tensor, min/max ranges taken on `--calibration` crops, then frozen), as ONNX Runtime's QDQ Conv will give
  them; only the convolutions train (CTC loss, AdamW, constant `--lr`), so the trained weights go back into the
  shipped graph unchanged in form. The checkpoint kept has the most validation reads (real crops + held-out GB).
- Then `quantize_static` (QDQ, per-channel int8 weights, uint8 activations, min/max) calibrated on `--calibrate`
  crops of the training set (never validation or report data).
"""
import argparse
import os
import sys
import time

import numpy as np
import onnx
import torch
from onnx import numpy_helper

os.environ["ORT_DISABLE_TELEMETRY"] = "1"  # before onnxruntime loads: no usage telemetry to Microsoft
from onnxruntime.quantization import CalibrationDataReader, CalibrationMethod, QuantFormat, QuantType, quantize_static
from onnxruntime.quantization.shape_inference import quant_pre_process

sys.path.insert(0, os.path.dirname(__file__))
from plates import ALPHABET, HEIGHT, WIDTH  # noqa: E402
from teacher import probabilities, reader_input, session  # noqa: E402
from train import encode, greedy, group, to_tensor  # noqa: E402

FLOAT_CONVS = 2  # the first convolutions, kept in float (above)


def validate(path: str, data: str) -> str:
    """Greedy exact reads of the validation crops by group (as evaluate.py), and the mean ms per crop on one thread."""
    va = np.load(os.path.join(data, "validation.npz"))
    sess = session(path, 1)
    groups = {}
    start = time.perf_counter()
    for x, y, t in zip(va["x"], va["y"], va["tag"]):
        text = greedy(torch.from_numpy(probabilities(sess, x)[None]))[0]
        h = groups.setdefault(group(str(t)), [0, 0])
        h[0] += text == str(y)
        h[1] += 1
    ms = 1000 * (time.perf_counter() - start) / len(va["x"])
    return ", ".join(f"{g} {ok}/{n}" for g, (ok, n) in sorted(groups.items())) + f", {ms:.1f} ms per crop (mean)"


def conv_names(path: str) -> list:
    return [n.name for n in onnx.load(path).graph.node if n.op_type == "Conv"]


def batched_torch(path: str):
    """The exported reader as a PyTorch module that takes a batch (its two batch-1 reshapes made general)."""
    import ppocr_torch

    m = onnx.load(path)
    general = {(28, 120): [-1, 120], (1, 28, 37): [-1, 28, 37]}
    shapes = {n.input[1] for n in m.graph.node if n.op_type == "Reshape"}
    tensors = [n.attribute[0].t for n in m.graph.node if n.op_type == "Constant" and n.output[0] in shapes]
    tensors += [t for t in m.graph.initializer if t.name in shapes]
    for t in tensors:
        shape = tuple(numpy_helper.to_array(t).tolist())
        if shape in general:
            t.CopyFrom(numpy_helper.from_array(np.array(general[shape], np.int64), t.name))
    tmp = path + ".batched.onnx"
    onnx.save(m, tmp)
    try:
        net = ppocr_torch.load(tmp, ALPHABET, HEIGHT, WIDTH)
    finally:
        os.remove(tmp)
    for mod in net.modules():  # fused LayerNormalization: its normalised shape is its scale's
        if isinstance(mod, torch.nn.LayerNorm) and tuple(mod.normalized_shape) != tuple(mod.weight.shape):
            mod.normalized_shape = tuple(mod.weight.shape)
    return net


def qat(a, calibration: np.ndarray) -> str:
    """Quantisation-aware fine-tuning of the convolutions; returns the path of the float model it writes."""
    import torch.nn as nn

    torch.manual_seed(1)
    torch.set_num_threads(a.threads)
    net = batched_torch(a.model)
    floats = set(conv_names(a.model)[:FLOAT_CONVS])
    convs = {n: m for n, m in net.named_modules() if isinstance(m, nn.Conv2d) and n not in floats}
    state = {"quant": False, "frozen": False}

    def fake(t, rng):
        lo, hi = min(rng[0], 0.0), max(rng[1], 0.0)
        scale = max((hi - lo) / 255.0, 1e-8)
        return torch.fake_quantize_per_tensor_affine(t, scale, max(0, min(255, int(round(-lo / scale)))), 0, 255)

    def wrap(conv):
        rin, rout = [0.0, 0.0], [0.0, 0.0]

        def forward(x):
            if not state["frozen"]:
                rin[0], rin[1] = min(rin[0], float(x.min())), max(rin[1], float(x.max()))
            w = conv.weight
            if state["quant"]:
                x = fake(x, rin)
                s = (w.detach().abs().amax(dim=(1, 2, 3)) / 127.0).clamp_min(1e-8)
                w = torch.fake_quantize_per_channel_affine(w, s, torch.zeros_like(s, dtype=torch.int32), 0, -127, 127)
            y = conv._conv_forward(x, w, conv.bias)
            if not state["frozen"]:
                rout[0], rout[1] = min(rout[0], float(y.min())), max(rout[1], float(y.max()))
            return fake(y, rout) if state["quant"] else y

        conv.forward = forward

    for c in convs.values():
        wrap(c)
    tr = np.load(os.path.join(a.data, "train.npz"))
    xtr, ytr = tr["x"], [str(s) for s in tr["y"]]
    va = np.load(os.path.join(a.data, "validation.npz"))
    keep = [i for i, t in enumerate(va["tag"]) if group(str(t)) != "synthetic"]
    xva, yva = va["x"][keep], [str(va["y"][i]) for i in keep]

    def score():
        net.eval()
        reads = []
        with torch.no_grad():
            for i in range(0, len(xva), 32):
                reads += greedy(net(to_tensor(xva[i:i + 32]).repeat(1, 3, 1, 1)))
        net.train()
        return sum(r == y for r, y in zip(reads, yva))

    net.eval()
    with torch.no_grad():  # ranges as quantize_static's min/max calibration takes them
        for i in range(0, len(calibration), 32):
            net(to_tensor(calibration[i:i + 32]).repeat(1, 3, 1, 1))
    state["frozen"] = state["quant"] = True
    best = (score(), {n: (c.weight.detach().clone(), c.bias.detach().clone()) for n, c in convs.items()}, 0)
    print(f"qat: step 0, {best[0]}/{len(yva)} validation crops read (fake-quantised)", file=sys.stderr, flush=True)
    for p in net.parameters():
        p.requires_grad_(False)
    params = [p for c in convs.values() for p in c.parameters()]
    for p in params:
        p.requires_grad_(True)
    opt = torch.optim.AdamW(params, lr=a.lr, weight_decay=0.0)
    # `--cosine`: the LR decays to zero over the steps instead of staying constant.
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, a.steps) if a.cosine else None
    ctc = nn.CTCLoss(blank=0, zero_infinity=True)
    rng = np.random.default_rng(1)
    order, pos, start = rng.permutation(len(xtr)), 0, time.time()
    for step in range(1, a.steps + 1):
        if pos + a.batch > len(order):
            order, pos = rng.permutation(len(xtr)), 0
        idx = order[pos:pos + a.batch]
        pos += a.batch
        xb = xtr[idx]
        flip = rng.random(len(xb)) < 0.03  # as train.py: inverted polarity, rarely
        xb = np.where(flip[:, None, None], 255 - xb, xb)
        targets, lengths = encode([ytr[i] for i in idx])
        lp = net(to_tensor(xb).repeat(1, 3, 1, 1)).log_softmax(2).permute(1, 0, 2)
        loss = ctc(lp, targets, torch.full((len(idx),), lp.shape[0], dtype=torch.long), lengths)
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, 5.0)
        opt.step()
        if sched:
            sched.step()
        if step % a.eval_every == 0 or step == a.steps:
            n = score()
            print(f"qat: step {step}/{a.steps} ({100 * step // a.steps}%), loss {loss.item():.3f}, {n}/{len(yva)} "
                  f"validation crops read, {(time.time() - start) / 60:.1f} min", file=sys.stderr, flush=True)
            if n >= best[0]:
                best = (n, {k: (c.weight.detach().clone(), c.bias.detach().clone()) for k, c in convs.items()}, step)
    print(f"qat: kept step {best[2]}", file=sys.stderr)
    m = onnx.load(a.model)
    inits = {t.name: t for t in m.graph.initializer}
    for nd in m.graph.node:
        if nd.name in best[1]:
            for tensor, name in zip(best[1][nd.name], nd.input[1:3]):
                inits[name].CopyFrom(numpy_helper.from_array(tensor.numpy().astype(np.float32), name))
    out = a.out + ".qat.onnx"
    onnx.save(m, out)
    return out


class Crops(CalibrationDataReader):
    def __init__(self, crops):
        self.crops, self.i = crops, 0

    def get_next(self):
        if self.i >= len(self.crops):
            return None
        self.i += 1
        return {"x": reader_input(self.crops[self.i - 1])}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", default="models/plate_reader.onnx")
    ap.add_argument("--data", default="training/data48", help="build_data.py output: train.npz, validation.npz")
    ap.add_argument("--out", required=True)
    ap.add_argument("--steps", type=int, default=0, help="quantisation-aware fine-tuning steps (0: none)")
    ap.add_argument("--lr", type=float, default=3e-6)
    ap.add_argument("--cosine", action="store_true", help="decay the LR to zero (cosine) instead of keeping it")
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--eval-every", type=int, default=100)
    ap.add_argument("--calibrate", type=int, default=400, help="training crops that set the activation ranges")
    ap.add_argument("--threads", type=int, default=2)
    a = ap.parse_args()
    for f in (a.model, os.path.join(a.data, "train.npz"), os.path.join(a.data, "validation.npz")):
        if not os.path.isfile(f):
            sys.exit(f"quantize_reader: {f} not found (--model: an exported reader; --data: build_data.py's output)")
    x = np.load(os.path.join(a.data, "train.npz"))["x"]
    calibration = x[np.random.default_rng(0).permutation(len(x))[:a.calibrate]]
    print(f"{a.model}: {validate(a.model, a.data)}", file=sys.stderr, flush=True)
    source = qat(a, calibration) if a.steps > 0 else a.model
    if source != a.model:
        print(f"after QAT, float: {validate(source, a.data)}", file=sys.stderr, flush=True)
    pre = a.out + ".pre.onnx"
    quant_pre_process(source, pre, skip_symbolic_shape=True)
    quantize_static(pre, a.out, Crops(calibration), quant_format=QuantFormat.QDQ, per_channel=True,
                    op_types_to_quantize=["Conv"], nodes_to_exclude=conv_names(pre)[:FLOAT_CONVS],
                    weight_type=QuantType.QInt8, activation_type=QuantType.QUInt8,
                    calibrate_method=CalibrationMethod.MinMax)
    os.remove(pre)
    q = onnx.load(a.out)
    del q.metadata_props[:]
    q.metadata_props.extend(onnx.load(a.model).metadata_props)  # the alphabet
    onnx.save(q, a.out)
    print(f"int8: {validate(a.out, a.data)} -> {a.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
