"""Builds the reader's training and validation sets as arrays of reader inputs (32 x 160 grey) and texts.

  python training/build_data.py --formats training/formats.json --datasets ../shared/datasets \
      --out training/data --synthetic 240000 [--corrections DIR ...]

Synthetic plates for every pack (GB first), real crops of the training split of `training/splits.json`, and
optionally folders written by `microanpr training-export` (operator corrections: crop images and labels.csv).
Validation: synthetic plates of another seed plus the real validation split. Nothing of the report split is read.
"""
import argparse
import csv
import json
import os
import random
import sys
from multiprocessing import Pool

import cv2
import numpy as np

sys.path.insert(0, os.path.dirname(__file__))
import plates  # noqa: E402
from exports import read_exports  # noqa: E402

STYLES = [("gb", 0.50), ("eu", 0.17), ("us", 0.20), ("br", 0.06), ("ua", 0.07)]
_renderer = None
_frames = 0.0  # share of plates put in a dealer's frame (US plates twice as often)
_smear = 0.0  # share of plates smeared by motion as their crop is seen (plates.smear)


def _init(formats_path, datasets, tile_photos, plain_one=0.0, gb_tiles=0.45, tile_augment=0.0, frames=0.0, smear=0.0):
    global _renderer, _frames, _smear
    _frames = frames
    _smear = smear
    formats = plates.load_formats(formats_path)
    glyphs = plates.Glyphs(plates.UK_FONTS, os.path.join(datasets, "openalpr_trainocr_gb_chars"), tile_photos, tile_augment)
    eu = [os.path.join(datasets, "..", "assets", "fonts", "gl-nummernschild", f) for f in ("GL-Nummernschild-Mtl.ttf", "GL-Nummernschild-Eng.ttf")]
    _renderer = plates.Renderer(formats, glyphs, eu, plain_one, gb_tiles)


def _synth(job):
    seed, style = job
    rng = random.Random(seed)
    np.random.seed(seed % (1 << 31))
    if style is None:
        style = rng.choices([s for s, _ in STYLES], weights=[w for _, w in STYLES])[0]

    def framed(plate):
        # Drawn from a generator of its own, so that every plate and camera is the same as without frames.
        frng = random.Random(seed * 7919 + 17)
        return plates.dealer_frame(plate, frng) if frng.random() < min(1.0, _frames * (2 if style == "us" else 1)) else plate

    crop, text = plates.seen_plate(_renderer, rng, style, framed if _frames > 0 else None)
    if _smear > 0:
        # A generator of its own again: every plate and camera stays the one drawn without smearing.
        srng = random.Random(seed * 104729 + 31)
        if srng.random() < _smear:
            crop = plates.smear(crop, srng)
    return plates.to_input(crop), text, style


def real_crops(datasets, splits, role, copies, seed):
    """Crops of the real images in `role`, cut around their labelled box as the detector would (with jitter)."""
    rng = random.Random(seed)
    xs, ys, tags = [], [], []
    for name in ("openalpr_endtoend", "openalpr_segocr"):
        info = splits["datasets"].get(name)
        if not info:
            continue
        with open(os.path.join(datasets, name, "groundtruth.csv")) as f:
            rows = [r for r in csv.DictReader(f) if info["images"].get(r["file"]) == role]
        for r in rows:
            img = cv2.imread(os.path.join(datasets, name, r["file"]), cv2.IMREAD_COLOR)
            if img is None:
                continue
            text = r["plate_text"].upper()
            if not text.isalnum() or not text.isascii():
                continue
            for k in range(copies):
                if r["x"]:
                    x, y, w, h = (float(r[c]) for c in "xywh")
                    j = (lambda s: rng.uniform(-s, s)) if k > 0 else (lambda s: 0.0)
                    x0, x1 = x + j(0.05) * w, x + w + j(0.05) * w
                    y0, y1 = y + j(0.1) * h, y + h + j(0.1) * h
                    px, py = plates.CROP_PADDING
                    bw, bh = x1 - x0, y1 - y0
                    x0, x1, y0, y1 = x0 - px * bw, x1 + px * bw, y0 - py * bh, y1 + py * bh
                    H, W = img.shape[:2]
                    crop = img[max(0, int(y0)):min(H, int(y1)), max(0, int(x0)):min(W, int(x1))]
                else:  # already a plate crop (read whole, as `bench --crop` does)
                    crop = img
                if crop.size == 0:
                    continue
                if k > 0:
                    crop = plates.degrade(crop, rng)
                xs.append(plates.to_input(crop)); ys.append(text); tags.append(name)
    return xs, ys, tags


def site_inputs(rows, copies, rng):
    """Reader inputs and texts of (image path, text) rows, `copies` of each: the first as it is, the others degraded
    as cameras degrade plates (as the real crops are). Unreadable images are skipped."""
    xs, ys = [], []
    for path, text in rows:
        img = cv2.imread(path, cv2.IMREAD_COLOR)
        if img is None:
            continue
        for k in range(copies):
            xs.append(plates.to_input(img if k == 0 else plates.degrade(img, rng))); ys.append(text)
    return xs, ys


