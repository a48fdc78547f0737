"""Document symbols: the type code they carry and a key for matching them.

"QĐ-TTg", "QD-TTg" and "QÐ-TTg" (look-alike Ð) are the same symbol: `symbol_key` folds
marks and case so that they match.
"""

from __future__ import annotations

import re

from vanthu.knowledge.doctypes import DOC_TYPES, doc_type_for_code
from rapidfuzz.distance import Levenshtein

from vanthu.knowledge.orthography import fold, nfc


def clean_symbol(symbol: str) -> str:
    """The printed symbol with look-alike letters and stray spaces fixed."""
    return re.sub(r"\s+", "", nfc(symbol)).strip(".-/")


def symbol_key(symbol: str) -> str:
    """A matching key: no marks, no case, "-" and "/" kept."""
    return fold(clean_symbol(symbol)).upper()


def is_party_style(separator_or_symbol: str) -> bool:
    """Party symbols put the type code before "/" ("CT/TU"); state ones use "-" ("TB-VPCP")."""
    head = re.split(r"[-/]", separator_or_symbol, maxsplit=1)
    return "/" in separator_or_symbol and "-" not in head[0] and doc_type_for_code(head[0]) is not None


def doc_type_from_symbol(symbol: str) -> str | None:
    """The document type named by the type code of a symbol; None for a công văn's symbol
    (which has none) and for symbols without a recognised code."""
    parts = [p for p in re.split(r"[-/]", clean_symbol(symbol)) if p]
    while parts and parts[0].isdigit():  # "2020/NĐ-CP": the year comes first
        parts = parts[1:]
    if not parts:
        return None
    return doc_type_for_code(parts[0], party_style=is_party_style(symbol))


_EVERY_CODE = frozenset(code for codes in DOC_TYPES.values() for code in codes)  # as printed, Đ and case kept


def agree_with_type(symbol: str, doc_type: str | None) -> str:
    """The symbol with its type code put right where OCR misread one letter of it and the
    title says which type the document is ("TIr-UBND" in a Tờ trình is "TTr-UBND"). A code
    that is another type's is as printed, not a slip: a Quy chế is issued with the number
    of the Quyết định it is attached to ("QĐ-UBND" under "QUY CHẾ" stays)."""
    codes = DOC_TYPES.get(doc_type or "", ())
    parts = re.split(r"([-/])", symbol)
    index = next((i for i, p in enumerate(parts) if p and p not in "-/" and not p.isdigit()), None)
    if index is None or not codes or parts[index] in codes or parts[index] in _EVERY_CODE:
        return symbol
    for code in codes:
        if len(code) == len(parts[index]) and Levenshtein.distance(code.upper(), parts[index].upper()) <= 1:
            parts[index] = code
            return "".join(parts)
    return symbol
