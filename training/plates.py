"""Plate strings from the format packs, and synthetic plate images as a camera sees them.

Strings come from `formats.json`, written by `microanpr formats --json` from the Swift packs, so the renderer
and the recogniser share one grammar. Images are drawn with openly licensed faces (see ASSETS.md) or composed
from real UK character tiles, then degraded the way car-park cameras degrade plates, and cut out the way the
detector and the reader cut them (box jitter, crop padding, resize to the reader's height, stretch, pad).
"""
from __future__ import annotations

import csv
import json
import math
import os
import random
from dataclasses import dataclass

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
DIGITS = "0123456789"
ALPHABET = DIGITS + LETTERS  # class k+1 is ALPHABET[k]; class 0 is the CTC blank

# The reader's input, as in models/manifest.json: height, canvas width, crop padding, stretch of squarish crops.
# The reader's input size: 32 x 160 for the CRNN trained from scratch; the fine-tuned PP-OCR reader reads
# 48 px high (its pretraining height). build_data.py --size sets it for the whole process (and its workers).
HEIGHT, WIDTH = (int(v) for v in os.environ.get("PLATE_INPUT_SIZE", "32x160").split("x"))
CROP_PADDING = (0.06, 0.12)
STRETCH_BELOW, STRETCH_TO = 2.5, 3.0
PAD_PIXEL = 127


# --- the pattern language of Sources/Plates/PlatePattern.swift ----------------------------------------------
def parse_pattern(src: str) -> list[tuple[str, int, int, bool]]:
    """Returns (allowed characters, min, max, separator before) items."""
    items = []
    i = 0
    sep = False
    while i < len(src):
        c = src[i]
        if c in " -":
            sep = True
            i += 1
            continue
        if c == "L":
            s, i = LETTERS, i + 1
        elif c == "D":
            s, i = DIGITS, i + 1
        elif c == "A":
            s, i = LETTERS + DIGITS, i + 1
        elif c == "[":
            j = src.index("]", i)
            body = src[i + 1:j]
            i = j + 1
            if len(body) >= 2 and body[1] == "^" and body[0] in "LD":
                base = LETTERS if body[0] == "L" else DIGITS
                s = "".join(ch for ch in base if ch not in body[2:])
            else:
                s, k = "", 0
                while k < len(body):
                    if k + 2 < len(body) and body[k + 1] == "-":
                        s += "".join(chr(x) for x in range(ord(body[k]), ord(body[k + 2]) + 1))
                        k += 3
                    else:
                        s += body[k]
                        k += 1
        else:
            s, i = c, i + 1
        lo = hi = 1
        if i < len(src) and src[i] == "{":
            j = src.index("}", i)
            parts = src[i + 1:j].split(",")
            lo, hi = int(parts[0]), int(parts[-1])
            i = j + 1
        items.append((s, lo, hi, sep and bool(items)))
        sep = False
    return items


@dataclass
class Format:
    country: str
    id: str
    items: list
    prior: float


def load_formats(path: str) -> dict[str, list[Format]]:
    with open(path) as f:
        packs = json.load(f)
    out: dict[str, list[Format]] = {}
    for p in packs:
        fs = []
        n_without = sum(1 for f in p["formats"] if f.get("prior") is None)
        rest = max(0.0, 1 - sum(f.get("prior") or 0 for f in p["formats"]))
        for f in p["formats"]:
            patterns = [f["pattern"]]
            if f.get("codes") and "<code>" in f["pattern"]:
                patterns = [f["pattern"].replace("<code>", "".join(f"[{c}]" for c in code)) for code in f["codes"]]
            prior = f.get("prior") if f.get("prior") is not None else (rest / max(1, n_without))
            for src in patterns:
                fs.append(Format(p["country"], f["id"], parse_pattern(src), max(prior, 1e-3) / len(patterns)))
        out[p["country"]] = fs
    return out


def sample_string(formats: list[Format], rng: random.Random) -> tuple[str, list[int]]:
    """A string of one of the formats (by prior), and the positions after which a gap is drawn."""
    f = rng.choices(formats, weights=[x.prior for x in formats])[0]
    text, cuts = "", []
    for s, lo, hi, sep in f.items:
        if sep and text:  # the display form's separator: the renderer leaves a gap there
            cuts.append(len(text))
        for _ in range(rng.randint(lo, hi)):
            text += rng.choice(s)
    return text, [c for c in cuts if 0 < c < len(text)]


def random_string(rng: random.Random, lo=2, hi=8) -> tuple[str, list[int]]:
    n = rng.randint(lo, hi)
    return "".join(rng.choice(ALPHABET) for _ in range(n)), ([rng.randint(1, n - 1)] if n > 3 and rng.random() < 0.5 else [])


