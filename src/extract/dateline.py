"""Place and date of issue: "Quảng Ngãi, ngày 03 tháng 10 năm 2023" (blanks allowed in drafts)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .lines import Line
from .models import RawDate, Spanned

# Matched on folded text. Either "ngày D tháng M năm Y" with any part blank, or "ngày D/M/Y".
DATE_WORDS = re.compile(
    r"ngay\s*(?P<d>\d{1,2})?\s*[,.]?\s*thang\s*(?P<m>\d{1,2})?\s*[,.]?\s*nam\s*(?P<y>\d{4})"
    r"|ngay\s*(?P<d2>\d{1,2})\s*[/.-]\s*(?P<m2>\d{1,2})\s*[/.-]\s*(?P<y2>\d{4})"
)


@dataclass(frozen=True)
class DateLine:
    place: Spanned | None
    date: RawDate
    line: Line


def _int(value: str | None) -> int | None:
    return int(value) if value else None


def raw_date(match: re.Match[str], span: Spanned) -> RawDate:
    """A RawDate from a DATE_WORDS match."""
    if match.group("y2"):
        return RawDate(day=_int(match.group("d2")), month=_int(match.group("m2")),
                       year=_int(match.group("y2")), span=span)
    return RawDate(day=_int(match.group("d")), month=_int(match.group("m")),
                   year=_int(match.group("y")), span=span)


def _place(line: Line, begin: int, comma: int) -> Spanned | None:
    """The place name that ends at `comma` on `line`, starting no earlier than `begin`."""
    segment = line.text[begin:comma]
    # A run of spaces is a column gap in PDF text: the place is after the last one.
    cut = max((m.end() for m in re.finditer(r"\s{2,}", segment)), default=0)
    words = segment[cut:].split()
    run: list[str] = []
    for word in reversed(words):
        if not (word in "-–" or word[0].isupper()) or len(run) >= 6:
            break
        run.insert(0, word)
    while run and run[0] in "-–":
        run.pop(0)
    if not run:
        return None
    value = " ".join(run)
    start = line.text.rfind(run[0], begin, comma)
    return line.span(start, comma, value=value)


def find_date_line(header: tuple[Line, ...], skip_until: int = 0) -> DateLine | None:
    """The place-and-date line of the header, ignoring text before offset `skip_until`
    (the number and symbol, when a PDF text layer put them on the same line)."""
    fallback: DateLine | None = None
    for line in header:
        match = DATE_WORDS.search(line.folded)
        if not match:
            continue
        date = raw_date(match, line.span(match.start(), match.end()))
        before = line.text[: match.start()].rstrip()
        begin = min(max(skip_until - line.start, 0), len(before))
        place = _place(line, begin, len(before) - 1) if before.endswith(",") else None
        found = DateLine(place, date, line)
        if place:
            return found
        # Without a place, only a line that is a date and little else ("ngày 03 tháng 10
        # năm 2023"); a date inside a sentence is an event, not the date of issue.
        if len(line.text.split()) <= 10:
            fallback = fallback or found
    return fallback
