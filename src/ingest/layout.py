"""Reading order for a page's words: word boxes -> blocks of lines, column by column.

A dispatch (Nghị định 30/2020, Phụ lục I) has two columns at the top (issuer and number |
motto and date), one column for the title and body, and two again at the bottom ("Nơi nhận"
| signature). Tesseract's own layout analysis often merges the header columns into single
lines ("THỦ TƯỚNG CHÍNH PHỦ CỘNG HÒA XÃ HỘI …"), so vanthu orders the words itself:

1. each Tesseract line is cut into *segments* at gaps much wider than a word space, and
   before the national motto or a place-and-date that a merged line runs into;
2. segments are grouped into *rows* by vertical overlap, and each is placed against the
   page's text frame: a full line, a centred title, the left or the right column;
3. consecutive rows with column segments form a *band*, cut again where a blank line
   crosses the whole page; a band is read left column first, then right column;
4. a blank line (a gap clearly wider than the page's own line spacing) starts a paragraph.

The geometry is in multiples of the page's median line height, so it holds at any DPI.
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cached_property

from vanthu.knowledge.orthography import fold

from .tesseract import Word

# A gap wider than this many line heights separates two columns, not two words.
COLUMN_GAP = 1.4
# Where a segment stands, as fractions of the text frame's width.
FULL_LEFT, FULL_RIGHT = 0.25, 0.62   # a body line starts near the margin and runs past the middle
CENTRED = 0.07                       # a title's centre is this close to the frame's centre
LEFT_END, RIGHT_START = 0.62, 0.35   # a left-column segment ends before, a right one starts after
BESIDE = 0.2  # a segment beside another on its row, starting past this, is in the right column
# A blank line: a gap this many line heights wider than the page's usual line spacing.
PARAGRAPH_EXTRA = 0.45
BAND_CUT = 0.8  # a gap across the whole width of a band, in line heights, cuts it in two


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
    def middle(self) -> float:
        return (self.top + self.bottom) / 2

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


def line_height(words: Sequence[Word]) -> float:
    """Median height of the page's real words (two letters or digits, fair confidence)."""
    heights = [w.height for w in words if sum(c.isalnum() for c in w.text) >= 2 and w.conf >= 50]
    heights = heights or [w.height for w in words]
    return float(statistics.median(heights)) if heights else 1.0


# Folded words that open the national motto or the Party heading in the right column.
_MOTTO_OPENINGS = (("cong", "hoa", "xa"), ("dang", "cong", "san"))


def _fold_word(word: Word) -> str:
    return fold(word.text).strip(".,;:-–|_'\"“”")


def _motto_start(words: list[Word]) -> int | None:
    """Index where the motto starts inside a line that holds something before it."""
    folded = [_fold_word(w) for w in words]
    for i in range(1, len(words) - 1):
        for opening in _MOTTO_OPENINGS:
            window = tuple(folded[i:i + len(opening)])
            if sum(a == b for a, b in zip(window, opening)) >= 2 and window[:1] == opening[:1]:
                return i
    return None


def _date_start(words: list[Word]) -> int | None:
    """Index of the place that opens "<Place>, ngày …" after "Số: …" on a merged line."""
    folded = [_fold_word(w) for w in words]
    if not folded or not folded[0].startswith("so"):
        return None
    for k in range(2, len(words)):
        if not folded[k].startswith("ngay"):
            continue
        if not words[k - 1].text.endswith(","):
            return None
        start = k - 1
        while start > 1 and k - start < 4 and words[start - 1].text[:1].isupper() and "/" not in words[start - 1].text:
            start -= 1
        return start
    return None


def _cut(words: list[Word], gap: float) -> list[list[Word]]:
    """Split a line's words at wide gaps and at the form's column cues."""
    pieces: list[list[Word]] = [[words[0]]]
    for word in words[1:]:
        if word.left - pieces[-1][-1].right > gap:
            pieces.append([])
        pieces[-1].append(word)
    out: list[list[Word]] = []
    for piece in pieces:
        for find in (_motto_start, _date_start):
            at = find(piece)
            if at:
                out.append(piece[:at])
                piece = piece[at:]
        out.append(piece)
    return out