# --- glyphs -------------------------------------------------------------------------------------------------
class Glyphs:
    """Renders characters as ink masks (float 0..1, 1 = ink) of a given height."""

    def __init__(self, font_paths: list[str], tiles_dir: str | None, tile_photos: set[str] | None,
                 tile_augment: float = 0.0):
        self.fonts = [p for p in font_paths if os.path.exists(p)]
        self.tile_augment = tile_augment
        self.cache: dict = {}
        self.tiles: dict[str, list[np.ndarray]] = {}
        if tiles_dir and os.path.exists(os.path.join(tiles_dir, "labels.csv")):
            with open(os.path.join(tiles_dir, "labels.csv")) as f:
                for row in csv.DictReader(f):
                    if tile_photos is not None and row["source_photo"] not in tile_photos:
                        continue
                    im = cv2.imread(os.path.join(tiles_dir, row["file"]), cv2.IMREAD_GRAYSCALE)
                    if im is None:
                        continue
                    ink = 1.0 - im.astype(np.float32) / 255.0
                    self.tiles.setdefault(row["char"], []).append(ink)

    def font_mask(self, font: str, ch: str, h: int) -> np.ndarray:
        key = (font, ch, h)
        if key not in self.cache:
            f = ImageFont.truetype(font, size=h * 2)
            box = f.getbbox(ch)
            w, hh = box[2] - box[0] + 4, box[3] - box[1] + 4
            im = Image.new("L", (max(w, 4), max(hh, 4)), 0)
            ImageDraw.Draw(im).text((2 - box[0], 2 - box[1]), ch, font=f, fill=255)
            a = np.asarray(im, np.float32) / 255.0
            ys, xs = np.nonzero(a > 0.1)
            a = a[ys.min():ys.max() + 1, xs.min():xs.max() + 1] if len(ys) else a
            self.cache[key] = a
        return self.cache[key]

    def tile_mask(self, ch: str, rng: random.Random) -> np.ndarray | None:
        if ch == "O" and "O" not in self.tiles:
            ch = "0"
        options = self.tiles.get(ch)
        if not options:
            return None
        tile = rng.choice(options)
        # (Checked first so that with tile_augment 0 no random number is drawn: earlier sets are reproduced exactly.)
        if self.tile_augment > 0 and rng.random() < self.tile_augment:
            tile = vary_glyph(tile, rng)
        return tile


def vary_glyph(ink: np.ndarray, rng: random.Random) -> np.ndarray:
    """One real glyph drawn as another plate of the same face might show it: heavier or lighter strokes (pressing,
    blur, exposure), a slightly different width and a small slant or rotation. Only 262 photos' glyphs train the
    reader, so without this it learns those few instances of each character rather than the shape."""
    h, w = ink.shape
    big = cv2.resize(ink, (w * 3, h * 3), interpolation=cv2.INTER_CUBIC)
    k = rng.choice([-2, -1, 0, 1, 2])
    if k:
        kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * abs(k) + 1, 2 * abs(k) + 1))
        big = cv2.dilate(big, kernel) if k > 0 else cv2.erode(big, kernel)
    H, W = big.shape
    angle, shear = rng.uniform(-4, 4), rng.uniform(-0.12, 0.12)
    m = cv2.getRotationMatrix2D((W / 2, H / 2), angle, 1.0)
    m[0, 1] += shear
    m[0, 2] -= shear * H / 2
    big = cv2.warpAffine(big, m, (W, H), flags=cv2.INTER_LINEAR, borderValue=0)
    out = cv2.resize(big, (max(2, int(round(w * rng.uniform(0.88, 1.12)))), h), interpolation=cv2.INTER_AREA)
    return np.clip(out, 0, 1)


def _paste(dst: np.ndarray, mask: np.ndarray, x: int, y: int, w: int, h: int):
    if w < 2 or h < 2:
        return
    m = cv2.resize(mask, (w, h), interpolation=cv2.INTER_AREA if mask.shape[1] > w else cv2.INTER_LINEAR)
    H, W = dst.shape
    x0, y0, x1, y1 = max(0, x), max(0, y), min(W, x + w), min(H, y + h)
    if x1 <= x0 or y1 <= y0:
        return
    dst[y0:y1, x0:x1] = np.maximum(dst[y0:y1, x0:x1], m[y0 - y:y1 - y, x0 - x:x1 - x])


# --- plate styles -------------------------------------------------------------------------------------------
UK_FONTS = ["/usr/share/fonts/truetype/opendin/OSP-DIN.ttf",
            "/usr/share/fonts/opentype/bebas-neue/BebasNeue-Bold.otf",
            "/usr/share/fonts/opentype/bebas-neue/BebasNeue-Regular.otf",
            "/usr/share/fonts/truetype/roboto/unhinted/RobotoCondensed-Bold.ttf",
            "/usr/share/fonts/truetype/routed-gothic/routed-gothic-narrow.ttf",
            "/usr/share/fonts/truetype/liberation/LiberationSansNarrow-Bold.ttf"]
US_FONTS = UK_FONTS + ["/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf",
                       "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"]
