#!/usr/bin/env python3
"""Makes a dataset's photos as cameras show them in poor light or in motion: each photo of a split underexposed
(`dark`: a fifth of the light, with sensor noise), at dusk (`dusk`: the darker tones crushed, highlights kept), in haze
(`fog`: the contrast halved towards light grey) or blurred by a car's motion across the view (`motion`: 5 pixels
along the rows); with the camera's date and time burnt into a corner (`overlay`); squeezed into a low-quality JPEG
(`compressed`; a video at a low bitrate); or as a monochrome (infrared) camera sees it (`grey`). One folder per kind,
each with its groundtruth.csv (the boxes unchanged), for `microanpr bench`.

  python3 bench/degraded.py DATASETS OUT [--dataset micrometre_carpark1] [--split report] [--kind dark,dusk,fog,motion,overlay,compressed,grey]
  -> OUT/dark/, OUT/dusk/, ..., OUT/grey/ (then: microanpr bench OUT/dark --split all --country gb)
  python3 bench/degraded.py --video IN.mp4 OUT.mp4 --kind dark
  -> a video made poor the same way, frame by frame (then: microanpr recognise --json OUT.mp4)

The split is read from training/splits.json: choose settings on `validation` (and `train`), report on `report`.
Only ffmpeg is needed (no Python packages); the noise is seeded, so the same photos come out every time.
"""
import argparse
import os
import subprocess
import sys

from splits import SPLIT_HELP, described, photos, write_groundtruth

# ffmpeg filters, on 8-bit RGB levels (`val`).
KINDS = {
    "dark": "format=rgb24,lutrgb=r=val*0.22:g=val*0.22:b=val*0.22,noise=alls=6:allf=u:all_seed=7",
    "dusk": "format=rgb24,lutrgb=r=255*pow(val/255\\,2.4):g=255*pow(val/255\\,2.4):b=255*pow(val/255\\,2.4)",
    "fog": "format=rgb24,lutrgb=r=val*0.45+110:g=val*0.45+110:b=val*0.45+110",
    # A car crossing the view during the exposure: every pixel averaged with its 2 neighbours on each side along the
    # row (a 5-pixel box; about a third of a character of a plate 110 pixels wide).
    "motion": "format=gbrp," + "convolution=" + ":".join(
        f"{p}m='1 1 1 1 1':{p}rdiv=0.2:{p}mode=row" for p in range(3)) + ",format=rgb24",
    # A camera's date and time burnt into the top-left corner, as security cameras show it by default (white on a
    # half-dark band, a fortieth of the picture's height; a weekday between date and time). Not poor light: text that
    # is no plate in every frame.
    "overlay": "drawtext=fontfile=FONT:text='TEXT':x=h/80:y=h/80:fontsize=h/40"
               ":fontcolor=white:box=1:boxcolor=black@0.4",
    # A cheap camera's snapshot or a stream squeezed onto a thin link: JPEG at a low quality (ffmpeg's -q:v 12, as
    # small as libjpeg's quality 20 on the car park's frames: block edges, smeared strokes); a video at x264's -crf 38.
    "compressed": "null",
    # A monochrome camera (night-time infrared, or a mono sensor): one channel, no colour to tell plate from car.
    "grey": "format=gray,format=rgb24",
}
# Each kind's JPEG quality scale for photos (ffmpeg -q:v: 2 is near lossless, 31 the worst) and x264 -crf for videos.
PHOTO_QUALITY = {"compressed": 12}
VIDEO_CRF = {"compressed": 38}
# The overlay's typeface: DejaVu Sans Mono (Debian's fonts-dejavu-core, which ffmpeg's own dependencies bring).
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf"


# The stamp on a photo, and in a video the clock ticking with the frames from the same date and time.
STAMP = "06-18-2024 Tue 10\\:19\\:20"
TICKING = r"%{pts\:localtime\:1718705960\:%m-%d-%Y %a %H\\\:%M\\\:%S}"


def filter_of(kind, video=False):
    """The ffmpeg filter of `kind`; exits with one line when the overlay's font is missing."""
    if kind == "overlay":
        if not os.path.isfile(FONT):
            sys.exit(f"degraded: the overlay needs {FONT} (apt install fonts-dejavu-core)")
        return KINDS[kind].replace("FONT", FONT).replace("TEXT", TICKING if video else STAMP)
    return KINDS[kind]


def video(args):
    """One video (`datasets` is its path, `out` the new one's) made poor by the one kind given."""
    if args.kind not in KINDS:
        sys.exit(f"degraded: --video takes one --kind among {', '.join(KINDS)}, got {args.kind!r}")
    if not os.path.isfile(args.datasets):
        sys.exit(f"degraded: {args.datasets}: no such file")
    subprocess.run(["ffmpeg", "-v", "error", "-y", "-i", args.datasets, "-vf", filter_of(args.kind, video=True) + ",format=yuv420p",
                    "-an", *(["-crf", str(VIDEO_CRF[args.kind])] if args.kind in VIDEO_CRF else []), args.out], check=True)
    print(f"{args.out}: {args.datasets}, {args.kind}")


def main():
    a = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    a.add_argument("datasets", help="the datasets folder (with --video: the video to make poor)")
    a.add_argument("out")
    a.add_argument("--video", action="store_true", help="make one video poor instead of a dataset split's photos")
    a.add_argument("--dataset", default="micrometre_carpark1")
    a.add_argument("--split", default="report", help=SPLIT_HELP)
    a.add_argument("--kind", default=",".join(KINDS), help="kinds joined by commas: " + ", ".join(KINDS))
    args = a.parse_args()
    if args.video:
        return video(args)
    kinds = args.kind.split(",")
    if not all(k in KINDS for k in kinds):
        sys.exit(f"degraded: --kind must be among {', '.join(KINDS)} joined by commas, got {args.kind!r}")
    chosen = photos(args.datasets, args.dataset, set(args.split.split(",")), "degraded")
    if not chosen:
        sys.exit(f"degraded: no photo of {args.dataset} in split {args.split}")
    for kind in kinds:
        folder = os.path.join(args.out, kind)
        rows = []
        for file, plates in sorted(chosen.items()):
            out = os.path.join(folder, file)
            os.makedirs(os.path.dirname(out), exist_ok=True)
            source = os.path.join(args.datasets, args.dataset, file)
            if kind in PHOTO_QUALITY and not out.lower().endswith((".jpg", ".jpeg")):
                # A PNG photo is squeezed through a JPEG first, then written as it was given (lossless).
                squeezed = out + ".squeezed.jpg"
                subprocess.run(["ffmpeg", "-v", "error", "-y", "-i", source, "-q:v", str(PHOTO_QUALITY[kind]), squeezed], check=True)
                subprocess.run(["ffmpeg", "-v", "error", "-y", "-i", squeezed, out], check=True)
                os.remove(squeezed)
            else:
                subprocess.run(["ffmpeg", "-v", "error", "-y", "-i", source, "-vf", filter_of(kind),
                                "-q:v", str(PHOTO_QUALITY.get(kind, 2)), out], check=True)
            for plate, box, country in plates:
                rows.append([file, plate, *(["", "", "", ""] if box is None else [round(v) for v in box]), country])
        write_groundtruth(folder, rows)
        print(f"{folder}: {len(chosen)} photos of {described(args.split, args.dataset)}, {kind}")


if __name__ == "__main__":
    main()
