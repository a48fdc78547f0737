"""Stored records derived again: reading what a newer extractor needs (each document's
ingest result and current record), and replacing a record in place.

A replaced record keeps its document's id, content hash, files and ingest result; its
documents columns, child rows (parties, directives, deadlines, citations, organizations) and
full-text entry are rewritten in one transaction per batch, so a run killed between
batches leaves every record either old or new, never half of each.
"""

from __future__ import annotations

import json
import operator
import re
from collections.abc import Collection, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

from pydantic import ValidationError
from sqlalchemy import Connection, Engine, func, select
from sqlalchemy.exc import OperationalError

from vanthu.ingest.models import IngestedText
from vanthu.normalize import Record, unit_key

from .dialects import in_transaction
from .errors import StoreError
from .tables import corrections
from .writing import DOCUMENTS, rewrite_records

# Columns `--where` may name, and how it may compare them.
WHERE_COLUMNS = ("id", "sha256", "path", "doc_type", "number", "symbol", "issue_date", "issuer", "method",
                 "extractor_version", "ingested_at")
_OPERATORS = {"=": operator.eq, "!=": operator.ne, "<": operator.lt, "<=": operator.le, ">": operator.gt,
              ">=": operator.ge}
_CONDITION = re.compile(r"^\s*(\w+)\s*(!=|<=|>=|=|<|>|~)\s*(.*?)\s*$", re.S)


@dataclass(frozen=True)
class Condition:
    """`column op value`, e.g. issue_date>=2023-01-01, method=ocr, issuer~so tai chinh (~:
    contains; for the issuer, matched by key as the analysts' filters do: accents, case and
    abbreviations do not matter)."""

    column: str
    op: str
    value: str

    @classmethod
    def parse(cls, typed: str) -> Condition:
        """Raises ValueError naming what is wrong."""
        match = _CONDITION.match(typed)
        if not match:
            raise ValueError(f"{typed!r} is not COLUMN OP VALUE (OP one of = != < <= > >= ~)")
        column, op, value = match.groups()
        if column not in WHERE_COLUMNS:
            raise ValueError(f"{column!r} is not one of {', '.join(WHERE_COLUMNS)}")
        return cls(column, op, value)

    def clause(self):
        """The SQL condition (the value is a bound parameter)."""
        column = DOCUMENTS.c[self.column]
        if self.op == "~" and self.column == "issuer":
            return DOCUMENTS.c.issuer_key.contains(unit_key(self.value), autoescape=True)
        if self.op == "~":
            return func.lower(column).contains(self.value.lower(), autoescape=True)
        value = int(self.value) if self.column == "id" and self.value.isdigit() else self.value
        return _OPERATORS[self.op](column, value)


@dataclass(frozen=True)
class StoredDocument:
    """What re-extraction reads of a document: its ingest result and its current record
    (None when the stored JSON no longer validates: `problem` says why)."""

    document_id: int
    ingested: IngestedText | None
    record: Record | None
    problem: str | None = None


def stored_versions(engine: Engine) -> dict[str, int]:
    """Each extractor version in the database, with how many records it made."""
    query = select(DOCUMENTS.c.extractor_version, func.count()).group_by(DOCUMENTS.c.extractor_version)
    with _reading(engine) as connection:
        return {version: count for version, count in connection.execute(query)}


def documents_to_rederive(engine: Engine, versions: Collection[str], where: Sequence[Condition] = (),
                          after: int = 0, limit: int = 100) -> list[StoredDocument]:
    """Up to `limit` documents made by one of `versions` and matching `where`, with an id
    above `after`, in id order."""
    query = (select(DOCUMENTS.c.id, DOCUMENTS.c.text, DOCUMENTS.c.ingest_json, DOCUMENTS.c.record_json)
             .where(DOCUMENTS.c.extractor_version.in_(list(versions)), DOCUMENTS.c.id > after,
                    *(condition.clause() for condition in where))
             .order_by(DOCUMENTS.c.id).limit(limit))
    with _reading(engine) as connection:
        return [_stored(*row) for row in connection.execute(query)]


def _stored(document_id: int, text_: str, ingest_json: str | None, record_json: str) -> StoredDocument:
    try:
        record = Record.model_validate_json(record_json)
        # A row without an ingest result (never written by vanthu, but possible in a
        # database edited by hand) is re-derived from its text and its record's source.
        ingested = (IngestedText.model_validate({**json.loads(ingest_json), "text": text_}) if ingest_json
                    else IngestedText(text=text_, source=record.source))
    except ValidationError as err:
        first = err.errors()[0]
        where = ".".join(map(str, first["loc"])) or "value"
        return StoredDocument(document_id, None, None,
                              f"stored {err.title} not readable by this vanthu: {where}: {first['msg']}")
    except ValueError as err:  # not JSON at all
        return StoredDocument(document_id, None, None, f"stored JSON not readable: {err}")
    return StoredDocument(document_id, ingested, record)


def protected_fields(engine: Engine, document_ids: Collection[int]) -> dict[int, frozenset[str]]:
    """The record fields of each document that a person corrected or confirmed (the
    corrections log), which re-extraction must leave as they are."""
    if not document_ids:
        return {}
    query = (select(corrections.c.document_id, corrections.c.field).distinct()
             .where(corrections.c.document_id.in_(list(document_ids))))
    found: dict[int, set[str]] = {}
    with _reading(engine) as connection:
        for document_id, name in connection.execute(query):
            found.setdefault(document_id, set()).add(name)
    return {document_id: frozenset(names) for document_id, names in found.items()}


def replace_records(engine: Engine, items: Sequence[tuple[int, Record]]) -> None:
    """Replace stored records by new derivations of the same documents (one transaction)."""
    if items:
        in_transaction(engine, lambda connection: rewrite_records(connection, items), "write to database")


@contextmanager
def _reading(engine: Engine) -> Iterator[Connection]:
    """A read connection whose database errors become StoreError."""
    try:
        with engine.connect() as connection:
            yield connection
    except OperationalError as err:
        raise StoreError(f"cannot read database: {err.orig}") from err
