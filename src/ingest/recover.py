"""Print Tesseract's page segmentation skipped, found as ink no word covers and read alone.

On real scans Tesseract's layout analysis sometimes takes printed lines for a picture and
reads nothing there: a stamp's dotted arc over a title line, a grey seal over the signer's
title and name. After the page is read, every word's box (and every region set apart) is
rubbed out of the ink; what is left and is wide and dense enough to be print is cut out and
read again on its own: a single line as a line, a taller area as sparse text among graphics. Only lines that read clearly as language
are kept (`noise.is_clear_print`), so a seal or a stroke read again is still dropped. This is the only
second reading a page gets, and only where the first one left print unread.
"""

from __future__ import annotations

from collections.abc import Sequence

import cv2
import numpy as np

from .layout import Geometry, Segment
from .models import Box
from .noise import Known, is_clear_print
from .preprocess import component_boxes
from .tesseract import Word, recognize_pages

MIN_WIDTH = 5.0            # line heights: a few words at least
MIN_HEIGHT = 0.5           # line heights
MAX_LINE = 2.2             # line heights: taller is a block, read as sparse text
MIN_DENSITY, MAX_DENSITY = 0.05, 0.6  # share of inked pixels in a box of print
MAX_AREAS = 6              # re-read at most this many areas of a page (bounds the cost)
INK = 128


def _ink(page: np.ndarray) -> np.ndarray:
    """1 where the page is darker than INK, else 0 (uint8, made without a boolean page)."""
    return cv2.threshold(page, INK - 1, 1, cv2.THRESH_BINARY_INV)[1]


def _rub_out(ink: np.ndarray, boxes: Sequence[Box], pad: int, value: int = 0) -> None:
    for left, top, right, bottom in boxes:
        if right + pad > 0 and bottom + pad > 0:  # a box left of or above the array: nothing to rub
            ink[max(0, top - pad):max(0, bottom + pad), max(0, left - pad):max(0, right + pad)] = value


def unread_areas(page: np.ndarray, words: Sequence[Word], set_apart: Sequence[Box],
                 geometry: Geometry) -> list[Box]:
    """Boxes of print-like ink that no word or region covers, top to bottom: a line, or a
    block under a seal or a stamp."""
    height = geometry.height
    ink = _ink(page)
    _rub_out(ink, [(w.left, w.top, w.right, w.bottom) for w in words], round(0.15 * height))
    _rub_out(ink, set_apart, round(0.3 * height))
    left = max(0, round(geometry.frame.left - height))
    right = min(page.shape[1], round(geometry.frame.right + height))
    ink[:, :left] = 0
    ink[:, right:] = 0
    # Join the letters of a line into one shape; lines of a block join through their gaps.
    joined = cv2.dilate(ink, np.ones((max(1, round(0.3 * height)), max(1, round(0.6 * height))), np.uint8))
    found = []
    for x, y, w, h in component_boxes(joined):
        if w < MIN_WIDTH * height or h < MIN_HEIGHT * height:
            continue
        density = float(ink[y:y + h, x:x + w].mean())
        if MIN_DENSITY <= density <= MAX_DENSITY:
            found.append((int(x), int(y), int(x + w), int(y + h)))
    found.sort(key=lambda b: (b[1], b[0]))
    return found[:MAX_AREAS]


def read_areas(page: np.ndarray, boxes: Sequence[Box], geometry: Geometry, known: Known,
               lang: str, timeout: float, first_line_id: int) -> list[Word]:
    """Read each box on its own (one line as a line, a taller area as sparse text among
    graphics: one Tesseract run for each of the two); keep the lines that read as language,
    placed on the page, each numbered as a line of its own."""
    pad = round(0.3 * geometry.height)
    origins = [(max(0, left - pad), max(0, top - pad)) for left, top, _, _ in boxes]
    crops = [page[y0:bottom + pad, x0:right + pad] for (x0, y0), (_, _, right, bottom) in zip(origins, boxes)]
    modes = [7 if bottom - top <= MAX_LINE * geometry.height else 11 for _, top, _, bottom in boxes]
    read = _read_crops(crops, modes, lang, timeout)
    out: list[Word] = []
    line_id = first_line_id
    for words, origin in zip(read, origins):
        lines = _placed_lines(words, origin, line_id)
        line_id += len(lines)
        out += [w for placed in lines if is_clear_print(Segment(placed), known) for w in placed]
    return out


