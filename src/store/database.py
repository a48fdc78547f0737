"""Opening the database (SQLite or PostgreSQL): its URL, its driver, and its schema brought
to this vanthu's revision."""

from __future__ import annotations

import functools
import sqlite3
import time
from collections.abc import Callable

from sqlalchemy import Engine, create_engine, event, make_url, text
from sqlalchemy.exc import ArgumentError, OperationalError, SQLAlchemyError

from . import DEFAULT_DB
from .dialects import SUPPORTED
from .errors import StoreError
from .migrate import Upgrade, ensure_current
from .reading import BUSY_TIMEOUT_MS, READ_PRAGMAS, database_url, sqlite_file

_WAL_RETRY_SECONDS = 0.05


def _use_wal(cursor, busy_ms: int) -> None:
    """Switch to WAL, which keeps readers working during a batch and survives a killed
    writer. SQLite answers "database is locked" at once, without waiting the busy timeout,
    while another process is creating or switching the same new file (two runs started
    together on a new database): try again until the timeout."""
    deadline = time.monotonic() + busy_ms / 1000
    while True:
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as err:
            if "locked" not in str(err) or time.monotonic() > deadline:
                raise
            time.sleep(_WAL_RETRY_SECONDS)


def _sqlite_pragmas(dbapi_connection, _record, busy_ms: int = BUSY_TIMEOUT_MS) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout={busy_ms}")
    _use_wal(cursor, busy_ms)
    cursor.execute("PRAGMA foreign_keys=ON")
    for pragma in READ_PRAGMAS:
        cursor.execute(pragma)
    cursor.close()


def shown_url(target: str) -> str:
    """`target` fit for a message: a URL's password hidden."""
    if "://" not in target:
        return target
    try:
        url = make_url(target)
    except ArgumentError:
        return target.split("://", 1)[0] + "://…"
    return target if url.password is None else url.render_as_string(hide_password=True)


# The package that provides a database driver SQLAlchemy imports, by module name.
DRIVER_PACKAGES = {"psycopg": "'psycopg[binary]'", "psycopg2": "psycopg2-binary", "MySQLdb": "mysqlclient",
                   "pymysql": "PyMySQL", "asyncpg": "asyncpg", "oracledb": "oracledb", "pyodbc": "pyodbc"}


def open_engine(target: str = DEFAULT_DB, on_upgrade: Callable[[Upgrade], None] | None = None,
                lock_wait: float | None = None) -> Engine:
    """Connect to `target` (a path, or an SQLite or PostgreSQL URL), bringing its schema to
    this vanthu's revision: a new database is created, an older one upgraded in place (SQLite:
    after keeping a copy; `on_upgrade` is told), a newer one refused with a StoreError.
    `lock_wait`: seconds a statement waits for another process's write lock on an SQLite
    file before it fails with "database is locked" (default BUSY_TIMEOUT_MS).

    Each process opens its own engine: an engine's connection pool is never shared across a
    fork (the Dask workers of `vanthu.cluster` open theirs when they start working)."""
    url = database_url(target)
    shown = shown_url(target)
    path = sqlite_file(url)
    if path is not None:
        folder = path.parent
        if not folder.is_dir():
            raise StoreError(f"cannot open database {shown}: folder {folder} does not exist")
    try:
        dialect = make_url(url).get_backend_name()
    except ArgumentError as err:
        raise StoreError(f"cannot open database {shown}: not a database URL or file path ({err})") from err
    if dialect not in SUPPORTED:
        raise StoreError(f"cannot open database {shown}: vanthu stores records in SQLite or PostgreSQL "
                         f"(postgresql+psycopg://USER:PASSWORD@HOST/NAME), not {dialect}")
    try:
        # A server may drop idle connections (a restart, a firewall): test each one before use.
        engine = create_engine(url, **({} if dialect == "sqlite" else {"pool_pre_ping": True}))
    except ImportError as err:  # the URL's database driver is not installed
        module = (err.name or "").split(".", 1)[0]
        package = DRIVER_PACKAGES.get(module, module or "its driver")
        raise StoreError(f"cannot open database {shown}: its driver ({module or err}) is not installed; "
                         f"install it with: pip install {package}") from err
    except ArgumentError as err:
        raise StoreError(f"cannot open database {shown}: not a database URL or file path ({err})") from err
    try:
        if engine.dialect.name == "sqlite":
            busy_ms = BUSY_TIMEOUT_MS if lock_wait is None else round(1000 * lock_wait)
            event.listen(engine, "connect", functools.partial(_sqlite_pragmas, busy_ms=busy_ms))
        upgrade = ensure_current(engine, shown)
    except (OperationalError, SQLAlchemyError) as err:
        # libpq's messages run over several indented lines; the CLI prints one line per error.
        reason = " ".join(str(err.orig if hasattr(err, "orig") else err).split())
        raise StoreError(f"cannot open database {shown}: {reason}") from err
    if upgrade is not None and upgrade.old is not None and on_upgrade is not None:
        on_upgrade(upgrade)
    return engine


def optimize(engine: Engine) -> None:
    """Refresh the query planner's statistics (SQLite), as SQLite advises after bulk writes:
    without them it may pick an index that reads ten times more rows."""
    if engine.dialect.name != "sqlite":
        return
    try:
        with engine.begin() as connection:
            analyzed = connection.execute(text("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'")).first()
            connection.execute(text("PRAGMA optimize" if analyzed else "ANALYZE"))
    except OperationalError as err:
        raise StoreError(f"cannot update the database statistics: {err.orig}") from err
