"""Bringing a database to this vanthu's schema revision with Alembic, when it is opened.

- a new (empty) database: every migration runs, in one transaction; a new SQLite file is
  built from the snapshot of what they build (`snapshot`), without importing Alembic;
- a database at an older revision, or one made by vanthu 0.1.0 (before Alembic; known by its
  vanthu_meta row): a copy is kept beside an SQLite file, then it is upgraded in place, in
  one transaction, so an upgrade cut short leaves it as it was;
- a database at a revision this vanthu does not know (made by a newer vanthu), or a file
  holding other tables: refused, with what to do.

A database already at the head revision costs one query: Alembic is imported only to
upgrade. Two processes opening an old database at once upgrade it once: the upgrade takes
the write lock first and looks again.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from sqlalchemy import Connection, Engine, inspect, text
from sqlalchemy.exc import OperationalError, SQLAlchemyError

from .errors import StoreError
from .revision import SCHEMA_REVISION
from .snapshot import build_from_snapshot, head_snapshot
from .tables import metadata

BASELINE = "0001_baseline"
# What a database of vanthu 0.1.0 holds instead of an Alembic revision.
RELEASE_0_1 = "0.1.0"
_RELEASE_0_1_SCHEMA = "4"
# PostgreSQL advisory lock key held while the schema is created or upgraded (any fixed
# 64-bit number; other applications sharing the database use their own).
SCHEMA_LOCK = 0x76616E7468750001  # "vanthu" 0001


@dataclass(frozen=True)
class Upgrade:
    """A database brought to this vanthu's schema. `old` is None for a new database."""

    database: str
    old: str | None
    new: str
    backup: Path | None

    def line(self) -> str:
        """What an operator is told, once, when an existing database was upgraded."""
        kept = f"; the old one is kept as {self.backup}" if self.backup else ""
        return f"upgraded database {self.database} from schema {self.old} to {self.new}{kept}"


def _state(connection: Connection, target: str) -> str | None:
    """The database's schema revision, RELEASE_0_1, or None when it is empty."""
    # The table names in one query: read one by one, they can straddle another process's
    # commit of a new database (no "alembic_version" yet, then all of its tables).
    names = set(inspect(connection).get_table_names())
    if "alembic_version" in names:
        return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
    if "vanthu_meta" in names:
        version = connection.execute(text("SELECT value FROM vanthu_meta WHERE name = 'schema_version'")).scalar()
        if version == _RELEASE_0_1_SCHEMA:
            return RELEASE_0_1
        raise StoreError(f"database {target} was made by a development version of vanthu (schema {version}) "
                         "that cannot be upgraded; ingest the source files into a new database")
    if names - set(metadata.tables):
        raise StoreError(f"{target} holds tables that are not vanthu's; name a new file or an empty database")
    return None


def ensure_current(engine: Engine, target: str) -> Upgrade | None:
    """Upgrade the database to SCHEMA_REVISION if needed (see the module's docstring);
    what was done, or None when it was current. Raises StoreError when it cannot be used."""
    with engine.connect() as connection:
        state = _state(connection, target)
    if state == SCHEMA_REVISION:
        return None
    if state not in (None, RELEASE_0_1):
        _refuse_unknown(state, target)  # before waiting for the write lock
    return _upgrade(engine, target)


def alembic_config(connection: Connection | None = None):
    """Alembic's configuration for vanthu's migrations, run on `connection` (the caller
    commits). For `alembic` commands on a database, as tests and upgrades do."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(resources.files(__package__) / "migrations"))
    config.attributes["connection"] = connection
    return config


def _refuse_unknown(revision: str, target: str) -> None:
    """StoreError for a revision that is not one of this vanthu's migrations."""
    from alembic.script import ScriptDirectory
    from alembic.util import CommandError

    try:
        known = ScriptDirectory.from_config(alembic_config()).get_revision(revision) is not None
    except CommandError:
        known = False
    if not known:
        raise StoreError(f"database {target} was made by a newer vanthu (schema {revision}; this vanthu knows up to "
                         f"{SCHEMA_REVISION}); upgrade vanthu to use it")


def _upgrade(engine: Engine, target: str) -> Upgrade | None:
    with engine.connect() as connection:
        _lock(connection, target)
        state = _state(connection, target)  # again, now that no other process can upgrade it
        if state == SCHEMA_REVISION:
            connection.rollback()
            return None
        if state not in (None, RELEASE_0_1):
            _refuse_unknown(state, target)
        backup = _backup(engine, state) if state is not None else None
        snapshot = head_snapshot() if state is None and connection.dialect.name == "sqlite" else None
        try:
            if snapshot is not None:  # a new SQLite file: no need to import Alembic (`snapshot`)
                build_from_snapshot(connection, snapshot)
            else:
                _migrate(connection, state)
            connection.commit()
        except SQLAlchemyError as err:
            connection.rollback()
            if backup is not None:
                backup.unlink()  # the database itself is as it was
            doing = f"upgrade database {target} from schema {state} to" if state else f"create database {target} at"
            raise StoreError(f"cannot {doing} schema {SCHEMA_REVISION} (nothing was changed): "
                             f"{getattr(err, 'orig', None) or err}") from err
    return Upgrade(target, state, SCHEMA_REVISION, backup)


def _migrate(connection: Connection, state: str | None) -> None:
    """Run the migrations from `state` to the head, in the connection's transaction."""
    from alembic import command

    config = alembic_config(connection)
    if state == RELEASE_0_1:
        command.stamp(config, BASELINE)
    command.upgrade(config, "head")


def _lock(connection: Connection, target: str) -> None:
    """Take the database's write lock for the whole upgrade (SQLite: BEGIN IMMEDIATE; the
    DDL then runs inside that transaction). A read-only database fails here, untouched.
    PostgreSQL: a transaction-level advisory lock, so that of several vanthu processes
    opening a new or older database at once (on several machines) one upgrades it and the
    others, once it committed, find it current."""
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": SCHEMA_LOCK})
        return
    if connection.dialect.name != "sqlite":
        return
    try:
        connection.exec_driver_sql("BEGIN IMMEDIATE")
    except OperationalError as err:
        raise StoreError(f"database {target} needs creating or upgrading to schema {SCHEMA_REVISION}, "
                         f"which needs writing to it: {err.orig}") from err


def _backup(engine: Engine, state: str) -> Path | None:
    """Copy an SQLite database file (consistently, with SQLite's backup API) beside it, as
    DB.bak-STATE (DB.bak-STATE.2 … if taken); None for other databases."""
    path = (engine.url.database or "").removeprefix("file:")  # an URI filename (?uri=true) too
    if engine.dialect.name != "sqlite" or not path or path == ":memory:":
        return None
    base = Path(f"{path}.bak-{state}")
    copy, n = base, 1
    while copy.exists():
        n += 1
        copy = base.with_name(f"{base.name}.{n}")
    try:
        with closing(sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True)) as source, \
                closing(sqlite3.connect(copy)) as destination:
            source.backup(destination)
            destination.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
    except sqlite3.Error as err:
        copy.unlink(missing_ok=True)
        raise StoreError(f"cannot keep a copy of {path} before upgrading it ({copy}: {err}); "
                         "free some space or make its folder writable") from err
    return copy


__all__ = ["BASELINE", "RELEASE_0_1", "Upgrade", "alembic_config", "ensure_current"]
