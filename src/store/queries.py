"""Read-side queries: deadlines with filters, documents by id or number/symbol, export.

Units and issuers are matched by key (`normalize.unit_key`): accents, case and punctuation
do not count and abbreviations are written out first, so "So TTTT" finds "Sở Thông tin và
Truyền thông" and "ubnd tinh quang ngai" finds "Ủy ban nhân dân tỉnh Quảng Ngãi".
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, Literal

from vanthu.knowledge.orthography import fold
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter
from sqlalchemy import Engine, select

from .dialects import in_order
from .tables import deadline_progress, deadline_units, documents
from .tables import deadlines as deadline_rows

if TYPE_CHECKING:
    from vanthu.normalize import Record

# The vocabulary and the unit keys (the extract and normalize stages) are imported by the
# queries that match typed names, so a plain `vanthu deadlines` starts without them.

Sort = Literal["due", "responsible", "issued", "document"]
Status = Literal["open", "done", "all"]


class DueItem(BaseModel):
    """One deadline with the document it comes from."""

    model_config = ConfigDict(extra="forbid")

    due_date: str
    time: str | None = None
    kind: str = "day"
    recurs: str | None = None
    responsible: str | None
    supporting: list[str] = Field(default_factory=list)
    task: str
    expression: str
    directive_id: str | None = None
    document_id: int
    doc_type: str | None = None
    number: str | None
    symbol: str | None
    issue_date: str | None = None
    issuer: str | None
    subject: str | None
    sha256: str = ""
    deadline_id: int = 0
    done_on: str | None = None
    done_note: str | None = None
    done_by: str | None = None


_DUE_ITEMS = TypeAdapter(list[DueItem])


class DeadlineFilter(BaseModel):
    """Which deadlines, in which order. Dates are ISO strings; `today` anchors `overdue`
    and `upcoming` (the real today unless a report is made for another day)."""

    model_config = ConfigDict(extra="forbid")

    date_from: str | None = None
    date_to: str | None = None
    overdue: bool = False
    upcoming: int | None = Field(None, ge=0, description="Due within this many days from today")
    today: dt.date = Field(default_factory=dt.date.today)
    responsible: str | None = None
    issuer: str | None = None
    doc_type: str | None = None
    status: Status = Field("open", description="open: not marked done; done: marked done on the board; all")
    document_id: int | None = None
    deadline_id: int | None = None
    sort: Sort = "due"
    descending: bool = False
    limit: int | None = Field(None, ge=1)


def canonical_doc_type(typed: str) -> str | None:
    """"cong van", "Công văn", "CV", "qd" -> the type's name; None when it names none."""
    from vanthu.knowledge.doctypes import TITLE_TYPES, doc_type_for_code

    key = re.sub(r"\s+", " ", fold(typed)).strip()
    if key in TITLE_TYPES:
        return TITLE_TYPES[key]
    return doc_type_for_code(typed.strip().upper()) or doc_type_for_code(typed.strip())


def matching_keys(connection, column, typed: str) -> list[str]:
    """The distinct keys of an indexed column that contain the key of `typed`. Read from the
    index (a few hundred units, not every row), they turn a substring match into an indexed
    IN (...) lookup."""
    from vanthu.normalize import unit_key

    needle = unit_key(typed)
    return [key for key in connection.execute(select(column).distinct()).scalars() if key and needle in key]


def _sorted(query, sort: Sort, descending: bool, dialect: str):
    # Orders an index can give (due date, then row id) keep LIMIT queries from sorting every
    # match; same-day deadlines are put in time order afterwards (`_by_time`).
    d, doc = deadline_rows.c, documents.c
    columns = {
        "due": [d.due_date],
        "responsible": [d.responsible_key, d.due_date],
        "issued": [doc.issue_date, d.due_date],
        "document": [doc.id],
    }[sort]
    return query.order_by(*[in_order(c, dialect, descending, nullable=c.nullable, words=c is d.responsible_key)
                            for c in columns + [d.id]])


