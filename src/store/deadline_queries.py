"""The deadlines query (`vanthu deadlines`, the workbench's board), with its filters.

Written as SQL that both databases run (see `reading`), so that `vanthu deadlines` on an
SQLite file starts without importing SQLAlchemy. Units and issuers are matched by key
(`normalize.unit_key`): accents, case and punctuation do not count and abbreviations are
written out first, so "So TTTT" finds "Sở Thông tin và Truyền thông" and "ubnd tinh quang
ngai" finds "Ủy ban nhân dân tỉnh Quảng Ngãi".
"""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

from vanthu.knowledge.orthography import fold

from .reading import Reader, in_list, order_term, reading

if TYPE_CHECKING:
    from sqlalchemy import Engine

# The vocabulary and the unit keys (the extract and normalize stages) are imported by the
# filters that match typed names, so a plain `vanthu deadlines` starts without them.

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


def keys_containing(keys: Iterable[str | None], typed: str) -> list[str]:
    """The keys (of units or issuers, as stored) that contain the key of `typed`. Read from
    an index (a few hundred units, not every row), they turn a substring match into an
    indexed IN (...) lookup."""
    from vanthu.normalize import unit_key

    needle = unit_key(typed)
    return [key for key in keys if key and needle in key]


def deadlines(source: Engine | sqlite3.Connection, where: DeadlineFilter | None = None) -> list[DueItem]:
    """Deadlines matching `where`, earliest first unless sorted otherwise. `source`: an
    SQLAlchemy engine, or an SQLite connection from `reading.open_current_sqlite`."""
    where = where or DeadlineFilter()
    with reading(source) as reader:
        rows = reader.rows(*_deadline_sql(reader, where))
        supporting = _supporting(reader, [row["deadline_id"] for row in rows])
    for row in rows:
        row["supporting"] = supporting.get(row["deadline_id"], [])
    # One validation call for the whole list (pydantic's core loop) over plain dicts: a
    # month of deadlines in a large archive is thousands of rows.
    return _by_time(_DUE_ITEMS.validate_python(rows), where)


def _by_time(items: list[DueItem], where: DeadlineFilter) -> list[DueItem]:
    """Same-day deadlines in time-of-day order (a stable sort: the rest stays as queried)."""
    if where.sort != "due":
        return items
    return sorted(items, key=lambda i: (i.due_date, i.time or ""), reverse=where.descending)


_ID_BATCH = 500  # ids per IN (...) list: well under every database's limit on parameters


def _supporting(reader: Reader, deadline_ids: list[int]) -> dict[int, list[str]]:
    """The supporting units of each deadline, in printed order."""
    found: dict[int, list[str]] = {}
    for at in range(0, len(deadline_ids), _ID_BATCH):
        params: dict[str, Any] = {}
        ids = in_list("id", deadline_ids[at:at + _ID_BATCH], params)
        for row in reader.rows(f"SELECT deadline_id, name FROM deadline_units WHERE deadline_id {ids} "
                               "AND role = 'supporting' ORDER BY deadline_id, position", params):
            found.setdefault(row["deadline_id"], []).append(row["name"])
    return found


_COLUMNS = ("d.due_date, d.time, d.kind, d.recurs, d.responsible, d.text AS task, d.expression, d.directive_id, "
            "doc.id AS document_id, doc.doc_type, doc.number, doc.symbol, doc.issue_date, doc.issuer, doc.subject, "
            "doc.sha256, d.id AS deadline_id, p.done_on, p.note AS done_note, p.done_by")
_FROM = ("deadlines AS d JOIN documents AS doc ON d.document_id = doc.id "
         "LEFT OUTER JOIN deadline_progress AS p "
         "ON p.document_id = d.document_id AND p.due_date = d.due_date AND p.task = d.text")
# Orders an index can give (due date, then row id) keep LIMIT queries from sorting every
# match; same-day deadlines are put in time order afterwards (`_by_time`). Each term:
# (column, nullable, free text).
_ORDERS: dict[str, list[tuple[str, bool, bool]]] = {
    "due": [("d.due_date", False, False)],
    "responsible": [("d.responsible_key", True, True), ("d.due_date", False, False)],
    "issued": [("doc.issue_date", True, False), ("d.due_date", False, False)],
    "document": [("doc.id", False, False)],
}


def _deadline_sql(reader: Reader, where: DeadlineFilter) -> tuple[str, dict[str, Any]]:
    """The query's SQL and parameters for `where`."""
    conditions: list[str] = []
    params: dict[str, Any] = {}
    if where.status == "open":
        conditions.append("p.id IS NULL")
    elif where.status == "done":
        conditions.append("p.id IS NOT NULL")
    for condition, value in (("d.document_id = :document_id", where.document_id),
                             ("d.id = :deadline_id", where.deadline_id),
                             ("d.due_date >= :date_from", where.date_from),
                             ("d.due_date <= :date_to", where.date_to)):
        if value is not None and value != "":
            conditions.append(condition)
            params[condition.rsplit(":", 1)[1]] = value
    if where.overdue:
        conditions.append("d.due_date < :today")
        params["today"] = where.today.isoformat()
    if where.upcoming is not None:
        conditions.append("d.due_date >= :today AND d.due_date <= :last")
        params.update(today=where.today.isoformat(), last=(where.today + dt.timedelta(days=where.upcoming)).isoformat())
    if where.responsible:  # as the lead unit or a supporting one
        keys = keys_containing(reader.column("SELECT DISTINCT name_key FROM deadline_units"), where.responsible)
        conditions.append(f"d.id IN (SELECT deadline_id FROM deadline_units WHERE name_key "
                          f"{in_list('unit', keys, params)})")
    if where.issuer:
        keys = keys_containing(reader.column("SELECT DISTINCT issuer_key FROM documents"), where.issuer)
        conditions.append(f"doc.issuer_key {in_list('issuer', keys, params)}")
    if where.doc_type:
        conditions.append("doc.doc_type = :doc_type")
        params["doc_type"] = canonical_doc_type(where.doc_type) or where.doc_type
    terms = [order_term(column, reader.dialect, where.descending, nullable, words)
             for column, nullable, words in _ORDERS[where.sort] + [("d.id", False, False)]]
    sql = (f"SELECT {_COLUMNS} FROM {_FROM}" + (" WHERE " + " AND ".join(conditions) if conditions else "")
           + " ORDER BY " + ", ".join(terms))
    if where.limit:
        sql += " LIMIT :limit"
        params["limit"] = where.limit
    return sql, params
