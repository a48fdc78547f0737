"""Stamps on a scanned page: found by their frame, kept out of the document text.

Incoming-register stamps ("CỔNG THÔNG TIN ĐIỆN TỬ CHÍNH PHỦ / ĐẾN / Giờ … Ngày …", "CÔNG
VĂN ĐẾN / Số … Ngày … Chuyển …") and urgency marks are printed or stamped in a rectangle
over the document. On a colour scan their ink is blue or violet and `preprocess.to_grey`
already keeps it apart; on a grey scan only the frame tells them from print. A frame is a
rectangle of thin lines of about a stamp's size (between a few lines of text and a third
of the page), which body text, rules under headings and tables are not.

Sizes are in inches and converted with the page's DPI, so the finder holds at any scan
resolution; the page arrives at about 300 DPI (`preprocess.TARGET_DPI`).
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from .preprocess import TARGET_DPI, component_boxes, components

# A stamp frame, in inches: wider than a word, narrower than the text column; taller than
# one line, shorter than a paragraph block (register stamps are about 2.5 x 0.8 in).
MIN_WIDTH, MAX_WIDTH = 1.2, 4.2
MIN_HEIGHT, MAX_HEIGHT = 0.35, 1.8
# Lines are found with kernels this long (inches): longer than any letter stroke.
H_KERNEL, V_KERNEL = 0.35, 0.22
EDGE_COVER = 0.5  # share of a side that must be drawn for it to count as a frame side
INK_LEVEL = 170    # darker than this is ink (page already flattened to white paper)


@dataclass(frozen=True)
class Frame:
    """A rectangle drawn on the page: left, top, right, bottom in pixels."""

    left: int
    top: int
    right: int
    bottom: int

    @property
    def box(self) -> tuple[int, int, int, int]:
        return (self.left, self.top, self.right, self.bottom)


def _lines(ink: np.ndarray, dpi: float) -> tuple[np.ndarray, np.ndarray]:
    horizontal = cv2.morphologyEx(ink, cv2.MORPH_OPEN,
                                  cv2.getStructuringElement(cv2.MORPH_RECT, (round(H_KERNEL * dpi), 1)))
    vertical = cv2.morphologyEx(ink, cv2.MORPH_OPEN,
                                cv2.getStructuringElement(cv2.MORPH_RECT, (1, round(V_KERNEL * dpi))))
    return horizontal, vertical


MAX_TILT = 8.0  # degrees: a stamp pressed by hand stands a little askew


def _side_cover(lines: np.ndarray, start: np.ndarray, end: np.ndarray) -> float:
    """Share of points along the segment start-end that fall on a drawn line."""
    steps = max(2, int(np.hypot(*(end - start))))
    points = np.linspace(start, end, steps).round().astype(int)
    inside = (points[:, 0] >= 0) & (points[:, 0] < lines.shape[1]) & (points[:, 1] >= 0) & (points[:, 1] < lines.shape[0])
    points = points[inside]
    return float(lines[points[:, 1], points[:, 0]].astype(bool).mean()) if len(points) else 0.0


def _frame_of(component: np.ndarray, lines: np.ndarray, dpi: float, pad: int) -> Frame | None:
    """The stamp frame a component of line pixels draws, if it draws one (a rectangle of the
    right size, at most a few degrees askew, with three of its four sides drawn)."""
    points = cv2.findNonZero(component)
    (cx, cy), (w, h), angle = cv2.minAreaRect(points)
    if w < h:  # OpenCV reports either side first; make w the long, horizontal one
        w, h, angle = h, w, angle - 90
    angle = (angle + 90) % 180 - 90
    if abs(angle) > MAX_TILT:
        return None
    if not (MIN_WIDTH * dpi <= w <= MAX_WIDTH * dpi and MIN_HEIGHT * dpi <= h <= MAX_HEIGHT * dpi):
        return None
    # The lines were thickened by `pad` on each side: their middles run `pad` inside the hull.
    corners = cv2.boxPoints(((cx, cy), (w - 2 * pad, h - 2 * pad), angle))
    drawn = sum(_side_cover(lines, corners[i], corners[(i + 1) % 4]) >= EDGE_COVER for i in range(4))
    if drawn < 3:  # scans often lose one side of a stamp (faint ink)
        return None
    x, y, bw, bh = cv2.boundingRect(corners.astype(np.int32))
    return Frame(max(0, x), max(0, y), x + bw, y + bh)


def _by_components(lines: np.ndarray, dpi: float, pad: int) -> list[Frame]:
    """Frames that stand alone: each connected figure of lines tested as a rectangle."""
    count, labels, stats = components(lines)
    frames = []
    for label in range(1, count):
        x, y, w, h, _area = stats[label]
        if w < MIN_WIDTH * dpi * 0.9 or h < MIN_HEIGHT * dpi * 0.9 or w > MAX_WIDTH * dpi * 1.2:
            continue
        component = (labels[y:y + h, x:x + w] == label).astype(np.uint8)
        frame = _frame_of(component, lines[y:y + h, x:x + w], dpi, pad)
        if frame is not None:
            frames.append(Frame(frame.left + x, frame.top + y, frame.right + x, frame.bottom + y))
    return frames


def _by_sides(vertical: np.ndarray, horizontal: np.ndarray, dpi: float, pad: int) -> list[Frame]:
    """Frames whose lines touch other lines (a rule under the motto, a dotted field): two
    upright sides of a like height, a stamp's width apart, joined along the top or bottom."""
    sides = [(x + w / 2, y, y + h) for x, y, w, h in component_boxes(vertical) if h >= 0.6 * MIN_HEIGHT * dpi]
    sides.sort()
    frames = []
    for i, (xa, ta, ba) in enumerate(sides):
        for xb, tb, bb in sides[i + 1:]:
            if xb - xa > MAX_WIDTH * dpi:
                break
            if xb - xa < MIN_WIDTH * dpi:
                continue
            overlap = min(ba, bb) - max(ta, tb)
            if overlap < 0.6 * min(ba - ta, bb - tb):
                continue
            top, bottom = min(ta, tb), max(ba, bb)
            if not MIN_HEIGHT * dpi <= bottom - top <= MAX_HEIGHT * dpi:
                continue
            slack = pad + round(np.tan(np.radians(MAX_TILT)) * (xb - xa) / 2)
            left, right = round(xa), round(xb)
            joined = [_cover(horizontal[max(0, y - slack):y + slack, left:right], 0) for y in (top, bottom)]
            if max(joined) >= EDGE_COVER:
                frames.append(Frame(left, int(top), right, int(bottom)))
    return frames


