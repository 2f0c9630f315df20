#!/usr/bin/env python3
"""Character confusions from `microanpr bench --csv` files: which true character was read as which, over the
labelled plates of the given CSVs (aligned by edit distance; a missing character is read as '-', an extra one
comes from '-'). O and 0 count as one character with --fold-o0.

  python3 bench/confusions.py [--fold-o0] [--top 20] bench/out/carpark_gb.csv ...
"""
import argparse
import collections
import csv


def align(a, b):
    """Pairs of (true, read) characters along a shortest edit path ('-' for a gap)."""
    n, m = len(a), len(b)
    d = [[0] * (m + 1) for _ in range(n + 1)]
    for i in range(n + 1): d[i][0] = i
    for j in range(m + 1): d[0][j] = j
    for i in range(1, n + 1):
        for j in range(1, m + 1):
            d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] != b[j - 1]))
    out, i, j = [], n, m
    while i or j:
        if i and j and d[i][j] == d[i - 1][j - 1] + (a[i - 1] != b[j - 1]):
            out.append((a[i - 1], b[j - 1])); i -= 1; j -= 1
        elif i and d[i][j] == d[i - 1][j] + 1:
            out.append((a[i - 1], "-")); i -= 1
        else:
            out.append(("-", b[j - 1])); j -= 1
    return out[::-1]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("csv", nargs="+")
    ap.add_argument("--fold-o0", action="store_true")
    ap.add_argument("--top", type=int, default=20)
    a = ap.parse_args()
    pairs, plates, misread, unread = collections.Counter(), 0, 0, 0
    for path in a.csv:
        with open(path) as f:
            for r in csv.DictReader(f):
                plates += 1
                t, g = r["truth"], r["read"]
                if a.fold_o0:
                    t, g = t.replace("O", "0"), g.replace("O", "0")
                if not g:
                    unread += 1
                    continue
                if t == g:
                    continue
                misread += 1
                for x, y in align(t, g):
                    if x != y: pairs[(x, y)] += 1
    print(f"{plates} labelled plates: {misread} misread, {unread} not read")
    print("| true | read as | times |\n|---|---|---|")
    for (x, y), n in pairs.most_common(a.top):
        print(f"| {x} | {y} | {n} |")


if __name__ == "__main__":
    main()
