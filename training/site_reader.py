"""A site's own reader: the shipped reader A fine-tuned on the plates a site's operators corrected, in minutes,
and written only when it reads that site's plates better without forgetting the rest. Measured and not adopted
(models/plate_reader.md, "A site's own reader in minutes"): on a site simulated from validation crops it passed its
own checks and then read a validation video worse (a registration lost, junk passes), so it is not offered as a make
target; `make train CORRECTIONS=DIR` is the way to bring a site's plates in.

  training/.venv/bin/python training/site_reader.py --corrections DIR [DIR ...]   (after make train has set up the venv)

DIR is a folder written by `microanpr training-export` (crops and labels.csv: file,plate_text,...). The site's plates
are split by registration (every crop of a plate on one side): three quarters train, a quarter checks. Training
starts from the shipped model itself (models/plate_reader.onnx, converted back to PyTorch), mixes each batch half
the site's crops (degraded as cameras degrade them) and half freshly rendered plates (so it does not forget other
plates), and keeps the checkpoint that reads the most check plates. The new model is written only when it reads
more check plates than the shipped one and loses at most --max-drop of a separate set of rendered plates (the guard);
otherwise the command says why and writes nothing (exit 1). Output, beside the manifest:
`plate_reader_site.onnx`, `manifest-site.json` (the manifest with reader A replaced, for still images and video) and
`plate_reader_site.json` (the figures). `--dry-run` only reads the folders and prints the split (no PyTorch needed).
"""
import argparse
import hashlib
import json
import os
import random
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))
from exports import read_exports  # noqa: E402


def fail(message: str):
    sys.exit(f"site-reader: {message}")


def is_check(text: str, share: float) -> bool:
    """Whether a registration belongs to the check side: a hash of the text, so every crop of one vehicle lands on
    one side and the split does not change when more corrections arrive."""
    return int(hashlib.sha256(text.encode()).hexdigest()[:8], 16) % 10_000 < share * 10_000


def split(rows, share):
    train, check = [], []
    for r in rows:
        (check if is_check(r[1], share) else train).append(r)
    return train, check


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corrections", nargs="+", required=True, help="folders written by microanpr training-export")
    ap.add_argument("--base", default="models/plate_reader.onnx", help="the reader to start from (reader A)")
    ap.add_argument("--manifest", default=".deps/models/manifest.json", help="the manifest to derive the site's from")
    ap.add_argument("--formats", default="training/formats.json", help="microanpr formats --json (rendered plates)")
    ap.add_argument("--datasets", default="../shared/datasets", help="for the UK glyph tiles, when present")
    ap.add_argument("--steps", type=int, default=300)
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--lr", type=float, default=3e-4)
    ap.add_argument("--train-last", type=int, default=4,
                    help="weight tensors trained, counted from the output (4: the classifier and the neck's last "
                         "convolution, weights and biases)")
    ap.add_argument("--copies", type=int, default=8, help="variants of each training crop (the first unchanged)")
    ap.add_argument("--replay", type=int, default=4000, help="rendered plates mixed into training")
    ap.add_argument("--guard", type=int, default=1000, help="other rendered plates that must still be read")
    ap.add_argument("--max-drop", type=float, default=0.01, help="share of the guard plates it may lose")
    ap.add_argument("--check-share", type=float, default=0.25)
    ap.add_argument("--min-train", type=int, default=20)
    ap.add_argument("--min-check", type=int, default=10)
    ap.add_argument("--eval-every", type=int, default=100)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--dry-run", action="store_true", help="print the split and stop")
    a = ap.parse_args()
    if not 0 < a.check_share < 1:
        fail(f"--check-share {a.check_share}: expected a number between 0 and 1")
    if a.steps < 1 or a.batch < 2 or a.copies < 1 or a.train_last < 1:
        fail("--steps, --batch, --copies and --train-last: expected at least 1, 2, 1 and 1")
    rows = read_exports(a.corrections, "site-reader")
    train, check = split(rows, a.check_share)
    if len(train) < a.min_train or len(check) < a.min_check:
        fail(f"too few corrected crops: {len(train)} to train and {len(check)} to check, at least {a.min_train} and "
             f"{a.min_check} needed (correct more reads in the dashboard, then run training-export again)")
    plates_of = lambda rs: len({t for _, t in rs})  # noqa: E731
    print(f"site-reader: {len(rows)} crops of {plates_of(rows)} plates: train {len(train)} ({plates_of(train)} plates), "
          f"check {len(check)} ({plates_of(check)} plates)", file=sys.stdout if a.dry_run else sys.stderr, flush=True)
    if a.dry_run:
        return
    for path in (a.base, a.manifest, a.formats):
        if not os.path.isfile(path):
            fail(f"{path} is missing (run make setup, and microanpr formats --json > {a.formats})")
    finetune(a, train, check)


