#!/usr/bin/env python3
"""Side views and turned views of a dataset's images, to choose how sloping text lines are straightened.

    .deps/venv/bin/python bench/side_views.py DATASET OUT MODE DEGREES [--split validation]

MODE:
  yaw    seen from the side: a perspective whose far side is 15% shorter and whose lines slope by DEGREES
         (characters stay upright);
  roll   turned in the picture by DEGREES (characters lean with the line);
  shear  a pure shear sloping lines by DEGREES (characters stay upright).
Every other image slopes the other way. Each output image is the bounding box of the warped image plus 10
pixels of grey (a detector's box around a warped crop), so crops stay crops: read them with `--crop`.
OUT gets the images and a groundtruth.csv without boxes. Only images of the given split (training/splits.json) are
written: settings are chosen on validation images, never on reported ones.
"""
import argparse
import csv
import json
import math
import os
import sys

import numpy as np
from PIL import Image


def coefficients(source, target):
    """PIL's perspective coefficients: for each output point in `target`, the input point in `source`."""
    rows, rhs = [], []
    for (x, y), (sx, sy) in zip(target, source):
        rows.append([x, y, 1, 0, 0, 0, -sx * x, -sx * y]); rhs.append(sx)
        rows.append([0, 0, 0, x, y, 1, -sy * x, -sy * y]); rhs.append(sy)
    return np.linalg.solve(np.array(rows, float), np.array(rhs, float)).tolist()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("dataset"); ap.add_argument("out")
    ap.add_argument("mode", choices=["yaw", "roll", "shear"]); ap.add_argument("degrees", type=float)
    ap.add_argument("--split", default="validation", choices=["train", "validation", "report"])
    ap.add_argument("--splits", default=os.path.join(os.path.dirname(__file__), "..", "training", "splits.json"))
    a = ap.parse_args()
    truth = os.path.join(a.dataset, "groundtruth.csv")
    if not os.path.isfile(truth):
        sys.exit(f"side_views: {truth} not found (DATASET must be a folder with a groundtruth.csv)")
    table = json.load(open(a.splits))["datasets"].get(os.path.basename(os.path.normpath(a.dataset)), {"images": {}})
    rows = [r for r in csv.DictReader(open(truth))
            if (table["images"].get(r["file"]) or table.get("default") or "report") == a.split]
    if not rows:
        sys.exit(f"side_views: no image of {a.dataset} is in the {a.split} split of {a.splits}")
    os.makedirs(a.out, exist_ok=True)
    out = []
    for i, r in enumerate(rows):
        image = Image.open(os.path.join(a.dataset, r["file"])).convert("RGB")
        w, h = image.size
        sign = 1 if i % 2 == 0 else -1
        t = math.tan(math.radians(a.degrees)) * sign
        corners = [(0, 0), (w, 0), (w, h), (0, h)]
        if a.mode == "yaw":
            far = 0.85
            warped = [(0, 0), (w * 0.92, t * w + h * (1 - far) / 2), (w * 0.92, t * w + h * (1 + far) / 2), (0, h)]
        elif a.mode == "shear":
            warped = [(0, 0), (w, t * w), (w, t * w + h), (0, h)]
        else:
            angle, cx, cy = math.radians(a.degrees) * sign, w / 2, h / 2
            warped = [(cx + (x - cx) * math.cos(angle) - (y - cy) * math.sin(angle),
                       cy + (x - cx) * math.sin(angle) + (y - cy) * math.cos(angle)) for x, y in corners]
        x0 = min(x for x, _ in warped) - 10; y0 = min(y for _, y in warped) - 10
        warped = [(x - x0, y - y0) for x, y in warped]
        size = (int(max(x for x, _ in warped) + 10), int(max(y for _, y in warped) + 10))
        result = image.transform(size, Image.PERSPECTIVE, coefficients(corners, warped), Image.BICUBIC,
                                 fillcolor=(110, 110, 110))
        name = r["file"].replace("/", "_")
        result.save(os.path.join(a.out, name))
        out.append({**r, "file": name, "x": "", "y": "", "w": "", "h": ""})
    with open(os.path.join(a.out, "groundtruth.csv"), "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0].keys())); writer.writeheader(); writer.writerows(out)
    print(f"{len(out)} images -> {a.out}")


if __name__ == "__main__":
    main()
