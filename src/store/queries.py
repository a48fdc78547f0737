"""Read-side queries: deadlines, one document by id or number/symbol."""

from __future__ import annotations

import re

from ingest.vietnamese import fold
from normalize import Record, symbol_key
from pydantic import BaseModel, ConfigDict
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from store.schema import DeadlineRow, Document


class DueItem(BaseModel):
    """One deadline with the document it comes from."""

    model_config = ConfigDict(extra="forbid")

    due_date: str
    responsible: str | None
    task: str
    expression: str
    document_id: int
    number: str | None
    symbol: str | None
    issuer: str | None
    subject: str | None


def deadlines(
    engine: Engine,
    date_from: str | None = None,
    date_to: str | None = None,
    responsible: str | None = None,
) -> list[DueItem]:
    """Deadlines between two ISO dates (inclusive), optionally for a unit (accent- and
    case-insensitive substring), earliest first."""
    query = select(DeadlineRow, Document).join(Document, DeadlineRow.document_id == Document.id)
    if date_from:
        query = query.where(DeadlineRow.due_date >= date_from)
    if date_to:
        query = query.where(DeadlineRow.due_date <= date_to)
    if responsible:
        query = query.where(DeadlineRow.responsible_key.contains(fold(responsible)))
    query = query.order_by(DeadlineRow.due_date, Document.id, DeadlineRow.id)
    with Session(engine) as session:
        return [
            DueItem(
                due_date=row.due_date, responsible=row.responsible, task=row.text,
                expression=row.expression, document_id=doc.id, number=doc.number,
                symbol=doc.symbol, issuer=doc.issuer, subject=doc.subject,
            )
            for row, doc in session.execute(query)
        ]


def find_documents(engine: Engine, key: str) -> list[Record]:
    """Documents by id ("12") or by number and symbol ("4868/UBND-KGVX", "19-CT/TU"),
    or by symbol alone when the number was left blank ("/UBND-VP")."""
    key = key.strip()
    with Session(engine) as session:
        if key.isdigit():
            rows = session.scalars(select(Document).where(Document.id == int(key))).all()
        else:
            match = re.match(r"^(\d*)\s*[/-]?\s*(.+)$", key)
            number, symbol = (match.group(1), match.group(2)) if match else ("", key)
            query = select(Document).where(Document.symbol_key == symbol_key(symbol))
            query = query.where(Document.number == number) if number else query
            rows = session.scalars(query.order_by(Document.id)).all()
        return [Record.model_validate_json(row.record_json) for row in rows]
