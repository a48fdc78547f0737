"""What the workbench reads: the review queue, one document with its ingest result and files,
and the other registrations of the same document.

The queue puts first the documents a person should look at: a value abstained (handwritten
number or day), a page read with low OCR confidence, other warnings, or a possible duplicate
(another stored document with the same number, symbol, issuer and year) — unless a person
confirmed them; then the rest, newest first.
"""

from __future__ import annotations

import json
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import Engine, and_, case, exists, func, or_, select

from vanthu.ingest.models import IngestedText
from vanthu.normalize import Record

from .corrections import fingerprint
from .errors import StoreError
from .deadline_queries import canonical_doc_type
from .queries import matching_keys
from .tables import documents, files

QueueStatus = Literal["", "attention", "unconfirmed", "confirmed"]


class QueueFilter(BaseModel):
    """Which documents the queue lists (all when empty), and which page of them."""

    model_config = ConfigDict(extra="forbid")

    issuer: str = ""
    doc_type: str = ""
    date_from: str = ""
    date_to: str = ""
    status: QueueStatus = ""
    page: int = Field(1, ge=1)
    per_page: int = Field(50, ge=1, le=500)


class QueueItem(BaseModel):
    document_id: int
    doc_type: str | None
    number: str | None
    symbol: str | None
    issue_date: str | None
    issuer: str | None
    subject: str | None
    arrival_number: str | None
    arrival_date: str | None
    pages: int
    method: str
    flags: list[str]
    duplicate: bool
    status: str | None
    first: bool = Field(description="Put first: a person should look at it")


def _other():
    return documents.alias("other")


def _same_registration(d, o):
    """Two documents rows registering the same document: number, symbol, issuer and year
    (a missing issuer or date counts as the same on both)."""
    return and_(o.c.id != d.c.id, d.c.number.is_not(None), o.c.number == d.c.number,
                o.c.symbol_key == d.c.symbol_key,
                func.coalesce(o.c.issuer_key, "") == func.coalesce(d.c.issuer_key, ""),
                func.coalesce(func.substr(o.c.issue_date, 1, 4), "") == func.coalesce(func.substr(d.c.issue_date, 1, 4), ""))


def _duplicate_exists(d):
    other = _other()
    return exists(select(other.c.id).where(_same_registration(d, other)))


def _first(d, duplicate):
    """1 for a document the queue puts first, else 0."""
    return case((d.c.review_status == "confirmed", 0), (or_(d.c.review_flags.is_not(None), duplicate), 1), else_=0)


def _filtered(connection, query, where: QueueFilter, duplicate):
    d = documents.c
    if where.issuer.strip():
        query = query.where(d.issuer_key.in_(matching_keys(connection, d.issuer_key, where.issuer)))
    if where.doc_type.strip():
        query = query.where(d.doc_type == (canonical_doc_type(where.doc_type) or where.doc_type.strip()))
    if where.date_from:
        query = query.where(d.issue_date >= where.date_from)
    if where.date_to:
        query = query.where(d.issue_date <= where.date_to + "~")  # "2024-05" and "2024" within their period
    if where.status == "confirmed":
        query = query.where(d.review_status == "confirmed")
    elif where.status == "unconfirmed":
        query = query.where(or_(d.review_status.is_(None), d.review_status != "confirmed"))
    elif where.status == "attention":
        query = query.where(_first(documents, duplicate) == 1)
    return query


def review_queue(engine: Engine, where: QueueFilter) -> tuple[list[QueueItem], int]:
    """One page of the queue, and how many documents it holds in all."""
    d = documents.c
    duplicate = _duplicate_exists(documents)
    first = _first(documents, duplicate)
    with engine.connect() as connection:
        base = _filtered(connection, select(d.id), where, duplicate)
        total = connection.execute(select(func.count()).select_from(base.subquery())).scalar()
        query = _filtered(connection, select(
            d.id, d.doc_type, d.number, d.symbol, d.issue_date, d.issuer, d.subject, d.arrival_number,
            d.arrival_date, d.pages, d.method, d.review_flags, d.review_status,
            duplicate.label("duplicate"), first.label("first")), where, duplicate)
        rows = connection.execute(query.order_by(first.desc(), d.id.desc())
                                  .limit(where.per_page).offset((where.page - 1) * where.per_page)).all()
    items = [QueueItem(document_id=r.id, doc_type=r.doc_type, number=r.number, symbol=r.symbol,
                       issue_date=r.issue_date, issuer=r.issuer, subject=r.subject, arrival_number=r.arrival_number,
                       arrival_date=r.arrival_date, pages=r.pages, method=r.method,
                       flags=(r.review_flags or "").split() + (["duplicate"] if r.duplicate else []),
                       duplicate=bool(r.duplicate), status=r.review_status, first=bool(r.first)) for r in rows]
    return items, total


