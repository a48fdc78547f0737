"""Place and date of issue: "Quảng Ngãi, ngày 03 tháng 10 năm 2023" (blanks allowed in drafts).

The header's date line is read leniently, because on real scans the day (and often the
month) is handwritten into the blank of the printed form and OCR reads it as anything, glued
to the printed words around it ("ngày82tháng 4", "ngày4†tháng 01", "ngày,Ê 3háng|uăm
2023"). The printed words anchor the line: "ngày", "tháng", "năm" and the year, each allowed
to lose a letter to the handwriting next to it. Between the anchors:
- nothing: a blank (a draft) -> the part is None;
- digits: the part, if clearly printed (on a scan: read with fair confidence, apart from
  the words around it);
- anything else: `unclear`, so the date is null with a warning, never a guess.
A date line split over lines ("Hà Nội, ngày" / "tháng" / "năm 2026", as pdftotext and OCR
split the blanks) is read across them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from vanthu.knowledge import places

from .lines import Line
from .models import RawDate, Spanned
from .words import WordIndex

# Matched on folded text. Either "ngày D tháng M năm Y" with any part blank, or "ngày D/M/Y".
DATE_WORDS = re.compile(
    r"ngay\s*(?P<d>\d{1,2})?\s*[,.]?\s*thang\s*(?P<m>\d{1,2})?\s*[,.]?\s*nam\s*(?P<y>\d{4})"
    r"|ngay\s*(?P<d2>\d{1,2})\s*[/.-]\s*(?P<m2>\d{1,2})\s*[/.-]\s*(?P<y2>\d{4})"
)
# "ngày", folded, as OCR leaves it: "ngay", "neay", "nsay", "ngav", "ngaya3" (a stroke of the
# handwritten day glued to it), but not a word going on ("Nguyên").
NGAY = r"n[a-z]{0,2}[yv](?![a-z]{2})"
# The header's date line, leniently (see the module docstring); folded text, one line or a
# few joined by spaces; the "ngày" nearest "tháng" (a name before it may end like one).
# "tháng" may lose its "t" and "năm" its "n" to handwriting glued to them.
_LENIENT = re.compile(
    rf"(?P<ngay>\b{NGAY})(?P<day>(?:(?!\b{NGAY})[^\n]){{0,14}}?)(?P<thang>t?h[a-z]?ng)(?P<month>[^\n]{{0,14}}?)"
    r"(?P<nam>[nu]?am)\s*(?P<year>(?:19|20)\d\d)\b"
)
_NUMERIC = re.compile(r"ngay\s*(?P<d>\d{1,2})\s*[/.-]\s*(?P<m>\d{1,2})\s*[/.-]\s*(?P<y>\d{4})")
_BLANK = re.compile(r"^[\s.,:;_…·-]*$")
# A handwritten day or month on a scan reads at 20-75, a printed one at 90 and more.
MIN_CONFIDENCE = 80.0
ANCHOR_CONFIDENCE = 50.0  # "ngày"/"tháng" read below this hold something besides the printed word
MAX_LINES = 3  # a date line split by blanks spans at most this many lines


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


MAX_LOWERED = 5  # words of a place name OCR may have lowered or cut ("Bà Rịa - Vũng Tàu": five)


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
    # OCR lowers or cuts a first letter ("n Giang", "An iang", "ình Định"): the words before
    # the capitals belong to the place when the gazetteer knows the name with them (the
    # longest such name: "Định" alone is one slip from "Vinh").
    before = words[:len(words) - len(run)]
    for extra in range(min(MAX_LOWERED, len(before)), 0, -1):
        if places.match(" ".join([*before[-extra:], *run])):
            run = [*before[-extra:], *run]
            break
    if not run:
        return None
    value = " ".join(run)
    start = line.text.rfind(run[0], begin, comma)
    return line.span(start, comma, value=value)


@dataclass(frozen=True)
class _Window:
    """Up to MAX_LINES header lines joined by spaces, with a map back to document offsets."""

    lines: tuple[Line, ...]
    folded: str
    text: str

    @classmethod
    def of(cls, lines: tuple[Line, ...]) -> _Window:
        return cls(lines, " ".join(line.folded for line in lines), " ".join(line.text for line in lines))

    def offset(self, at: int) -> int:
        """Document offset of position `at` of the joined text."""
        for line in self.lines:
            if at <= len(line.text):
                return line.start + at
            at -= len(line.text) + 1
        return self.lines[-1].end

    def span(self, start: int, end: int) -> Spanned:
        piece = self.text[start:end]
        lead = len(piece) - len(piece.lstrip())
        return Spanned(value=piece.strip(), start=self.offset(start + lead),
                       end=self.offset(start + len(piece.rstrip())))


def _part(window: _Window, start: int, end: int, limit: int, words: WordIndex) -> tuple[int | None, bool]:
    """(value, unclear) of the day or month printed at window.text[start:end]."""
    piece = window.text[start:end]
    if _BLANK.match(piece):
        # A blank on a scan may hold handwriting OCR did not read at all, or read into the
        # printed word beside it ("ngày" read at 0% with the day inside its box).
        if not words.scanned:
            return None, False
        around = words.confidence(window.offset(start) - 1, window.offset(end) + 1)
        return None, words.ink_between(window.offset(start), window.offset(end)) or (
            around is not None and around < ANCHOR_CONFIDENCE)
    digits = piece.strip(" ,.:;")
    if not re.fullmatch(r"\d{1,2}", digits) or not 1 <= int(digits) <= limit:
        return None, True
    if words.scanned:
        # Digits glued to "ngày"/"tháng" (no space) were written into the blank by hand.
        if not (piece[:1].isspace() and piece[-1:].isspace()):
            return None, True
        span = window.span(start, end)
        confidence = words.confidence(span.start, span.end)
        if confidence is not None and confidence < MIN_CONFIDENCE:
            return None, True
    return int(digits), False


def _lenient(window: _Window, words: WordIndex) -> tuple[RawDate, int] | None:
    """The date in the window and where it starts (in the joined text), or None."""
    match = _LENIENT.search(window.folded)
    if match is not None:
        day, day_unclear = _part(window, match.end("ngay"), match.start("thang"), 31, words)
        month, month_unclear = _part(window, match.end("thang"), match.start("nam"), 12, words)
        unclear = tuple(name for name, flag in (("day", day_unclear), ("month", month_unclear)) if flag)
        date = RawDate(day=day, month=month, year=int(match.group("year")),
                       span=window.span(match.start(), match.end()), unclear=unclear)
        return date, match.start()
    match = _NUMERIC.search(window.folded)
    if match is not None:
        date = RawDate(day=int(match["d"]), month=int(match["m"]), year=int(match["y"]),
                       span=window.span(match.start(), match.end()))
        return date, match.start()
    return None


def find_date_line(header: tuple[Line, ...], skip_until: int = 0, words: WordIndex | None = None) -> DateLine | None:
    """The place-and-date line of the header, ignoring text before offset `skip_until`
    (the number and symbol, when a PDF text layer put them on the same line)."""
    words = words or WordIndex()
    fallback: DateLine | None = None
    for i, line in enumerate(header):
        if not re.search(rf"\b{NGAY}", line.folded):
            continue
        for size in range(1, MAX_LINES + 1):
            window = _Window.of(header[i:i + size])
            found = _lenient(window, words)
            if found is not None:
                break
        else:
            continue
        date, at = found
        if at > len(line.text):  # the date is on a later line of the window
            continue
        before = line.text[:at].rstrip()
        begin = min(max(skip_until - line.start, 0), len(before))
        place = _place(line, begin, len(before) - 1) if before.endswith(",") else None
        result = DateLine(place, date, line)
        if place:
            return result
        # Without a place, only a line that is a date and little else ("ngày 03 tháng 10
        # năm 2023"); a date inside a sentence is an event, not the date of issue.
        if len(line.text.split()) <= 10:
            fallback = fallback or result
    return fallback or _cut_date_line(header)


def _cut_date_line(header: tuple[Line, ...]) -> DateLine | None:
    """A date line whose date is unreadable ("Hà Nội, ngày)" where a stamp was pressed over
    the rest): the place, and a date marked unclear, so it is null with a warning."""
    for line in header:
        match = _PLACE_NGAY.match(line.folded)
        if match is None:
            continue
        place = _place(line, 0, match.end("place"))
        if place is not None:
            span = line.span(match.start("ngay"))
            return DateLine(place, RawDate(span=span, unclear=("day", "month", "year")), line)
    return None


_PLACE_NGAY = re.compile(rf"^(?P<place>[^,]{{2,40}}),\s*(?P<ngay>{NGAY})\W*$")
