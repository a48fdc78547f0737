"""Running a read-only query's SQL on either database, and opening an SQLite file for it
without SQLAlchemy.

SQLAlchemy's import alone is a quarter of a second on this machine, more than everything
else `vanthu deadlines` does. The queries written here as SQL (named `:parameters`, which
both `sqlite3` and SQLAlchemy's `text()` take) run on an SQLAlchemy engine (PostgreSQL, the
workbench's SQLite) or straight on an `sqlite3` connection opened by `open_current_sqlite`:
one query, two ways to hand it to the database.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .revision import SCHEMA_REVISION

if TYPE_CHECKING:
    from sqlalchemy import Engine

BUSY_TIMEOUT_MS = 5000  # how long a statement waits for another process's write lock
# Queries over a large archive read many rows: memory-mapped reads and a 64 MB page cache
# halve their time (addresses are reserved, not memory used up front).
READ_PRAGMAS = ("PRAGMA mmap_size=268435456", "PRAGMA cache_size=-65536")


def database_url(target: str) -> str:
    """An SQLAlchemy URL from a URL or a file path (a path means SQLite)."""
    if "://" in target:
        return target
    return f"sqlite:///{Path(target).expanduser().resolve()}"


def sqlite_file(url: str) -> Path | None:
    """The file of an SQLite URL; None for other databases and in-memory SQLite."""
    if not url.startswith("sqlite:///") or "mode=memory" in url:
        return None
    return Path(url.removeprefix("sqlite:///").split("?", 1)[0].removeprefix("file:"))


def open_current_sqlite(target: str) -> sqlite3.Connection | None:
    """An `sqlite3` connection to `target` when it is an existing SQLite file already at this
    vanthu's schema; None otherwise (not SQLite, no such file, an older or newer schema, not
    a database): the caller then opens it with `open_engine`, which creates, upgrades or
    refuses it and says why. Never creates or changes a file."""
    url = database_url(target)
    path = sqlite_file(url)
    if path is None or "?" in url or not path.is_file():
        return None
    try:
        connection = sqlite3.connect(f"{path.as_uri()}?mode=rw", uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
    except sqlite3.Error:
        return None
    try:
        revision = connection.execute("SELECT version_num FROM alembic_version").fetchall()
        for pragma in READ_PRAGMAS:
            connection.execute(pragma)
    except sqlite3.Error:  # not a database, or no vanthu schema yet
        revision = []
    if revision != [(SCHEMA_REVISION,)]:
        connection.close()
        return None
    return connection


class Reader:
    """Runs SQL on one open connection of either kind; rows come back as dicts."""

    def __init__(self, dialect: str, execute) -> None:
        self.dialect = dialect
        self._execute = execute

    def rows(self, sql: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        keys, rows = self._execute(sql, params or {})
        return [dict(zip(keys, row)) for row in rows]

    def column(self, sql: str, params: dict[str, Any] | None = None) -> list[Any]:
        """The first column of every row."""
        return [row[0] for row in self._execute(sql, params or {})[1]]


@contextmanager
def reading(source: Engine | sqlite3.Connection) -> Iterator[Reader]:
    """A Reader on `source`: an SQLAlchemy engine (a connection is taken for the block) or
    an `sqlite3` connection from `open_current_sqlite`."""
    if isinstance(source, sqlite3.Connection):
        def execute(sql: str, params: dict) -> tuple[list[str], list[tuple]]:
            cursor = source.execute(sql, params)
            return [column[0] for column in cursor.description or ()], cursor.fetchall()
        yield Reader("sqlite", execute)
        return
    from sqlalchemy import text

    with source.connect() as connection:
        def execute(sql: str, params: dict) -> tuple[list[str], list[tuple]]:
            result = connection.execute(text(sql), params)
            return list(result.keys()), [tuple(row) for row in result]
        yield Reader(connection.dialect.name, execute)


def in_list(name: str, values: Sequence[Any], params: dict[str, Any]) -> str:
    """`IN (:name0, :name1, …)` for `values`, the values put into `params`; a condition that
    holds for no row when there are none (PostgreSQL refuses an empty `IN ()`)."""
    if not values:
        return "IN (NULL)"
    params.update({f"{name}{n}": value for n, value in enumerate(values)})
    return "IN (" + ", ".join(f":{name}{n}" for n in range(len(values))) + ")"


def order_term(column: str, dialect: str, descending: bool = False, nullable: bool = False,
               words: bool = False) -> str:
    """An ORDER BY term that sorts alike on both databases, as SQLite does (the same rule as
    `dialects.in_order` for SQLAlchemy expressions): NULLs first (last, descending), and,
    for `words`, byte order rather than PostgreSQL's collation, which may skip spaces."""
    term = f'{column} COLLATE "C"' if words and dialect == "postgresql" else column
    term += " DESC" if descending else ""
    if nullable and dialect == "postgresql":
        term += " NULLS LAST" if descending else " NULLS FIRST"
    return term
