"""Title line ("CHỈ THỊ", "QUYẾT ĐỊNH", …) and subject (trích yếu).

A công văn prints its subject as "V/v …" (or "Về việc …") under the number; other types print
it under the title, sometimes after an uppercase line naming the authority ("CỦA BAN THƯỜNG
VỤ TỈNH ỦY"). The subject runs over several lines until a paragraph break or a line that is
clearly something else (motto, date, recipients, an uppercase heading, the body).
When the title line was not read (a pen stroke through "THÔNG TƯ") but the symbol names the
type, the subject is placed by the form instead (`placed_subject`).
"""

from __future__ import annotations

import re

from vanthu.ingest.models import PageWord
from vanthu.knowledge.doctypes import doc_type_for_code, title_doc_type
from vanthu.knowledge.orthography import is_capitalized

from .lines import Layout, Line, join_spans
from .models import Spanned
from .regions import is_body_opener, is_kinh_gui
from .restated import DOUBTFUL, corrected_subject, unconfirmed
from .words import WordIndex
from .vocabulary import (
    MOTTO,
    ORGAN_HEADS,
    SEPARATOR,
    SIGNER_TITLE_WORDS,
    starts_with_word,
)

_VV = re.compile(r"^\W{0,3}(?:v\s*/\s*v|v\.v|ve\s+viec)\b")
_NUMBER_LINE = re.compile(r"^\W{0,3}so\s*[:;.]?\s*\d*\s*[/-]")
_AUTHORITY = re.compile(r"^\W{0,3}cua\b")
# The place-and-date line ("Hà Nội, ngày …"), not a date inside the subject ("… ngày 12/12/2011").
_PLACE_DATE = re.compile(r"^[^,]{2,40},\s*n[a-z]{0,2}y\b")
_VV_INSIDE = re.compile(r"(?<!\w)v\s*/\s*v\s")
_PLACE_DATE_INSIDE = re.compile(r",\s*ngay\b")


def find_title(header: tuple[Line, ...]) -> tuple[Line, str] | None:
    """The title line of the header and the document type it names."""
    for line in header:
        doc_type = title_doc_type(line.text)
        if doc_type and (line.is_upper or len(line.text) <= 20):
            return line, doc_type
    return None


def _ends_subject(layout: Layout, line: Line, taken: list[Line]) -> bool:
    if not taken:
        return False
    return (
        layout.breaks_before(line)
        or line.is_upper
        or is_kinh_gui(line)
        or is_body_opener(line)
        or bool(MOTTO.search(line.folded) or _PLACE_DATE.search(line.folded))
        or bool(_NUMBER_LINE.match(line.folded) or SEPARATOR.fullmatch(line.text))
    )


# A line with no digit and no run of two letters: marks OCR made of a rule or a stroke
# between the subject's lines ("~ »v"), never a part of it.
_SPECK = re.compile(r"\d|[^\W\d_]{2,}")


def _collect(layout: Layout, first: Line, limit: int) -> Spanned | None:
    taken: list[Line] = []
    for line in layout.lines[first.index : limit]:
        if taken and not _SPECK.search(line.text):
            continue
        if _ends_subject(layout, line, taken):
            break
        taken.append(line)
    return join_spans([line.span() for line in taken])


def _names_authority(folded: str) -> bool:
    """An uppercase line naming who issues, not what about: "CỦA BAN THƯỜNG VỤ TỈNH ỦY",
    "THỦ TƯỚNG CHÍNH PHỦ", "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH"."""
    return bool(
        _AUTHORITY.match(folded)
        or starts_with_word(folded, ORGAN_HEADS)
        or SIGNER_TITLE_WORDS.match(folded)
    )


def _inline_vv(layout: Layout, line: Line, limit: int) -> Spanned | None:
    """A "V/v …" run inside a line, where a flattened header put it after the number and
    before the place and date ("Số: 778/TCHQ-GSQL V/v … Hà Nội, ngày …")."""
    match = _VV_INSIDE.search(line.folded)
    if match is None or match.start() == 0:
        return None
    date = _PLACE_DATE_INSIDE.search(line.folded, match.end())
    end = _place_start(line, date.start()) if date else len(line.text)
    return line.span(match.start(), end)


def _place_start(line: Line, ngay: int) -> int:
    """Where the place before ", ngày" begins: its run of capitalised words."""
    before = line.text[:ngay].rstrip().rstrip(",")
    words = list(re.finditer(r"\S+", before))
    start = len(before)
    for word in reversed(words[-4:]):
        if not word.group()[:1].isupper():
            break
        start = word.start()
    return start


def find_subject(layout: Layout, header: tuple[Line, ...], title: Line | None) -> Spanned | None:
    """The subject as printed, including a leading "V/v" or "Về việc" (normalize strips it)."""
    limit = header[-1].index + 1 if header else 0
    for line in header:
        if _VV.match(line.folded):
            return _collect(layout, line, limit)
    for line in header:
        if found := _inline_vv(layout, line, limit):
            return found
    if title is None:
        return None
    following = [ln for ln in layout.lines[title.index + 1 : limit] if not SEPARATOR.fullmatch(ln.text)]
    while following and following[0].is_upper and _names_authority(following[0].folded):
        following.pop(0)
    return _collect(layout, following[0], limit) if following else None


