#!/usr/bin/env python3
"""Makes the development video of queued cars (issue 17) from `micrometre_carpark1` stills, and checks passes.

  python3 bench/queued_video.py make DATASETS OUT.mp4 [--height 720|1080] [--steps A:B] [--seed N]  -> OUT.mp4, OUT.truth.csv
  python3 bench/queued_video.py make DATASETS OUT.mp4 --dataset NAME --split SPLIT [--seed N] [--height H]
  ... make ... [--zoom Z] [--gap blur|black|cut] [--motion zoom|pan]
      (other styles: approaches zoomed to Z, black frames or hard cuts between, the view panned across each plate)
  python3 bench/queued_video.py check OUT.truth.csv RECOGNISE.json [--fold-o0] -> one line per registration

One short approach per registration (a zoom towards the plate at 25 fps, 1.2-2.4 s), one after another with gaps
of 0 to 1 s (the gap shows the next car's view blurred past reading: "nothing readable"), and two approaches where
two cars are in view at once (side by side). Each registration's still is the one whose plate is nearest 130 px
wide, so the video does not depend on the order of groundtruth.csv. Only ffmpeg is needed (no Python packages).

`--seed N` makes another video of the same kind, to see whether the tracker's results hold beyond the one plan
it was developed on: the registrations in a shuffled order, each from a still drawn among those whose plate is
90-200 px wide, approaches of 1.2-2.4 s, gaps of 0-1 s, two pairs of cars in view at once.

`--dataset NAME --split SPLIT` makes it from another dataset's stills instead, only those that `training/splits.json`
assigns to SPLIT (e.g. `--dataset openalpr_endtoend --split validation`: a video whose plates neither trained the
reader nor were reported, to choose video settings on); it implies a seeded plan (`--seed`, default 0) over as many
registrations as that split holds, each still scaled to the frame's height. The development videos stay made from
`micrometre_carpark1`, all of it.

The truth file lists plate,start,end (seconds) of each approach. `check` reads `microanpr recognise --json`
output and reports, per registration, how many passes read it exactly while it was in view; and the passes that
match no registration ("other"). Target: every registration exactly one pass, at most one other pass.
"""
import csv
import json
import os
import random
import subprocess
import sys
import tempfile

from splits import assignment

FPS = 25
DEVELOPMENT = "micrometre_carpark1"
# (registration index or pair, approach seconds, gap after it in seconds); indices into the sorted registrations.
PLAN = [((0,), 2.0, 0.6), ((1,), 1.6, 0.0), ((2,), 2.4, 0.2), ((3, 4), 2.0, 0.6), ((5,), 1.2, 1.0),
        ((6,), 2.0, 0.0), ((7,), 1.6, 0.4), ((8, 9), 2.4, 0.8), ((10,), 2.0, 0.6)]


def stills(datasets, rng=None, dataset=DEVELOPMENT, split=None):
    """(plate, still, plate centre x, y, still width, height) per registration: the still whose plate is nearest 130 px
    wide, or with `rng` one drawn among those 90-200 px wide (when there are some). With `split`, only the stills
    that training/splits.json assigns to it."""
    folder = os.path.join(datasets, dataset)
    assigned = assignment(dataset, "queued_video") if split else None
    best, pool = {}, {}
    with open(os.path.join(folder, "groundtruth.csv")) as f:
        for r in csv.DictReader(f):
            p = r["plate_text"]
            if not r["w"] or int(r["x"]) < 0 or int(r["y"]) < 0 or (assigned and assigned(r["file"]) != split):
                continue
            key = abs(int(r["w"]) - 130)
            entry = (key, os.path.join(folder, r["file"]), float(r["x"]) + float(r["w"]) / 2, float(r["y"]) + float(r["h"]) / 2)
            if p not in best or key < best[p][0]:
                best[p] = entry
            if 90 <= int(r["w"]) <= 200:
                pool.setdefault(p, []).append(entry)
    if rng:
        for p in sorted(pool):
            best[p] = rng.choice(sorted(pool[p]))
    return [(p, *best[p][1:], *size(best[p][1], dataset)) for p in sorted(best)]


