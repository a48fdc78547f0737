"""The body: numbered directives with their addressees, cited documents, due dates.

Directive ids follow the printed numbering ("1", "2.1", "2.1.a"). A section's addressee is
its heading when the heading stands alone ("2. Sở Thông tin và Truyền thông"), or the
organization that opens its first sentence ("3. Ban Tuyên giáo Tỉnh ủy tham mưu …").
"""

from __future__ import annotations

import re

from ingest.vietnamese import fold

from extract.dateline import DATE_WORDS, raw_date
from extract.lines import Layout, Line
from extract.models import RawDate, RawDeadline, RawDirective, RawReference, Spanned
from extract.vocabulary import DOC_TYPES, ORGAN_HEADS, starts_with_word

_SECTION = re.compile(r"^(?P<id>\d{1,2}(?:\.\d{1,2})*)\s*[.)]\s+(?P<rest>\S.*)$")
_LETTER = re.compile(r"^(?P<id>[a-zđ])\s*\)\s+(?P<rest>\S.*)$")
_ADDRESSEE_HEADS = ORGAN_HEADS + ("cac", "thu truong", "chu tich", "giam doc", "lanh dao")
# Verbs that end the organization opening a directive sentence (folded).
_TASK_VERB = re.compile(
    r"\s(?:chu tri|phoi hop|tham muu|trien khai|to chuc|chi dao|thuc hien|pho bien|quan triet|"
    r"day manh|tang cuong|co trach nhiem|can cu|theo doi|huong dan|khan truong|nghien cuu|"
    r"bao cao|ra soat|xay dung|tiep tuc|kiem tra|dam bao|bo tri|tap trung|uu tien)\b"
)
_GIAO = re.compile(r"^giao\s+")


def _addressee(layout: Layout, line: Line, rest_at: int) -> Spanned | None:
    rest = line.text[rest_at:]
    folded = line.folded[rest_at:]
    next_line = layout.lines[line.index + 1] if line.index + 1 < len(layout.lines) else None
    stands_alone = next_line is None or layout.breaks_before(next_line) or next_line.text[:1] in "-+•"
    if stands_alone and not rest.rstrip().endswith((".", ";")) and len(rest.split()) <= 40:
        if starts_with_word(folded, _ADDRESSEE_HEADS) or rest[:1].isupper():
            return line.span(rest_at, value=rest.strip().rstrip(":").strip())
    giao = _GIAO.match(folded)
    offset = giao.end() if giao else 0
    if not starts_with_word(folded[offset:], _ADDRESSEE_HEADS) or not rest[offset:][:1].isupper():
        return None
    verb = _TASK_VERB.search(folded, offset)
    if verb is None or verb.start() - offset > 160:
        return None
    value = rest[offset : verb.start()].strip().rstrip(",;:").strip()
    return line.span(rest_at + offset, rest_at + offset + len(value), value=value) if value else None


def find_directives(layout: Layout, start: int, end: int) -> list[RawDirective]:
    """Numbered sections of the body with their ids and addressees."""
    directives: list[RawDirective] = []
    current = ""
    for line in layout.lines[start:end]:
        match = _SECTION.match(line.text)
        letter = _LETTER.match(line.text) if current else None
        if match and len(match.group("id")) <= 5:
            current = match.group("id")
            directive_id, rest_at = current, match.start("rest")
        elif letter:
            directive_id, rest_at = f"{current}.{letter.group('id')}", letter.start("rest")
        else:
            continue
        directives.append(RawDirective(
            id=directive_id,
            addressee=_addressee(layout, line, rest_at) if "." not in directive_id else None,
            text=line.span(rest_at),
        ))
    return directives


# --- cited documents -------------------------------------------------------------------

_SYMBOL_PART = r"[A-ZĐÐ][A-Za-zĐđÐ0-9&]*"
_REFERENCE = re.compile(
    rf"(?P<number>\d{{1,6}})\s*(?P<sep>[/-])\s*(?P<symbol>(?:\d{{4}}\s*/\s*)?{_SYMBOL_PART}"
    rf"(?:\s*[-/]\s*{_SYMBOL_PART})+)"
)
_TYPE_WORDS = re.compile(
    "(" + "|".join(sorted((re.escape(fold(n)) for n in DOC_TYPES), key=len, reverse=True)) + r")\b"
)
_DATE_AFTER = re.compile(r"[\s,]*(?:ban hanh\s+)?(?:" + DATE_WORDS.pattern + ")")


