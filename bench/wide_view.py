#!/usr/bin/env python3
"""Makes a dataset's photos into the pictures of a wide camera: a 4K camera (3840x2160) that sees a whole car park or
several lanes, where each plate keeps the size it had in its photo but the picture is three to six times larger than
one photo. Each picture is a grid of a split's photos (COLSxROWS cells), each photo at its own size (shrunk only to
fit its cell) and centred, its cell's margin filled by smearing the photo's edges outwards; its groundtruth.csv holds every
photo's plates with their boxes moved into the picture, for `microanpr bench`.

  python3 bench/wide_view.py DATASETS OUT [--dataset micrometre_carpark1] [--split report] [--cells 6x4]
                             [--size 3840x2160]
  -> OUT/wideNN.jpg and OUT/groundtruth.csv (then: microanpr bench OUT --split all --country gb)

The split is read from training/splits.json: choose settings on `validation` (and `train`), report on `report`.
Photos are placed in name order, each in the first picture with room that shows none of its plates (one vehicle once
in a picture, as in a real view); a cell left empty shows the picture's first photo blurred past reading. Only
ffmpeg and ffprobe are needed (no Python packages).
"""
import argparse
import os
import subprocess
import sys

from close_ups import size
from splits import SPLIT_HELP, described, photos, write_groundtruth


def pairs(text, name):
    """`AxB` as two positive whole numbers; exits with one line otherwise."""
    try:
        a, b = (int(v) for v in text.lower().split("x"))
        if a > 0 and b > 0:
            return a, b
    except ValueError:
        pass
    sys.exit(f"wide_view: --{name} must be two positive whole numbers joined by x (e.g. 6x4), got {text!r}")


def main():
    a = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    a.add_argument("datasets")
    a.add_argument("out")
    a.add_argument("--dataset", default="micrometre_carpark1")
    a.add_argument("--split", default="report", help=SPLIT_HELP)
    a.add_argument("--cells", default="3x3", help="columns x rows of photos in each picture")
    a.add_argument("--size", default="3840x2160", help="the pictures' width x height")
    args = a.parse_args()
    cols, rows = pairs(args.cells, "cells")
    width, height = pairs(args.size, "size")
    cw, ch = width // cols, height // rows
    if cw < 64 or ch < 64:
        sys.exit(f"wide_view: cells of {cw}x{ch} pixels are too small; use fewer --cells or a larger --size")
    chosen = photos(args.datasets, args.dataset, set(args.split.split(",")), "wide_view")
    if not chosen:
        sys.exit(f"wide_view: no photo of {args.dataset} in split {args.split}")
    os.makedirs(args.out, exist_ok=True)
    per = cols * rows
    # One vehicle appears once in a picture, as in a real view: a photo goes to the first picture with room that
    # holds none of its plates (datasets with many frames of few cars, such as the car park, fill fewer cells).
    groups = []
    for file in sorted(chosen):
        texts = {plate for plate, _, _ in chosen[file]}
        for g in groups:
            if len(g) < per and not texts & {plate for f in g for plate, _, _ in chosen[f]}:
                g.append(file)
                break
        else:
            groups.append([file])
    rows_out = []
    for n, group in enumerate(groups):
        name = f"wide{n:02d}.jpg"
        inputs, chains, labels = [], [], []
        for k in range(per):
            cx, cy = (k % cols) * cw, (k // cols) * ch
            if k >= len(group):
                # An empty cell: the picture's first photo blurred past reading, so that the picture's levels stay
                # those of a scene and no plate is added.
                inputs += ["-i", os.path.join(args.datasets, args.dataset, group[0])]
                i = len(inputs) // 2 - 1
                chains.append(f"[{i}]scale={cw}:{ch},format=rgb24,gblur=sigma=40[c{k}]")
                labels.append(f"[c{k}]")
                continue
            file = group[k]
            path = os.path.join(args.datasets, args.dataset, file)
            w, h = size(path)
            s = min(cw / w, ch / h, 1.0)
            sw, sh = max(2, int(w * s) // 2 * 2), max(2, int(h * s) // 2 * 2)
            left, top = (cw - sw) // 2, (ch - sh) // 2
            right, bottom = cw - sw - left, ch - sh - top
            inputs += ["-i", path]
            i = len(inputs) // 2 - 1
            # Margins smeared from the photo's edges, not flat (which would change the picture's levels as a whole) nor
            # mirrored (which would show a second, mirrored plate of a car at the edge).
            chains.append(f"[{i}]scale={sw}:{sh},format=rgb24,pad={cw}:{ch}:{left}:{top},"
                          f"fillborders=left={left}:right={right}:top={top}:bottom={bottom}:mode=smear[c{k}]")
            labels.append(f"[c{k}]")
            for plate, box, country in chosen[file]:
                moved = ["", "", "", ""] if box is None else [
                    round(cx + left + box[0] * sw / w), round(cy + top + box[1] * sh / h),
                    round(box[2] * sw / w), round(box[3] * sh / h)]
                rows_out.append([name, plate, *moved, country])
        layout = "|".join(f"{(k % cols) * cw}_{(k // cols) * ch}" for k in range(per))
        graph = ";".join(chains) + ";" + "".join(labels) + f"xstack=inputs={per}:layout={layout}"
        subprocess.run(["ffmpeg", "-v", "error", "-y", *inputs, "-filter_complex", graph, "-frames:v", "1",
                        "-q:v", "2", os.path.join(args.out, name)], check=True)
    write_groundtruth(args.out, rows_out)
    print(f"{args.out}: {len(chosen)} photos of {described(args.split, args.dataset)} in "
          f"{len(groups)} pictures of {width}x{height}, {cols}x{rows} cells each")


if __name__ == "__main__":
    main()
