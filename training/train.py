"""Trains MicroANPR's plate reader: a small CRNN (CNN + BiLSTM, CTC) on the arrays of build_data.py.

  python training/train.py --data training/data --out training/out --steps 6000

Fixed seeds; one CPU; the checkpoint kept is the one with the best exact-read rate on the real validation
crops (then synthetic validation), never on report data. export.py turns it into models/plate_reader.onnx.
"""
import argparse
import json
import math
import os
import random
import sys
import time

import numpy as np
import torch
import torch.nn as nn

sys.path.insert(0, os.path.dirname(__file__))
from plates import ALPHABET, HEIGHT, WIDTH  # noqa: E402


def conv_block(i, o, k=3, p=1):
    return [nn.Conv2d(i, o, k, padding=p, bias=False), nn.BatchNorm2d(o), nn.ReLU(inplace=True)]


class CTCReader(nn.Module):
    """A CNN to one row of features per step, a BiLSTM over the steps, and the class logits (N x T x C).
    Colour is averaged away first: plates are read the same in IR greyscale and in colour."""

    def __init__(self, cnn: nn.Sequential, features: int, hidden: int, classes: int = len(ALPHABET) + 1):
        super().__init__()
        self.cnn = cnn
        self.rnn = nn.LSTM(features, hidden, bidirectional=True, batch_first=True)
        self.head = nn.Linear(2 * hidden, classes)

    def forward(self, x):  # logits, N x T x C
        if x.shape[1] == 3:
            x = x.mean(dim=1, keepdim=True)
        f = self.cnn(x).squeeze(2).permute(0, 2, 1)
        f, _ = self.rnn(f)
        return self.head(f)


class PlateReader(CTCReader):
    """3 x 32 x W (normalised to [-1, 1]) -> W/4 steps of class probabilities (blank + 36 characters)."""

    def __init__(self, hidden: int = 96):
        super().__init__(nn.Sequential(
            *conv_block(1, 16), nn.MaxPool2d(2),                           # 16 x W/2
            *conv_block(16, 32), nn.MaxPool2d(2),                          # 8 x W/4
            *conv_block(32, 64), *conv_block(64, 64), nn.MaxPool2d((2, 1)),  # 4 x W/4
            *conv_block(64, 96), *conv_block(96, 96), nn.MaxPool2d((2, 1)),  # 2 x W/4
            *conv_block(96, 128, k=(2, 1), p=0),                            # 1 x W/4
        ), 128, hidden)


class SmallReader(CTCReader):
    """3 x 48 x W (normalised to [-1, 1]) -> W/8 steps of class probabilities, the step of the fine-tuned
    PP-OCR reader, so it can learn from that reader frame by frame (distillation, `--teacher`). About 0.75 M
    parameters and ~120 M multiply-adds at 48 x 224, sized for issue 16's 3 ms per crop on one core."""

    def __init__(self, hidden: int = 128):
        super().__init__(nn.Sequential(
            *conv_block(1, 16), nn.MaxPool2d(2),                               # 24 x W/2
            *conv_block(16, 32), nn.MaxPool2d(2),                              # 12 x W/4
            *conv_block(32, 64), *conv_block(64, 96), nn.MaxPool2d(2),         # 6 x W/8
            *conv_block(96, 128), *conv_block(128, 128), nn.MaxPool2d((2, 1)),  # 3 x W/8
            *conv_block(128, 192, k=(3, 1), p=0),                              # 1 x W/8
        ), 192, hidden)


class Exported(nn.Module):
    """The model as shipped: probabilities (softmax over classes)."""

    def __init__(self, m):
        super().__init__()
        self.m = m

    def forward(self, x):
        return torch.softmax(self.m(x), dim=2)


def make_model(base=None, arch="crnn", narrow=0):
    """The CRNN from scratch (`arch` crnn, 32 x W; small, 48 x W), or (`base`: a PP-OCR recogniser's ONNX file)
    that recogniser cut to the plate alphabet, to fine-tune (`narrow` 1 or 2: with half its columns from its second
    or third stage on, ppocr_torch.narrow)."""
    if narrow and not base:
        sys.exit("train: --narrow needs --base (a PP-OCR recogniser to narrow)")
    if not base and arch == "small":
        return SmallReader()
    if not base:
        return PlateReader()
    import ppocr_torch
    net = ppocr_torch.load(base, ALPHABET, HEIGHT, WIDTH)
    return ppocr_torch.GreyReader(ppocr_torch.narrow(net, narrow) if narrow else net)


