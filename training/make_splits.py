"""Writes training/splits.json: for every dataset image, whether it trains the reader, chooses settings
(validation) or is only reported. Run once; the file is committed and read by `microanpr bench`.

Rules (issue 16): the only real UK plates here (micrometre_carpark1 and the single UK photos) are report-only;
real EU/US/BR crops are split by registration, so frames of one vehicle never straddle two splits; the UK
character tiles are split by source photo (80% train, 20% validation: the validation photos' glyphs are composed
into GB plates that measure UK glyph reading on real character shapes the reader never saw; keys are source photos).
"""
import csv
import hashlib
import json
import os
import sys

REPORT_ONLY = ["micrometre_carpark1", "alpr_unconstrained_sample", "micrometre_openvino_sample",
               "cquigley01_ie_uk_anpr", "nomeroff_benchmark"]
MIXED = ["openalpr_endtoend", "openalpr_segocr"]
TRAIN_SHARE, VALIDATION_SHARE = 0.40, 0.15  # the rest (45%) is report-only
TILE_VALIDATION_SHARE = 0.20  # of the UK character tiles' source photos


def fraction(key: str) -> float:
    """Where `key` falls in [0, 1], the same on every machine (a hash, not a random draw)."""
    return int(hashlib.sha256(key.encode()).hexdigest()[:8], 16) / 0xFFFFFFFF


def role(key: str) -> str:
    h = fraction(key)
    return "train" if h < TRAIN_SHARE else "validation" if h < TRAIN_SHARE + VALIDATION_SHARE else "report"


def main(root: str, out: str):
    splits = {"version": 1,
              "rule": "train: used to fit the reader; validation: used to choose settings and the checkpoint; "
                      "report: used for neither, the only images whose figures are reported",
              "datasets": {}}
    for name in REPORT_ONLY + MIXED:
        path = os.path.join(root, name, "groundtruth.csv")
        if not os.path.exists(path):
            continue
        with open(path) as f:
            rows = list(csv.DictReader(f))
        images: dict[str, str] = {}
        for r in rows:
            if name in REPORT_ONLY:
                images[r["file"]] = "report"
            else:
                # an image's group is its first labelled registration: the same vehicle lands in one split
                first = next(x for x in rows if x["file"] == r["file"])
                images[r["file"]] = role(name + ":" + first["plate_text"].replace("O", "0"))
        splits["datasets"][name] = {"default": "report" if name in REPORT_ONLY else None, "images": images}
    tiles = os.path.join(root, "openalpr_trainocr_gb_chars", "labels.csv")
    photos: dict[str, str] = {}
    if os.path.exists(tiles):
        with open(tiles) as f:
            for r in csv.DictReader(f):
                held_out = fraction("gb_chars:" + r["source_photo"]) < TILE_VALIDATION_SHARE
                photos[r["source_photo"]] = "validation" if held_out else "train"
    splits["datasets"]["openalpr_trainocr_gb_chars"] = {"default": "train", "images": photos}
    with open(out, "w") as f:
        json.dump(splits, f, indent=1, sort_keys=True)
        f.write("\n")
    for name, d in splits["datasets"].items():
        counts = {}
        for v in d["images"].values():
            counts[v] = counts.get(v, 0) + 1
        print(name, d["default"] or "", counts, file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "../shared/datasets", sys.argv[2] if len(sys.argv) > 2 else "training/splits.json")
