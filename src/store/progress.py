"""Follow-up of deadlines (tiến độ, Phụ lục IV of Nghị định 30/2020): a deadline marked done on
the deadlines board, with the day it was done, a note and who said so. A done deadline leaves
the open lists (`vanthu deadlines`, `--overdue`, the board); the mark belongs to the
document's task and due date, so it outlives re-extraction."""

from __future__ import annotations

import datetime as dt
import hashlib

from sqlalchemy import Engine, delete, insert, select
from sqlalchemy.exc import OperationalError

from .errors import StoreError
from .tables import deadline_progress, deadlines


def task_key(task: str) -> str:
    """The unique index's key of a task (its text may be long)."""
    return hashlib.sha256(task.encode("utf-8")).hexdigest()


def _deadline(connection, deadline_id: int) -> tuple[int, str, str]:
    row = connection.execute(select(deadlines.c.document_id, deadlines.c.due_date, deadlines.c.text)
                             .where(deadlines.c.id == deadline_id)).first()
    if row is None:
        raise StoreError(f"no deadline #{deadline_id}")
    return row.document_id, row.due_date, row.text


def _set(engine: Engine, deadline_id: int, done: dict | None) -> None:
    """Clear the deadline's mark, then record `done` (done_on, note, done_by) if given."""
    try:
        with engine.begin() as connection:
            document_id, due_date, task = _deadline(connection, deadline_id)
            p = deadline_progress.c
            connection.execute(delete(deadline_progress).where(
                p.document_id == document_id, p.due_date == due_date, p.task_key == task_key(task)))
            if done is not None:
                connection.execute(insert(deadline_progress).values(
                    document_id=document_id, due_date=due_date, task=task, task_key=task_key(task), **done))
    except OperationalError as err:
        raise StoreError(f"cannot write to database: {err.orig}") from err


def mark_done(engine: Engine, deadline_id: int, done_on: dt.date, note: str | None, user: str) -> None:
    """Mark a deadline done on `done_on` (replacing an earlier mark of the same task)."""
    _set(engine, deadline_id, {"done_on": done_on.isoformat(), "note": (note or "").strip() or None, "done_by": user})


def reopen(engine: Engine, deadline_id: int) -> None:
    """Take a deadline's done mark away."""
    _set(engine, deadline_id, None)
