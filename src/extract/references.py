"""Documents cited in the body: "Nghị quyết số 13-NQ/TU ngày 06/9/2023 của Ban Thường vụ Tỉnh
ủy", "Công văn số 4383/UBND-KGVX", "Quyết định 1690/QĐ-TTg", each once, first mention first.

The type word printed before the number ("Quyết định") is kept as evidence: in garbled
text it repairs a type code whose Đ was misread ("749/QB-TTg" after "Quyết định" is QĐ-TTg).
"""

from __future__ import annotations

import re

from vanthu.knowledge.doctypes import DOC_TYPES
from vanthu.knowledge.entities import find_organizations, starts_with_organization_word
from vanthu.knowledge.orthography import fold

from .dateline import DATE_WORDS, raw_date
from .lines import Layout
from .models import RawDate, RawReference, Spanned

_SYMBOL_PART = r"[A-ZĐÐ][A-Za-zĐđÐ0-9&]*"
_REFERENCE = re.compile(
    rf"(?P<number>\d{{1,6}})\s*(?P<sep>[/-])\s*(?P<symbol>(?:\d{{4}}\s*/\s*)?{_SYMBOL_PART}"
    rf"(?:\s*[-/]\s*{_SYMBOL_PART})+)"
)
_TYPE_WORDS = re.compile(
    "(" + "|".join(sorted((re.escape(fold(n)) for n in DOC_TYPES), key=len, reverse=True)) + r")\b"
)
_DATE_AFTER = re.compile(r"[\s,]*(?:ban hanh\s+)?(?:" + DATE_WORDS.pattern + ")")
_ISSUER_AFTER = re.compile(r"[\s,]*(?:cua|do)\s+")
# Letters an English OCR model reads for Đ.
_D_LOOKALIKES = set("BPbDdÐđĐ")


def _type_before(folded: str, at: int) -> str | None:
    window = folded[max(0, at - 60) : at]
    window = re.split(r"[;:()]", window)[-1]
    found = list(_TYPE_WORDS.finditer(window))
    if not found:
        return None
    key = found[-1].group(1)
    return next(name for name in DOC_TYPES if fold(name) == key)


def repair_type_code(symbol: str, doc_type: str | None) -> str:
    """Put back a type code whose Đ was misread, when the printed type word names it
    ("QB-TTg" after "Quyết định" -> "QĐ-TTg"); any other symbol is returned unchanged."""
    codes = DOC_TYPES.get(doc_type or "", ())
    parts = re.match(r"^(?P<year>\d{4}/)?(?P<head>[^-/]+)(?P<rest>[-/].*)$", symbol)
    if parts is None:
        return symbol
    head = parts.group("head")
    for code in codes:
        if head != code and len(head) == len(code) and all(
            h == c or (c == "Đ" and h in _D_LOOKALIKES) for h, c in zip(head, code)
        ):
            return (parts.group("year") or "") + code + parts.group("rest")
    return symbol


def _issuer_after(layout: Layout, at: int) -> Spanned | None:
    lead = _ISSUER_AFTER.match(layout.folded, at)
    if lead is None:
        return None
    window = layout.text[lead.end() : lead.end() + 160]
    if not starts_with_organization_word(window):
        return None
    organizations = find_organizations(window)
    if not organizations or organizations[0].start != 0:
        return None
    first = organizations[0]
    return Spanned(value=re.sub(r"\s+", " ", first.value), start=lead.end() + first.start, end=lead.end() + first.end)


def find_references(layout: Layout, start: int) -> list[RawReference]:
    """Documents cited in the text from offset `start`, each once, first mention first."""
    text, folded = layout.text, layout.folded
    found: dict[tuple[str, str], RawReference] = {}
    for match in _REFERENCE.finditer(text, start):
        symbol = re.sub(r"\s+", "", match.group("symbol"))
        if match.group("sep") == "/" and "/" in symbol and not re.match(r"\d{4}/", symbol):
            continue  # "12/KH/TU"-like runs are not a number/symbol pair we can split
        doc_type = _type_before(folded, match.start())
        symbol = repair_type_code(symbol, doc_type)
        date: RawDate | None = None
        end = match.end()
        after = _DATE_AFTER.match(folded, end)
        if after:
            span = Spanned(value=text[after.start():after.end()].strip(" ,"), start=after.start(), end=after.end())
            date, end = raw_date(after, span), after.end()
        issuer = _issuer_after(layout, end)
        key = (match.group("number"), fold(symbol))
        if key in found:
            known = found[key]
            known.date = known.date or date
            known.issuer = known.issuer or issuer
            continue
        found[key] = RawReference(
            doc_type=doc_type, number=match.group("number"), symbol=symbol, date=date, issuer=issuer,
            span=Spanned(value=re.sub(r"\s+", "", match.group(0)), start=match.start(), end=match.end()),
        )
    return list(found.values())