def segments_of(words: Sequence[Word], height: float) -> list[Segment]:
    """The page's lines (Tesseract's line numbers) cut into segments."""
    lines: dict[tuple[int, int, int], list[Word]] = {}
    for word in words:
        lines.setdefault(word.line, []).append(word)
    segments = []
    for line_words in lines.values():
        line_words.sort(key=lambda w: w.left)
        segments += [Segment(piece) for piece in _cut(line_words, COLUMN_GAP * height)]
    return segments


def _rows(segments: list[Segment]) -> list[Row]:
    """Group segments whose vertical middles fall inside each other's extent."""
    rows: list[Row] = []
    for segment in sorted(segments, key=lambda s: s.middle):
        if rows and rows[-1].top <= segment.middle <= rows[-1].bottom:
            rows[-1].segments.append(segment)
        else:
            rows.append(Row([segment]))
    for row in rows:
        row.segments.sort(key=lambda s: s.left)
    return rows


@dataclass(frozen=True)
class Frame:
    """The page's text area, for judging where a segment stands."""

    left: float
    right: float

    @property
    def width(self) -> float:
        return max(1.0, self.right - self.left)

    def place(self, segment: Segment) -> str:
        """'full', 'centre', 'left' or 'right'."""
        left = (segment.left - self.left) / self.width
        right = (segment.right - self.left) / self.width
        centre = (left + right) / 2
        if left < FULL_LEFT and right > FULL_RIGHT:
            return "full"
        if abs(centre - 0.5) <= CENTRED and 0.1 < left < 0.5 - CENTRED / 2 and right > 0.5 + CENTRED / 2:
            return "centre"  # straddles the middle with like margins: a title
        if right <= LEFT_END and left < RIGHT_START:
            return "left"
        if left >= RIGHT_START:
            return "right"
        return "full"


def text_frame(segments: Sequence[Segment], height: float) -> Frame:
    """The body's left and right margins: from lines that span most of the page, so a
    speck, a stamp or a margin note outside the text does not move them."""
    if not segments:
        return Frame(0.0, 1.0)
    span = max(s.right for s in segments) - min(s.left for s in segments)
    body = [s for s in segments if s.right - s.left >= 0.5 * span and len(s.words) >= 4]
    if len(body) < 3:
        body = list(segments)
    lefts = sorted(s.left for s in body)
    rights = sorted(s.right for s in body)
    k = len(body) // 5
    return Frame(float(lefts[k]), float(rights[-1 - k]))


@dataclass(frozen=True)
class Block:
    """A run of lines read as one unit: page flow, or one column of a two-column band."""

    kind: str  # "flow", "left" or "right"
    lines: tuple[tuple[Word, ...], ...]
    box: tuple[int, int, int, int]  # left, top, right, bottom in pixels
    blank_before: bool
    breaks: tuple[bool, ...] = ()  # per line: a blank line before it (inside a flow block)

    @property
    def texts(self) -> tuple[str, ...]:
        return tuple(" ".join(w.text for w in line) for line in self.lines)


def _block(kind: str, segments: list[Segment], blank_before: bool, breaks: list[bool] | None = None) -> Block:
    """A block of `segments`, one line each, in the order given."""
    box = (min(s.left for s in segments), min(s.top for s in segments),
           max(s.right for s in segments), max(s.bottom for s in segments))
    return Block(kind, tuple(tuple(s.words) for s in segments), box, blank_before,
                 tuple(breaks) if breaks else tuple(False for _ in segments))


def _column(rows: list[Row], keep, height: float) -> list[Segment]:
    """One column of a band: the segments `keep` picks, line by line, left to right within a
    line ("Quảng Ngãi, ngày" before "tháng 11 năm 2024" although a handwritten day between
    them lifted the second one's box; lines a tall mark merged into one row stay in order)."""
    out: list[Segment] = []
    for row in rows:
        picked = sorted((s for s in row.segments if keep(s, row)), key=lambda s: s.middle)
        lines: list[list[Segment]] = []
        for segment in picked:
            if lines and segment.middle - lines[-1][0].middle < 0.5 * height:
                lines[-1].append(segment)
            else:
                lines.append([segment])
        out += [s for line in lines for s in sorted(line, key=lambda s: s.left)]
    return out


def _line_spacing(rows: list[Row], frame: Frame, height: float) -> float:
    """The usual gap between two consecutive body lines, in pixels."""
    gaps = [b.top - a.bottom for a, b in zip(rows, rows[1:])
            if len(a.segments) == len(b.segments) == 1
            and frame.place(a.segments[0]) == frame.place(b.segments[0]) == "full"]
    gaps = [g for g in gaps if g < 2 * height]
    return float(statistics.median(gaps)) if gaps else 0.4 * height


