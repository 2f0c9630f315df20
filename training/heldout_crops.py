"""Writes the held-out GB validation plates of a data folder (GB plates composed from the glyph tiles of the photos
that training/splits.json holds out; build_data.py makes them) as PNG crops with a groundtruth.csv, so that the whole
reading pipeline (readers, escalation, format grammar) can be compared on them with `microanpr bench`:

  python training/heldout_crops.py training/data48 /tmp/heldout-gb
  .build/release/microanpr bench /tmp/heldout-gb --split all --crop --country gb --threads 1 --models M

Validation data only: these plates choose settings, they are never reported.
"""
import os
import sys

import cv2
import numpy as np


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: heldout_crops.py DATA_DIR OUT_DIR")
    data, out = sys.argv[1], sys.argv[2]
    va = np.load(os.path.join(data, "validation.npz"))
    os.makedirs(os.path.join(out, "img"), exist_ok=True)
    rows = ["file,plate_text,x,y,w,h,country"]
    for x, y, t in zip(va["x"], va["y"], va["tag"]):
        if str(t) != "heldout-gb-tiles":
            continue
        name = f"img/h{len(rows) - 1:04d}.png"
        cv2.imwrite(os.path.join(out, name), np.asarray(x, dtype=np.uint8))  # 48 x 224 grey, as rendered
        rows.append(f"{name},{y},,,,,GB")
    with open(os.path.join(out, "groundtruth.csv"), "w") as f:
        f.write("\n".join(rows) + "\n")
    print(f"{len(rows) - 1} plates -> {out}", file=sys.stderr)


if __name__ == "__main__":
    main()
