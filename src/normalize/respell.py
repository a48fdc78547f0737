"""Respelling restored text from the gazetteer.

Text whose marks were put back by the language model (OCR with the wrong language,
unaccented typing) keeps some wrong marks ("Ban Tuyên giáo Tính ủy"). Where a stretch of it
folds to exactly an administrative phrase of the gazetteer ("tinh uy" = "Tỉnh ủy"), the
gazetteer's spelling is the better reading. Only phrases of two syllables or more are used:
a single syllable ("tính", "tỉnh") is too ambiguous to respell without context. A phrase of
three syllables or more is also recognised with one syllable one letter off ("tổ chắc chính
trị - xã hội", "Một trận Tổ quốc Việt Nam"): that much context leaves no doubt. Text read
with its own marks is never respelled.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from rapidfuzz.distance import Levenshtein

from vanthu.knowledge.gazetteer import GROUP_PHRASES, ORGAN_TYPES, POSITIONS, SECTORS
from vanthu.knowledge.orthography import fold

from .record import Record

_SYLLABLE = re.compile(r"[^\W\d_]+")
# Record fields that are codes, dates or provenance, never respelled.
_KEEP = {"number", "symbol", "issue_date", "date", "source", "warnings", "extractor_version", "id",
         "directive_id", "key", "kind", "time", "role", "doc_type"}


@lru_cache(maxsize=1)
def _phrases() -> tuple[re.Pattern[str], dict[str, str]]:
    spellings = {fold(p): p for p in (*ORGAN_TYPES, *SECTORS, *POSITIONS, *GROUP_PHRASES) if len(p.split()) >= 2}
    keys = sorted(spellings, key=len, reverse=True)
    pattern = re.compile(r"(?<!\w)(" + "|".join(re.escape(k) for k in keys) + r")(?!\w)")
    return pattern, spellings


@lru_cache(maxsize=1)
def _long_phrases() -> dict[str, list[tuple[tuple[str, ...], tuple[str, ...]]]]:
    """Phrases of three syllables or more as (folded syllables, spelled syllables), indexed
    by their first and by their second folded syllable (one of the two is right)."""
    index: dict[str, list[tuple[tuple[str, ...], tuple[str, ...]]]] = {}
    for phrase in (*ORGAN_TYPES, *SECTORS, *POSITIONS, *GROUP_PHRASES):
        spelled = tuple(_SYLLABLE.findall(phrase))
        if len(spelled) >= 3:
            entry = (tuple(fold(s) for s in spelled), spelled)
            for key in set(entry[0][:2]):
                index.setdefault(key, []).append(entry)
    return index


def _cased(spelling: str, printed: str) -> str:
    if printed.isupper() and len(printed) > 1:
        return spelling.upper()
    if printed[:1].isupper():
        return spelling[:1].upper() + spelling[1:]
    return spelling[:1].lower() + spelling[1:]


def _respell_near_misses(text: str) -> str:
    words = list(_SYLLABLE.finditer(text))
    folded = [fold(w.group(0)) for w in words]
    index = _long_phrases()
    replace: dict[int, str] = {}
    for i in range(len(words)):
        candidates = index.get(folded[i], []) + (index.get(folded[i + 1], []) if i + 1 < len(words) else [])
        for keys, spelled in candidates:
            window = folded[i : i + len(keys)]
            if len(window) != len(keys):
                continue
            off = [j for j, (a, b) in enumerate(zip(window, keys)) if a != b]
            if len(off) == 1 and Levenshtein.distance(window[off[0]], keys[off[0]]) == 1:
                for j, syllable in enumerate(spelled):
                    replace[i + j] = syllable
    pieces, at = [], 0
    for i in sorted(replace):
        word = words[i]
        pieces += [text[at : word.start()], _cased(replace[i], word.group(0))]
        at = word.end()
    return "".join(pieces) + text[at:]


def respell(text: str) -> str:
    """`text` with every gazetteer phrase it spells with wrong marks written as the gazetteer does."""
    return _respell_exact(_respell_near_misses(text))


def _respell_exact(text: str) -> str:
    pattern, spellings = _phrases()
    folded = fold(text)
    pieces, at = [], 0
    for match in pattern.finditer(folded):
        spelling = spellings[match.group(1)]
        printed = text[match.start() : match.end()]
        if printed[:1].islower():
            spelling = spelling[:1].lower() + spelling[1:]
        elif printed[:1].isupper():
            spelling = spelling[:1].upper() + spelling[1:]
        if printed.isupper():
            spelling = spelling.upper()
        pieces += [text[at : match.start()], spelling]
        at = match.end()
    return "".join(pieces) + text[at:]


def _respelled(value: Any, key: str | None = None) -> Any:
    if key in _KEEP:
        return value
    if isinstance(value, str):
        return respell(value)
    if isinstance(value, list):
        return [_respelled(v) for v in value]
    if isinstance(value, dict):
        return {k: _respelled(v, k) for k, v in value.items()}
    return value


def respell_record(record: Record) -> Record:
    """The record with its text fields respelled from the gazetteer."""
    return Record.model_validate(_respelled(record.model_dump()))
