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
import unicodedata
from functools import lru_cache
from typing import Any

from rapidfuzz.distance import Levenshtein

from vanthu.knowledge import places
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
                    replace[i + j] = _cased(syllable, words[i + j].group(0))
    return _with_syllables(text, words, replace)


def _with_syllables(text: str, words: list[re.Match[str]], replace: dict[int, str]) -> str:
    """`text` with the syllables `words[i]` replaced by `replace[i]`."""
    pieces, at = [], 0
    for i in sorted(replace):
        pieces += [text[at : words[i].start()], replace[i]]
        at = words[i].end()
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


# Place names after their level word, in text read by OCR ("thị trần Mộ Đức", "tĩnh Quảng
# Ngãi"): OCR reads the letters of a syllable far better than its marks, so a level word and
# a name that fold exactly to a unit of that level in the gazetteer (`knowledge.places`) take
# the gazetteer's marks. Only an exact folded match over the level word and the whole name
# counts, and a spelling that differs only in where the tone sits ("Hoà"/"Hòa") is kept.
MAX_NAME_SYLLABLES = 4


@lru_cache(maxsize=1)
def _units() -> dict[str, tuple[str, dict[str, str | None]]]:
    """Folded level word -> (the level word's spelling, folded unit name -> its spelling, None
    where two units of that level fold alike)."""
    table: dict[str, tuple[str, dict[str, str | None]]] = {}
    for level in places.LEVEL_WORDS:
        spellings: dict[str, str | None] = {}
        for name in places.names(level):
            key = fold(name).lower()
            spellings[key] = None if key in spellings and spellings[key] != name else name
        table[fold(level).lower()] = (level.lower(), spellings)
    return table


def _mark_key(syllable: str) -> tuple[str, tuple[str, ...]]:
    """A syllable's letters and marks, whatever letter the tone sits on."""
    decomposed = unicodedata.normalize("NFD", syllable.lower())
    return (fold(syllable).lower(), tuple(sorted(c for c in decomposed if unicodedata.combining(c))))


def _unit_at(words: list[re.Match[str]], folded: list[str], i: int) -> list[tuple[int, str]] | None:
    """(syllable index, spelling) for a level word and unit name starting at word i."""
    units = _units()
    for level_length in (2, 1):
        level = " ".join(folded[i : i + level_length])
        if len(folded) < i + level_length or level not in units:
            continue
        printed = [w.group(0) for w in words[i : i + level_length]]
        if level_length == 2 and printed[1][:1].isupper() and not printed[1].isupper():
            continue  # "Thị Trần": a person's names, not a level word ("thị trấn", "THỊ TRẤN")
        start = i + level_length
        # Names of two syllables or more: a one-syllable name ("xã Dang") is too easily a word.
        for length in range(min(MAX_NAME_SYLLABLES, len(words) - start), 1, -1):
            span = words[start : start + length]
            if not all(w.group(0)[:1].isupper() for w in span):
                continue
            level_spelling, names = units[level]
            spelling = names.get(" ".join(folded[start : start + length]))
            if spelling:
                pairs = list(zip(range(i, start), level_spelling.split()))
                return pairs + list(zip(range(start, start + length), spelling.split()))
    return None


def respell_places(text: str) -> str:
    """`text` with each "<level word> <Name>" the gazetteer knows spelled as it spells it."""
    words = list(_SYLLABLE.finditer(text))
    folded = [fold(w.group(0)).lower() for w in words]
    replace: dict[int, str] = {}
    i = 0
    while i < len(words):
        found = _unit_at(words, folded, i)
        if not found:
            i += 1
            continue
        for index, spelling in found:
            if _mark_key(words[index].group(0)) != _mark_key(spelling):
                replace[index] = _cased(spelling, words[index].group(0))
        i = found[-1][0] + 1
    return _with_syllables(text, words, replace)


# Record fields of free text where place names occur.
_PLACE_FIELDS = ("subject", "recipients", "cc")


def respell_record_places(record: Record) -> Record:
    """The record with the place names of its free-text fields spelled from the gazetteer
    (for text whose marks OCR or the restorer put there; see `respell_places`)."""
    changes: dict[str, Any] = {}
    for name in _PLACE_FIELDS:
        value = getattr(record, name)
        if isinstance(value, str):
            changes[name] = respell_places(value)
        elif isinstance(value, list):
            changes[name] = [respell_places(item) for item in value]
    return record.model_copy(update=changes)
