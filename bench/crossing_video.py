#!/usr/bin/env python3
"""Makes a video of cars crossing a camera's view side-on, fast, and its truth file (bench/queued_video.py's format).

  python3 bench/crossing_video.py DATASETS OUT.mp4 [--speed PX_PER_S] [--height 720] [--seed N] [--report]

Each registration of the validation split of openalpr_endtoend (training/splits.json; with `--report`, of
micrometre_carpark1, report data, as the development queued-cars videos) is drawn as one of its stills, shrunk
to half the frame's height, that slides from beyond the right edge to beyond the left at `--speed` pixels a second
(default 1600: a plate about 100 pixels wide moves four and a half widths between reads 0.28 s apart, as a small plate
in a wide view does at about 30 km/h), one car after another with no gap. Nothing else moves. The truth file lists
each registration with the time its still is in view, so `bench/queued_video.py check` scores the passes.
Only ffmpeg is needed.
"""
import os
import random
import subprocess
import sys
import tempfile

from queued_video import FPS, join, stills


def main():
    args = sys.argv[1:]
    if len(args) < 2:
        sys.exit(__doc__)

    def opt(name, default):
        if name not in args:
            return default
        i = args.index(name) + 1
        if i >= len(args) or not args[i].isdigit():
            sys.exit(f"crossing_video: {name} expects a whole number")
        return int(args[i])
    datasets, out = args[0], args[1]
    speed, height = opt("--speed", 1600), opt("--height", 720)
    if not 100 <= speed <= 20000 or height not in (720, 1080):
        sys.exit("crossing_video: --speed from 100 to 20000, --height 720 or 1080")
    width = height * 16 // 9
    rng = random.Random(opt("--seed", 0))
    cars = stills(datasets, rng) if "--report" in args else stills(datasets, rng, "openalpr_endtoend", "validation")
    sh = height // 2 // 2 * 2  # every still at half the frame's height
    truth, parts, t = [], [], 0.0
    with tempfile.TemporaryDirectory() as tmp:
        for k, (plate, still, _, _, w0, h0) in enumerate(cars):
            sw = round(w0 * sh / h0) // 2 * 2
            seconds = (width + sw) / speed
            n = max(2, round(seconds * FPS))
            p = os.path.join(tmp, f"{k:02d}.mp4")
            subprocess.run(["ffmpeg", "-y", "-loglevel", "error", "-f", "lavfi", "-i", f"color=c=gray:s={width}x{height}:r={FPS}",
                            "-i", still, "-filter_complex",
                            f"[1:v]scale={sw}:{sh}[car];[0:v][car]overlay=x='{width}-t*{speed}':y={(height - sh) // 2},format=yuv420p[out]",
                            "-map", "[out]", "-frames:v", str(n), "-r", str(FPS), "-c:v", "libx264", "-preset", "veryfast",
                            "-crf", "20", p], check=True)
            parts.append(p)
            truth.append((plate, round(t, 2), round(t + n / FPS, 2)))
            t += n / FPS
        join(parts, out, truth, t, tmp)


if __name__ == "__main__":
    main()