def finetune(a, train_rows, check_rows):
    os.environ.setdefault("PLATE_INPUT_SIZE", "48x224")
    import numpy as np
    import torch
    from multiprocessing import Pool

    import build_data
    from train import encode, evaluate, to_tensor

    torch.manual_seed(1)
    rng = random.Random(1)
    torch.set_num_threads(a.threads)
    out_dir = os.path.dirname(os.path.abspath(a.manifest))
    start = time.time()

    xs, ys = build_data.site_inputs(train_rows, a.copies, rng)
    xc, yc = build_data.site_inputs(check_rows, 1, rng)
    xs, xc = np.stack(xs), np.stack(xc)

    def render(first_seed, n):
        initargs = (a.formats, a.datasets, None, 0.0, 0.7)
        with Pool(2, initializer=build_data._init, initargs=initargs) as pool:
            got = list(pool.imap(build_data._synth, [(s, None) for s in range(first_seed, first_seed + n)], chunksize=64))
        return np.stack([g[0] for g in got]), [g[1] for g in got]

    # Seeds far from the training sets' (1..., 1,000,001..., validation 10,000,000..., held-out 20,000,000...).
    xr, yr = render(30_000_000, a.replay)
    xg, yg = render(40_000_000, a.guard)
    print(f"site-reader: {len(xs)} site training crops, {len(xr)} rendered to replay, {len(xg)} to guard "
          f"({time.time() - start:.0f} s)", file=sys.stderr, flush=True)

    model = load_shipped(a.base)

    def accuracy(x, y):  # plates read exactly (greedy); the shipped graph averages its channels, so one will do
        return evaluate(model, x, y, ["site"] * len(y))["site"][0]

    base = (accuracy(xc, yc), accuracy(xg, yg))
    print(f"site-reader: shipped reader: check {base[0]}/{len(yc)}, guard {base[1]}/{len(yg)}", file=sys.stderr, flush=True)
    # Only the last layers learn. The shipped reader's batch normalisation was folded into its convolutions at
    # export, which leaves the early layers badly conditioned for training: even at a learning rate of 1e-5 (Adam)
    # the whole network lost 2-3% of rendered plates it read in 40 steps of plates like its own training data, while
    # the last layers alone kept them; a factor per channel of every convolution kept them too but read no more of
    # a site's plates (models/plate_reader.md, "A site's own reader").
    params = list(model.parameters())
    for p in params[:-a.train_last] if a.train_last < len(params) else []:
        p.requires_grad_(False)
    trained = [p for p in model.parameters() if p.requires_grad]
    print(f"site-reader: training {sum(p.numel() for p in trained)} of {sum(p.numel() for p in params)} weights",
          file=sys.stderr, flush=True)
    opt = torch.optim.AdamW(trained, lr=a.lr, weight_decay=1e-4)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=a.lr, total_steps=a.steps, pct_start=0.1)
    ctc = torch.nn.CTCLoss(blank=0, zero_infinity=True)
    nrng = np.random.default_rng(1)
    best, best_state, log = (-1, -1), None, [{"step": 0, "check": base[0], "guard": base[1]}]
    half = a.batch // 2
    for step in range(1, a.steps + 1):
        i, j = nrng.integers(0, len(xs), half), nrng.integers(0, len(xr), a.batch - half)
        x = to_tensor(np.concatenate([xs[i], xr[j]])).repeat(1, 3, 1, 1)
        targets, lengths = encode([ys[k] for k in i] + [yr[k] for k in j])
        lp = model(x).log_softmax(2).permute(1, 0, 2)
        loss = ctc(lp, targets, torch.full((len(x),), lp.shape[0], dtype=torch.long), lengths)
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(trained, 5.0)
        opt.step()
        sched.step()
        if step % 10 == 0:
            print(f"site-reader: step {step}/{a.steps} ({100 * step // a.steps}%) loss {loss.item():.3f} "
                  f"{(time.time() - start) / 60:.1f} min", file=sys.stderr, flush=True)
        if step % a.eval_every == 0 or step == a.steps:
            r = (accuracy(xc, yc), accuracy(xg, yg))
            log.append({"step": step, "check": r[0], "guard": r[1]})
            print(f"site-reader: step {step}: check {r[0]}/{len(yc)}, guard {r[1]}/{len(yg)}", file=sys.stderr, flush=True)
            if r[1] >= base[1] - a.max_drop * len(yg) and r > best:
                best, best_state = r, {k: v.clone() for k, v in model.state_dict().items()}
    figures = {"plates_train": len({t for _, t in train_rows}), "plates_check": len({t for _, t in check_rows}),
               "crops_train": len(train_rows), "crops_check": len(yc), "guard": len(yg), "shipped": {"check": base[0], "guard": base[1]},
               "evals": log, "minutes": round((time.time() - start) / 60, 1), "steps": a.steps, "lr": a.lr}
    if best_state is None or best[0] <= base[0]:
        figures["written"] = False
        json.dump(figures, open(os.path.join(out_dir, "plate_reader_site.json"), "w"), indent=1)
        fail(f"no checkpoint read more check plates than the shipped reader ({base[0]}/{len(yc)}) while keeping the "
             f"guard plates: nothing written (figures in {out_dir}/plate_reader_site.json)")
    model.load_state_dict(best_state)
    figures["site"] = {"check": best[0], "guard": best[1]}
    onnx_path = os.path.join(out_dir, "plate_reader_site.onnx")
    export(model, onnx_path, xc)
    manifest = json.load(open(a.manifest))
    name = os.path.basename(a.base)
    manifest["name"] = f"{manifest.get('name', 'manifest')} with reader A fine-tuned on this site's plates"
    for spec in manifest.get("readers", []) + [manifest.get("quick_reader") or {}]:
        if spec.get("file") == name:
            spec["file"] = "plate_reader_site.onnx"
    json.dump(manifest, open(os.path.join(out_dir, "manifest-site.json"), "w"), indent=2)
    figures["written"] = True
    json.dump(figures, open(os.path.join(out_dir, "plate_reader_site.json"), "w"), indent=1)
    print(f"site-reader: check plates {base[0]} -> {best[0]} of {len(yc)}, guard {base[1]} -> {best[1]} of {len(yg)}; "
          f"wrote {onnx_path} and {out_dir}/manifest-site.json ({figures['minutes']} min)")


