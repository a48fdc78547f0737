"""The document as a list of non-blank lines with offsets, and its paragraph spacing.

PDF text layers often put a blank line between every printed line (sample 004), so a
paragraph break is judged against the document's own spacing, not by a blank line alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from vanthu.knowledge.orthography import fold, is_upper_text

from .models import Spanned


@dataclass(frozen=True)
class Line:
    """One non-blank line: `text` is `document[start:end]`, stripped."""

    index: int
    text: str
    start: int
    end: int
    gap_before: int  # blank lines between this line and the previous non-blank one
    folded: str

    def span(self, start: int = 0, end: int | None = None, value: str | None = None) -> Spanned:
        """A span over `text[start:end]` of this line, in document offsets."""
        end = len(self.text) if end is None else end
        piece = self.text[start:end]
        lead = len(piece) - len(piece.lstrip())
        trail = len(piece.rstrip())
        return Spanned(
            value=value if value is not None else piece.strip(),
            start=self.start + start + lead,
            end=self.start + start + trail,
        )

    @property
    def is_upper(self) -> bool:
        return is_upper_text(self.text)


@dataclass(frozen=True)
class Layout:
    """The document's lines and the blank-line count that separates paragraphs."""

    text: str
    folded: str  # fold(text): same length, so offsets carry over
    lines: tuple[Line, ...]
    paragraph_gap: int

    def breaks_before(self, line: Line) -> bool:
        """True when a paragraph break precedes `line`."""
        return line.gap_before >= self.paragraph_gap


def split_lines(text: str) -> Layout:
    """Index the non-blank lines of `text` and measure its paragraph spacing."""
    folded = fold(text)
    lines: list[Line] = []
    gap = 0
    offset = 0
    for raw in text.split("\n"):
        stripped = raw.strip()
        if stripped:
            start = offset + len(raw) - len(raw.lstrip())
            end = start + len(stripped)
            lines.append(Line(len(lines), stripped, start, end, gap, folded[start:end]))
            gap = 0
        else:
            gap += 1
        offset += len(raw) + 1
    return Layout(text=text, folded=folded, lines=tuple(lines), paragraph_gap=_paragraph_gap(lines))


def _paragraph_gap(lines: list[Line]) -> int:
    """2 when a blank line follows nearly every printed line of wrapped text (PDF layers);
    1 otherwise, including text that keeps each paragraph on one long line."""
    if len(lines) <= 4:
        return 1
    spaced = sum(1 for line in lines[1:] if line.gap_before >= 1)
    lengths = sorted(len(line.text) for line in lines)
    wrapped = lengths[int(len(lengths) * 0.9)] <= 110
    return 2 if wrapped and spaced / (len(lines) - 1) > 0.6 else 1


def join_spans(spans: list[Spanned]) -> Spanned | None:
    """One span covering `spans`, the values joined by single spaces."""
    if not spans:
        return None
    value = " ".join(s.value for s in spans if s.value)
    return Spanned(value=re.sub(r"\s+", " ", value).strip(), start=spans[0].start, end=spans[-1].end)
