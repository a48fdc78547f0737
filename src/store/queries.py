"""Read-side queries: documents by id or by number/symbol, every record (exports), and the
keys of units and issuers that a typed name matches (the deadlines query is in
`deadline_queries`)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from sqlalchemy import Engine, select

from .deadline_queries import keys_containing
from .tables import documents

if TYPE_CHECKING:
    from vanthu.normalize import Record


def matching_keys(connection, column, typed: str) -> list[str]:
    """The distinct keys of an indexed column that contain the key of `typed`
    (`deadline_queries.keys_containing`)."""
    return keys_containing(connection.execute(select(column).distinct()).scalars(), typed)


def split_key(key: str) -> tuple[str, str]:
    """"4868/UBND-KGVX" -> ("4868", "UBND-KGVX"); "19-CT/TU" -> ("19", "CT/TU");
    "/UBND-VP" or "CT/TU" -> ("", symbol)."""
    match = re.match(r"^(\d*)\s*[/-]?\s*(.+)$", key.strip())
    return (match.group(1), match.group(2)) if match else ("", key.strip())


def find_documents(engine: Engine, key: str) -> list[Record]:
    """Documents by id ("12") or by number and symbol ("4868/UBND-KGVX", "19-CT/TU"),
    or by symbol alone when the number was left blank ("/UBND-VP")."""
    return [record for _id, record in find_documents_with_ids(engine, key)]


def find_documents_with_ids(engine: Engine, key: str) -> list[tuple[int, Record]]:
    from vanthu.normalize import Record, symbol_key

    key = key.strip()
    doc = documents.c
    query = select(doc.id, doc.record_json)
    if key.isdigit():
        query = query.where(doc.id == int(key))
    else:
        number, symbol = split_key(key)
        query = query.where(doc.symbol_key == symbol_key(symbol))
        query = query.where(doc.number == number) if number else query
    with engine.connect() as connection:
        rows = connection.execute(query.order_by(doc.id)).all()
    return [(document_id, Record.model_validate_json(record_json)) for document_id, record_json in rows]


def all_records(engine: Engine, batch: int = 1000) -> Iterator[tuple[int, Record]]:
    """Every stored record with its id, in id order, read in batches (exports)."""
    from vanthu.normalize import Record

    doc = documents.c
    last = 0
    while True:
        with engine.connect() as connection:
            rows = connection.execute(select(doc.id, doc.record_json).where(doc.id > last)
                                      .order_by(doc.id).limit(batch)).all()
        if not rows:
            return
        for document_id, record_json in rows:
            yield document_id, Record.model_validate_json(record_json)
        last = rows[-1][0]
