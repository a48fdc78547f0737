"""A new SQLite database built from a snapshot of what the migrations build, without Alembic.

Running the migrations on a new SQLite file costs ~0.2 s of CPU, nearly all of it importing
Alembic (which loads the DDL module of every dialect it knows), and every `vanthu` run that
creates its database pays it: a first `vanthu ingest`, each nightly run of a new inbox. The
snapshot (`sqlite_head.json`, beside the migrations) holds, for one revision, the statements
in `sqlite_master` after the migrations ran on an empty file (tables, the full-text table,
indexes, triggers; not SQLite's own tables nor the full-text table's shadow tables, which
creating it makes) and the rows they left (the revision's).

Alembic stays the owner of the schema: the snapshot is used only for a new SQLite database
and only when it was taken at this vanthu's head revision; otherwise the migrations run. A
test checks that the committed snapshot is at the head and builds what the migrations build;
after a new migration `make schema-snapshot` takes it again (`python -m vanthu.store.snapshot`).
"""

from __future__ import annotations

import json
import sys
import tempfile
from importlib import resources
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, create_engine, text

from .revision import SCHEMA_REVISION

SNAPSHOT = "sqlite_head.json"
# Statements are replayed tables first (a trigger or an index names its table), each kind in
# the order SQLite recorded them.
_KINDS = ("table", "index", "view", "trigger")


def head_snapshot() -> dict[str, Any] | None:
    """The committed snapshot when it was taken at this vanthu's head revision, else None."""
    source = resources.files(f"{__package__}.migrations") / SNAPSHOT
    if not source.is_file():
        return None
    snapshot = json.loads(source.read_text("utf-8"))
    return snapshot if snapshot.get("revision") == SCHEMA_REVISION else None


def build_from_snapshot(connection: Connection, snapshot: dict[str, Any]) -> None:
    """Create the snapshot's schema and rows on `connection` (an empty SQLite database, in
    the caller's transaction)."""
    for statement in snapshot["statements"]:
        connection.exec_driver_sql(statement)
    for table, (columns, rows) in snapshot["rows"].items():
        names = ", ".join(f'"{c}"' for c in columns)
        marks = ", ".join("?" for _ in columns)
        for row in rows:
            connection.exec_driver_sql(f'INSERT INTO "{table}" ({names}) VALUES ({marks})', tuple(row))


def take_snapshot(connection: Connection) -> dict[str, Any]:
    """The schema statements and rows of an SQLite database (see the module docstring)."""
    kinds = {row[1]: row[2] for row in connection.exec_driver_sql("PRAGMA table_list").fetchall()}
    if not kinds:  # SQLite before 3.37 answers nothing: its shadow tables could not be told apart
        raise RuntimeError("taking the snapshot needs SQLite 3.37 or later (PRAGMA table_list)")
    entries = connection.exec_driver_sql("SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL "
                                         "ORDER BY rowid").fetchall()
    kept = [(kind, name, sql) for kind, name, sql in entries
            if not name.startswith("sqlite_") and kinds.get(name) != "shadow"]
    statements = [sql for wanted in _KINDS for kind, _name, sql in kept if kind == wanted]
    rows: dict[str, list[list[Any]]] = {}  # table -> [its columns, its rows] (as JSON keeps them)
    for kind, name, _sql in kept:
        if kind != "table" or kinds.get(name) != "table":  # a virtual table's rows are its content's
            continue
        result = connection.execute(text(f'SELECT * FROM "{name}" ORDER BY rowid'))
        found = [list(row) for row in result]
        if found:
            rows[name] = [list(result.keys()), found]
    revision = connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
    return {"revision": revision, "statements": statements, "rows": rows}


def migrated_snapshot() -> dict[str, Any]:
    """The snapshot of a new SQLite file brought to the head by the migrations themselves."""
    from alembic import command

    from .migrate import alembic_config

    with tempfile.TemporaryDirectory() as folder:
        engine = create_engine(f"sqlite:///{Path(folder) / 'new.db'}")
        try:
            with engine.connect() as connection:
                command.upgrade(alembic_config(connection), "head")
                connection.commit()
                return take_snapshot(connection)
        finally:
            engine.dispose()


def main() -> None:
    """Write the snapshot of the migrations' head into the migrations' folder."""
    target = Path(__file__).resolve().parent / "migrations" / SNAPSHOT
    target.write_text(json.dumps(migrated_snapshot(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {target}", file=sys.stderr)


if __name__ == "__main__":
    main()