def _read_crops(crops: Sequence[np.ndarray], modes: Sequence[int], lang: str, timeout: float) -> list[list[Word]]:
    """Each crop's words, read in its page segmentation mode: one Tesseract run per mode."""
    read: list[list[Word]] = [[] for _ in crops]
    for psm in sorted(set(modes)):
        indexes = [i for i, mode in enumerate(modes) if mode == psm]
        for i, words in zip(indexes, recognize_pages([crops[i] for i in indexes], lang, psm, timeout)):
            read[i] = words
    return read


def _placed_lines(words: Sequence[Word], origin: tuple[int, int], first_line_id: int) -> list[list[Word]]:
    """The lines Tesseract read in a crop of the page whose top left corner is `origin`:
    words placed back on the page, each line numbered as a line of its own from `first_line_id`."""
    x0, y0 = origin
    lines: dict[tuple[int, int, int], list[Word]] = {}
    for w in words:
        if w.text.strip():
            lines.setdefault(w.line, []).append(w)
    return [[Word(w.text, w.left + x0, w.top + y0, w.width, w.height, w.conf, (first_line_id + n, 0, 0))
             for w in words] for n, words in enumerate(lines.values())]


MARK_MIN, MARK_MAX = 0.4, 3.0  # line heights: a handwritten digit or letter, not a speck or a signature


def unread_marks(page: np.ndarray, words: Sequence[Word], set_apart: Sequence[Box],
                 geometry: Geometry) -> list[Box]:
    """Boxes of letter-sized ink no word or region covers: a day or a number written into a
    blank of the form and not read at all. Extraction checks the blanks it reads against
    them, so a blank that holds handwriting is never taken for a blank left empty."""
    height = geometry.height
    ink = _ink(page)
    _rub_out(ink, [(w.left, w.top, w.right, w.bottom) for w in words], round(0.1 * height))
    _rub_out(ink, set_apart, round(0.2 * height))
    # Half the resolution is plenty for marks a line tall; strokes of one digit are joined.
    small = cv2.resize(ink, None, fx=0.5, fy=0.5, interpolation=cv2.INTER_AREA)
    del ink
    joined = cv2.dilate(small, np.ones((3, 3), np.uint8))
    marks = []
    for x, y, w, h in component_boxes(joined):
        w, h, x, y = 2 * w, 2 * h, 2 * x, 2 * y
        if MARK_MIN * height <= h <= MARK_MAX * height and 0.15 * height <= w <= 4 * MARK_MAX * height:
            marks.append((int(x), int(y), int(x + w), int(y + h)))
    return marks


def lines_under_frames(blocks, frames: Sequence[Box], height: float) -> list[tuple[list[Word], Box]]:
    """Lines of print cut short by a stamp's frame (a register stamp pressed over the date
    line): the line's words and the strip to read again, from the line's start to the frame's
    far side. The frame was whitened for the page's reading; the strip is read unwhitened."""
    found = []
    for block in blocks:
        for line in block.lines:
            left, top = min(w.left for w in line), min(w.top for w in line)
            right, bottom = max(w.right for w in line), max(w.bottom for w in line)
            for f_left, f_top, f_right, f_bottom in frames:
                overlap = min(bottom, f_bottom) - max(top, f_top)
                if overlap > 0.5 * (bottom - top) and f_left - 2 * height <= right <= f_left + 0.5 * height:
                    pad = round(0.2 * height)
                    found.append((list(line), (left, top - pad, f_right, bottom + pad)))
                    break
    return found


