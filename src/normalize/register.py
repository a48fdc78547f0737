"""The incoming register (sổ đăng ký văn bản đến, Nghị định 30/2020 Điều 22): số đến and
ngày đến, read from the "ĐẾN" stamp a records office presses on an incoming document.

The stamp is set apart from the document's text by the ingest stage (a `register-stamp`
region of a scanned page, with its own OCR text: "CÔNG VĂN ĐẾN / Số: 2352 / Ngày: 12/4/2024
/ Chuyển: …"); a text layer or a typed copy carries it as a header line ("CV ĐẾN Số: 2352
Ngày: 12/4/2024"). Either gives `arrival_number` and `arrival_date`; what is not clearly
there (a number written by hand and not read) stays None, for a person to fill in.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

from vanthu.knowledge.orthography import fold

# On folded text. "Số đến: 2352", "Số: 2352", "So 2352"; the date as d/m/y (the year may be
# two digits on a stamp filled in by hand) or "ngày 12 tháng 4 năm 2024".
_NUMBER = re.compile(r"\bso(?:\s+den)?\s*[:.]?\s*(\d{1,7})\b")
_DATE = re.compile(
    r"\bngay(?:\s+den)?\s*[:.]?\s*(\d{1,2})\s*(?:[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{2,4})"
    r"|thang\s*(\d{1,2})\s*,?\s*nam\s*(\d{4}))")
# A header line of a text that is the stamp: "ĐẾN" in capitals as a word of its own, then
# its number or date ("ĐẾN NĂM 2030" in a title is not one).
_STAMP_LINE = re.compile(r"(?<!\w)ĐẾN(?!\w).*?\b(?:Số|SỐ|Ngày|NGÀY)\s*(?:đến|ĐẾN)?\s*[:.]?\s*\d")
_HEADER_LINES = 15  # the stamp stands in the header, above the body


def _date(day: str, month: str, year: str) -> str | None:
    full_year = int(year) + 2000 if len(year) == 2 else int(year)
    try:
        return dt.date(full_year, int(month), int(day)).isoformat()
    except ValueError:
        return None


def read_stamp(text: str) -> tuple[str | None, str | None]:
    """(số đến, ngày đến as YYYY-MM-DD) from a register stamp's text; None for what it does
    not clearly hold."""
    folded = fold(text)
    number = _NUMBER.search(folded)
    date = _DATE.search(folded)
    arrival_date = None
    if date:
        day, month, year = date.group(1), date.group(2) or date.group(4), date.group(3) or date.group(5)
        arrival_date = _date(day, month, year)
    return (number.group(1) if number else None), arrival_date


def stamp_lines(text: str) -> list[str]:
    """The header lines of a document's text that are a register stamp ("CV ĐẾN Số: …")."""
    return [line for line in text.splitlines()[:_HEADER_LINES] if _STAMP_LINE.search(line)]


def arrival(stamps: Iterable[str]) -> tuple[str | None, str | None]:
    """Số đến and ngày đến from the first stamp (of `stamps`, texts in page order) that
    gives either."""
    for text in stamps:
        number, date = read_stamp(text)
        if number or date:
            return number, date
    return None, None
