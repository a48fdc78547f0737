"""Reading order for an OCRed page: word boxes -> text, column by column where a page has columns.

A dispatch has two columns at the top (issuer, number and subject | motto and date) and at
the bottom ("Nơi nhận" | signature), and one column between. Tesseract's own layout analysis
often merges the header columns into single lines ("ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI …"), so
vanthu orders the words itself:

1. each Tesseract line is cut into *segments* at gaps much wider than a word space;
2. segments are grouped into *rows* by vertical overlap;
3. a row is *full* (a body line or a centred title) or holds left and/or right column
   segments; consecutive column rows form a *band*;
4. a band is read left column first, then right column; full rows in page order.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property

from .tesseract import Word

# A gap wider than this many line heights separates two columns, not two words.
COLUMN_GAP = 1.0
# A segment starting this far into the text width belongs to the right column.
RIGHT_COLUMN_START = 0.38
# A segment whose centre is this close to the page's centre is a centred title.
CENTRED = 0.06
# A blank line's worth of space (in line heights) ends a band and starts a paragraph.
BLANK_LINE = 0.9


@dataclass
class Segment:
    """Words of one line that stand together, with their bounding box."""

    words: list[Word]  # not changed once the segment is made, so the box is computed once

    @cached_property
    def left(self) -> int:
        return min(w.left for w in self.words)

    @cached_property
    def right(self) -> int:
        return max(w.right for w in self.words)

    @cached_property
    def top(self) -> int:
        return min(w.top for w in self.words)

    @cached_property
    def bottom(self) -> int:
        return max(w.bottom for w in self.words)

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)


@dataclass
class Row:
    segments: list[Segment] = field(default_factory=list)

    @property
    def top(self) -> int:
        return min(s.top for s in self.segments)

    @property
    def bottom(self) -> int:
        return max(s.bottom for s in self.segments)


def _segments(words: Sequence[Word], gap: float) -> list[Segment]:
    lines: dict[tuple[int, int, int], list[Word]] = {}
    for word in words:
        lines.setdefault(word.line, []).append(word)
    segments = []
    for line_words in lines.values():
        line_words.sort(key=lambda w: w.left)
        current = [line_words[0]]
        for word in line_words[1:]:
            if word.left - current[-1].right > gap:
                segments.append(Segment(current))
                current = []
            current.append(word)
        segments.append(Segment(current))
    return segments


def _rows(segments: list[Segment]) -> list[Row]:
    """Group segments whose vertical middles fall inside each other's extent."""
    rows: list[Row] = []
    for segment in sorted(segments, key=lambda s: (s.top + s.bottom) / 2):
        middle = (segment.top + segment.bottom) / 2
        if rows and rows[-1].top <= middle <= rows[-1].bottom:
            rows[-1].segments.append(segment)
        else:
            rows.append(Row([segment]))
    for row in rows:
        row.segments.sort(key=lambda s: s.left)
    return rows


@dataclass(frozen=True)
class _Frame:
    """The page's text area, for judging where a segment stands."""

    left: float
    right: float

    @property
    def width(self) -> float:
        return max(1.0, self.right - self.left)

    def is_right(self, segment: Segment) -> bool:
        return segment.left >= self.left + RIGHT_COLUMN_START * self.width

    def is_full(self, row: Row) -> bool:
        """A body line (from the margin past the middle) or a title centred on the page."""
        if len(row.segments) != 1:
            return False
        segment = row.segments[0]
        middle = self.left + self.width / 2
        spans = segment.left <= self.left + 0.15 * self.width and segment.right >= middle + 0.05 * self.width
        centred = abs((segment.left + segment.right) / 2 - middle) <= CENTRED * self.width
        return spans or centred


def _frame(segments: list[Segment]) -> _Frame:
    lefts = sorted(s.left for s in segments)
    rights = sorted(s.right for s in segments)
    # Ignore the odd speck or stamp outside the text block.
    k = len(segments) // 50
    return _Frame(lefts[k], rights[-1 - k])


@dataclass(frozen=True)
class Block:
    """A run of text read as one unit: page flow, or one column of a two-column band."""

    kind: str  # "flow", "left" or "right"
    lines: tuple[str, ...]
    box: tuple[int, int, int, int]  # left, top, right, bottom in pixels
    blank_before: bool


def _block(kind: str, segments: list[Segment], blank_before: bool) -> Block:
    box = (min(s.left for s in segments), min(s.top for s in segments),
           max(s.right for s in segments), max(s.bottom for s in segments))
    return Block(kind, tuple(s.text for s in segments), box, blank_before)


def words_to_blocks(words: Sequence[Word]) -> list[Block]:
    """Cut a page's words into blocks in reading order (see the module docstring)."""
    if not words:
        return []
    height = statistics.median(w.height for w in words) or 1
    segments = _segments(words, COLUMN_GAP * height * 1.4)
    frame = _frame(segments)
    blocks: list[Block] = []
    band: list[Row] = []
    band_blank = False

    def flush_band() -> None:
        left = [s for r in band for s in r.segments if not frame.is_right(s)]
        right = [s for r in band for s in r.segments if frame.is_right(s)]
        if left and right:
            blocks.append(_block("left", left, band_blank))
            blocks.append(_block("right", right, True))
        elif left or right:
            blocks.append(_block("flow", left or right, band_blank))
        band.clear()

    previous: Row | None = None
    for row in _rows(segments):
        blank = previous is not None and row.top - previous.bottom > BLANK_LINE * height
        if frame.is_full(row):
            if band:
                flush_band()
            blocks.append(_block("flow", row.segments, blank))
        else:
            only_left = not any(frame.is_right(s) for s in row.segments)
            band_has_right = any(frame.is_right(s) for r in band for s in r.segments)
            if band and blank and only_left and band_has_right:
                flush_band()
            if not band:
                band_blank = blank
            band.append(row)
        previous = row
    if band:
        flush_band()
    return blocks


def blocks_to_text(blocks: Sequence[Block]) -> str:
    """Join blocks into page text; a blank line marks a gap or a change of column."""
    out: list[str] = []
    for block in blocks:
        if block.blank_before and out:
            out.append("")
        out.extend(block.lines)
    return "\n".join(out) + "\n" if out else ""


def words_to_text(words: Sequence[Word]) -> str:
    """The page's text in reading order: one line per segment, blank lines between blocks."""
    return blocks_to_text(words_to_blocks(words))


def mean_confidence(words: Sequence[Word]) -> float | None:
    """Character-weighted mean of Tesseract's word confidences (0-100); None without words."""
    scored = [(w.conf, len(w.text)) for w in words if w.conf >= 0]
    total = sum(n for _, n in scored)
    return sum(c * n for c, n in scored) / total if total else None
