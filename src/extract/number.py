"""The document's own number and symbol: "Số: 4868/UBND-KGVX", "Số 19-CT/TU",
"Số: 21/2026/TT-BCT", "Số: /UBND-VP" (left blank in a draft).

Only the header is searched, and only a line that starts with "Số", so incoming-register
stamps ("CV ĐẾN Số: 2352") and cited documents in the body are not taken for the number.
The line is read leniently, because on real scans the number is handwritten into the blank
of the printed form and OCR reads it as anything ("Số: 6+ /QĐ-UBND", "Số: †o£ /QĐ-TTg"):
- the symbol is what follows the first separator, as long as it is a code;
- the number is what stands before it: digits, nothing (a blank), or something else;
- a number is taken only when it is clearly printed: digits only, and on a scan read with
  fair confidence and as one word with its symbol, the way software prints it. Otherwise it
  is `unclear`: null in the record, with a warning naming what was seen.
A symbol broken over two lines ("Số:" above "/QĐ-UBND", as pdftotext and OCR split a
blank) or over a space ("/QĐ- TTg") is joined.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from .lines import Line
from .models import Spanned
from .words import WordIndex

# "Số" at the start of a line (folded), then the rest of the line.
_SO = re.compile(r"^\W{0,3}so(?=[\s:;.,/\d_-]|$)\s*[:;.,]?\s*")
_CODE = r"[0-9A-Za-zĐđ&.]+"
# The first separator and the code after it; parts of the code may be split by a space
# after a hyphen or slash ("QĐ- TTg").
_SYMBOL = re.compile(rf"(?P<sep>[/-])\s*(?P<symbol>{_CODE}(?:\s?[-/]\s?{_CODE})*)")
_DIGITS = re.compile(r"\d{1,6}[a-zA-Z]?")
_CODE_FIRST = re.compile(r"[A-ZĐ]{2,}-[A-ZĐ]")  # a symbol where the number should be
_BLANK = re.compile(r"^[\s._…·:,-]*$")
# A number read below this confidence is not trusted (calibrated on the real scans:
# printed numbers read at 68-97 as one word with their symbol, handwritten ones at 40-97
# as a word of their own).
MIN_CONFIDENCE = 60.0
# Fallback for a header line whose "Số" was lost: "19-CT/TU" or "4868/UBND-KGVX".
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
    unclear: Spanned | None = None  # a number printed but not clearly ("6+", a handwritten "445")


def _has_letters_upper(symbol: str) -> bool:
    letters = [c for c in symbol if c.isalpha()]
    return len(letters) >= 2 and sum(c.isupper() for c in letters) / len(letters) >= 0.6


def _symbol(line: Line, offset: int, text: str) -> tuple[Spanned, int] | None:
    """The symbol at the start of `text` (which begins at `offset` of `line.text`)."""
    match = _SYMBOL.match(text)
    if not match:
        return None
    printed = match.group("symbol").rstrip(".")
    if not _has_letters_upper(printed):
        return None
    start = offset + match.start("symbol")
    span = line.span(start, start + len(printed), value=re.sub(r"\s+", "", printed))
    return span, span.end


def _number(line: Line, start: int, end: int, symbol: Spanned, words: WordIndex) -> tuple[Spanned | None, Spanned | None]:
    """(number, unclear) from line.text[start:end], what stands before the separator."""
    piece = line.text[start:end]
    if _BLANK.match(piece):
        if words.scanned and words.ink_between(line.start + start, line.start + end):
            return None, line.span(start, end, value="(handwritten, not read)")
        return None, None
    span = line.span(start, end)
    if not _DIGITS.fullmatch(span.value):
        return None, span
    if words.scanned:
        confidence = words.confidence(span.start, span.end)
        if confidence is not None and confidence < MIN_CONFIDENCE:
            return None, span
        # On a scan a number printed by software is one word with its symbol; one that
        # stands apart was written into the form's blank.
        if not words.one_word(span.start, symbol.end):
            return None, span
    return span, None


_HORN = "\u031b"  # combining horn: the "ơ" of "Sở" (a department), never the "ô" of "Số"


def _match_so_line(line: Line, following: Line | None, words: WordIndex) -> NumberMatch | None:
    head = _SO.match(line.folded)
    if head is None:
        return None
    # Folded, "SỞ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI" opens as "Số" does: its horn says which.
    if _HORN in unicodedata.normalize("NFD", line.text[:head.end()]):
        return None
    rest = line.text[head.end():]
    separator = next((m for m in re.finditer(r"[/-]", rest)
                      if _symbol(line, head.end() + m.start(), rest[m.start():])), None)
    if separator is not None and _CODE_FIRST.match(rest):
        # The slash after a blank number was lost: "Số: UBND-VP" is "Số: /UBND-VP".
        found = _symbol(line, head.end(), "/" + rest)
        if found:
            symbol = found[0].model_copy(update={"start": found[0].start - 1, "end": found[0].end - 1})
            return NumberMatch(None, symbol, line, symbol.end)
    if separator is not None and (found := _symbol(line, head.end() + separator.start(), rest[separator.start():])):
        symbol, end = found
        number, unclear = _number(line, head.end(), head.end() + separator.start(), symbol, words)
        return NumberMatch(number, symbol, line, end, unclear)
    # The symbol on the next line: "Số: 453" / "/TB-UBND", or a blank "Số:" / "/QĐ-UBND".
    if following is not None and following.text.startswith("/"):
        found = _symbol(following, 0, following.text)
        if found:
            symbol, end = found
            number, unclear = _number(line, head.end(), len(line.text), symbol, words)
            return NumberMatch(number, symbol, line, end, unclear)
    return None


def find_number(header: tuple[Line, ...], words: WordIndex | None = None) -> NumberMatch | None:
    """The number and symbol printed in the header, or None."""
    words = words or WordIndex()
    for i, line in enumerate(header):
        following = header[i + 1] if i + 1 < len(header) else None
        if found := _match_so_line(line, following, words):
            return found
    for line in header:
        for match in _BARE_SYMBOL.finditer(line.folded):
            # Without "Số" only a full number/symbol pair counts: "19-CT/TU", "4868/UBND-KGVX".
            has_slash = match.group("sep") == "/" or "/" in match.group("symbol")
            printed = line.text[match.start("symbol"):match.end("symbol")]
            if has_slash and _has_letters_upper(printed):
                symbol = line.span(match.start("symbol"), match.end("symbol"), value=printed)
                number = line.span(match.start("number"), match.end("number"))
                return NumberMatch(number, symbol, line, symbol.end)
    return None
