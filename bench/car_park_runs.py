#!/usr/bin/env python3
"""Scores the car-park stills video of `bench/run.sh` (each still of micrometre_carpark1 shown 0.5 s, in name
order, listed in FRAMES): consecutive stills that show the same registrations are one run of a car, which should
give exactly one pass; a pass that matches no run is another (a misreading, or a car no label names).

  python3 bench/car_park_runs.py DATASET_DIR FRAMES_TXT OUT.json [OUT2.json ...]
"""
import csv
import json
import os
import sys


def runs(dataset, frames):
    labels = {}
    for r in csv.DictReader(open(os.path.join(dataset, "groundtruth.csv"))):
        labels.setdefault(os.path.basename(r["file"]), set()).add(r["plate_text"])
    files = [line.split("'")[1] for line in open(frames) if line.startswith("file")]
    out = []  # [plates, start, end]
    for i, f in enumerate(files):
        plates = frozenset(labels.get(os.path.basename(f), ()))
        if out and out[-1][0] == plates:
            out[-1][2] = (i + 1) * 0.5
        else:
            out.append([plates, i * 0.5, (i + 1) * 0.5])
    return [r for r in out if r[0]]


def main():
    if len(sys.argv) < 4:
        sys.exit("usage: car_park_runs.py DATASET_DIR FRAMES_TXT OUT.json [OUT2.json ...]")
    rs = runs(sys.argv[1], sys.argv[2])
    for path in sys.argv[3:]:
        passes = []
        for line in open(path):
            if line.strip():
                passes += json.loads(line).get("passes") or []
        count = [0] * len(rs)
        other = []
        for p in passes:
            s, e = p["first_seen_s"], p["last_seen_s"]
            hit = [i for i, r in enumerate(rs) if p["text"] in r[0] and s < r[2] + 0.1 and e > r[1] - 0.1]
            if hit:
                count[hit[0]] += 1
            else:
                other.append(f"{p['text']} {s:.2f}-{e:.2f} s")
        print(f"{path}: {len(passes)} passes; {sum(c == 1 for c in count)} of {len(rs)} runs of a car with one pass, "
              f"{sum(c > 1 for c in count)} with more, {sum(c == 0 for c in count)} with none; "
              f"{len(other)} other: {', '.join(other) or '-'}")


if __name__ == "__main__":
    main()
