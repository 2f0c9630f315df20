"""Folders written by `microanpr training-export` (a site's corrected plates, and sure reads with `--sure`): their
crops and texts. No third-party imports, so that a folder can be checked before any training dependency is installed.
"""
import csv
import os
import sys


def read_exports(folders: list[str], tool: str) -> list[tuple[str, str]]:
    """(image path, plate text) of every usable row of the folders' labels.csv: the text in capitals without spaces
    or dashes, letters and digits only, its image present. A folder that is not an export stops `tool` with one line."""
    rows = []
    for d in folders:
        path = os.path.join(d, "labels.csv")
        if not os.path.isfile(path):
            sys.exit(f"{tool}: {d}: no labels.csv (expected a folder written by microanpr training-export)")
        with open(path, newline="") as f:
            reader = csv.DictReader(f)
            if not reader.fieldnames or not {"file", "plate_text"} <= set(reader.fieldnames):
                sys.exit(f"{tool}: {path}: expected the columns file and plate_text")
            for r in reader:
                text = (r["plate_text"] or "").upper().replace(" ", "").replace("-", "")
                image = os.path.join(d, r["file"] or "")
                if text.isascii() and text.isalnum() and os.path.isfile(image):
                    rows.append((image, text))
    return rows
