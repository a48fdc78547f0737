"""Addressees after "Kính gửi:" (a công điện's "… điện:") — a bullet list, an inline list, or a
single addressee.

Items are split on ";" and on ", " when what follows starts a new organization
("Báo Quảng Ngãi, Đài PT-TH tỉnh" is two addressees; "UBND các huyện, thị xã, thành phố"
is one).
"""

from __future__ import annotations

import re

from vanthu.knowledge.orthography import fold

from .lines import Layout, Line
from .models import Spanned
from .regions import MAX_HEADER_LINES, addressees_at, is_body_opener, is_kinh_gui
from .vocabulary import ORGAN_HEADS, starts_with_word

BULLET = re.compile(r"^\s*(?:[-+•▪–—*]|\d+[.)])\s*")
# Heads after a comma that start another addressee (capitalised in the original).
_LIST_HEADS = ORGAN_HEADS + ("cac", "chu tich", "giam doc", "thu truong", "quy")


def _split_point(text: str, folded: str, comma: int) -> bool:
    after = comma + 1
    while after < len(text) and text[after] == " ":
        after += 1
    return (
        after < len(text)
        and text[after].isupper()
        and starts_with_word(folded[after:], _LIST_HEADS) is not None
    )


def cut_stray_bracket(item: Spanned) -> Spanned:
    """Drop what follows a closing bracket that closes nothing: a signature or seal in the
    next column read by OCR as marks ("Bộ Chính trị (báo cáo), ) Bl", "… Bắc Trung Bộ);")."""
    depth = 0
    for k, char in enumerate(item.value):
        depth += (char == "(") - (char == ")")
        if depth < 0:
            kept = item.value[:k].rstrip(" ,;")
            return Spanned(value=kept, start=item.start, end=item.end - (len(item.value) - len(kept)))
    return item


def _after_colon(text: str, at: int) -> bool:
    """Whether a ":" comes before `at` in the same ";"-separated part of `text`."""
    return ":" in text[text.rfind(";", 0, at) + 1 : at]


def split_units(piece: Spanned, text: str) -> list[Spanned]:
    """Split one printed item into single units, keeping spans; trims list punctuation."""
    parts: list[Spanned] = []
    segment_start = piece.start
    raw = text[piece.start : piece.end]
    folded = fold(raw)
    boundaries = [m.start() for m in re.finditer(";", raw)]
    # "Các Bộ: Quốc phòng, Công an, …" is one addressee: no split on commas after a colon.
    boundaries += [m.start() for m in re.finditer(",", raw)
                   if _split_point(raw, folded, m.start()) and not _after_colon(raw, m.start())]
    for boundary in sorted(boundaries) + [len(raw)]:
        chunk = text[segment_start : piece.start + boundary]
        value = BULLET.sub("", chunk).strip().rstrip(";,.").strip()
        value = re.sub(r"\s+", " ", value)
        if value:
            lead = len(chunk) - len(chunk.lstrip())
            parts.append(cut_stray_bracket(Spanned(value=value, start=segment_start + lead,
                                                   end=piece.start + boundary)))
        segment_start = piece.start + boundary + 1
    return parts


def _continues(item: str, line: Line) -> bool:
    """A wrapped addressee goes on in lowercase ("UBND các huyện, thị xã, / thành phố") or
    after a word that cannot end it; a capitalised line after a whole name is the body
    ("Kính gửi: Cục Thuế tỉnh X" / "Tại Điều 6 …" when a text layer lost the blank line)."""
    if item.endswith((".", ":")) or is_body_opener(line):
        return False
    return line.text[:1].islower() or item.endswith((",", "-", "–")) or item.split()[-1].lower() in ("và", "các")


def _items(layout: Layout, label: Line) -> list[Spanned]:
    start = addressees_at(label) or 0
    items: list[Spanned] = []
    if label.text[start:].strip():
        items.append(label.span(start))
    for line in layout.lines[label.index + 1 : label.index + 1 + MAX_HEADER_LINES]:
        bullet = BULLET.match(line.text)
        if bullet and not re.match(r"^\d", line.text):
            items.append(line.span())
        elif items and not layout.breaks_before(line) and _continues(items[-1].value, line):
            last = items[-1]
            items[-1] = Spanned(value=f"{last.value} {line.text}", start=last.start, end=line.end)
        elif not items and not layout.breaks_before(line) and not is_body_opener(line):
            items.append(line.span())
        else:
            break
        if items[-1].value.endswith("."):
            break
    return items


def find_recipients(layout: Layout) -> list[Spanned]:
    """Single addressees after the "Kính gửi" label of the header."""
    for line in layout.lines[: MAX_HEADER_LINES + 10]:
        if is_kinh_gui(line):
            units: list[Spanned] = []
            for item in _items(layout, line):
                units.extend(split_units(item, layout.text))
            return units
    return []