class _Reader:
    """Rows in page order -> blocks, keeping the band being gathered."""

    def __init__(self, frame: Frame, height: float, paragraph_gap: float) -> None:
        self.frame = frame
        self.height = height
        self.paragraph_gap = paragraph_gap
        self.blocks: list[Block] = []
        self.band: list[Row] = []
        self.band_blank = False
        self.previous: Row | None = None
        self.body_seen = False  # a full-width line was read: the header is over

    def blank_before(self, row: Row) -> bool:
        return self.previous is not None and row.top - self.previous.bottom > self.paragraph_gap

    def add(self, row: Row) -> None:
        places = [self.frame.place(s) for s in row.segments]
        blank = self.blank_before(row)
        if len(row.segments) == 1 and places[0] in ("full", "centre"):
            self.flush()
            self.body_seen = self.body_seen or places[0] == "full"
            last = self.blocks[-1] if self.blocks else None
            if last is not None and last.kind == "flow":
                self.blocks[-1] = _extend(last, row.segments[0], blank)
            else:
                self.blocks.append(_block("flow", row.segments, blank))
        else:
            if not self.band:
                self.band_blank = blank
            self.band.append(row)
        self.previous = row

    def flush(self) -> None:
        """Read the gathered band, cut where a blank line crosses it and where the form's
        second header row (number | place and date) begins."""
        if not self.band:
            return
        pieces: list[list[Row]] = [[self.band[0]]]
        numbered = False  # the form has one number row: a later "Số …" is a line of a column
        for row in self.band[1:]:
            number_row = not numbered and _opens_number_row(row)
            numbered = numbered or number_row
            if row.top - pieces[-1][-1].bottom > BAND_CUT * self.height or number_row:
                pieces.append([])
            pieces[-1].append(row)
        for i, rows in enumerate(pieces):
            self._read_band(rows, self.band_blank if i == 0 else True)
        self.band = []

    def _is_right(self, segment: Segment, row: Row) -> bool:
        """In the right column: placed there, or, in the header (before the first body line),
        beside a segment on its row (the motto next to an issuer block that reaches into the
        margin starts nearer the middle)."""
        if self.frame.place(segment) == "right":
            return True
        first = row.segments[0]
        beside = segment is not first and self.frame.place(first) == "left" and not self.body_seen
        return beside and (segment.left - self.frame.left) / self.frame.width >= BESIDE

    def _read_band(self, rows: list[Row], blank: bool) -> None:
        segments = [s for r in rows for s in r.segments]
        right = _column(rows, self._is_right, self.height)
        left = _column(rows, lambda segment, row: not self._is_right(segment, row), self.height)
        if left and right:
            self.blocks.append(_block("left", left, blank))
            self.blocks.append(_block("right", right, True))
        elif right:  # the right column alone: a signature block below "Nơi nhận", a date line
            self.blocks.append(_block("right", right, blank))
        else:
            ordered = sorted(segments, key=lambda s: (s.middle, s.left))
            self.blocks.append(_block("flow", ordered, blank))


def _opens_number(words: Sequence[Word]) -> bool:
    """Whether a segment opens with the form's number: "Số: 12/UBND", "Số 12/UBND",
    "Số:     /SKHCN" (number left blank), "Số:4868".

    Folded, "Số" (number) is also "Sở" (a department: "SỞ KHOA HỌC …" under the issuer's
    parent) and "số" (a subject line's "số tỉnh …", "số 13-NQ/TU"), so the word alone says
    little: the form's "Số" is followed by its colon (also set apart, "Số : 12", and with
    the S read small), or is capitalized and followed by the number or the symbol's slash.
    """
    first = fold(words[0].text) if words else ""
    if not first.startswith("so"):
        return False
    if re.match(r"so\s*:", first):
        return True
    capital = words[0].text[0].isupper()
    if capital and re.match(r"so\W*\d", first):
        return True
    if _fold_word(words[0]) != "so" or len(words) < 2:
        return False
    rest = " ".join(w.text for w in words[1:])
    return rest.startswith(":") or (capital and bool(re.match(r"[\W_]*[\d/]", rest)))