def encode(texts):
    targets, lengths = [], []
    for t in texts:
        ids = [ALPHABET.index(c) + 1 for c in t if c in ALPHABET]
        targets += ids
        lengths.append(len(ids))
    return torch.tensor(targets, dtype=torch.long), torch.tensor(lengths, dtype=torch.long)


def greedy(logits):
    best = logits.argmax(2).numpy()
    out = []
    for row in best:
        s, prev = [], 0
        for c in row:
            if c != prev and c != 0:
                s.append(ALPHABET[c - 1])
            prev = c
        out.append("".join(s))
    return out


def to_tensor(x):
    return (torch.from_numpy(x).float().unsqueeze(1) / 255.0 - 0.5) / 0.5


def group(tag: str) -> str:
    """Validation groups: real crops, rendered plates, and GB plates composed from unseen photos' glyph tiles."""
    return "heldout-gb" if tag.startswith("heldout") else "synthetic" if tag.startswith("synthetic") else "real"


def evaluate(model, x, y, tags, batch=32):  # small batches: larger ones are slower per crop on CPU
    model.eval()
    preds = []
    with torch.no_grad():
        for i in range(0, len(x), batch):
            preds += greedy(model(to_tensor(x[i:i + batch])))
    model.train()
    res = {}
    for t in sorted(set(tags)):
        idx = [i for i, g in enumerate(tags) if g == t]
        res[t] = (sum(preds[i] == y[i] for i in idx), len(idx))
    return res


