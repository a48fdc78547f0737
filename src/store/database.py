"""Opening the database and writing records into it."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine, create_engine, event, inspect, make_url, text
from sqlalchemy.exc import ArgumentError, OperationalError, SQLAlchemyError

from .schema import FTS_TABLE, SCHEMA_VERSION, Base

DEFAULT_DB = "vanthu.db"


class StoreError(Exception):
    """The database cannot be opened or written."""


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


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    # WAL keeps readers working during a batch and survives a killed writer.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    # Queries over a large archive read many rows: memory-mapped reads and a 64 MB page
    # cache halve their time (addresses are reserved, not memory used up front).
    cursor.execute("PRAGMA mmap_size=268435456")
    cursor.execute("PRAGMA cache_size=-65536")
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


def open_engine(target: str = DEFAULT_DB) -> Engine:
    """Connect to `target` (path or URL) and create the tables if needed."""
    url = database_url(target)
    shown = shown_url(target)
    if url.startswith("sqlite:///"):
        folder = Path(url.removeprefix("sqlite:///").split("?", 1)[0].removeprefix("file:")).parent
        if not folder.is_dir():
            raise StoreError(f"cannot open database {shown}: folder {folder} does not exist")
    try:
        engine = create_engine(url)
    except ImportError as err:  # the URL's database driver is not installed
        module = (err.name or "").split(".", 1)[0]
        package = DRIVER_PACKAGES.get(module, module or "its driver")
        raise StoreError(f"cannot open database {shown}: its driver ({module or err}) is not installed; "
                         f"install it with: pip install {package}") from err
    except ArgumentError as err:
        raise StoreError(f"cannot open database {shown}: not a database URL or file path ({err})") from err
    try:
        if engine.dialect.name == "sqlite":
            event.listen(engine, "connect", _sqlite_pragmas)
        _check_schema(engine, shown)
        _create_missing(engine)
    except (OperationalError, SQLAlchemyError) as err:
        raise StoreError(f"cannot open database {shown}: {err.orig if hasattr(err, 'orig') else err}") from err
    return engine


_FTS_DDL = f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5(text, subject, content = '', tokenize = 'unicode61')"


def _missing(connection) -> bool:
    names = set(inspect(connection).get_table_names())
    wanted = {t.name for t in Base.metadata.sorted_tables}
    if connection.dialect.name == "sqlite":
        wanted.add(FTS_TABLE)
    return not wanted <= names or connection.execute(
        text("SELECT 1 FROM vanthu_meta WHERE name = 'schema_version'")).first() is None


def _create_missing(engine: Engine) -> None:
    """Create what is missing, in one write transaction taken before looking again, so two
    processes opening a new database at once do not both create it. A complete database is
    only read (a read-only one opens)."""
    with engine.connect() as connection:
        if not _missing(connection):
            return
        if connection.dialect.name == "sqlite":
            connection.rollback()
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        Base.metadata.create_all(connection)
        # The full-text index (SQLite FTS5) over each document's folded text and subject, so a
        # query typed without marks finds marked words. Contentless: the text is in documents.
        if connection.dialect.name == "sqlite" and FTS_TABLE not in inspect(connection).get_table_names():
            connection.exec_driver_sql(_FTS_DDL)
        if connection.execute(text("SELECT 1 FROM vanthu_meta WHERE name = 'schema_version'")).first() is None:
            connection.execute(text("INSERT INTO vanthu_meta (name, value) VALUES ('schema_version', :v)"),
                               {"v": str(SCHEMA_VERSION)})
        connection.commit()


def _check_schema(engine: Engine, target: str) -> None:
    """Refuse a database whose tables lack columns this vanthu writes (made by an older
    version), before touching it. Missing tables are fine: they are created, so a database
    whose creation was cut short (kill -9) is completed."""
    inspector = inspect(engine)
    existing = set(inspector.get_table_names())
    for table in Base.metadata.sorted_tables:
        if table.name not in existing:
            continue
        have = {column["name"] for column in inspector.get_columns(table.name)}
        missing = sorted(set(table.columns.keys()) - have)
        if missing:
            raise StoreError(
                f"database {target} was made by an older vanthu (table {table.name} has no "
                f"{', '.join(missing)}); ingest into a new database (the source files give the same records)")




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