def _cover(strip: np.ndarray, axis: int) -> float:
    """Share of positions along an edge strip where a line pixel is present."""
    return float(strip.any(axis=axis).mean()) if strip.size else 0.0


def _inside(inner: Frame, outer: Frame, slack: int) -> bool:
    return (inner.left >= outer.left - slack and inner.top >= outer.top - slack
            and inner.right <= outer.right + slack and inner.bottom <= outer.bottom + slack)


def find_frames(grey: np.ndarray, dpi: float = TARGET_DPI) -> list[Frame]:
    """Stamp-sized rectangles drawn on a greyscale page (text dark on white)."""
    # Frames are an inch or more across: half the resolution finds them at a quarter of the cost.
    small = cv2.resize(grey, None, fx=0.5, fy=0.5, interpolation=cv2.INTER_AREA)
    return [Frame(*(2 * v for v in frame.box)) for frame in _find_frames(small, dpi / 2)]


def _find_frames(grey: np.ndarray, dpi: float) -> list[Frame]:
    ink = (grey < INK_LEVEL).astype(np.uint8) * 255
    horizontal, vertical = _lines(ink, dpi)
    pad = max(2, round(0.02 * dpi))
    lines = cv2.dilate(horizontal | vertical, np.ones((2 * pad + 1, 2 * pad + 1), np.uint8))
    found = _by_components(lines, dpi, pad) + _by_sides(vertical, horizontal, dpi, pad)
    # Keep the outermost of frames drawn inside each other (a stamp's inner divisions).
    found.sort(key=lambda f: (f.right - f.left) * (f.bottom - f.top), reverse=True)
    frames: list[Frame] = []
    for frame in found:
        if not any(_inside(frame, kept, 2 * pad) for kept in frames):
            frames.append(frame)
    return frames


def whiten(grey: np.ndarray, boxes: list[tuple[int, int, int, int]], pad: int = 4) -> np.ndarray:
    """A copy of the page with the given boxes painted paper-white."""
    out = grey.copy()
    for left, top, right, bottom in boxes:
        out[max(0, top - pad):bottom + pad, max(0, left - pad):right + pad] = 255
    return out
