"""The full-text index over each document's folded text and subject, on either database.

- SQLite: an FTS5 table (`documents_fts`, contentless, rowid = documents.id), ranked by BM25;
- PostgreSQL: a table of `tsvector`s (`documents_fts`: document_id, vector; GIN index), the
  subject at weight A and the text at weight B, ranked by `ts_rank`.

Both index the same words: the text folded by `vanthu.knowledge.orthography.fold` (marks,
đ and case gone: "chuyển đổi số" -> "chuyen doi so") and cut into runs of letters and digits,
so a query typed with or without marks finds the same documents on both, and the words it
matched can be found again in the folded text to highlight them as printed. PostgreSQL's
`unaccent` is not used: its rules are not vanthu's folding (they would let the index and the
highlighting disagree), and it needs an extension created by a superuser.

The user's query is parsed once into FTS5 syntax (`search.fts_query`: "word" "phrase words"
"prefix"*); `tsquery` turns that into PostgreSQL's (`'word' & 'phrase' <-> 'words' &
'prefix':*`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from sqlalchemy import Connection, TextClause, bindparam, text

from vanthu.knowledge.orthography import fold

from .tables import FTS_TABLE

# SQLite's BM25 weighs the subject column three times the text; PostgreSQL's ts_rank gets the
# same ratio through the weights of its A (subject) and B (text) labels, {D, C, B, A}.
SUBJECT_WEIGHT = 3.0
_PG_WEIGHTS = f"{{0, 0, {1 / SUBJECT_WEIGHT:.4f}, 1}}"
# ts_rank normalization 1: the rank divided by 1 + log(document length), as BM25 discounts
# long documents.
_PG_NORMALIZATION = 1
_WORD = re.compile(r"[^\W_]+")


def words(value: str) -> str:
    """The indexed words of `value`: folded, runs of letters and digits, one space apart."""
    return " ".join(_WORD.findall(fold(value)))


_FTS5_INDEX = text(f"INSERT INTO {FTS_TABLE}(rowid, text, subject) VALUES (:id, :text, :subject)")
_FTS5_UNINDEX = text(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, text, subject) "
                     "VALUES ('delete', :id, :text, :subject)")
_PG_INDEX = text(f"INSERT INTO {FTS_TABLE} (document_id, vector) VALUES (:id, "
                 "setweight(to_tsvector('simple', :subject), 'A') || setweight(to_tsvector('simple', :text), 'B'))")
_PG_UNINDEX = text(f"DELETE FROM {FTS_TABLE} WHERE document_id IN :ids").bindparams(
    bindparam("ids", expanding=True))


def index(connection: Connection, entries: Sequence[tuple[int, str, str | None]]) -> None:
    """Add documents (id, text, subject) to the index."""
    if not entries:
        return
    if connection.dialect.name == "sqlite":
        connection.execute(_FTS5_INDEX, [{"id": i, "text": fold(t), "subject": fold(s or "")} for i, t, s in entries])
    else:
        connection.execute(_PG_INDEX, [{"id": i, "text": words(t), "subject": words(s or "")} for i, t, s in entries])


def unindex(connection: Connection, entries: Sequence[tuple[int, str, str | None]]) -> None:
    """Take documents (id, text, subject) out of the index. SQLite's contentless FTS5 keeps
    no copy of the text, so it must be given the values it indexed to remove them."""
    if not entries:
        return
    if connection.dialect.name == "sqlite":
        connection.execute(_FTS5_UNINDEX, [{"id": i, "text": fold(t), "subject": fold(s or "")}
                                           for i, t, s in entries])
    else:
        connection.execute(_PG_UNINDEX, {"ids": [i for i, _t, _s in entries]})


def tsquery(fts5: str) -> str:
    """PostgreSQL's tsquery for an FTS5 query made by `search.fts_query`: every word or phrase
    required, a phrase's words adjacent, `*` a prefix."""
    parts = []
    for phrase, prefix in re.findall(r'"([^"]+)"(\*?)', fts5):
        lexemes = [f"'{word}'" for word in phrase.split()]
        if prefix:
            lexemes[-1] += ":*"
        parts.append(" <-> ".join(lexemes) if len(lexemes) == 1 else "(" + " <-> ".join(lexemes) + ")")
    return " & ".join(parts)


def ranked(dialect: str, conditions: Sequence[str]) -> TextClause:
    """The ranked search: id, score (higher is better) and the listed columns of the
    documents matching `:query` and `conditions` (over `d`, the documents table), best first,
    at most `:limit`."""
    columns = "d.id, {score} AS score, d.doc_type, d.number, d.symbol, d.issue_date, d.issuer, d.subject"
    where = " AND ".join(conditions)
    if dialect == "sqlite":
        score = f"-bm25({FTS_TABLE}, 1.0, {SUBJECT_WEIGHT})"
        return text(f"SELECT {columns.format(score=score)} FROM {FTS_TABLE} JOIN documents d ON d.id = "
                    f"{FTS_TABLE}.rowid WHERE {FTS_TABLE} MATCH :query{' AND ' + where if where else ''} "
                    "ORDER BY score DESC, d.id LIMIT :limit")
    score = f"ts_rank('{_PG_WEIGHTS}', f.vector, q.query, {_PG_NORMALIZATION})"
    return text(f"SELECT {columns.format(score=score)} FROM {FTS_TABLE} f JOIN documents d ON d.id = f.document_id, "
                "to_tsquery('simple', :query) AS q(query) "
                f"WHERE f.vector @@ q.query{' AND ' + where if where else ''} ORDER BY score DESC, d.id LIMIT :limit")
