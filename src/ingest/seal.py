"""A round seal printed over a signature block: found by its rings, and its rings wiped.

On a black-and-white scan the seal (con dấu) is as black as the print it is pressed over: its
rings run through the first letters of the title lines ("KT.", "PHÓ") and of the name, and
Tesseract's page segmentation may take the whole block for a picture and read nothing there.
A seal is round and of a known physical size (the seals of state bodies are about 35-45 mm
across; those of the black-and-white scans in ../shared/realdocs measure 38-42 mm), and its
rings are concentric circles inked along nearly their whole length, which no print is.

`find_seal` looks for such a circle in a band of the page (Hough circles on the band at a
quarter of its size, each candidate checked on the page by how much of each radius around it
is inked); `wiped` returns the band with the ring pixels (and only them: a stroke of ink
that runs along the circle) made paper, so the lines under it can be read again alone.
The letters the seal prints between its rings and its emblem stay: read alone, a title line
keeps its print and loses the ring that joined it to the seal.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import cv2
import numpy as np

from .models import Box
from .recover import INK

MM_PER_INCH = 25.4
RADIUS_MM = (15.0, 25.0)  # a seal 30-50 mm across: the usual 35-45 mm and a margin
SHRINK = 0.25             # the band is searched for circles at this scale
CANDIDATES = 6            # Hough circles checked on the page
FULL_RING = 0.9           # share of a circle's length inked at a seal's outer ring
RING_COVER = 0.55         # ... at any of its rings (an inner ring is thinner, lighter)
INNERMOST = 0.6           # rings lie in the outer part of a seal: the emblem inside is no ring
REACH = 1.15              # radii (of the circle found) a seal's outer ring may reach
ANGLES = 720              # steps around the circle when a radius's ink is counted
RING_PAD = 2              # pixels wiped on either side of a ring's inked radii
RUN = 0.02                # share of the circle a stroke must follow to be a ring's


@dataclass(frozen=True)
class Seal:
    """A seal found on the page: its centre and outer radius (page pixels) and the radii
    (from, to) of its rings."""

    x: float
    y: float
    radius: float
    rings: tuple[tuple[int, int], ...]


def _ink(page: np.ndarray) -> np.ndarray:
    """255 where the page is darker than recover's INK, else 0."""
    return cv2.threshold(page, INK - 1, 255, cv2.THRESH_BINARY_INV)[1]


def _runs(indexes: Sequence[int], gap: float) -> list[tuple[int, int]]:
    """Ascending indexes joined into runs (first, last) across gaps of at most `gap`."""
    runs: list[list[int]] = []
    for i in indexes:
        if runs and i - runs[-1][1] <= gap:
            runs[-1][1] = i
        else:
            runs.append([i, i])
    return [(first, last) for first, last in runs]


def _cover(ink: np.ndarray, x: float, y: float, reach: float, angles: int = ANGLES) -> np.ndarray:
    """The share of each radius (0 .. reach, one pixel a step) around (x, y) that is inked."""
    polar = cv2.warpPolar(ink, (int(reach), angles), (float(x), float(y)), reach, cv2.WARP_POLAR_LINEAR)
    # A centre a few pixels off makes a ring wobble across radii: a radius counts as inked at
    # an angle when it or its neighbours are.
    polar = cv2.dilate(polar, np.ones((1, 5), np.uint8))
    return (polar > 127).mean(axis=0)


CENTRE_SEARCH = (8, 4, 2)  # pixels: the steps of the search for a circle's centre about Hough's


