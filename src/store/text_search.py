"""Full-text search over document text, accent-insensitive and ranked (SQLite FTS5 or
PostgreSQL full text: see `fulltext`). Named text_search, not search: the package exports
its `search` function, which a submodule of that name would shadow once imported.

The index holds each document's folded text ("chuyen doi so"). Folding keeps the text's
length, so the query's words found in the folded text mark the same characters of the
original: snippets show the words as printed ("chuyển đổi số"), highlighted.
"""

from __future__ import annotations

import re
from itertools import islice

from vanthu.knowledge.orthography import fold
from pydantic import BaseModel, ConfigDict
from sqlalchemy import Engine, bindparam, text
from sqlalchemy.exc import OperationalError

from . import fulltext
from .database import StoreError
from .queries import matching_keys
from .tables import documents

SNIPPET_WIDTH = 220
# Matches looked at per document for its snippet: enough to find the densest stretch of any
# real document, and a bound on the work a query like "a*" on a long document can cause.
MAX_MATCHES = 2000
WORD_REACH = 40  # characters a snippet may grow to start and end on whole words


class Hit(BaseModel):
    """One document found, with a snippet: `highlights` are [start, end) offsets of the
    matched words in `snippet`."""

    model_config = ConfigDict(extra="forbid")

    document_id: int
    score: float
    doc_type: str | None
    number: str | None
    symbol: str | None
    issue_date: str | None
    issuer: str | None
    subject: str | None
    snippet: str
    highlights: list[tuple[int, int]]


def fts_query(typed: str) -> str:
    """An FTS5 query from what a user types: words (all required, in any order), "quoted
    phrases", and word* prefixes; marks and case do not matter."""
    parts = []
    for phrase, word in re.findall(r'"([^"]+)"|(\S+)', fold(typed)):
        if phrase:
            words = re.findall(r"[^\W_]+", phrase)
            if words:
                parts.append('"' + " ".join(words) + '"')
        else:
            prefix = word.endswith("*")
            for piece in re.findall(r"[^\W_]+", word):
                parts.append(f'"{piece}"')
            if prefix and parts:
                parts[-1] += "*"
    return " ".join(parts)


def _terms(query: str) -> re.Pattern[str]:
    """A pattern for the words and phrases of an FTS query, to find them in folded text."""
    pieces = []
    for phrase, prefix in re.findall(r'"([^"]+)"(\*?)', query):
        words = r"\s+".join(re.escape(w) for w in phrase.split())
        pieces.append(words + (r"\w*" if prefix else r"\b"))
    return re.compile(r"\b(?:" + "|".join(pieces) + ")")


def _matches(original: str, query: str, limit: int = MAX_MATCHES) -> list[tuple[int, int]]:
    """Where the query's words and phrases stand in `original` (found in its folded form):
    the first `limit` of them."""
    found = islice(_terms(query).finditer(fold(original)), limit)
    return [(m.start(), m.end()) for m in found]


def densest(starts: list[int], width: int) -> int:
    """The index of the match that opens the `width`-character window holding the most
    match starts (the first such window). One pass: the window's end only moves forward."""
    best, best_count, end = 0, 0, 0
    for i, start in enumerate(starts):
        end = max(end, i)
        while end < len(starts) and starts[end] < start + width:
            end += 1
        if end - i > best_count:
            best, best_count = i, end - i
    return best


def snippet(original: str, matches: list[tuple[int, int]], width: int = SNIPPET_WIDTH) -> tuple[str, list[tuple[int, int]]]:
    """The stretch of `original` around its densest matches, whitespace collapsed, with the
    matches' offsets in it. Linear in the number of matches."""
    if not matches:
        return re.sub(r"\s+", " ", original[:width]).strip(), []
    best = densest([s for s, _ in matches], width)
    begin = max(0, matches[best][0] - width // 4)
    stop_at = max(0, begin - WORD_REACH)
    while begin > stop_at and not original[begin - 1].isspace():  # start on a word
        begin -= 1
    end = min(len(original), begin + width)
    stop_at = min(len(original), end + WORD_REACH)
    while end < stop_at and not original[end].isspace():  # end on a word
        end += 1
    out, spans, inside = [], [], [(s, e) for s, e in matches if begin <= s and e <= end]
    position, cursor = 0, begin
    for start, stop in inside:
        before = re.sub(r"\s+", " ", original[cursor:start])
        out.append(before)
        position += len(before)
        word = re.sub(r"\s+", " ", original[start:stop])
        spans.append((position, position + len(word)))
        out.append(word)
        position += len(word)
        cursor = stop
    out.append(re.sub(r"\s+", " ", original[cursor:end]))
    body = "".join(out)
    lead = len(body) - len(body.lstrip())
    prefix = "…" if begin > 0 else ""
    suffix = "…" if end < len(original) else ""
    shift = len(prefix) - lead
    return prefix + body.strip() + suffix, [(s + shift, e + shift) for s, e in spans]


def search(engine: Engine, typed: str, date_from: str | None = None, date_to: str | None = None,
           issuer: str | None = None, limit: int = 20) -> list[Hit]:
    """Documents matching `typed`, best first (the subject weighs three times the text)."""
    query = fts_query(typed)
    if not query:
        return []
    conditions, params = [], {"limit": limit}
    if date_from:
        conditions.append("d.issue_date >= :date_from")
        params["date_from"] = date_from
    if date_to:
        conditions.append("d.issue_date <= :date_to")
        params["date_to"] = date_to
    if issuer:
        conditions.append("d.issuer_key IN :issuers")
    ranked = fulltext.ranked(engine.dialect.name, conditions)
    params["query"] = query if engine.dialect.name == "sqlite" else fulltext.tsquery(query)
    if issuer:
        ranked = ranked.bindparams(bindparam("issuers", expanding=True))
    original = text("SELECT text FROM documents WHERE id = :id")
    hits = []
    try:
        with engine.connect() as connection:
            if issuer:
                params["issuers"] = matching_keys(connection, documents.c.issuer_key, issuer)
            for row in connection.execute(ranked, params).all():
                body = connection.execute(original, {"id": row.id}).scalar_one()
                text_, spans = snippet(body, _matches(body, query))
                hits.append(Hit(document_id=row.id, score=round(row.score, 4), doc_type=row.doc_type,
                                number=row.number, symbol=row.symbol, issue_date=row.issue_date,
                                issuer=row.issuer, subject=row.subject, snippet=text_, highlights=spans))
    except OperationalError as err:
        raise StoreError(f"cannot search: {err.orig}") from err
    return hits