def corrections(folders, copies, seed=9):
    """A site's crops (folders written by `microanpr training-export`: corrections, and sure reads with `--sure`),
    `copies` of each (``site_inputs``)."""
    xs, ys = site_inputs(read_exports(folders, "build_data"), copies, random.Random(seed))
    return xs, ys, ["correction"] * len(xs)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--formats", default="training/formats.json")
    ap.add_argument("--datasets", default="../shared/datasets")
    ap.add_argument("--splits", default="training/splits.json")
    ap.add_argument("--out", default="training/data")
    ap.add_argument("--synthetic", type=int, default=240000)
    ap.add_argument("--validation", type=int, default=3000)
    ap.add_argument("--real-copies", type=int, default=12)
    ap.add_argument("--corrections", nargs="*", default=[])
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--seed", type=int, default=1, help="first seed of the rendered plates (a fine-tuning set uses other plates)")
    ap.add_argument("--plain-one", type=float, default=0.0, help="share of GB 1s drawn as a plain stroke (BS AU 145e)")
    ap.add_argument("--gb-tiles", type=float, default=0.45, help="share of GB plates composed from the real character tiles")
    ap.add_argument("--heldout-gb", type=int, default=1000,
                    help="validation GB plates composed only from the tiles of validation photos (UK glyphs never trained on)")
    ap.add_argument("--tile-augment", type=float, default=0.0,
                    help="share of training glyph tiles drawn heavier/lighter, wider/narrower or slanted (validation never)")
    ap.add_argument("--frames", type=float, default=0.0,
                    help="share of training plates in a dealer's frame (US plates twice as often; validation never)")
    ap.add_argument("--smear", type=float, default=0.0,
                    help="share of training plates smeared by motion as their crop is seen (validation never)")
    a = ap.parse_args()
    missing = [p for p in plates.UK_FONTS + plates.US_FONTS if not os.path.exists(p)]
    if missing and (a.synthetic or a.validation or a.heldout_gb):
        # Without them every render fails and the workers report only "renderer failed five times".
        sys.exit(f"build_data: plate fonts missing ({', '.join(sorted(set(missing)))}): training/train.sh installs them from Debian")
    os.makedirs(a.out, exist_ok=True)
    with open(a.splits) as f:
        splits = json.load(f)
    # Character tiles are split by source photo (splits.json): training plates are composed from the training
    # photos' glyphs, validation plates from the others', so UK glyph reading is measured on unseen real shapes.
    tile_roles = splits["datasets"].get("openalpr_trainocr_gb_chars", {}).get("images", {})
    photos = {role: ({p for p, r in tile_roles.items() if r == role} if tile_roles else None) for role in ("train", "validation")}

    def rendered(tile_photos, gb_tiles, jobs, chunksize, tile_augment=0.0, frames=0.0, smear=0.0):
        """Renders `jobs` ((seed, style or None) each) with the glyph tiles of `tile_photos` (None: every photo)."""
        initargs = (a.formats, a.datasets, tile_photos, a.plain_one, gb_tiles, tile_augment, frames, smear)
        with Pool(a.workers, initializer=_init, initargs=initargs) as pool:
            yield from pool.imap(_synth, jobs, chunksize=chunksize)

    for name, n, base in (("train", a.synthetic, a.seed), ("validation", a.validation, 10_000_000)):
        xs, ys, tags = [], [], []
        jobs = [(s, None) for s in range(base, base + n)]
        augment = a.tile_augment if name == "train" else 0.0
        frames = a.frames if name == "train" else 0.0
        smeared = a.smear if name == "train" else 0.0
        for i, (x, y, s) in enumerate(rendered(photos[name], a.gb_tiles, jobs, 256, augment, frames, smeared)):
            xs.append(x); ys.append(y); tags.append("synthetic-" + s)
            if (i + 1) % max(1, n // 20) == 0:
                print(f"{name}: {100 * (i + 1) // n}% ({i + 1}/{n} synthetic)", file=sys.stderr, flush=True)
        if name == "validation" and a.heldout_gb and photos["validation"]:
            jobs = [(s, "gb") for s in range(20_000_000, 20_000_000 + a.heldout_gb)]
            for x, y, _ in rendered(photos["validation"], 1.0, jobs, 64):
                xs.append(x); ys.append(y); tags.append("heldout-gb-tiles")
        rx, ry, rt = real_crops(a.datasets, splits, name, a.real_copies if name == "train" else 1, 7 if name == "train" else 8)
        xs += rx; ys += ry; tags += rt
        if name == "train" and a.corrections:
            cx, cy, ct = corrections(a.corrections, a.real_copies)  # a site's own crops weigh like real crops
            xs += cx; ys += cy; tags += ct
        np.savez_compressed(os.path.join(a.out, f"{name}.npz"), x=np.stack(xs), y=np.array(ys), tag=np.array(tags))
        print(f"{name}: {len(xs)} samples ({len(rx)} real crops)", file=sys.stderr)


if __name__ == "__main__":
    main()