def _by_time(items: list[DueItem], where: DeadlineFilter) -> list[DueItem]:
    """Same-day deadlines in time-of-day order (a stable sort: the rest stays as queried)."""
    if where.sort != "due":
        return items
    return sorted(items, key=lambda i: (i.due_date, i.time or ""), reverse=where.descending)


def deadlines(engine: Engine, where: DeadlineFilter | None = None) -> list[DueItem]:
    """Deadlines matching `where`, earliest first unless sorted otherwise."""
    where = where or DeadlineFilter()
    with engine.connect() as connection:
        result = connection.execute(_deadline_query(connection, where))
        keys = list(result.keys())
        rows = [dict(zip(keys, row)) for row in result]
        supporting = _supporting(connection, [row["deadline_id"] for row in rows])
    for row in rows:
        row["supporting"] = supporting.get(row["deadline_id"], [])
    # One validation call for the whole list (pydantic's core loop) over plain dicts: a
    # month of deadlines in a large archive is thousands of rows.
    return _by_time(_DUE_ITEMS.validate_python(rows), where)


_ID_BATCH = 500  # ids per IN (...) list: well under every database's limit on parameters


def _supporting(connection, deadline_ids: list[int]) -> dict[int, list[str]]:
    """The supporting units of each deadline, in printed order."""
    u = deadline_units.c
    found: dict[int, list[str]] = {}
    for at in range(0, len(deadline_ids), _ID_BATCH):
        query = (select(u.deadline_id, u.name)
                 .where(u.deadline_id.in_(deadline_ids[at:at + _ID_BATCH]), u.role == "supporting")
                 .order_by(u.deadline_id, u.position))
        for deadline_id, name in connection.execute(query):
            found.setdefault(deadline_id, []).append(name)
    return found


def _deadline_query(connection, where: DeadlineFilter):
    d, doc, p = deadline_rows.c, documents.c, deadline_progress.c
    query = select(
        d.due_date, d.time, d.kind, d.recurs, d.responsible, d.text.label("task"), d.expression, d.directive_id,
        doc.id.label("document_id"), doc.doc_type, doc.number, doc.symbol, doc.issue_date, doc.issuer, doc.subject,
        doc.sha256, d.id.label("deadline_id"), p.done_on, p.note.label("done_note"), p.done_by,
    ).join(documents, d.document_id == doc.id).outerjoin(
        deadline_progress, (p.document_id == d.document_id) & (p.due_date == d.due_date) & (p.task == d.text))
    if where.status == "open":
        query = query.where(p.id.is_(None))
    elif where.status == "done":
        query = query.where(p.id.is_not(None))
    if where.document_id is not None:
        query = query.where(d.document_id == where.document_id)
    if where.deadline_id is not None:
        query = query.where(d.id == where.deadline_id)
    if where.date_from:
        query = query.where(d.due_date >= where.date_from)
    if where.date_to:
        query = query.where(d.due_date <= where.date_to)
    if where.overdue:
        query = query.where(d.due_date < where.today.isoformat())
    if where.upcoming is not None:
        last = where.today + dt.timedelta(days=where.upcoming)
        query = query.where(d.due_date >= where.today.isoformat(), d.due_date <= last.isoformat())
    if where.responsible:  # as the lead unit or a supporting one
        u = deadline_units.c
        keys = matching_keys(connection, u.name_key, where.responsible)
        query = query.where(d.id.in_(select(u.deadline_id).where(u.name_key.in_(keys))))
    if where.issuer:
        query = query.where(doc.issuer_key.in_(matching_keys(connection, doc.issuer_key, where.issuer)))
    if where.doc_type:
        query = query.where(doc.doc_type == (canonical_doc_type(where.doc_type) or where.doc_type))
    query = _sorted(query, where.sort, where.descending, connection.dialect.name)
    return query.limit(where.limit) if where.limit else query


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
