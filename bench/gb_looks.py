#!/usr/bin/env python3
"""GB plates in looks the readers' training plates do not all have, to measure whether the readers care.

    training/.venv/bin/python bench/gb_looks.py render OUT [N]
    for k in none blue green flag two_line; do
      .build/release/microanpr bench OUT/$k --split all --crop --country gb --threads 1 --csv OUT/$k.csv > /dev/null
    done
    python3 bench/gb_looks.py compare OUT
    python3 bench/gb_looks.py video OUT [N]    # OUT/two_line.mp4 and its truth file, from the first N two-line plates
    .build/release/microanpr recognise --json --country gb OUT/two_line.mp4 > OUT/two_line.json
    python3 bench/queued_video.py check OUT/two_line.truth.csv OUT/two_line.json

`render` draws N (default 600) GB plates as the training renderer does (training/plates.py), with glyph tiles of the
validation photos only (UK glyphs no reader was trained on) and seeds no training or validation set uses, five
times: with no band, a blue band with its identifier, the zero-emission green flash (DfT, since December 2020), a
national flag (a saltire with SCO), and on two lines (a motorcycle's or a square plate, no band). The band versions
of one plate share every other random draw (string, glyphs, camera, blur, noise); the two-line one shares its string.
`compare` counts per look the plates read right without a band and wrong in that look, and the reverse. The readers'
training plates are all one line, a blue band on 35% of the GB ones. `video` shows the first N (default 20) two-line
plates one after another at 25 fps, each 110 pixels wide in a 640 x 480 frame zooming in for 1.6 s, then 0.6 s of
grey (ffmpeg), with a truth file for `bench/queued_video.py check`.
"""
import subprocess
import tempfile
import csv
import json
import os
import random
import sys

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
KINDS = ("none", "blue", "green", "flag", "two_line")
SEED = 30_000_000  # above training (1-1,000,000-ish) and validation (10,000,000 and 20,000,000) seeds


def render(out: str, n: int):
    sys.path.insert(0, os.path.join(ROOT, "training"))
    import cv2
    import numpy as np
    import plates

    datasets = os.environ.get("DATASETS", os.path.join(ROOT, "..", "shared", "datasets"))
    with open(os.path.join(ROOT, "training", "splits.json")) as f:
        roles = json.load(f)["datasets"]["openalpr_trainocr_gb_chars"]["images"]
    photos = {p for p, r in roles.items() if r == "validation"}
    formats = plates.load_formats(os.path.join(ROOT, "training", "formats.json"))
    glyphs = plates.Glyphs(plates.UK_FONTS, os.path.join(datasets, "openalpr_trainocr_gb_chars"), photos, 0.0)
    for kind in KINDS:
        renderer = plates.Renderer(formats, glyphs, [], 0.0, 1.0, side_band=None if kind == "two_line" else kind)
        os.makedirs(os.path.join(out, kind, "img"), exist_ok=True)
        rows = ["file,plate_text,x,y,w,h,country"]
        for s in range(SEED, SEED + n):
            rng = random.Random(s)
            np.random.seed(s % (1 << 31))
            try:
                crop, text = plates.seen_plate(renderer, rng, "gb2" if kind == "two_line" else "gb")
            except RuntimeError:  # five degenerate geometries in a row: left out
                continue
            name = f"img/p{s - SEED:04d}.png"
            cv2.imwrite(os.path.join(out, kind, name), cv2.cvtColor(crop, cv2.COLOR_RGB2BGR))
            rows.append(f"{name},{text},,,,,GB")
        with open(os.path.join(out, kind, "groundtruth.csv"), "w") as f:
            f.write("\n".join(rows) + "\n")
        print(f"gb_looks: {kind}: {len(rows) - 1} plates -> {os.path.join(out, kind)}", file=sys.stderr)


def compare(out: str):
    def read(kind):
        path = os.path.join(out, f"{kind}.csv")
        if not os.path.exists(path):
            sys.exit(f"gb_looks: {path} is missing: bench OUT/{kind} with --csv OUT/{kind}.csv first")
        with open(path) as f:
            return {r["file"]: r["correct"] == "1" for r in csv.DictReader(f)}

    base = read("none")
    print(f"none: {sum(base.values())} of {len(base)} read right")
    for kind in KINDS[1:]:
        other = read(kind)
        common = base.keys() & other.keys()
        lost = sum(1 for k in common if base[k] and not other[k])
        gained = sum(1 for k in common if other[k] and not base[k])
        print(f"{kind}: {sum(other.values())} of {len(other)} read right; {lost} lost and {gained} gained against no band")


def video(out: str, n: int):
    truth = os.path.join(out, "two_line", "groundtruth.csv")
    if not os.path.exists(truth):
        sys.exit(f"gb_looks: {truth} is missing: render OUT first")
    with open(truth) as f:
        plates = list(csv.DictReader(f))[:n]
    if not plates:
        sys.exit(f"gb_looks: no two-line plates in {out}/two_line: render them first")
    rows, t = ["plate,start,end"], 0.0
    with tempfile.TemporaryDirectory() as tmp:
        listing = []
        gap = os.path.join(tmp, "gap.mp4")
        ffmpeg = ["ffmpeg", "-v", "error", "-y"]
        subprocess.run(ffmpeg + ["-f", "lavfi", "-i", "color=c=0x707070:s=640x480:d=0.6:r=25", "-vf", "format=yuv420p",
                                 "-c:v", "libx264", gap], check=True)
        zoom = ("scale=110:-2,pad=640:480:(ow-iw)/2:(oh-ih)/2:color=0x707070,"
                "zoompan=z='1+0.02*on':x='iw/2-(iw/zoom/2)':y='ih/2-(ih/zoom/2)':d=1:s=640x480:fps=25,format=yuv420p")
        for i, p in enumerate(plates):
            clip = os.path.join(tmp, f"c{i}.mp4")
            subprocess.run(ffmpeg + ["-loop", "1", "-t", "1.6", "-r", "25", "-i", os.path.join(out, "two_line", p["file"]),
                                     "-vf", zoom, "-frames:v", "40", "-c:v", "libx264", clip], check=True)
            listing += [f"file '{clip}'", f"file '{gap}'"]
            rows.append(f"{p['plate_text']},{t:.1f},{t + 1.6:.1f}")
            t += 2.2
        with open(os.path.join(tmp, "list.txt"), "w") as f:
            f.write("\n".join(listing) + "\n")
        subprocess.run(ffmpeg + ["-f", "concat", "-safe", "0", "-i", os.path.join(tmp, "list.txt"), "-c", "copy",
                                 os.path.join(out, "two_line.mp4")], check=True)
    with open(os.path.join(out, "two_line.truth.csv"), "w") as f:
        f.write("\n".join(rows) + "\n")
    print(f"gb_looks: {len(plates)} two-line plates -> {os.path.join(out, 'two_line.mp4')}", file=sys.stderr)


def main():
    if len(sys.argv) < 3 or sys.argv[1] not in ("render", "compare", "video"):
        sys.exit("usage: gb_looks.py render OUT [N] | compare OUT | video OUT [N]")
    if sys.argv[1] == "compare":
        compare(sys.argv[2])
        return
    n = sys.argv[3] if len(sys.argv) > 3 else ("600" if sys.argv[1] == "render" else "20")
    if not n.isdigit() or not 1 <= int(n) <= 100_000:
        sys.exit(f"gb_looks: N must be a whole number from 1 to 100000, got '{n}'")
    (render if sys.argv[1] == "render" else video)(sys.argv[2], int(n))


if __name__ == "__main__":
    main()
