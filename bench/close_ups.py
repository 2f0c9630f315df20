#!/usr/bin/env python3
"""Makes close-ups of labelled plates: each plate of a dataset's split cut out of its photo with a 4:3 margin so
that it fills FILL of the picture's width, enlarged to 1280 x 960, as a phone held near a plate or a camera close
to the lane shows it. One folder per fill, each with its groundtruth.csv, for `microanpr bench`.

  python3 bench/close_ups.py DATASETS OUT [--dataset openalpr_endtoend] [--split report] [--fill 0.4,0.6,0.8,0.95]
  -> OUT/fill40/, OUT/fill60/, ... (then: microanpr bench OUT/fill80 --split all --country auto --fold-o0)

The picture is moved inside the photo where the margin would leave it (a plate near an edge), never padded.
The split is read from training/splits.json: choose settings on `validation` (and `train`), report on `report`.
Only ffmpeg is needed (no Python packages).
"""
import argparse
import csv
import os
import subprocess
import sys

from splits import assignment, write_groundtruth

WIDTH, HEIGHT = 1280, 960


def plates(datasets, dataset, splits):
    """(file, plate, x, y, w, h, country) of each labelled plate with a box whose photo is in one of `splits`."""
    split_of = assignment(dataset, "close_ups")
    with open(os.path.join(datasets, dataset, "groundtruth.csv")) as f:
        for r in csv.DictReader(f):
            if r["w"] and split_of(r["file"]) in splits:
                yield r["file"], r["plate_text"], *(float(r[k]) for k in "xywh"), r["country"]


def size(path):
    out = subprocess.run(["ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries", "stream=width,height",
                          "-of", "csv=p=0", path], capture_output=True, text=True, check=True).stdout
    w, h = out.strip().split(",")[:2]
    return int(w), int(h)


def main():
    a = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    a.add_argument("datasets")
    a.add_argument("out")
    a.add_argument("--dataset", default="openalpr_endtoend")
    a.add_argument("--split", default="report", help="a split of training/splits.json, or several joined by commas")
    a.add_argument("--fill", default="0.4,0.6,0.8,0.95")
    args = a.parse_args()
    try:
        fills = [float(f) for f in args.fill.split(",")]
    except ValueError:
        sys.exit(f"close_ups: --fill must be fractions joined by commas, got {args.fill!r}")
    if not all(0.1 <= f <= 1 for f in fills):
        sys.exit(f"close_ups: each --fill must be from 0.1 to 1, got {args.fill!r}")
    chosen = list(plates(args.datasets, args.dataset, set(args.split.split(","))))
    if not chosen:
        sys.exit(f"close_ups: no labelled plate of {args.dataset} in split {args.split}")
    sizes = {}
    for fill in fills:
        folder = os.path.join(args.out, f"fill{round(fill * 100)}")
        os.makedirs(folder, exist_ok=True)
        rows = []
        for i, (file, plate, x, y, w, h, country) in enumerate(chosen):
            src = os.path.join(args.datasets, args.dataset, file)
            if src not in sizes:
                sizes[src] = size(src)
            pw, ph = sizes[src]
            cw = min(w / fill, pw, ph * WIDTH / HEIGHT)
            ch = cw * HEIGHT / WIDTH
            cx = min(max(0, x + w / 2 - cw / 2), pw - cw)
            cy = min(max(0, y + h / 2 - ch / 2), ph - ch)
            name = f"{i:04d}.jpg"
            subprocess.run(["ffmpeg", "-v", "error", "-y", "-i", src, "-vf",
                            f"crop={cw:.0f}:{ch:.0f}:{cx:.0f}:{cy:.0f},scale={WIDTH}:{HEIGHT}:flags=lanczos",
                            "-q:v", "2", os.path.join(folder, name)], check=True)
            k = WIDTH / cw
            rows.append([name, plate, round((x - cx) * k), round((y - cy) * k), round(w * k), round(h * k), country])
        write_groundtruth(folder, rows)
        print(f"{folder}: {len(rows)} close-ups of the {args.split} split of {args.dataset} (training/splits.json), "
              f"plates {fill:.0%} of the width")


if __name__ == "__main__":
    main()
