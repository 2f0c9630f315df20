#!/usr/bin/env python3
"""Makes a dataset's photos at other camera resolutions: each photo of a split scaled to fit WxH (up or down, its
aspect kept) and centred on a black WxH picture, as the same scene seen by a camera of another resolution. One
folder per size, each with its groundtruth.csv (boxes moved and scaled), for `microanpr bench`.

  python3 bench/rescaled.py DATASETS OUT [--dataset openalpr_endtoend] [--split report] [--size 1280x720,1920x1080]
  -> OUT/1280x720/, OUT/1920x1080/ (then: microanpr bench OUT/1280x720 --split all --country auto --fold-o0)

The split is read from training/splits.json: choose settings on `validation` (and `train`), report on `report`.
Only ffmpeg is needed (no Python packages).
"""
import argparse
import os
import subprocess
import sys

from close_ups import size
from splits import SPLIT_HELP, described, photos, write_groundtruth


def main():
    a = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    a.add_argument("datasets")
    a.add_argument("out")
    a.add_argument("--dataset", default="openalpr_endtoend")
    a.add_argument("--split", default="report", help=SPLIT_HELP)
    a.add_argument("--size", default="1280x720,1920x1080", help="WIDTHxHEIGHT, several joined by commas")
    args = a.parse_args()
    try:
        sizes = [tuple(int(v) for v in s.split("x")) for s in args.size.split(",")]
    except ValueError:
        sys.exit(f"rescaled: --size must be WIDTHxHEIGHT joined by commas, got {args.size!r}")
    if not all(len(s) == 2 and 64 <= s[0] <= 8192 and 64 <= s[1] <= 8192 for s in sizes):
        sys.exit(f"rescaled: each --size must be WIDTHxHEIGHT from 64 to 8192 pixels, got {args.size!r}")
    chosen = photos(args.datasets, args.dataset, set(args.split.split(",")), "rescaled")
    if not chosen:
        sys.exit(f"rescaled: no photo of {args.dataset} in split {args.split}")
    for width, height in sizes:
        folder = os.path.join(args.out, f"{width}x{height}")
        rows = []
        for file, plates in sorted(chosen.items()):
            src = os.path.join(args.datasets, args.dataset, file)
            pw, ph = size(src)
            k = min(width / pw, height / ph)
            sw, sh = max(2, round(pw * k / 2) * 2), max(2, round(ph * k / 2) * 2)
            ox, oy = (width - sw) // 2, (height - sh) // 2
            out = os.path.join(folder, file)
            os.makedirs(os.path.dirname(out), exist_ok=True)
            subprocess.run(["ffmpeg", "-v", "error", "-y", "-i", src, "-vf",
                            f"scale={sw}:{sh}:flags=lanczos,pad={width}:{height}:{ox}:{oy}:black",
                            "-q:v", "2", out], check=True)
            kx, ky = sw / pw, sh / ph
            for plate, box, country in plates:
                xywh = ["", "", "", ""] if box is None else [
                    round(box[0] * kx + ox), round(box[1] * ky + oy), round(box[2] * kx), round(box[3] * ky)]
                rows.append([file, plate, *xywh, country])
        write_groundtruth(folder, rows)
        print(f"{folder}: {len(chosen)} photos of {described(args.split, args.dataset)} "
              f"at {width}x{height}")


if __name__ == "__main__":
    main()