STATE_WORDS = ["CALIFORNIA", "TEXAS", "NEW YORK", "FLORIDA", "ILLINOIS", "OHIO", "GEORGIA", "MICHIGAN", "ARIZONA",
               "VIRGINIA", "WASHINGTON", "COLORADO", "NEVADA", "OREGON", "MARYLAND", "MISSOURI", "KENTUCKY",
               "IDAHO", "ALABAMA", "INDIANA", "IOWA", "KANSAS", "UTAH", "NEW JERSEY", "MASSACHUSETTS",
               "Sunshine State", "Empire State", "Land of Lincoln", "dmv.ca.gov", "Garden State", "Great Lakes",
               "The Lone Star State", "Famous Potatoes", "Wild Wonderful", "Live Free or Die", "Show Me State"]


def _text(img: Image.Image, txt: str, xy, font: str, size: int, fill):
    f = ImageFont.truetype(font, size=max(6, size))
    ImageDraw.Draw(img).text(xy, txt, font=f, fill=fill)


class Renderer:
    def __init__(self, formats: dict[str, list[Format]], glyphs: Glyphs, eu_fonts: list[str], plain_one: float = 0.0,
                 gb_tiles: float = 0.45, side_band: str | None = None):
        self.formats = formats
        # GB side band: None draws it as for training (a blue GB/UK band on 35% of plates); "none", "blue", "green" (a
        # zero-emission flash) or "flag" (a national flag with its identifier) put that on every GB plate, the random
        # draws otherwise the same, so that one plate can be compared with each (bench/gb_looks.py).
        self.side_band = side_band
        self.gb_tiles = gb_tiles  # share of GB plates composed from real character tiles
        self.plain_one = plain_one  # share of GB 1s drawn as a plain stroke
        self.glyphs = glyphs
        self.eu_fonts = [p for p in eu_fonts if os.path.exists(p)]

    # A plate as an RGB uint8 array, tight to its edge, and the text on it.
    def plate(self, rng: random.Random, style: str) -> tuple[np.ndarray, str]:
        if style == "gb":
            return self._gb(rng)
        if style == "gb2":
            return self._gb_two_line(rng)
        if style == "eu":
            return self._eu(rng)
        if style == "us":
            return self._us(rng)
        if style == "br":
            return self._br(rng)
        return self._ua(rng)

    def _line(self, text: str, cuts: list[int], ch_h: int, pitch: float, char_w: float, gap: float,
              rng: random.Random, source: str, font: str | None, plain_one: float = 0.0) -> np.ndarray:
        """An ink mask of one line: fixed pitch, narrow glyphs, a gap at each cut."""
        n = len(text)
        width = int(n * pitch + len(cuts) * gap + ch_h)
        mask = np.zeros((int(ch_h * 1.3) + 4, width), np.float32)
        x = ch_h * 0.5
        y0 = int(ch_h * 0.15) + 2
        for i, ch in enumerate(text):
            if i in cuts:
                x += gap
            g = None
            if source == "tiles":
                g = self.glyphs.tile_mask(ch, rng)
            # The UK plate 1 is a plain vertical stroke (BS AU 145e), unlike most fonts' flagged 1. (Checked first
            # so that with plain_one 0 no random number is drawn: the first training set is reproduced exactly.)
            if plain_one > 0 and g is None and ch == "1" and rng.random() < plain_one:
                g = np.ones((ch_h, max(2, int(ch_h * rng.uniform(0.12, 0.17)))), np.float32)
            if g is None:
                g = self.glyphs.font_mask(font or rng.choice(self.glyphs.fonts), ch, ch_h)
            # fixed pitch: every glyph is made the same height; narrow glyphs (1, I) keep their own width
            natural = g.shape[1] / g.shape[0] * ch_h
            w = int(round(min(char_w, natural * 1.15) if natural < char_w * 0.55 else char_w * rng.uniform(0.93, 1.05)))
            _paste(mask, g, int(x + (pitch - w) / 2 + rng.uniform(-0.6, 0.6)), y0 + int(rng.uniform(-0.8, 0.8)), w, ch_h)
            x += pitch
        return mask

    def _compose(self, bg: np.ndarray, ink: np.ndarray, ink_rgb, x: int, y: int, rng: random.Random,
                 raised: bool) -> np.ndarray:
        H, W = ink.shape
        region = bg[y:y + H, x:x + W].astype(np.float32)
        ink = ink[:region.shape[0], :region.shape[1]]
        if raised:  # raised (3D) characters: a soft shadow offset below right
            sh = np.roll(np.roll(cv2.GaussianBlur(ink, (0, 0), 1.2), 2, 0), 2, 1) * 0.45
            region *= (1 - sh[..., None])
        a = ink[..., None]
        region = region * (1 - a) + np.array(ink_rgb, np.float32) * a
        bg[y:y + region.shape[0], x:x + region.shape[1]] = np.clip(region, 0, 255).astype(np.uint8)
        return bg

    def _gb(self, rng: random.Random):
        fs = self.formats.get("GB", [])
        text, cuts = sample_string(fs, rng)
        ch_h = 79  # the DVLA's 79 mm character height; everything else in millimetres too
        source = "tiles" if self.glyphs.tiles and rng.random() < self.gb_tiles else "font"
        font = rng.choice(self.glyphs.fonts)
        ink = self._line(text, cuts, ch_h, pitch=rng.uniform(58, 64), char_w=rng.uniform(47, 52), gap=rng.uniform(25, 36),
                         rng=rng, source=source, font=font, plain_one=self.plain_one)
        rear = rng.random() < 0.5
        bg_rgb = np.array([rng.randint(235, 255), rng.randint(190, 220), rng.randint(0, 40)] if rear
                          else [rng.randint(225, 255)] * 3, np.float32)
        if rng.random() < 0.04:  # pressed-metal plate of older cars: silver characters on black
            bg_rgb = np.array([rng.randint(10, 40)] * 3, np.float32)
            ink_rgb = (rng.randint(180, 230),) * 3
        else:
            ink_rgb = (rng.randint(0, 35),) * 3
        band = rng.random() < 0.35 if self.side_band is None else self.side_band != "none"
        band_w = 50 if band else 0
        pw = max(520 if rng.random() < 0.85 else 0, ink.shape[1] + 30 + band_w)
        ph = 111
        plate = np.zeros((ph, pw, 3), np.uint8)
        plate[:] = bg_rgb
        if band or self.side_band is not None:  # drawn for a forced "none" too, so that it pairs with the others
            blue = (rng.randint(0, 30), rng.randint(40, 90), rng.randint(140, 200))
            identifier = rng.choice(["GB", "UK", "GB", "UK", ""])
            if band:
                plate = _side_band(plate, band_w, self.side_band or "blue", blue, identifier)
        x = band_w + (pw - band_w - ink.shape[1]) // 2
        y = (ph - ink.shape[0]) // 2 + 3
        plate = self._compose(plate, ink, ink_rgb, x, max(0, y), rng, raised=rng.random() < 0.3)
        if rng.random() < 0.25:  # dealer name along the bottom edge
            im = Image.fromarray(plate)
            _text(im, rng.choice(["ARNOLD CLARK", "EVANS HALSHAW", "LOOKERS", "MOTORPOINT", "PLATES 4U", "BSAU 145e"]),
                  (pw // 2 - 60, ph - 14), UK_FONTS[3], 10, (40, 40, 40))
            plate = np.asarray(im).copy()
        return plate, text

    def _gb_two_line(self, rng: random.Random):
        """A GB plate on two lines (DVLA INF104): a motorcycle's (64 mm characters 44 mm wide, 13 mm between lines) or
        a car's square plate (79 mm, 50 mm wide, 19 mm), the registration's first group above its second. Not among the
        training styles: drawn for bench/gb_looks.py, its string the same as `_gb`'s for the same seed."""
        fs = self.formats.get("GB", [])
        text, cuts = sample_string(fs, rng)
        cut = cuts[0] if cuts else (len(text) + 1) // 2
        source = "tiles" if self.glyphs.tiles and rng.random() < self.gb_tiles else "font"
        font = rng.choice(self.glyphs.fonts)
        motorcycle = rng.random() < 0.5
        ch_h, width, between = (64, 44, 13) if motorcycle else (79, 50, 19)
        char_w = width * rng.uniform(0.95, 1.05)
        pitch = char_w + (10 if motorcycle else 11) * rng.uniform(0.9, 1.2)
        lines = [self._line(t, [], ch_h, pitch=pitch, char_w=char_w, gap=0, rng=rng, source=source, font=font,
                            plain_one=self.plain_one) for t in (text[:cut], text[cut:])]
        margin, top = 14, int(ch_h * 0.15) + 2  # where `_line` puts a character's top in its mask
        pw, ph = max(m.shape[1] for m in lines), 2 * margin + 2 * ch_h + between
        rear = motorcycle or rng.random() < 0.8  # a motorcycle has only a rear plate
        bg_rgb = [rng.randint(235, 255), rng.randint(190, 220), rng.randint(0, 40)] if rear else [rng.randint(225, 255)] * 3
        plate = np.zeros((ph, pw, 3), np.uint8)
        plate[:] = np.array(bg_rgb, np.float32)
        ink_rgb = (rng.randint(0, 35),) * 3
        raised = rng.random() < 0.3
        for i, ink in enumerate(lines):
            y = margin + i * (ch_h + between) - top
            plate = self._compose(plate, ink, ink_rgb, (pw - ink.shape[1]) // 2, max(0, y), rng, raised=raised)
        return plate, text

    def _eu(self, rng: random.Random):
        countries = [c for c in ["DE", "FR", "NL", "BE", "ES", "IT", "PT", "PL", "CZ", "SK", "AT", "DK", "SE", "NO", "FI", "IE", "CH"]
                     if c in self.formats]
        c = rng.choice(countries)
        text, cuts = sample_string(self.formats[c], rng)
        font = rng.choice(self.eu_fonts or self.glyphs.fonts)
        ch_h = 75
        ink = self._line(text, cuts, ch_h, pitch=rng.uniform(44, 52), char_w=rng.uniform(38, 46), gap=rng.uniform(20, 45),
                         rng=rng, source="font", font=font)
        band_w = 45
        pw, ph = max(520, ink.shape[1] + band_w + 20), 110
        bg = [rng.randint(225, 255)] * 3 if rng.random() < 0.85 else [rng.randint(235, 255), rng.randint(190, 215), rng.randint(0, 40)]
        plate = np.zeros((ph, pw, 3), np.uint8)
        plate[:] = bg
        plate[:, :band_w] = (rng.randint(0, 30), rng.randint(30, 80), rng.randint(140, 200))
        im = Image.fromarray(plate)
        d = ImageDraw.Draw(im)
        for k in range(12):  # the ring of stars
            a = 2 * math.pi * k / 12
            cx, cy = band_w / 2 + 12 * math.cos(a), 32 + 12 * math.sin(a)
            d.ellipse([cx - 2, cy - 2, cx + 2, cy + 2], fill=(250, 220, 0))
        _text(im, c if c != "DE" else "D", (10, 62), self.eu_fonts[0] if self.eu_fonts else UK_FONTS[0], 30, (255, 255, 255))
        plate = np.asarray(im).copy()
        x = band_w + (pw - band_w - ink.shape[1]) // 2
        plate = self._compose(plate, ink, (rng.randint(0, 30),) * 3, x, max(0, (ph - ink.shape[0]) // 2 + 2), rng,
                              raised=rng.random() < 0.3)
        if c == "DE" and cuts and rng.random() < 0.7:  # registration seals between the district and the serial
            xs = x + ch_h * 0.5 + cuts[0] * ink.shape[1] / max(1, len(text) + 1)
            im = Image.fromarray(plate)
            d = ImageDraw.Draw(im)
            d.ellipse([xs - 10, 25, xs + 10, 45], fill=(rng.randint(100, 200), rng.randint(60, 160), rng.randint(40, 120)))
            d.ellipse([xs - 10, 60, xs + 10, 80], fill=(rng.randint(150, 220),) * 3)
            plate = np.asarray(im).copy()
        return plate, text

    def _us(self, rng: random.Random):
        if rng.random() < 0.85:
            text, cuts = sample_string(self.formats["US"], rng)
        else:  # vanity plates follow no format
            text, cuts = random_string(rng, 2, 7)
        font = rng.choice(US_FONTS)
        ch_h = 70
        ink = self._line(text, cuts, ch_h, pitch=rng.uniform(40, 52), char_w=rng.uniform(32, 44), gap=rng.uniform(0, 30),
                         rng=rng, source="font", font=font)
        pw, ph = max(300, ink.shape[1] + 20), 150
        top = np.array([rng.randint(150, 255) for _ in range(3)], np.float32)
        bottom = np.array([rng.randint(150, 255) for _ in range(3)], np.float32)
        t = np.linspace(0, 1, ph)[:, None, None]
        plate = (top * (1 - t) + bottom * t).repeat(pw, 1).astype(np.uint8)
        im = Image.fromarray(plate)
        word_rgb = (rng.randint(0, 200), rng.randint(0, 80), rng.randint(0, 200))
        _text(im, rng.choice(STATE_WORDS), (rng.randint(10, 80), rng.randint(2, 10)), rng.choice(US_FONTS), rng.randint(18, 30), word_rgb)
        if rng.random() < 0.6:
            _text(im, rng.choice(STATE_WORDS), (rng.randint(20, 90), ph - 28), rng.choice(US_FONTS), rng.randint(12, 20), word_rgb)
        plate = np.asarray(im).copy()
        ink_rgb = rng.choice([(20, 20, 20), (20, 30, 120), (140, 20, 20), (10, 80, 30)])
        x = (pw - ink.shape[1]) // 2
        plate = self._compose(plate, ink, ink_rgb, max(0, x), (ph - ink.shape[0]) // 2 + 5, rng, raised=rng.random() < 0.5)
        return plate, text

    def _br(self, rng: random.Random):
        text, cuts = sample_string(self.formats["BR"], rng)
        font = rng.choice(self.eu_fonts or self.glyphs.fonts)
        ink = self._line(text, cuts, 70, pitch=rng.uniform(44, 50), char_w=rng.uniform(38, 44), gap=rng.uniform(10, 30),
                         rng=rng, source="font", font=font)
        pw, ph = max(400, ink.shape[1] + 20), 130
        mercosur = len(cuts) == 0
        plate = np.zeros((ph, pw, 3), np.uint8)
        plate[:] = [rng.randint(225, 255)] * 3 if mercosur or rng.random() < 0.5 else [rng.randint(170, 210)] * 3
        if mercosur:
            plate[:28] = (rng.randint(0, 30), rng.randint(40, 90), rng.randint(150, 210))
            im = Image.fromarray(plate)
            _text(im, "BRASIL", (pw // 2 - 35, 2), UK_FONTS[3], 20, (255, 255, 255))
            plate = np.asarray(im).copy()
        else:
            im = Image.fromarray(plate)
            _text(im, rng.choice(["SP - SAO PAULO", "RJ - RIO DE JANEIRO", "MG - BELO HORIZONTE", "PR - CURITIBA"]),
                  (pw // 2 - 80, 4), UK_FONTS[3], 18, (30, 30, 30))
            plate = np.asarray(im).copy()
        plate = self._compose(plate, ink, (rng.randint(0, 30),) * 3, max(0, (pw - ink.shape[1]) // 2), 32, rng, raised=rng.random() < 0.5)
        return plate, text

    def _ua(self, rng: random.Random):
        text, cuts = sample_string(self.formats["UA"], rng)
        font = rng.choice(self.eu_fonts or self.glyphs.fonts)
        ink = self._line(text, cuts, 75, pitch=rng.uniform(44, 50), char_w=rng.uniform(38, 44), gap=rng.uniform(15, 35),
                         rng=rng, source="font", font=font)
        band_w = 45
        pw, ph = max(520, ink.shape[1] + band_w + 20), 112
        plate = np.zeros((ph, pw, 3), np.uint8)
        plate[:] = [rng.randint(225, 255)] * 3
        plate[:56, :band_w] = (0, 87, 183)
        plate[56:, :band_w] = (255, 215, 0)
        plate = self._compose(plate, ink, (rng.randint(0, 30),) * 3, band_w + (pw - band_w - ink.shape[1]) // 2,
                              max(0, (ph - ink.shape[0]) // 2 + 2), rng, raised=rng.random() < 0.3)
        return plate, text


DEALER_WORDS = ["AUTO", "MOTORS", "AUTO SALES", "TOYOTA", "HONDA", "FORD", "CHEVROLET", "NISSAN", "DEALER", "AUTO GROUP",
                "CARS", "AUTOHAUS", "GARAGE", "SERVICE", "MOTOR CO"]


def _side_band(plate: np.ndarray, band_w: int, kind: str, blue, identifier: str) -> np.ndarray:
    """A GB plate's left band: blue with a GB/UK identifier; the zero-emission green flash (DfT, since December 2020:
    a plain green strip, 40-50 mm of the plate's 520); or a national flag with its identifier (a saltire, SCO)."""
    if kind == "green":
        plate[:, :int(band_w * 0.9)] = (0, 150 + blue[1] % 40, 70 + blue[0])  # Pantone 7481C-like
        return plate
    plate[:, :band_w] = blue if kind == "blue" else (0, 94, 184)
    im = Image.fromarray(plate)
    if kind == "flag":
        d = ImageDraw.Draw(im)
        d.line([(0, 8), (band_w, 42)], fill=(255, 255, 255), width=7)
        d.line([(band_w, 8), (0, 42)], fill=(255, 255, 255), width=7)
        _text(im, "SCO", (3, 70), UK_FONTS[0], 20, (255, 255, 255))
    else:
        _text(im, identifier, (8, 70), UK_FONTS[0], 28, (255, 255, 255))
    return np.asarray(im).copy()


def smear(crop: np.ndarray, rng: random.Random) -> np.ndarray:
    """The crop of a plate that moved during the exposure: averaged along a line 2-7% of the crop's width long (at
    least 3 pixels), mostly along the rows (a car crossing the view), otherwise at up to 30 degrees."""
    h, w = crop.shape[:2]
    length = max(3, int(round(rng.uniform(0.02, 0.07) * w)))
    angle = 0.0 if rng.random() < 0.7 else rng.uniform(-30, 30)
    k = np.zeros((length, length), np.float32)
    k[length // 2, :] = 1
    rot = cv2.getRotationMatrix2D(((length - 1) / 2, (length - 1) / 2), angle, 1.0)
    k = cv2.warpAffine(k, rot, (length, length))
    k /= max(1e-6, float(k.sum()))
    return cv2.filter2D(crop, -1, k, borderType=cv2.BORDER_REPLICATE)


def dealer_frame(plate: np.ndarray, rng: random.Random) -> np.ndarray:
    """The plate in a dealer's frame, as many cars carry it: a dark or chrome band over the plate's edges, thin at
    the sides (its inner edge can touch the first or last character, so the two join into one dark shape),
    thicker at the bottom, sometimes with the dealer's name on it. The frame is drawn inside the plate's own box,
    which is how a detector's box around a framed plate includes it."""
    out = plate.copy()
    ph, pw = out.shape[:2]
    side = int(pw * rng.uniform(0.02, 0.10))
    top = int(ph * rng.uniform(0.03, 0.18))
    bottom = int(ph * rng.uniform(0.08, 0.22))
    colour = [rng.randint(0, 50)] * 3 if rng.random() < 0.7 else [rng.randint(120, 220)] * 3
    out[:top] = colour
    out[ph - bottom:] = colour
    out[:, :side] = colour
    out[:, pw - side:] = colour
    if bottom >= 8 and rng.random() < 0.5:
        im = Image.fromarray(out)
        ink = (255 - colour[0],) * 3 if rng.random() < 0.8 else (rng.randint(150, 255), rng.randint(0, 80), rng.randint(0, 80))
        size = max(6, int(bottom * rng.uniform(0.5, 0.8)))
        _text(im, rng.choice(DEALER_WORDS), (int(pw * rng.uniform(0.2, 0.45)), ph - bottom + (bottom - size) // 2 - 1),
              rng.choice(US_FONTS), size, ink)
        out = np.asarray(im).copy()
    return out


# --- the camera ---------------------------------------------------------------------------------------------
def _background(rng: random.Random, h: int, w: int) -> np.ndarray:
    base = np.array([rng.randint(0, 255) for _ in range(3)], np.float32)
    noise = cv2.resize(np.random.default_rng(rng.randint(0, 1 << 30)).normal(0, rng.uniform(5, 40), (max(2, h // 16), max(2, w // 16), 3)).astype(np.float32),
                       (w, h), interpolation=cv2.INTER_CUBIC)
    return np.clip(base + noise, 0, 255).astype(np.uint8)


def camera(plate: np.ndarray, rng: random.Random) -> np.ndarray:
    """The plate in a scene, seen by a camera, cut out as the detector's box plus the reader's padding."""
    nrng = np.random.default_rng(rng.randint(0, 1 << 30))
    # work at twice the final resolution (plates 60-250 px wide in the frame): cheap, and still sharp enough
    plate_px = rng.uniform(60, 250)
    s = min(1.0, 2 * plate_px / plate.shape[1])
    plate = cv2.resize(plate, (max(8, int(plate.shape[1] * s)), max(8, int(plate.shape[0] * s))), interpolation=cv2.INTER_AREA)
    ph, pw = plate.shape[:2]
    # dirt, glare and shadow on the plate itself
    p = plate.astype(np.float32)
    if rng.random() < 0.3:  # shadow edge across the plate
        x0 = rng.uniform(0, pw)
        k = rng.uniform(-1, 1)
        yy, xx = np.mgrid[0:ph, 0:pw]
        p[(xx - x0 - k * yy) > 0] *= rng.uniform(0.35, 0.75)
    if rng.random() < 0.2:  # glare blob
        cx, cy, r = rng.uniform(0, pw), rng.uniform(0, ph), rng.uniform(20, 120) * s
        yy, xx = np.mgrid[0:ph, 0:pw]
        p += (np.exp(-((xx - cx) ** 2 + (yy - cy) ** 2) / (2 * r * r)) * rng.uniform(60, 200))[..., None]
    if rng.random() < 0.3:  # dirt
        d = cv2.GaussianBlur(nrng.random((ph, pw)).astype(np.float32), (0, 0), max(0.5, rng.uniform(2, 8) * s))
        d = (d - d.min()) / (np.ptp(d) + 1e-6)
        p *= (1 - rng.uniform(0.1, 0.4) * d)[..., None]
    if rng.random() < 0.3:  # screws / bolts
        for _ in range(2):
            cx = int(rng.choice([rng.uniform(0.1, 0.3), rng.uniform(0.7, 0.9)]) * pw)
            cv2.circle(p, (cx, int(ph * 0.5 + rng.uniform(-5, 5) * s)), max(1, int(rng.randint(4, 7) * s)), (rng.randint(60, 200),) * 3, -1)
    plate = np.clip(p, 0, 255).astype(np.uint8)
    # frame: plate on a background with a margin, then perspective
    m = int(max(ph, pw) * 0.3)
    H, W = ph + 2 * m, pw + 2 * m
    scene = _background(rng, H, W)
    if rng.random() < 0.5:  # a dark plate surround
        e = max(1, int(6 * s))
        cv2.rectangle(scene, (m - e, m - e), (m + pw + e, m + ph + e), (rng.randint(0, 60),) * 3, -1)
    scene[m:m + ph, m:m + pw] = plate
    src = np.float32([[m, m], [m + pw, m], [m + pw, m + ph], [m, m + ph]])
    j = lambda s: rng.uniform(-s, s)
    ang = math.radians(j(6))
    shear = j(0.15)
    persp = j(0.12)
    cx, cy = W / 2, H / 2
    dst = []
    for (x, y) in src:
        dx, dy = x - cx, y - cy
        dx2 = dx + shear * dy
        yscale = 1 + persp * (dx / (pw / 2))
        dy2 = dy * yscale
        dst.append([cx + dx2 * math.cos(ang) - dy2 * math.sin(ang), cy + dx2 * math.sin(ang) + dy2 * math.cos(ang)])
    dst = np.float32(dst)
    M = cv2.getPerspectiveTransform(src, dst)
    scene = cv2.warpPerspective(scene, M, (W, H), borderMode=cv2.BORDER_REFLECT)
    # the detector's axis-aligned box around the plate, with its error, then the reader's padding
    x0, y0 = dst[:, 0].min(), dst[:, 1].min()
    x1, y1 = dst[:, 0].max(), dst[:, 1].max()
    bw, bh = x1 - x0, y1 - y0
    x0 += j(0.05) * bw; x1 += j(0.05) * bw
    y0 += j(0.1) * bh; y1 += j(0.1) * bh
    if rng.random() < 0.05:  # a partial crop: the box misses the edge of the plate
        x1 -= rng.uniform(0.0, 0.06) * bw
    bw, bh = x1 - x0, y1 - y0
    px, py = CROP_PADDING
    x0, x1 = x0 - px * bw, x1 + px * bw
    y0, y1 = y0 - py * bh, y1 + py * bh
    x0, y0 = max(0, int(x0)), max(0, int(y0))
    x1, y1 = min(W, int(x1)), min(H, int(y1))
    crop = scene[y0:y1, x0:x1]
    # resolution: plates 60-250 px wide in the frame
    target_w = int(plate_px * (x1 - x0) / max(1.0, bw))
    target_w = max(24, target_w)
    target_h = max(10, int(round(crop.shape[0] * target_w / crop.shape[1])))
    crop = cv2.resize(crop, (target_w, target_h), interpolation=cv2.INTER_AREA)
    return degrade(crop, rng)


def seen_plate(renderer: "Renderer", rng: random.Random, style: str, dress=None) -> tuple[np.ndarray, str]:
    """A plate of `style` as a camera crops it (`camera`), and its text; `dress(plate)`, if given, changes the plate
    first (a dealer's frame). A rare degenerate geometry is drawn again, up to five times."""
    for _ in range(5):
        try:
            plate, text = renderer.plate(rng, style)
            if dress is not None:
                plate = dress(plate)
            return camera(plate, rng), text
        except Exception:
            continue
    raise RuntimeError("renderer failed five times")


def degrade(img: np.ndarray, rng: random.Random) -> np.ndarray:
    nrng = np.random.default_rng(rng.randint(0, 1 << 30))
    f = img.astype(np.float32)
    if rng.random() < 0.3:  # motion blur
        k = rng.randint(3, 7)
        kern = np.zeros((k, k), np.float32)
        if rng.random() < 0.5:
            kern[k // 2, :] = 1
        else:
            np.fill_diagonal(kern, 1)
        f = cv2.filter2D(f, -1, kern / kern.sum())
    if rng.random() < 0.4:  # focus blur
        f = cv2.GaussianBlur(f, (0, 0), rng.uniform(0.3, 1.3))
    if rng.random() < 0.25:  # low light
        f = f * rng.uniform(0.25, 0.6) + rng.uniform(0, 20)
    if rng.random() < 0.15:  # overexposed
        f = f * rng.uniform(1.2, 1.8)
    if rng.random() < 0.2:  # IR camera: greyscale
        g = f.mean(axis=2, keepdims=True)
        f = np.repeat(g, 3, axis=2)
    f = f * rng.uniform(0.7, 1.2) + rng.uniform(-30, 30)  # contrast, brightness
    f = f + nrng.normal(0, rng.uniform(0, 12), f.shape)
    img = np.clip(f, 0, 255).astype(np.uint8)
    if rng.random() < 0.6:
        ok, enc = cv2.imencode(".jpg", img, [cv2.IMWRITE_JPEG_QUALITY, rng.randint(20, 90)])
        img = cv2.imdecode(enc, cv2.IMREAD_COLOR)
    return img


def to_input(crop: np.ndarray) -> np.ndarray:
    """A crop (H x W x 3, uint8, RGB or BGR alike: the model uses grey) laid out as the reader sees it:
    resized to HEIGHT keeping its aspect (squarish crops stretched), left-aligned on a WIDTH canvas padded with
    PAD_PIXEL. Returns HEIGHT x WIDTH uint8 grey. Mirrors Recognition/PlateReader.swift."""
    h, w = crop.shape[:2]
    aspect = w / max(1, h)
    if aspect < STRETCH_BELOW:
        aspect = max(aspect, STRETCH_TO)
    cw = min(WIDTH, max(8, int(math.ceil(HEIGHT * aspect))))
    grey = crop.mean(axis=2).astype(np.float32) if crop.ndim == 3 else crop.astype(np.float32)
    interp = cv2.INTER_AREA if w > cw else cv2.INTER_LINEAR
    small = cv2.resize(grey, (cw, HEIGHT), interpolation=interp)
    out = np.full((HEIGHT, WIDTH), PAD_PIXEL, np.float32)
    out[:, :cw] = small
    return np.clip(out + 0.5, 0, 255).astype(np.uint8)