# How far from the page's middle the middle of a centred line may lie, as a share of the
# page's width: a centred line of the form sits at the middle (its margins differ by a few
# millimetres), the header's two columns a quarter of the width away from it.
CENTRED = 0.08
# Lines between the number and date and the subject: what is left of the title (one or two
# lines), a rule, a mark.
MAX_SKIPPED = 4
# Words of a title ("THÔNG TƯ LIÊN TỊCH"): what is left of one is no longer.
MAX_TITLE_WORDS = 4
_CAN_CU = re.compile(r"^\W{0,3}can\s+cu\b")  # the first words of a normative document's body


def names_type(symbol: str) -> bool:
    """Whether a symbol carries a type code other than a công văn's ("2026/TT-BCT",
    "19-CT/TU"): the document then prints a title and a subject under it."""
    codes = [part for part in re.split(r"[-/\s]+", symbol) if part and not part.isdigit()]
    return bool(codes) and doc_type_for_code(codes[0]) not in (None, "Công văn")


def _centred(found: list[PageWord], words: WordIndex) -> bool:
    width = words.page_width(found[0])
    middle = (min(w.box[0] for w in found) + max(w.box[2] for w in found)) / 2
    return abs(middle - width / 2) <= CENTRED * width


def _reads_as_sentence(line: Line, found: list[PageWord]) -> bool:
    """A line that can open a subject: a capitalised word ("Bãi bỏ …", "Quy định …"), most
    of its words read surely; not the motto, a date, a number or the body's "Căn cứ"."""
    first = line.text.split()[0]
    if line.is_upper or not (len(first) > 1 and first.isalpha() and is_capitalized(first)):
        return False
    if (MOTTO.search(line.folded) or _PLACE_DATE.search(line.folded) or _NUMBER_LINE.match(line.folded)
            or _CAN_CU.match(line.folded)):
        return False
    return 2 * sum(w.conf >= DOUBTFUL for w in found) >= len(found)


def _damaged_title(line: Line, found: list[PageWord]) -> bool:
    """What OCR left of a title it could not read: a short line with a word read doubtfully."""
    return len(line.text.split()) <= MAX_TITLE_WORDS and any(w.conf < DOUBTFUL for w in found)


def placed_subject(layout: Layout, header: tuple[Line, ...], after: Line, words: WordIndex) -> Spanned | None:
    """The subject of a scan whose title line OCR could not read, placed by the form
    (Nghị định 30/2020, Phụ lục I): under the number and date line (`after`), past what is
    left of the title (a short centred line read doubtfully: "Ạ YmônG TƯ" for a struck
    "THÔNG TƯ") and marks beside it, the centred block opened by a line that reads as a
    sentence. None without such a remnant (text has no strokes: a missing title there is no
    damage to read past) or without such a line close under it."""
    limit = header[-1].index + 1 if header else 0
    remnant = False
    for line in layout.lines[after.index + 1 : min(limit, after.index + 1 + MAX_SKIPPED + 1)]:
        if SEPARATOR.fullmatch(line.text) or not _SPECK.search(line.text):
            continue  # a rule, a speck
        found = words.covering(line.start, line.end)
        if not found:
            return None
        centred = _centred(found, words)
        if remnant and centred and _reads_as_sentence(line, found):
            return _collect(layout, line, limit)
        if not _damaged_title(line, found):
            return None
        remnant = remnant or centred  # off the middle: a mark beside the form, passed over
    return None


def read_subject(layout: Layout, header: tuple[Line, ...], title: Line | None, under: Line | None,
                 words: WordIndex) -> tuple[Spanned | None, list[str]]:
    """The subject and the warnings about it. `under` is the last of the number and date
    lines when the symbol names a type that prints a title (`names_type`), else None: then
    a subject whose title line was not read is placed by the form. Doubtful words are read
    again from the document's restatements (`restated`)."""
    warnings: list[str] = []
    subject = find_subject(layout, header, title)
    if subject is None and title is None and under is not None:
        subject = placed_subject(layout, header, under, words)
        if subject is None:
            warnings.append("subject: not found; the symbol names a type, but no title and subject were "
                            "read under the number and date")
    if subject is None:
        return None, warnings
    subject, corrections = corrected_subject(layout.text, subject, words)
    warnings.extend(f"subject: {c.printed!r} read doubtfully, taken as the document restates it ({c.restated!r})"
                    for c in corrections)
    doubtful = unconfirmed(layout.text, subject, words, corrections)
    if doubtful and words.ink_over(subject.start, subject.end):
        warnings.append(f"subject: handwriting over it, words read doubtfully ({', '.join(doubtful)}); check it")
    return subject, warnings
