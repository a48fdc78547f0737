"""What differs between the two databases vanthu stores in, SQLite and PostgreSQL, for
writing: `INSERT ... ON CONFLICT` (both have it, through each dialect's own insert), and
transactions that PostgreSQL may abort under concurrent writers and that are then run again.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

from sqlalchemy import Connection, Engine, Table
from sqlalchemy.exc import DBAPIError, OperationalError

from .errors import StoreError

SUPPORTED = ("sqlite", "postgresql")
# SQLSTATEs of a transaction PostgreSQL aborted so that a concurrent one could go on
# (deadlock detected, serialization failure): run again, it then succeeds.
_RETRYABLE = {"40P01", "40001"}
ATTEMPTS = 5
_BACKOFF = 0.05  # seconds before the second attempt, doubled each time

T = TypeVar("T")


def _insert(connection: Connection):
    name = connection.dialect.name
    if name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    elif name == "sqlite":
        from sqlalchemy.dialects.sqlite import insert
    else:
        raise StoreError(f"vanthu stores records in SQLite or PostgreSQL, not {name}")
    return insert


def upsert(connection: Connection, table: Table):
    """An insert into `table` that can say what to do when it meets a row with the same
    unique columns (`.on_conflict_do_update(...)`, `.excluded`)."""
    return _insert(connection)(table)


def insert_new(connection: Connection, table: Table, unique: list[str]):
    """An insert into `table` that skips rows whose `unique` columns are taken
    (`INSERT ... ON CONFLICT (unique) DO NOTHING`), by a concurrent writer too."""
    return _insert(connection)(table).on_conflict_do_nothing(index_elements=unique)


def _retryable(err: DBAPIError) -> bool:
    return getattr(err.orig, "sqlstate", None) in _RETRYABLE


def in_transaction(engine: Engine, work: Callable[[Connection], T], what: str) -> T:
    """`work(connection)` in one transaction, committed; run again (up to ATTEMPTS times)
    when PostgreSQL aborted it for a concurrent transaction. A database error becomes a
    StoreError saying what could not be done ("cannot write to database: ...")."""
    for attempt in range(1, ATTEMPTS + 1):
        try:
            with engine.begin() as connection:
                return work(connection)
        except DBAPIError as err:
            if attempt < ATTEMPTS and _retryable(err):
                time.sleep(_BACKOFF * 2 ** (attempt - 1))
                continue
            if isinstance(err, OperationalError) or _retryable(err):
                raise StoreError(f"cannot {what}: {err.orig}") from err
            raise
    raise AssertionError("unreachable")


def in_order(column, dialect: str, descending: bool = False, nullable: bool = False, words: bool = False):
    """An ORDER BY term that sorts alike on both databases, as SQLite does: NULLs before any
    value (after, descending), and, for `words` (free text such as a unit's key), byte order
    rather than the PostgreSQL database's collation, which may skip spaces and punctuation.
    (`reading.order_term` writes the same terms as SQL text.)"""
    if dialect == "postgresql":
        column = column.collate("C") if words else column
        term = column.desc() if descending else column.asc()
        if nullable:
            term = term.nulls_last() if descending else term.nulls_first()
        return term
    return column.desc() if descending else column
