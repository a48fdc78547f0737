"""Clean a scanned page before OCR: seal removal, resampling, flat paper, despeckle, deskew.

Each step is a small function on a numpy greyscale array (uint8, text dark on light), so it
can be tested alone; `clean_page` chains the first four, `deskew` runs once the page is upright.
Orientation (90/180/270) is decided by Tesseract's OSD in `ingest.ocr`, not here.
"""

from __future__ import annotations

import cv2
import numpy as np
from PIL import Image, ImageChops

from .limits import capped_scale


TARGET_DPI = 300
RED_DOMINANCE = 60  # red channel minus the stronger of green and blue
_SEAL_INK = [255 if v > RED_DOMINANCE else 0 for v in range(256)]  # redness -> a paste mask
# Pen ink (blue, violet) against print: on the real colour scans of ../shared/realdocs the
# channels of black print lie within about 10 of each other (99th percentile 0-20), a
# ballpoint's blue spreads them by 50-80.
PEN_SPREAD = 30
MAX_SKEW_DEGREES = 5.0
# Skew is measured on the page shrunk to this many pixels on its long side: at 0.1° steps a
# line of text 700 px long still moves by a pixel.
SKEW_SIDE = 700


def _colour(image: Image.Image) -> Image.Image | None:
    """The image as RGB when it is in colour (any colour mode), else None."""
    if image.mode not in ("RGB", "RGBA", "P", "CMYK", "YCbCr"):
        return None
    return image if image.mode == "RGB" else image.convert("RGB")


def to_grey(image: Image.Image | np.ndarray) -> np.ndarray:
    """Greyscale that drops red ink: the red channel of an RGB scan (a new array; a grey
    array is returned as it is).

    In the red channel a red seal or stamp is nearly as light as paper, while black print,
    and the blue ink of handwritten numbers, stay dark. Text under the seal stays dark too.
    """
    if isinstance(image, np.ndarray):
        return image
    rgb = _colour(image)
    if rgb is not None:
        # With Pillow's own operations, one band at a time: a worker's peak memory is set
        # here, and every Pillow image turned into an array is two more copies of a page.
        # (OpenCV on the three bands as arrays takes half the CPU, ~20 ms a page, but holds
        # four bands at once: +8 MB at a worker's peak, measured on the real scans.)
        other = ImageChops.lighter(rgb.getchannel("G"), rgb.getchannel("B"))
        red = rgb.getchannel("R")
        # Where red clearly dominates, it is seal ink over paper: make it paper. Print under
        # the seal is dark in every channel and blue ink is not red-dominant, so both stay.
        redness = ImageChops.subtract(red, other)  # clipped at 0
        del other
        red.paste(255, mask=redness.point(_SEAL_INK))
        del redness  # before the array is made: the peak is the colour page and three bands
        image = red
    elif image.mode != "L":
        image = image.convert("L")
    return np.array(image)  # one copy, writable


def resample(grey: np.ndarray, dpi: float, max_pixels: int | None = None) -> np.ndarray:
    """Scale to about 300 DPI, the resolution Tesseract's models are trained for, but never
    past `max_pixels` (a page drawn small because it is huge is not enlarged back)."""
    if not dpi or 0.85 * TARGET_DPI <= dpi <= 1.35 * TARGET_DPI:
        return grey
    scale = capped_scale(grey.shape[1], grey.shape[0], TARGET_DPI / dpi, max_pixels)
    method = cv2.INTER_CUBIC if scale > 1 else cv2.INTER_AREA
    return cv2.resize(grey, None, fx=scale, fy=scale, interpolation=method)


def flatten_background(grey: np.ndarray, in_place: bool = False) -> np.ndarray:
    """Divide by the paper's own brightness so grey or uneven paper becomes white (into
    `grey` itself when `in_place`: one page of memory less at a worker's peak)."""
    small = cv2.resize(grey, None, fx=0.125, fy=0.125, interpolation=cv2.INTER_AREA)
    # A closing removes the text strokes; what remains is the paper.
    paper = cv2.morphologyEx(small, cv2.MORPH_CLOSE, np.ones((7, 7), np.uint8))
    paper = cv2.resize(cv2.medianBlur(paper, 5), (grey.shape[1], grey.shape[0]),
                       interpolation=cv2.INTER_LINEAR)
    np.maximum(paper, 1, out=paper)
    # No contrast stretch after this: it cost accuracy on degraded pages (measured).
    return cv2.divide(grey, paper, dst=grey if in_place else None, scale=255)


def components(binary: np.ndarray) -> tuple[int, np.ndarray, np.ndarray]:
    """The 8-connected components of a binary image: their count, label image and stats, as
    `cv2.connectedComponentsWithStats` gives them. Labels are 16-bit whenever they fit (the
    label image is the largest array a page's OCR makes: 16-bit halves it), 32-bit only
    for an image of more than 65,534 components, which OpenCV refuses to label in 16."""
    try:
        count, labels, stats, _ = cv2.connectedComponentsWithStats(binary, connectivity=8, ltype=cv2.CV_16U)
    except cv2.error:
        count, labels, stats, _ = cv2.connectedComponentsWithStats(binary, connectivity=8, ltype=cv2.CV_32S)
    return count, labels, stats