def load_shipped(path):
    """The shipped reader (ONNX) as a trainable PyTorch module giving logits (N x T x C): its final softmax
    dropped, the head's batch-1 reshapes made batch-free, every weight trainable. Its affine layers were folded
    into the convolutions when it was exported, so it has no batch normalisation left to disturb."""
    import warnings

    import onnx
    import torch
    from onnx import numpy_helper
    import ppocr_torch  # noqa: F401  (its torchvision stub and converter fix, before onnx2torch loads)
    from onnx2torch import convert
    from plates import HEIGHT, WIDTH

    m = onnx.load(path)
    g = m.graph
    inits = {t.name: t for t in g.initializer}
    for n in g.node:
        if n.op_type == "Reshape" and n.input[1] in inits:
            shape = numpy_helper.to_array(inits[n.input[1]])
            if shape.size in (2, 3) and shape[0] > 0:  # a batch of one written out: any batch instead
                shape = shape.copy()
                shape[0] = -1
                inits[n.input[1]].CopyFrom(numpy_helper.from_array(shape, n.input[1]))
    if g.node[-1].op_type != "Softmax":
        fail(f"{path}: expected a reader ending in a softmax")
    nodes = list(g.node)[:-1]
    g.output[0].name = g.node[-1].input[0]
    del g.node[:]
    g.node.extend(nodes)
    d = g.input[0].type.tensor_type.shape.dim
    d[0].dim_value, d[2].dim_value, d[3].dim_value = 1, HEIGHT, WIDTH
    del g.value_info[:]
    net = convert(onnx.shape_inference.infer_shapes(m))
    # onnx2torch indexes its Slice with a list (deprecated in PyTorch, same result here): said once per step otherwise.
    warnings.filterwarnings("ignore", message="Using a non-tuple sequence", category=UserWarning)
    for mod in net.modules():
        if isinstance(mod, torch.nn.LayerNorm):  # its width is unknown to the converter here: the weights' own
            mod.normalized_shape = tuple(mod.weight.shape)
        for name, buf in list(mod._buffers.items()):
            if buf is not None and buf.is_floating_point() and buf.numel() > 1:
                del mod._buffers[name]
                mod.register_parameter(name, torch.nn.Parameter(buf.clone()))
    return net


def export(model, path, crops):
    """ONNX as the shipped reader is (softmax out, the alphabet in the metadata), checked against PyTorch."""
    import onnx
    import torch
    from export import parity
    from plates import ALPHABET, HEIGHT, WIDTH
    from train import Exported

    model.eval()
    ex = Exported(model).eval()
    tmp = path + ".tmp"
    torch.onnx.export(ex, torch.zeros(1, 3, HEIGHT, WIDTH), tmp, input_names=["x"], output_names=["probabilities"],
                      opset_version=17, dynamo=False)
    m = onnx.load(tmp)
    onnx.checker.check_model(m)
    for key, value in (("character", "\n".join(ALPHABET)), ("producer", "MicroANPR training/site_reader.py")):
        p = m.metadata_props.add()
        p.key, p.value = key, value
    onnx.save(m, tmp)
    worst, same = parity(ex, tmp, crops)
    if worst > 1e-3 or same != len(crops):
        os.remove(tmp)
        fail(f"parity check failed: max |torch - onnxruntime| {worst:.2e}, same reading {same}/{len(crops)}")
    os.replace(tmp, path)
    print(f"site-reader: parity on {len(crops)} check crops: max difference {worst:.1e}, same reading {same}/{len(crops)}",
          file=sys.stderr)


if __name__ == "__main__":
    main()
