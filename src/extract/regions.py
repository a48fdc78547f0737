"""Where the header ends and the closing (Nơi nhận / signature) begins."""

from __future__ import annotations

import re

from vanthu.knowledge.orthography import is_upper_text

from .lines import Layout, Line
from .vocabulary import BODY_OPENERS

MAX_HEADER_LINES = 30
# "Kính gửi:"; with its first letters lost to OCR ("nh gửi:", "gửi:") only with its colon.
_KINH_GUI = re.compile(r"^\W*(?:kinh\s*gui\b\s*[:.]?|(?:k?i?n?h\s*)?gui\s*:)\s*")
# A công điện names its addressees after "<SENDER IN CAPITALS> điện:" ("THỦ TƯỚNG CHÍNH PHỦ điện:").
_DIEN = re.compile(r"^(?P<sender>[^:]{3,80}?)\s+dien\s*:\s*")
_NOI_NHAN = re.compile(r"^\W*noi\W{0,2}\s*nhan\b")
# A body's last line ends "./." (Nghị định 30): the closing, or the end of an attachment, follows.
END_OF_BODY = re.compile(r"\.\s*/\s*\.\s*$")
_NUMBERED = re.compile(r"^(?:[ivx]+|\d+)\s*[.)]\s+\S")
# "<Place>, ngày ...": the header's date line, whatever word its place begins with ("Tái
# Bình" folds to an opener of the body's sentences, "tại").
_PLACE_DATE = re.compile(r"^[^,]{2,40},\s*ngay\b")


def addressees_at(line: Line) -> int | None:
    """Where the addressees begin on a line that opens them ("Kính gửi: …", "THỦ TƯỚNG
    CHÍNH PHỦ điện: …"), or None for any other line."""
    label = _KINH_GUI.match(line.folded)
    if label:
        return label.end()
    cable = _DIEN.match(line.folded)
    if cable and is_upper_text(line.text[:cable.end("sender")]):
        return cable.end()
    return None


def is_kinh_gui(line: Line) -> bool:
    """A line that opens the list of addressees (see `addressees_at`)."""
    return addressees_at(line) is not None


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
