"""What the benchmark scripts share about datasets: which split of training/splits.json each image of a dataset
belongs to, and writing a made dataset's groundtruth.csv. Only the standard library."""
import csv
import json
import os
import sys

SPLITS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "training", "splits.json")


def assignment(dataset, tool):
    """The split (`train`, `validation`, `report`) of each image of `dataset`, as a function of its file name; exits
    with one line naming `tool` when training/splits.json does not list the dataset."""
    with open(SPLITS) as f:
        listed = json.load(f)["datasets"].get(dataset)
    if listed is None:
        sys.exit(f"{tool}: training/splits.json has no dataset {dataset}")
    return lambda file: listed["images"].get(file, listed["default"])


def photos(datasets, dataset, splits, tool):
    """{file: [(plate, (x, y, w, h) or None, country), ...]} for the photos of `dataset` in one of `splits` (`all`: every
    photo, of a dataset training/splits.json need not list, such as made validation plates); exits with one line
    naming `tool` when the dataset has no groundtruth.csv."""
    split_of = (lambda file: "all") if "all" in splits else assignment(dataset, tool)
    path = os.path.join(datasets, dataset, "groundtruth.csv")
    if not os.path.isfile(path):
        sys.exit(f"{tool}: {path}: no such file")
    chosen = {}
    with open(path) as f:
        for r in csv.DictReader(f):
            if split_of(r["file"]) in splits:
                box = tuple(float(r[k]) for k in "xywh") if r["w"] else None
                chosen.setdefault(r["file"], []).append((r["plate_text"], box, r["country"]))
    return chosen


# `--split`'s help in the scripts that take their photos from `photos`.
SPLIT_HELP = "a split of training/splits.json, or several joined by commas; all: every photo of the dataset"


def described(split, dataset):
    """How a made dataset's message names the photos it was made from (`split` as given to `--split`)."""
    return f"all of {dataset}" if split == "all" else f"the {split} split of {dataset} (training/splits.json)"


def write_groundtruth(folder, rows):
    """`folder`/groundtruth.csv with `rows` of (file, plate_text, x, y, w, h, country)."""
    with open(os.path.join(folder, "groundtruth.csv"), "w", newline="") as f:
        csv.writer(f).writerows([["file", "plate_text", "x", "y", "w", "h", "country"]] + rows)
