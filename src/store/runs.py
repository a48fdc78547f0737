"""Inbox runs, files that failed, and what the database holds."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager

from pydantic import BaseModel, ConfigDict
from sqlalchemy import Column, Connection, Engine, Table, func, insert, select, update
from sqlalchemy.exc import OperationalError

from .database import StoreError
from .dialects import in_transaction, upsert
from .tables import deadlines, documents, failures, runs


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


class RunInfo(BaseModel):
    """One inbox run, as `vanthu runs` lists it."""

    model_config = ConfigDict(extra="forbid")

    id: int
    inbox: str
    started_at: str
    finished_at: str | None
    status: str
    files_new: int
    files_duplicate: int
    files_failed: int
    files_waiting: int
    pages: int
    seconds: float
    version: str


class FailureInfo(BaseModel):
    model_config = ConfigDict(extra="forbid")

    sha256: str
    path: str
    moved_to: str | None
    reason: str
    failed_at: str
    attempts: int


class Stats(BaseModel):
    """What the database holds (`vanthu stats --json`)."""

    model_config = ConfigDict(extra="forbid")

    documents: int  # unique contents
    pages: int
    deadlines: int
    failed_files: int  # contents that failed and were not stored since


@contextmanager
def _write(engine: Engine, what: str) -> Iterator[Connection]:
    """A connection in one transaction; a database error becomes a StoreError naming `what`.
    (Core statements on the tables: the ORM would cost every inbox run its import.)"""
    try:
        with engine.begin() as connection:
            yield connection
    except OperationalError as err:
        raise StoreError(f"cannot {what}: {err.orig}") from err


def start_run(engine: Engine, inbox: str, version: str) -> int:
    """Open a run; runs left "running" by a killed process become "interrupted" (the
    caller holds the inbox lock, so no other run is alive)."""
    with _write(engine, "start the run in the database") as connection:
        connection.execute(update(runs).where(runs.c.status == "running").values(status="interrupted"))
        return connection.execute(insert(runs).values(inbox=inbox, version=version)).inserted_primary_key[0]


def finish_run(engine: Engine, run_id: int, *, new: int, duplicate: int, failed: int, waiting: int,
               pages: int, seconds: float, status: str | None = None) -> None:
    """Close a run with its counts; its status is "ok", "failed files", or the `status` given
    ("crashed", "interrupted") for a run that stopped part-way."""
    status = status or ("failed files" if failed else "ok")
    with _write(engine, "finish the run in the database") as connection:
        connection.execute(update(runs).where(runs.c.id == run_id).values(
            finished_at=_now(), status=status, files_new=new, files_duplicate=duplicate,
            files_failed=failed, files_waiting=waiting, pages=pages, seconds=round(seconds, 3)))


def _columns(table: Table, model: type[BaseModel]) -> list[Column]:
    """The table's columns that `model` has fields for."""
    return [table.c[name] for name in model.model_fields]


def list_runs(engine: Engine, limit: int = 20) -> list[RunInfo]:
    """The latest runs, newest first."""
    with engine.connect() as connection:
        rows = connection.execute(select(*_columns(runs, RunInfo)).order_by(runs.c.id.desc()).limit(limit))
        return [RunInfo.model_validate(dict(row)) for row in rows.mappings()]


def record_failure(engine: Engine, sha256: str, path: str, moved_to: str | None, reason: str,
                   run_id: int | None) -> None:
    """Remember that this content failed (once per content; attempts counted), in one
    statement (`INSERT ... ON CONFLICT DO UPDATE`), so that writers recording the same content
    at once count two attempts on one row."""
    def write(connection: Connection) -> None:
        statement = upsert(connection, failures).values(sha256=sha256, path=path, moved_to=moved_to, reason=reason,
                                                        run_id=run_id, failed_at=_now(), attempts=1)
        excluded = statement.excluded
        connection.execute(statement.on_conflict_do_update(index_elements=["sha256"], set_={
            "path": excluded.path, "moved_to": excluded.moved_to, "reason": excluded.reason,
            "run_id": excluded.run_id, "failed_at": excluded.failed_at, "attempts": failures.c.attempts + 1}))

    in_transaction(engine, write, "record the failure in the database")


def failure_of(engine: Engine, sha256: str) -> FailureInfo | None:
    """The recorded failure of this content, if any."""
    with engine.connect() as connection:
        row = connection.execute(select(*_columns(failures, FailureInfo)).where(failures.c.sha256 == sha256)
                                 ).mappings().first()
        return FailureInfo.model_validate(dict(row)) if row else None


def stats(engine: Engine) -> Stats:
    """Counts of what the database holds."""
    with engine.connect() as connection:
        return Stats(
            documents=connection.scalar(select(func.count(documents.c.id))) or 0,
            pages=connection.scalar(select(func.coalesce(func.sum(documents.c.pages), 0))) or 0,
            deadlines=connection.scalar(select(func.count(deadlines.c.id))) or 0,
            failed_files=connection.scalar(select(func.count(failures.c.id))) or 0,
        )