def check_size(x, data):
    """Exits with one line when `data`'s crops were rendered at another size than the one the model is built for
    (PLATE_INPUT_SIZE, 32x160 unless set; `make train` sets it): PP-OCR's pooling is sized by the input's height, so
    such a model would read differently from the one its crops were made for, without an error."""
    if tuple(x.shape[1:3]) != (HEIGHT, WIDTH):
        sys.exit(f"train: {data} holds {x.shape[1]} x {x.shape[2]} crops but PLATE_INPUT_SIZE is {HEIGHT}x{WIDTH}; "
                 f"set PLATE_INPUT_SIZE={x.shape[1]}x{x.shape[2]}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default="training/data")
    ap.add_argument("--out", default="training/out")
    ap.add_argument("--steps", type=int, default=6000)
    ap.add_argument("--batch", type=int, default=96)
    ap.add_argument("--lr", type=float, default=2e-3)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--eval-every", type=int, default=500)
    ap.add_argument("--init", help="fine-tune from this checkpoint (a site's corrections)")
    ap.add_argument("--base", help="fine-tune this PP-OCR recogniser (ONNX) instead of training the CRNN from scratch")
    ap.add_argument("--warmup", type=float, default=0.08, help="share of the steps spent warming the learning rate up")
    ap.add_argument("--seed", type=int, default=1, help="the order the training crops are drawn in (and the weights' start)")
    ap.add_argument("--max-minutes", type=float, default=115)
    ap.add_argument("--arch", default="crnn", choices=["crnn", "small"], help="the model trained from scratch")
    ap.add_argument("--teacher", help="teacher.py's probabilities for the training crops: learn from them too")
    ap.add_argument("--kd", type=float, default=1.0, help="weight of the teacher's term against the CTC loss")
    ap.add_argument("--narrow", type=int, default=0, choices=[0, 1, 2],
                    help="with --base: half the columns from the second (1) or third (2) stage on")
    a = ap.parse_args()
    torch.manual_seed(a.seed); np.random.seed(a.seed); random.seed(a.seed)
    torch.set_num_threads(a.threads)
    os.makedirs(a.out, exist_ok=True)
    tr = np.load(os.path.join(a.data, "train.npz"))
    va = np.load(os.path.join(a.data, "validation.npz"))
    xtr, ytr = tr["x"], [str(s) for s in tr["y"]]
    check_size(xtr, a.data)
    xva, yva, tva = va["x"], [str(s) for s in va["y"]], [group(str(t)) for t in va["tag"]]
    print(f"train {len(xtr)}, validation {len(xva)}", file=sys.stderr)
    teacher = np.load(a.teacher, mmap_mode="r") if a.teacher else None
    model = make_model(a.base, a.arch, a.narrow)
    if a.init:
        model.load_state_dict(torch.load(a.init))
    params = sum(p.numel() for p in model.parameters())
    print(f"parameters: {params}", file=sys.stderr)
    opt = torch.optim.AdamW(model.parameters(), lr=a.lr, weight_decay=1e-4)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=a.lr, total_steps=a.steps, pct_start=a.warmup)
    ctc = nn.CTCLoss(blank=0, zero_infinity=True)
    rng = np.random.default_rng(a.seed)
    best, best_key, log = None, (-1, -1), []
    start = time.time()
    order = rng.permutation(len(xtr))
    pos = 0
    if a.base or a.init:  # where fine-tuning starts from, for the comparison in the model card
        r = evaluate(model, xva, yva, tva)
        log.append({"step": 0, **{k: f"{v[0]}/{v[1]}" for k, v in r.items()}})
        print("eval", log[-1], file=sys.stderr, flush=True)
    for step in range(1, a.steps + 1):
        if pos + a.batch > len(order):
            order, pos = rng.permutation(len(xtr)), 0
        idx = order[pos:pos + a.batch]
        pos += a.batch
        xb = xtr[idx]
        # small online variation on top of the baked-in augmentations: invert polarity rarely (silver on black)
        flip = rng.random(len(xb)) < 0.03
        xb = np.where(flip[:, None, None], 255 - xb, xb)
        x = to_tensor(xb)
        targets, lengths = encode([ytr[i] for i in idx])
        logits = model(x)
        lp = logits.log_softmax(2).permute(1, 0, 2)
        loss = ctc(lp, targets, torch.full((len(idx),), lp.shape[0], dtype=torch.long), lengths)
        if teacher is not None:
            # Frame by frame: the student's steps cover the same columns as the teacher's (both W/8), so the
            # teacher's belief in each character at each step, not only the label, is what is learned.
            pt = torch.from_numpy(np.asarray(teacher[np.sort(idx)], np.float32))[np.argsort(np.argsort(idx))]
            pt = pt.clamp_min(1e-6)
            ls = logits.log_softmax(2)
            if flip.any():  # the teacher never saw the inverted crops
                keep = torch.from_numpy(~flip)
                pt, ls = pt[keep], ls[keep]
            loss = loss + a.kd * (pt * (pt.log() - ls)).sum(2).mean()
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 5.0)
        opt.step()
        sched.step()
        if step % 50 == 0:
            el = time.time() - start
            print(f"step {step}/{a.steps} ({100 * step // a.steps}%) loss {loss.item():.3f} {el / 60:.1f} min", file=sys.stderr, flush=True)
        if step % a.eval_every == 0 or step == a.steps or (time.time() - start) / 60 > a.max_minutes:
            r = evaluate(model, xva, yva, tva)
            key = (r.get("real", (0, 1))[0], r.get("synthetic", (0, 1))[0])
            log.append({"step": step, "loss": float(loss.item()), **{k: f"{v[0]}/{v[1]}" for k, v in r.items()}})
            print("eval", log[-1], file=sys.stderr, flush=True)
            if key >= best_key:
                best_key = key
                torch.save(model.state_dict(), os.path.join(a.out, "best.pt"))
            if (time.time() - start) / 60 > a.max_minutes:
                print("time budget reached: stopping", file=sys.stderr)
                break
    torch.save(model.state_dict(), os.path.join(a.out, "last.pt"))
    with open(os.path.join(a.out, "log.json"), "w") as f:
        json.dump({"base": a.base, "arch": a.arch, "narrow": a.narrow, "teacher": a.teacher, "kd": a.kd, "parameters": params, "steps": a.steps, "batch": a.batch, "evals": log,
                   "minutes": round((time.time() - start) / 60, 1)}, f, indent=1)


if __name__ == "__main__":
    main()