def _opens_number_row(row: Row) -> bool:
    """A row holding "Số: …" or "<Place>, ngày …": cells 3 and 4 of the form's header, read
    after the issuer and the motto above them."""
    for segment in row.segments:
        if _opens_number(segment.words):
            return True
        if _date_start([Word("Số", 0, 0, 0, 0, 0, (0, 0, 0)), *segment.words]) == 1:
            return True
    return False


def _extend(block: Block, segment: Segment, blank: bool) -> Block:
    box = (min(block.box[0], segment.left), min(block.box[1], segment.top),
           max(block.box[2], segment.right), max(block.box[3], segment.bottom))
    return Block(block.kind, block.lines + (tuple(segment.words),), box, block.blank_before,
                 block.breaks + (blank,))


@dataclass(frozen=True)
class Geometry:
    """What a judge of segments needs to know of the page: its text frame and line height."""

    frame: Frame
    height: float


# A judge looks at every segment of a page and names those that are not text of the
# document ({index: region kind}): noise, a stamp's lines. They are set aside, not read.
Judge = Callable[[list[Segment], Geometry], dict[int, str]]


@dataclass(frozen=True)
class Reading:
    """A page read: its blocks in reading order, and the segments set aside by kind."""

    blocks: list[Block]
    set_aside: list[tuple[str, Segment]]
    geometry: Geometry


def read_words(words: Sequence[Word], judge: Judge | None = None) -> Reading:
    """Cut a page's words into blocks in reading order (see the module docstring), after
    setting aside the segments `judge` names."""
    if not words:
        return Reading([], [], Geometry(Frame(0.0, 1.0), 1.0))
    height = line_height(words)
    segments = segments_of(words, height)
    geometry = Geometry(text_frame(segments, height), height)
    verdicts = judge(segments, geometry) if judge else {}
    set_aside = [(verdicts[i], s) for i, s in enumerate(segments) if i in verdicts]
    kept = [s for i, s in enumerate(segments) if i not in verdicts]
    if not kept:
        return Reading([], set_aside, geometry)
    frame = text_frame(kept, height) if verdicts else geometry.frame
    rows = _rows(kept)
    reader = _Reader(frame, height, _line_spacing(rows, frame, height) + PARAGRAPH_EXTRA * height)
    for row in rows:
        reader.add(row)
    reader.flush()
    return Reading(reader.blocks, set_aside, Geometry(frame, height))


def words_to_blocks(words: Sequence[Word]) -> list[Block]:
    """Cut a page's words into blocks in reading order (see the module docstring)."""
    return read_words(words).blocks


@dataclass(frozen=True)
class PlacedWord:
    """A word of the page text with its offsets in that text and the block kind it is in."""

    word: Word
    start: int
    end: int
    zone: str


def assemble(blocks: Sequence[Block], clean: Callable[[str], str] = lambda t: t) -> tuple[str, list[PlacedWord]]:
    """Page text from blocks (one line per segment, a blank line between paragraphs and
    between columns) and every word placed at its offsets in that text."""
    parts: list[str] = []
    placed: list[PlacedWord] = []
    offset = 0

    def newline(count: int) -> None:
        nonlocal offset
        if parts:
            parts.append("\n" * count)
            offset += count

    for block in blocks:
        for i, line in enumerate(block.lines):
            blank = block.blank_before if i == 0 else (block.breaks[i] if i < len(block.breaks) else False)
            newline(2 if blank else 1)
            for j, word in enumerate(line):
                text = clean(word.text)
                if not text:
                    continue
                if j and parts and not parts[-1].endswith("\n"):
                    parts.append(" ")
                    offset += 1
                parts.append(text)
                placed.append(PlacedWord(word, offset, offset + len(text), block.kind))
                offset += len(text)
    text = "".join(parts)
    return (text + "\n" if text else ""), placed


def blocks_to_text(blocks: Sequence[Block]) -> str:
    """Join blocks into page text; a blank line marks a paragraph or a change of column."""
    return assemble(blocks)[0]


def words_to_text(words: Sequence[Word]) -> str:
    """The page's text in reading order: one line per segment, blank lines between blocks."""
    return blocks_to_text(words_to_blocks(words))


def mean_confidence(words: Sequence[Word]) -> float | None:
    """Character-weighted mean of Tesseract's word confidences (0-100); None without words."""
    scored = [(w.conf, len(w.text)) for w in words if w.conf >= 0]
    total = sum(n for _, n in scored)
    return sum(c * n for c, n in scored) / total if total else None
