"""Corrections are data: a person's review of a record, kept as rows of its own and applied
over the extracted record.

`apply_review` takes the values a person entered for some fields and the fields they
confirmed. In one transaction it logs one `corrections` row per field (field, old value, new
value, who, when; old = new for a confirmation), writes the record with those values and
`reviewed[field]` saying who and when (and what the extractor had read), and rewrites the
record's columns, child rows and search entry, so that every query, export and the
deadlines board see the corrected values. `vanthu reextract` leaves the fields of the log
alone (`rederive.protected_fields`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError
from sqlalchemy import Engine, insert, select
from sqlalchemy.exc import OperationalError

from vanthu.normalize import Record, record_organizations
from vanthu.normalize.record import REVIEWABLE_FIELDS, FieldReview

from .errors import StoreError
from .tables import corrections, documents
from .writing import rewrite_records

# Fields the record's organizations are made from.
_NAMING = {"issuer", "parent_issuer", "recipients", "cc", "deadlines"}


class ReviewConflict(StoreError):
    """The record changed (another person's review, a re-extraction) since the form was
    shown: nothing was written, the person must look again."""


def fingerprint(record_json: str) -> str:
    """What a form remembers of the record it showed, to know it unchanged when saved."""
    return hashlib.sha256(record_json.encode("utf-8")).hexdigest()[:32]


class ReviewError(ValueError):
    """A value a person entered that the record cannot take; `field` names it."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field


@dataclass(frozen=True)
class Correction:
    """One row of the corrections log."""

    document_id: int
    field: str
    action: str  # "corrected" | "confirmed"
    old: Any
    new: Any
    user: str
    at: str


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


def _validated(record: Record, values: Mapping[str, Any]) -> Record:
    """The record with `values` put in, checked as a whole by the record's model."""
    for name in values:
        if name not in REVIEWABLE_FIELDS:
            raise ReviewError(name, "not a field a person can correct")
    try:
        return Record.model_validate({**record.model_dump(mode="json"), **values})
    except ValidationError as err:
        first = err.errors()[0]
        raise ReviewError(str(first["loc"][0]) if first["loc"] else "record", first["msg"]) from err


def _reviewed(record: Record, changed: Mapping[str, Any], confirmed: Collection[str], user: str, at: str,
              before: dict) -> dict[str, FieldReview]:
    """`record.reviewed` after this review: what the extractor read is kept from an earlier
    review, or is the value the person saw."""
    reviewed = dict(record.reviewed)
    for name in [*changed, *confirmed]:
        earlier = reviewed.get(name)
        reviewed[name] = FieldReview(status="corrected" if name in changed or (earlier and earlier.status == "corrected")
                                     else "confirmed",
                                     by=user, at=at, extracted=earlier.extracted if earlier else before[name])
    return reviewed


def apply_review(engine: Engine, document_id: int, values: Mapping[str, Any], confirm: Collection[str], user: str,
                 seen: str | None = None, now: str | None = None) -> list[Correction]:
    """Apply a person's review of one document: `values` (field -> JSON value) are what they
    entered (those equal to the stored value change nothing), `confirm` the fields they
    confirmed (a field they confirmed already is not logged again). `seen` is the
    `fingerprint` of the record the person looked at: if it changed since, ReviewConflict.
    Returns the rows logged. Raises ReviewError for a value the record refuses, StoreError
    for a missing document or a database error; nothing is written then."""
    at = now or _now()
    try:
        with engine.begin() as connection:
            # FOR UPDATE (PostgreSQL): two reviews of one document are applied one after the other.
            stored = connection.execute(select(documents.c.record_json).where(documents.c.id == document_id)
                                        .with_for_update()).scalar()
            if stored is None:
                raise StoreError(f"no document #{document_id}")
            if seen is not None and seen != fingerprint(stored):
                raise ReviewConflict(f"document #{document_id} changed since it was shown")
            record = Record.model_validate_json(stored)
            before = record.model_dump(mode="json")
            updated = _validated(record, values)
            after = updated.model_dump(mode="json")
            changed = {name: after[name] for name in values if after[name] != before[name]}
            confirmed = [name for name in dict.fromkeys(confirm) if name not in changed
                         and getattr(record.reviewed.get(name), "by", None) != user]
            for name in confirmed:
                if name not in REVIEWABLE_FIELDS:
                    raise ReviewError(name, "not a field a person can confirm")
            rows = [Correction(document_id, name, "corrected", before[name], value, user, at)
                    for name, value in changed.items()]
            rows += [Correction(document_id, name, "confirmed", before[name], before[name], user, at)
                     for name in confirmed]
            if not rows:
                return []
            updated.reviewed = _reviewed(record, changed, confirmed, user, at, before)
            if _NAMING & set(changed):
                updated.organizations = record_organizations(updated)
            connection.execute(insert(corrections), [
                {"document_id": row.document_id, "field": row.field, "action": row.action,
                 "old_value": json.dumps(row.old, ensure_ascii=False), "new_value": json.dumps(row.new, ensure_ascii=False),
                 "user_name": row.user, "made_at": row.at} for row in rows])
            rewrite_records(connection, [(document_id, updated)])
            return rows
    except OperationalError as err:
        raise StoreError(f"cannot write to database: {err.orig}") from err


def corrections_of(engine: Engine, document_id: int) -> list[Correction]:
    """The corrections log of a document, newest first."""
    c = corrections.c
    query = (select(c.field, c.action, c.old_value, c.new_value, c.user_name, c.made_at)
             .where(c.document_id == document_id).order_by(c.id.desc()))
    with engine.connect() as connection:
        return [Correction(document_id, name, action, json.loads(old) if old else None,
                           json.loads(new) if new else None, user, at)
                for name, action, old, new, user, at in connection.execute(query)]
