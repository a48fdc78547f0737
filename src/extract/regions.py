"""Where the header ends and the closing (Nơi nhận / signature) begins."""

from __future__ import annotations

import re

from .lines import Layout, Line
from .vocabulary import BODY_OPENERS

MAX_HEADER_LINES = 30
_KINH_GUI = re.compile(r"^\W*kinh\s*gui\b")
_NOI_NHAN = re.compile(r"^\W*noi\W{0,2}\s*nhan\b")
_NUMBERED = re.compile(r"^(?:[ivx]+|\d+)\s*[.)]\s+\S")
# "<Place>, ngày ...": the header's date line, whatever word its place begins with ("Tái
# Bình" folds to an opener of the body's sentences, "tại").
_PLACE_DATE = re.compile(r"^[^,]{2,40},\s*ngay\b")


def is_kinh_gui(line: Line) -> bool:
    return bool(_KINH_GUI.match(line.folded))


def is_body_opener(line: Line) -> bool:
    """A line that starts the body: "Căn cứ …", "Thực hiện …", "1. …" at full length."""
    if not line.text[:1].isupper() or len(line.text.split()) < 8 or _PLACE_DATE.match(line.folded):
        return False
    return bool(BODY_OPENERS.match(line.folded) or _NUMBERED.match(line.folded))


def header_lines(layout: Layout) -> tuple[Line, ...]:
    """The lines before the recipients or the first body paragraph."""
    for line in layout.lines[:MAX_HEADER_LINES]:
        if is_kinh_gui(line) or is_body_opener(line):
            return layout.lines[: line.index]
    return layout.lines[:MAX_HEADER_LINES]


def noi_nhan_line(layout: Layout, after: int = 0) -> Line | None:
    """The first "Nơi nhận:" line at or after line index `after`, if any: the document's
    own closing (an annex or an attached draft after it may have one of its own)."""
    for line in layout.lines[after:]:
        if _NOI_NHAN.match(line.folded):
            return line
    return None