def size(still, dataset):
    """A still's width and height (the development stills are all 640 x 480)."""
    if dataset == DEVELOPMENT:
        return 640, 480
    out = subprocess.run(["ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries", "stream=width,height",
                          "-of", "csv=p=0", still], check=True, capture_output=True, text=True).stdout
    w, h = out.strip().split(",")[:2]
    return int(w), int(h)


def random_plan(rng, n=11):
    """A plan of the same kind as PLAN: every registration once, in a shuffled order, two pairs in view at once."""
    order = list(range(n))
    rng.shuffle(order)
    groups = [(order[0], order[1]), (order[2], order[3])] + [(i,) for i in order[4:]]
    rng.shuffle(groups)
    return [(g, round(rng.uniform(1.2, 2.4), 1), round(rng.choice([0.0, 0.2, 0.4, 0.6, 0.8, 1.0]), 1)) for g in groups]


def clip(path, cars, seconds, height, zoom_to=1.6, motion="zoom"):
    """An approach: each car's still zoomed from 1.0 to `zoom_to` towards its plate; two cars side by side. With
    `motion` "pan" the view stays zoomed to `zoom_to` and slides instead, so that the plate crosses it from four
    fifths of its width to one fifth (as far as the still reaches): a car driving across a camera's view, or a camera
    panning, rather than one approaching it."""
    width = height * 16 // 9
    n = max(2, round(seconds * FPS))
    zoom = f"1+{zoom_to - 1:g}*on/{n - 1}" if motion == "zoom" else f"{zoom_to:g}"
    # Where the plate stands in the view, as a share of its width: the centre, or sliding from 0.8 to 0.2.
    place = "0.5" if motion == "zoom" else f"(0.8-0.6*on/{n - 1})"
    inputs, chains = [], []
    part_w = (width if len(cars) == 1 else width // 2) // 2 * 2
    for i, (_, still, cx, cy, w0, h0) in enumerate(cars):
        inputs += ["-i", still]
        scale = height / h0
        sw, sh = round(w0 * scale) // 2 * 2, height
        if len(cars) == 1 and sw <= width:
            crop = f"scale={sw}:{sh}"
            px, out_w = cx * scale, sw
        elif sw >= part_w:  # a window of the frame's (or half the frame's) width around this car's plate
            x0 = int(min(max(0, cx * scale - part_w / 2), sw - part_w))
            crop = f"scale={sw}:{sh},crop={part_w}:{sh}:{x0}:0"
            px, out_w = cx * scale - x0, part_w
        else:  # a still narrower than half the frame, centred in it
            left = (part_w - sw) // 2
            crop = f"scale={sw}:{sh},pad={part_w}:{sh}:{left}:0"
            px, out_w = cx * scale + left, part_w
        py = cy * scale
        chains.append(f"[{i}:v]{crop},zoompan=z='{zoom}':x='max(0,min(iw-iw/zoom,{px:.1f}-iw/zoom*{place}))':"
                      f"y='max(0,min(ih-ih/zoom,{py:.1f}-ih/zoom/2))':d={n}:s={out_w}x{sh}:fps={FPS}[v{i}]")
    if len(cars) == 1:
        chains.append(f"[v0]pad={width}:{height}:(ow-iw)/2:0,format=yuv420p[out]")
    else:
        chains.append("[v0][v1]hstack=2,format=yuv420p[out]")
    run(inputs, ";".join(chains), n, path)
    return n / FPS


def gap(path, car, seconds, height, style="blur"):
    """The next car's still blurred past reading (`style` blur), or black frames (`black`)."""
    _, still, _, _, w0, h0 = car
    n = round(seconds * FPS)
    sw = round(w0 * height / h0) // 2 * 2
    width = height * 16 // 9
    if style == "black":
        run(["-f", "lavfi", "-i", f"color=c=black:s={width}x{height}:r={FPS}"], "[0:v]format=yuv420p[out]", n, path)
        return n / FPS
    fit = f",crop={width}:{height}" if sw > width else f",pad={width}:{height}:(ow-iw)/2:0"
    run(["-loop", "1", "-i", still], f"[0:v]scale={sw}:{height},boxblur=40:4{fit},fps={FPS},format=yuv420p[out]", n, path)
    return n / FPS


def run(inputs, graph, frames, path):
    subprocess.run(["ffmpeg", "-y", "-loglevel", "error", *inputs, "-filter_complex", graph, "-map", "[out]",
                    "-frames:v", str(frames), "-r", str(FPS), "-c:v", "libx264", "-preset", "veryfast", "-crf", "20", path],
                   check=True)


def make(datasets, out, height, plan=PLAN, rng=None, dataset=DEVELOPMENT, split=None, steps=None, zoom_to=1.6, gap_style="blur",
         motion="zoom"):
    cars = stills(datasets, rng, dataset, split)
    if dataset == DEVELOPMENT and len(cars) < 11:
        sys.exit(f"queued_video: expected 11 registrations in {DEVELOPMENT}, found {len(cars)}")
    if len(cars) < 4:
        sys.exit(f"queued_video: {dataset} ({split or 'all'}) has {len(cars)} registrations with a plate box; at least 4 are needed")
    if plan is None:
        plan = random_plan(rng, len(cars))
    if steps:
        plan = plan[steps[0]:steps[1]]
    truth, parts, t = [], [], 0.0
    with tempfile.TemporaryDirectory() as tmp:
        for k, (idx, seconds, pause) in enumerate(plan):
            sel = [cars[i] for i in idx]
            p = os.path.join(tmp, f"{k:02d}a.mp4")
            d = clip(p, sel, seconds, height, zoom_to, motion)
            parts.append(p)
            for c in sel:
                truth.append((c[0], round(t, 2), round(t + d, 2)))
            t += d
            if pause > 0 and k + 1 < len(plan) and gap_style != "cut":
                p = os.path.join(tmp, f"{k:02d}b.mp4")
                t += gap(p, cars[plan[k + 1][0][0]], pause, height, gap_style)
                parts.append(p)
        join(parts, out, truth, t, tmp)


def join(parts, out, truth, seconds, tmp):
    """Writes the clips `parts` one after another to `out` (no re-encoding) and `truth` (plate, start, end) beside it."""
    lst = os.path.join(tmp, "list.txt")
    with open(lst, "w") as f:
        f.writelines(f"file '{p}'\n" for p in parts)
    subprocess.run(["ffmpeg", "-y", "-loglevel", "error", "-f", "concat", "-safe", "0", "-i", lst, "-c", "copy", out], check=True)
    with open(out.rsplit(".", 1)[0] + ".truth.csv", "w") as f:
        f.write("plate,start,end\n")
        f.writelines(f"{p},{s},{e}\n" for p, s, e in truth)
    print(f"wrote {out} ({seconds:.1f} s, {len(truth)} registrations)", file=sys.stderr)


def check(truth_path, passes_path, fold=False):
    """`fold`: O and 0 count as one glyph (as `microanpr bench --fold-o0`: many countries' plates draw them alike)."""
    same = (lambda t: t.replace("O", "0")) if fold else (lambda t: t)
    with open(truth_path) as f:
        truth = [dict(r, plate=same(r["plate"])) for r in csv.DictReader(f)]
    with open(passes_path) as f:  # the NDJSON line of `microanpr recognise --json VIDEO`
        doc = json.loads(f.readline())
    passes = [{"plate": same(p["text"]), "first_seen": p["first_seen_s"], "last_seen": p["last_seen_s"],
               "confidence": p["confidence"]} for p in doc["passes"]]
    plates = {r["plate"] for r in truth}
    exact_one = 0
    for r in truth:
        start, end = float(r["start"]), float(r["end"])
        hits = [p for p in passes if p["plate"] == r["plate"] and p["last_seen"] >= start - 0.5 and p["first_seen"] <= end + 0.5]
        exact_one += len(hits) == 1
        print(f"{r['plate']}: {len(hits)} pass(es) {'ok' if len(hits) == 1 else 'WRONG'}")
    others = [p for p in passes if p["plate"] not in plates]
    for p in others:
        print(f"other: {p['plate']} {p['first_seen']:.2f}-{p['last_seen']:.2f} s (confidence {p.get('confidence', 0):.2f})")
    print(f"queued video: {exact_one}/{len(truth)} registrations exactly one pass, {len(others)} other pass(es)")
    return exact_one == len(truth) and len(others) <= 1


if __name__ == "__main__":
    if len(sys.argv) >= 4 and sys.argv[1] == "make":
        def opt(name, default):
            if name not in sys.argv:
                return default
            i = sys.argv.index(name) + 1
            if i >= len(sys.argv) or not sys.argv[i].lstrip("-").isdigit():
                sys.exit(f"queued_video: {name} expects an integer")
            return int(sys.argv[i])

        def text(name, default):
            if name not in sys.argv:
                return default
            i = sys.argv.index(name) + 1
            if i >= len(sys.argv) or sys.argv[i].startswith("-"):
                sys.exit(f"queued_video: {name} expects a name")
            return sys.argv[i]
        # --steps A:B keeps steps A..B-1 of the plan, seeded or not (the end-to-end test uses a short part of it)
        steps = None
        if "--steps" in sys.argv:
            i = sys.argv.index("--steps") + 1
            value = sys.argv[i] if i < len(sys.argv) else ""
            if value.count(":") != 1 or not all(v.isdigit() for v in value.split(":")):
                sys.exit("queued_video: --steps expects A:B (two integers)")
            steps = tuple(int(v) for v in value.split(":"))
        dataset, split = text("--dataset", DEVELOPMENT), text("--split", None)
        if (dataset == DEVELOPMENT) != (split is None):
            sys.exit("queued_video: --dataset and --split go together (the development video uses all of micrometre_carpark1)")
        seeded = "--seed" in sys.argv or dataset != DEVELOPMENT
        rng = random.Random(opt("--seed", 0)) if seeded else None
        # The development plans are drawn before the stills, as they always were (the seeded videos stay the same).
        plan = (random_plan(rng) if rng else PLAN) if dataset == DEVELOPMENT else None
        # --zoom Z (how far an approach zooms in, 1.6 by default) and --gap blur|black|cut (what shows between
        # approaches: the next car blurred, black frames, or nothing: hard cuts) make videos in other styles than
        # the one the tracker was developed on.
        zoom_to = 1.6
        if "--zoom" in sys.argv:
            i = sys.argv.index("--zoom") + 1
            try:
                zoom_to = float(sys.argv[i]) if i < len(sys.argv) else 0.0
            except ValueError:
                zoom_to = 0.0
            if not 1.0 <= zoom_to <= 4.0:
                sys.exit("queued_video: --zoom expects a number from 1 to 4")
        gap_style = text("--gap", "blur")
        if gap_style not in ("blur", "black", "cut"):
            sys.exit("queued_video: --gap expects blur, black or cut")
        motion = text("--motion", "zoom")
        if motion not in ("zoom", "pan"):
            sys.exit("queued_video: --motion expects zoom or pan")
        make(sys.argv[2], sys.argv[3], opt("--height", 720), plan, rng, dataset, split, steps, zoom_to, gap_style, motion)
    elif len(sys.argv) in (4, 5) and sys.argv[1] == "check" and sys.argv[4:] in ([], ["--fold-o0"]):
        sys.exit(0 if check(sys.argv[2], sys.argv[3], fold="--fold-o0" in sys.argv) else 1)
    else:
        sys.exit(__doc__)