def queue_neighbours(engine: Engine, where: QueueFilter, document_id: int) -> tuple[int | None, int | None]:
    """The documents before and after `document_id` in the queue's order (None at an end);
    for a document not in the queue, (None, the queue's first)."""
    d = documents.c
    duplicate = _duplicate_exists(documents)
    first = _first(documents, duplicate)
    with engine.connect() as connection:
        query = _filtered(connection, select(d.id), where, duplicate).order_by(first.desc(), d.id.desc())
        ids = list(connection.execute(query).scalars())
    if document_id not in ids:
        return None, (ids[0] if ids else None)
    at = ids.index(document_id)
    return (ids[at - 1] if at > 0 else None), (ids[at + 1] if at + 1 < len(ids) else None)


class Registration(BaseModel):
    """Another stored document registering the same document."""

    document_id: int
    number: str | None
    symbol: str | None
    issue_date: str | None
    issuer: str | None
    path: str
    ingested_at: str


def same_registrations(engine: Engine, document_id: int) -> list[Registration]:
    """The other documents with this one's number, symbol, issuer and year (each finds the
    other: the link goes both ways)."""
    this, other = documents.alias("this"), _other()
    query = (select(other.c.id, other.c.number, other.c.symbol, other.c.issue_date, other.c.issuer, other.c.path,
                    other.c.ingested_at)
             .select_from(this).join(other, _same_registration(this, other))
             .where(this.c.id == document_id).order_by(other.c.id))
    with engine.connect() as connection:
        return [Registration(document_id=r.id, number=r.number, symbol=r.symbol, issue_date=r.issue_date,
                             issuer=r.issuer, path=r.path, ingested_at=r.ingested_at)
                for r in connection.execute(query)]


class StoredDetail(BaseModel):
    """A document as the workbench shows it."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    document_id: int
    sha256: str
    record: Record
    ingested: IngestedText
    paths: list[str] = Field(description="Where the file was seen, where it was filed first")
    ingested_at: str
    seen: str = Field(description="The record's fingerprint (corrections.fingerprint), for a form to send back")


def _paths(connection, document_id: int, first: str) -> list[str]:
    """Where a document's file may be now: where inbox runs filed it, where it was seen
    (latest first), where it was first ingested."""
    f = files.c
    seen = connection.execute(select(f.path, f.moved_to).where(f.document_id == document_id)
                              .order_by(f.id.desc())).all()
    paths = [moved for _path, moved in seen if moved] + [path for path, _moved in seen] + [first]
    return list(dict.fromkeys(paths))


def stored_file(engine: Engine, document_id: int) -> tuple[str, list[str]] | None:
    """A document's content hash and the places its file may be (see `_paths`)."""
    with engine.connect() as connection:
        row = connection.execute(select(documents.c.sha256, documents.c.path)
                                 .where(documents.c.id == document_id)).first()
        return (row.sha256, _paths(connection, document_id, row.path)) if row else None


def stored_detail(engine: Engine, document_id: int) -> StoredDetail | None:
    """A stored document with its record, ingest result and the paths of its file."""
    d = documents.c
    with engine.connect() as connection:
        row = connection.execute(select(d.id, d.sha256, d.text, d.ingest_json, d.record_json, d.ingested_at, d.path)
                                 .where(d.id == document_id)).first()
        if row is None:
            return None
        paths = _paths(connection, document_id, row.path)
    try:
        record = Record.model_validate_json(row.record_json)
        stored = json.loads(row.ingest_json) if row.ingest_json else {}
        # A row without an ingest result (a database edited by hand) is shown from its text.
        ingested = IngestedText.model_validate({"source": record.source.model_dump(), **stored, "text": row.text})
    except ValueError as err:  # pydantic's ValidationError too
        raise StoreError(f"document #{document_id}: stored data not readable by this vanthu: {err}") from err
    return StoredDetail(document_id=row.id, sha256=row.sha256, record=record, ingested=ingested, paths=paths,
                        ingested_at=row.ingested_at, seen=fingerprint(row.record_json))
