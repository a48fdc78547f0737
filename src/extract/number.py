"""The document's own number and symbol: "Số: 4868/UBND-KGVX", "Số 19-CT/TU", "Số: /UBND-VP".

Only the header is searched, and only a line that starts with "Số", so incoming-register
stamps ("CV ĐẾN Số: 2352") and cited documents in the body are not taken for the number.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .lines import Line
from .models import Spanned

# Matched on folded text; "so" then an optional number, a separator and the symbol.
_NUMBER_LINE = re.compile(
    r"^\W{0,3}so\s*[:;.]?\s*(?P<number>\d{1,6}[a-z]?)?\s*(?P<sep>[/-])\s*"
    r"(?P<symbol>[a-z0-9&.]+(?:\s?[-/]\s?[a-z0-9&.]+)*)"
)
# A draft's blank number as OCR reads it: the slash after the blank is often lost
# ("Số: /UBND-VP" -> "Số: UBND-VP"). Needs the colon and a symbol with a hyphen.
_BLANK_NUMBER_LINE = re.compile(
    r"^\W{0,3}so\s*:\s*(?P<number>)(?P<sep>)(?P<symbol>[a-z]{2,}[a-z0-9&.]*(?:-[a-z0-9&.]+)+)\s*$"
)
# Fallback for a header line whose "Số" was garbled: "19-CT/TU" or "4868/UBND-KGVX".
_BARE_SYMBOL = re.compile(
    r"(?<![\w/-])(?P<number>\d{1,6})\s*(?P<sep>[/-])\s*"
    r"(?P<symbol>[a-z][a-z0-9&.]*(?:[-/][a-z0-9&.]+)+)"
)


@dataclass(frozen=True)
class NumberMatch:
    number: Spanned | None
    symbol: Spanned
    line: Line
    end: int  # document offset just past the symbol


def _has_letters_upper(symbol: str) -> bool:
    letters = [c for c in symbol if c.isalpha()]
    return bool(letters) and sum(c.isupper() for c in letters) / len(letters) >= 0.6


def _from_match(line: Line, match: re.Match[str]) -> NumberMatch | None:
    printed = line.text[match.start("symbol") : match.end("symbol")].rstrip(".")
    if not _has_letters_upper(printed):
        return None
    number = None
    if match.group("number"):
        number = line.span(match.start("number"), match.end("number"))
    end = match.start("symbol") + len(printed)
    symbol = line.span(match.start("symbol"), end, value=re.sub(r"\s+", "", printed))
    return NumberMatch(number, symbol, line, symbol.end)


def find_number(header: tuple[Line, ...]) -> NumberMatch | None:
    """The number and symbol printed in the header, or None."""
    for line in header:
        match = _NUMBER_LINE.match(line.folded) or _BLANK_NUMBER_LINE.match(line.folded)
        if match and (found := _from_match(line, match)):
            return found
    for line in header:
        for match in _BARE_SYMBOL.finditer(line.folded):
            # Without "Số" only a full number/symbol pair counts: "19-CT/TU", "4868/UBND-KGVX".
            has_slash = match.group("sep") == "/" or "/" in match.group("symbol")
            if has_slash and (found := _from_match(line, match)):
                return found
    return None