def component_boxes(binary: np.ndarray) -> list[tuple[int, int, int, int]]:
    """(x, y, width, height) of each 8-connected component of a binary image, as
    `components` gives them in its stats, in no set order; without the label image (the
    outer contours of the components: a page of bytes less than labelling them)."""
    contours, hierarchy = cv2.findContours(binary, cv2.RETR_CCOMP, cv2.CHAIN_APPROX_SIMPLE)
    if hierarchy is None:
        return []
    # In RETR_CCOMP's two levels, the contours without a parent are the outer boundaries of
    # every component, also one lying in another's hole; the others are holes.
    return [cv2.boundingRect(contour) for contour, (_, _, _, parent) in zip(contours, hierarchy[0]) if parent < 0]


def despeckle(grey: np.ndarray) -> np.ndarray:
    """Remove isolated dark specks (dust, scanner noise) smaller than a diacritic dot."""
    _, ink = cv2.threshold(grey, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    count, labels, stats = components(ink)
    # A tone dot (the "." under ạ) is ~6 px across at 300 DPI; specks are 1-3 px.
    tiny = np.flatnonzero(stats[:, cv2.CC_STAT_AREA] <= 6)
    tiny = tiny[tiny != 0]
    if tiny.size == 0:
        return grey
    cleaned = grey.copy()
    cleaned[np.isin(labels, tiny)] = 255
    return cleaned


def skew_angle(grey: np.ndarray) -> float:
    """The text's tilt in degrees (counter-clockwise positive), by projection profiles."""
    scale = SKEW_SIDE / max(grey.shape)
    small = cv2.resize(grey, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    _, ink = cv2.threshold(small, 0, 1, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    centre = (ink.shape[1] / 2, ink.shape[0] / 2)

    def sharpness(angle: float) -> float:
        matrix = cv2.getRotationMatrix2D(centre, angle, 1.0)
        # The 0/1 ink turned as bytes (nearest: still 0/1), a quarter of the memory of
        # floats; its rows summed as float32, exact for counts of a few hundred.
        rotated = cv2.warpAffine(ink, matrix, (ink.shape[1], ink.shape[0]), flags=cv2.INTER_NEAREST)
        profile = rotated.sum(axis=1, dtype=np.float32)
        return float(np.square(np.diff(profile)).sum())

    best = max(np.arange(-MAX_SKEW_DEGREES, MAX_SKEW_DEGREES + 0.01, 0.5), key=sharpness)
    fine = np.arange(best - 0.5, best + 0.51, 0.1)
    return float(round(max(fine, key=sharpness), 2))


def deskew(grey: np.ndarray) -> tuple[np.ndarray, float]:
    """Rotate the page so text lines are horizontal; return the page and the angle fixed."""
    angle = skew_angle(grey)
    if abs(angle) < 0.25:  # below what hurts Tesseract; rotating costs sharpness
        return grey, 0.0
    return rotate(grey, angle), angle


def rotate(image: np.ndarray, angle: float, background: int = 255) -> np.ndarray:
    """The image turned by `angle` degrees (counter-clockwise) about its centre."""
    if not angle:
        return image
    height, width = image.shape
    matrix = cv2.getRotationMatrix2D((width / 2, height / 2), angle, 1.0)
    return cv2.warpAffine(image, matrix, (width, height), flags=cv2.INTER_CUBIC,
                          borderMode=cv2.BORDER_CONSTANT, borderValue=background)


def pen_ink(image: Image.Image) -> np.ndarray | None:
    """255 where a colour page has coloured ink that is not red (a pen's blue or violet: a
    number or day written into the form's blank), 0 elsewhere, at half the page's size
    (every second pixel); None for a page without colour. Red is left out: a seal or a
    stamp, taken out of the page by `to_grey`."""
    rgb = _colour(image)
    if rgb is None:
        return None
    # Every second pixel (nearest, not averaged: a stroke keeps its colour) is plenty to
    # tell a word's ink colour, and a quarter of the memory: the colour page is a worker's
    # largest image, its channels at full size would be three more.
    half = rgb.resize((max(1, (rgb.width + 1) // 2), max(1, (rgb.height + 1) // 2)), Image.Resampling.NEAREST)
    red, green, blue = (np.asarray(half.getchannel(c)) for c in "RGB")
    spread = cv2.subtract(cv2.max(cv2.max(red, green), blue), cv2.min(cv2.min(red, green), blue))
    return ((spread > PEN_SPREAD) & (blue > red)).astype(np.uint8) * 255


def clean_page(image: Image.Image | np.ndarray, dpi: float, max_pixels: int | None = None) -> np.ndarray:
    """Greyscale without red ink, at about 300 DPI (at most `max_pixels`), on white paper.

    Specks are left to the reading: on the real scans of docs/BENCHMARKS.md removing them
    (`despeckle`) changed no page's error rate beyond noise and cost a tenth of a second."""
    grey = resample(to_grey(image), dpi, max_pixels)  # a new array, or the grey array handed over
    return flatten_background(grey, in_place=True)


def rotate_quarter(grey: np.ndarray, clockwise_degrees: int) -> np.ndarray:
    """Turn a page by a multiple of 90 degrees (clockwise)."""
    turns = {0: None, 90: cv2.ROTATE_90_CLOCKWISE, 180: cv2.ROTATE_180,
             270: cv2.ROTATE_90_COUNTERCLOCKWISE}[clockwise_degrees % 360]
    return grey if turns is None else cv2.rotate(grey, turns)