def _centred(ink: np.ndarray, x: float, y: float, radius: float, reach: float) -> tuple[float, float]:
    """The centre near (x, y) around which a ring is inked along the most of its length:
    Hough's centre, taken from a quarter-size image, may be a few pixels off, and a ring
    seen from a centre off by more than its width is inked at no one radius."""
    inner = int(INNERMOST * radius)

    def score(cx: float, cy: float) -> float:
        return float(_cover(ink, cx, cy, reach, ANGLES // 4)[inner:].max(initial=0.0))

    best = (score(x, y), x, y)
    for step in CENTRE_SEARCH:
        _, bx, by = best
        for dx in (-step, 0, step):
            for dy in (-step, 0, step):
                if dx or dy:
                    best = max(best, (score(bx + dx, by + dy), bx + dx, by + dy))
    return best[1], best[2]


def _rings(cover: np.ndarray, radius: float) -> tuple[tuple[int, int], ...]:
    """Runs of radii inked along nearly the whole circle, outside the emblem."""
    inked = [r for r in range(int(INNERMOST * radius), len(cover)) if cover[r] >= RING_COVER]
    return tuple(_runs(inked, 2))


def find_seal(page: np.ndarray, dpi: float, band: Box) -> Seal | None:
    """The seal in `band` (left, top, right, bottom of the page): the likeliest circle of a
    seal's size (Hough's order) inked along nearly its whole length, or None."""
    left, top, right, bottom = (max(0, band[0]), max(0, band[1]), min(page.shape[1], band[2]),
                                min(page.shape[0], band[3]))
    if right - left < 8 or bottom - top < 8:
        return None
    per_mm = dpi / MM_PER_INCH
    low, high = (round(mm * per_mm * SHRINK) for mm in RADIUS_MM)
    small = cv2.resize(page[top:bottom, left:right], None, fx=SHRINK, fy=SHRINK, interpolation=cv2.INTER_AREA)
    circles = cv2.HoughCircles(cv2.GaussianBlur(small, (3, 3), 0), cv2.HOUGH_GRADIENT, dp=1, minDist=low,
                               param1=100, param2=20, minRadius=low, maxRadius=high)
    if circles is None:
        return None
    for cx, cy, r in circles[0][:CANDIDATES]:
        x, y, radius = left + cx / SHRINK, top + cy / SHRINK, r / SHRINK
        reach = REACH * radius
        x0, y0 = max(0, int(x - reach)), max(0, int(y - reach))
        ink = _ink(page[y0:int(y + reach) + 1, x0:int(x + reach) + 1])
        cx, cy = _centred(ink, x - x0, y - y0, radius, reach)
        cover = _cover(ink, cx, cy, reach)
        if cover[int(INNERMOST * radius):].max(initial=0.0) >= FULL_RING:
            rings = _rings(cover, radius)
            return Seal(float(cx + x0), float(cy + y0), float(rings[-1][1]), rings)
    return None


def wiped(page: np.ndarray, seal: Seal, band: Box) -> np.ndarray:
    """A copy of `band` of the page with the seal's rings made paper: the ink at a ring's
    radii that runs along the circle (a letter crossing the ring keeps its ink off it)."""
    left, top, right, bottom = band
    crop = page[top:bottom, left:right].copy()
    reach = seal.radius + 4 * RING_PAD + 1  # the outer ring's pad and a margin past it
    size = int(reach)
    x, y = seal.x - left, seal.y - top
    polar = cv2.warpPolar(_ink(crop), (size, ANGLES * 4), (x, y), reach, cv2.WARP_POLAR_LINEAR)
    along = cv2.morphologyEx((polar > 127).astype(np.uint8), cv2.MORPH_OPEN,
                             np.ones((max(3, round(RUN * ANGLES * 4)), 1), np.uint8))
    mask = np.zeros_like(polar)
    for a, b in seal.rings:
        a, b = max(0, a - RING_PAD), min(size, b + RING_PAD + 1)
        mask[:, a:b] = along[:, a:b] * 255
    back = cv2.warpPolar(mask, (crop.shape[1], crop.shape[0]), (x, y), reach,
                         cv2.WARP_POLAR_LINEAR | cv2.WARP_INVERSE_MAP)
    # The inverse map takes every point past `reach` to the polar image's last radius: only
    # the disc is the seal's.
    disc = np.zeros_like(back)
    cv2.circle(disc, (round(x), round(y)), size - 1, 255, -1)
    crop[cv2.dilate(((back > 63) & (disc > 0)).astype(np.uint8), np.ones((3, 3), np.uint8)) > 0] = 255
    return crop


ROW_INK = 0.04      # share of a row's width inked, in a line of print
ROW_GAP = 0.15      # line heights: a gap this small inside a line (between marks and letters) is no gap
ROW_MIN, ROW_MAX = 0.5, 2.2  # line heights: a line of print's


def text_rows(ink: np.ndarray, height: float) -> list[tuple[int, int]]:
    """Rows (top, bottom) of the lines of print in a binary strip (1 = ink): runs of rows
    inked enough, joined across small gaps, of a line's height."""
    inked = [int(row) for row in np.flatnonzero(ink.sum(axis=1) > ROW_INK * ink.shape[1])]
    return [(top, bottom + 1) for top, bottom in _runs(inked, max(1, ROW_GAP * height))
            if ROW_MIN * height <= bottom + 1 - top <= ROW_MAX * height]