TALL_LINE = 2.0  # line heights: a line of print this tall is two lines read as one


def tall_lines(blocks, height: float) -> list[tuple[list[Word], Box]]:
    """Lines whose words stand two line heights tall: Tesseract took two close lines of print
    for one ("KT. CHỦ TỊCH" over "PHÓ CHỦ TỊCH" read as one "PHÓ CHỦ TỊCH" a hundred pixels
    high) and lost one of them. Each with the area to read again, the words' box widened."""
    found = []
    for block in blocks:
        for line in block.lines:
            heights = sorted(w.height for w in line if len(w.text) > 1)
            if not heights or heights[len(heights) // 2] < TALL_LINE * height:
                continue
            pad_x, pad_y = round(height), round(0.3 * height)
            found.append((list(line), (min(w.left for w in line) - pad_x, min(w.top for w in line) - pad_y,
                                       max(w.right for w in line) + pad_x, max(w.bottom for w in line) + pad_y)))
    return found


def read_tall_lines(page: np.ndarray, tall: Sequence[tuple[list[Word], Box]], everything: Sequence[Word],
                    known: Known, lang: str, timeout: float, first_line_id: int) -> tuple[set[int], list[Word]]:
    """Read each tall line's area again as a block of lines, the page's other words rubbed
    out of it (so nothing is read twice); where that gives two lines or more, each clear
    print, and more letters than the tall line, they replace it: (ids of the words replaced,
    the new words, each Tesseract line numbered as a line of its own)."""
    crops, origins = [], []
    for words, (left, top, right, bottom) in tall:
        x0, y0 = max(0, left), max(0, top)
        crop = page[y0:bottom, x0:right].copy()
        mine = {id(w) for w in words}
        others = [(w.left - x0, w.top - y0, w.right - x0, w.bottom - y0) for w in everything if id(w) not in mine]
        _rub_out(crop, others, 0, 255)
        crops.append(crop)
        origins.append((x0, y0))
    replaced: set[int] = set()
    added: list[Word] = []
    line_id = first_line_id
    for (words, _), origin, found in zip(tall, origins, recognize_pages(crops, lang, 6, timeout)):
        lines = _placed_lines(found, origin, line_id)
        line_id += len(lines)
        read = [placed for placed in lines if is_clear_print(Segment(placed), known)]
        letters = sum(c.isalnum() for line in read for w in line for c in w.text)
        if len(read) >= 2 and letters > sum(c.isalnum() for w in words for c in w.text):
            replaced |= {id(w) for w in words}
            added += [w for line in read for w in line]
    return replaced, added


def read_cut_lines(page: np.ndarray, cut: Sequence[tuple[list[Word], Box]], known: Known, lang: str,
                   timeout: float, first_line_id: int) -> tuple[set[int], list[Word]]:
    """Read each cut line's strip again as one line; where it reads as clear print and says
    more, it replaces the line: (ids of the words replaced, the new words)."""
    origins = [(max(0, left), max(0, top)) for _, (left, top, _, _) in cut]
    crops = [page[y0:bottom, x0:right] for (x0, y0), (_, (_, _, right, bottom)) in zip(origins, cut)]
    replaced: set[int] = set()
    added: list[Word] = []
    for n, ((words, _), origin, found) in enumerate(zip(cut, origins, recognize_pages(crops, lang, 7, timeout))):
        # One line (psm 7): its words, placed on the page, all numbered first_line_id + n.
        read = [w for line in _placed_lines(found, origin, first_line_id + n) for w in line]
        if read and is_clear_print(Segment(read), known) and sum(map(len, (w.text for w in read))) > sum(
                map(len, (w.text for w in words))):
            replaced |= {id(w) for w in words}
            added += read
    return replaced, added
