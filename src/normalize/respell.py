"""Respelling restored text from the gazetteer.

Text whose marks were put back by the language model (OCR with the wrong language,
unaccented typing) keeps some wrong marks ("Ban Tuyên giáo Tính ủy"). Where a stretch of it
folds to exactly an administrative phrase of the gazetteer ("tinh uy" = "Tỉnh ủy"), the
gazetteer's spelling is the better reading. Only phrases of two syllables or more are used:
a single syllable ("tính", "tỉnh") is too ambiguous to respell without context. Text read
with its own marks is never respelled.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from extract.gazetteer import GROUP_PHRASES, ORGAN_TYPES, POSITIONS, SECTORS
from ingest.vietnamese import fold

from normalize.record import Record

# Record fields that are codes, dates or provenance, never respelled.
_KEEP = {"number", "symbol", "issue_date", "date", "source", "warnings", "extractor_version", "id",
         "directive_id", "key", "kind", "time", "role", "doc_type"}


@lru_cache(maxsize=1)
def _phrases() -> tuple[re.Pattern[str], dict[str, str]]:
    spellings = {fold(p): p for p in (*ORGAN_TYPES, *SECTORS, *POSITIONS, *GROUP_PHRASES) if len(p.split()) >= 2}
    keys = sorted(spellings, key=len, reverse=True)
    pattern = re.compile(r"(?<!\w)(" + "|".join(re.escape(k) for k in keys) + r")(?!\w)")
    return pattern, spellings


def respell(text: str) -> str:
    """`text` with every gazetteer phrase it spells with wrong marks written as the gazetteer does."""
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