def _type_before(folded: str, at: int) -> str | None:
    window = folded[max(0, at - 60) : at]
    window = re.split(r"[;:()]", window)[-1]
    found = list(_TYPE_WORDS.finditer(window))
    if not found:
        return None
    key = found[-1].group(1)
    return next(name for name in DOC_TYPES if fold(name) == key)


def find_references(layout: Layout, start: int) -> list[RawReference]:
    """Documents cited in the body (from offset `start`), each once, first mention first."""
    text, folded = layout.text, layout.folded
    found: dict[tuple[str, str], RawReference] = {}
    for match in _REFERENCE.finditer(text, start):
        symbol = re.sub(r"\s+", "", match.group("symbol"))
        if match.group("sep") == "/" and "/" in symbol and not re.match(r"\d{4}/", symbol):
            continue  # "12/KH/TU"-like runs are not a number/symbol pair we can split
        date: RawDate | None = None
        after = _DATE_AFTER.match(folded, match.end())
        if after:
            span = Spanned(value=text[after.start():after.end()].strip(" ,"), start=after.start(), end=after.end())
            date = raw_date(after, span)
        key = (match.group("number"), fold(symbol))
        if key in found:
            if found[key].date is None and date is not None:
                found[key].date = date
            continue
        found[key] = RawReference(
            doc_type=_type_before(folded, match.start()),
            number=match.group("number"),
            symbol=symbol,
            date=date,
            span=Spanned(value=re.sub(r"\s+", "", match.group(0)), start=match.start(), end=match.end()),
        )
    return list(found.values())


# --- due dates -------------------------------------------------------------------------

_DUE = re.compile(
    r"(?:truoc|cham\s+nhat(?:\s+(?:la|vao|trong))?|han\s+chot|han\s+cuoi|khong\s+qua|khong\s+muon\s+hon)"
    r"\s*(?:\d{1,2}\s*(?:gio|h)\s*(?:\d{1,2}\s*(?:phut)?)?\s*,?\s*)?(?:ngay|den ngay)?\s*"
    r"(?P<d>\d{1,2})\s*(?:[/.-]|\s*thang\s*)\s*(?P<m>\d{1,2})\s*(?:[/.-]|\s*nam\s*)\s*(?P<y>\d{4})"
)
# Stands for "the recipients of this document" when the body asks them to act.
RECIPIENTS = "<recipients>"
_GENERIC_ADDRESSEES = re.compile(r"\b(quy co quan|cac co quan|cac don vi|quy don vi|de nghi)\b")


def _sentence_starts(paragraph_gap: int) -> re.Pattern[str]:
    """Sentence boundaries: end punctuation, a bullet, or a paragraph break (a run of
    `paragraph_gap` blank lines; a single newline only wraps a line)."""
    blank_run = r"\n(?:[ \t]*\n){%d,}" % paragraph_gap
    return re.compile(rf"(?:[.;!?]\s+|\n\s*[-+•]\s*|{blank_run}\s*)(?=[^\s.;:!?])")


def _sentence_start(pattern: re.Pattern[str], text: str, at: int, floor: int) -> int:
    starts = [m.end() for m in pattern.finditer(text, floor, at)]
    start = starts[-1] if starts else floor
    while start < at and text[start] in "-+•* \t":
        start += 1
    return start


def find_deadlines(
    layout: Layout, directives: list[RawDirective], start: int, end: int
) -> list[RawDeadline]:
    """Explicit due dates in the body, each with its task sentence and directive."""
    if start >= len(layout.lines) or start >= end:
        return []
    text, folded = layout.text, layout.folded
    lo, hi = layout.lines[start].start, layout.lines[end - 1].end
    section_starts = sorted((d.text.start, d) for d in directives if "." not in d.id)
    boundaries = _sentence_starts(layout.paragraph_gap)
    deadlines: list[RawDeadline] = []
    for match in _DUE.finditer(folded, lo, hi):
        sentence_at = _sentence_start(boundaries, text, match.start(), lo)
        owner = next((d for at, d in reversed(section_starts) if at <= match.start()), None)
        responsible = owner.addressee.value if owner and owner.addressee else None
        if responsible is None and _GENERIC_ADDRESSEES.search(folded, sentence_at, match.end()):
            responsible = RECIPIENTS
        expression = Spanned(value=text[match.start():match.end()], start=match.start(), end=match.end())
        deadlines.append(RawDeadline(
            date=RawDate(day=int(match.group("d")), month=int(match.group("m")),
                         year=int(match.group("y")), span=expression),
            expression=expression,
            text=Spanned(value=re.sub(r"\s+", " ", text[sentence_at:match.end()]).strip(),
                         start=sentence_at, end=match.end()),
            responsible=responsible,
            directive_id=owner.id if owner else None,
        ))
    return deadlines
