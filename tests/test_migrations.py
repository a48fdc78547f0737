"""The schema is Alembic's: a database made by vanthu 0.1.0 (tests/fixtures/vanthu-0.1.0.sql)
is upgraded in place keeping every row, with a copy kept; newer, foreign and development
databases are refused untouched; the migrations build exactly the tables the code describes,
on SQLite and on PostgreSQL."""

from __future__ import annotations

import json
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine

from vanthu.cli import main
from vanthu.ingest.models import IngestedText
from vanthu.store import StoreError, open_engine
from vanthu.store.migrate import BASELINE, alembic_config
from vanthu.store.revision import SCHEMA_REVISION
from vanthu.store.tables import FTS_TABLE, metadata

from conftest import SAMPLES

FIXTURE = Path(__file__).parent / "fixtures" / "vanthu-0.1.0.sql"
VANTHU = str(Path(sys.executable).with_name("vanthu"))
RESTORED = ("text has few Vietnamese diacritics (unaccented, wrong-language OCR or mojibake); diacritics were "
            "restored by a language model and fields may be misread")


def load_fixture(path: Path) -> Path:
    """The 0.1.0 database, in WAL mode as that release left its files."""
    connection = sqlite3.connect(path)
    connection.executescript(FIXTURE.read_text(encoding="utf-8"))
    connection.execute("PRAGMA journal_mode=WAL")
    connection.close()
    return path


def tables(path: Path) -> dict[str, list[tuple]]:
    """Every row of every vanthu table (full-text shadow tables aside), in id order."""
    with sqlite3.connect(path) as connection:
        names = [name for (name,) in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            f"AND name NOT LIKE '{FTS_TABLE}%' AND name NOT IN ('vanthu_meta', 'alembic_version') ORDER BY name")]
        rows = {name: connection.execute(f"SELECT * FROM {name} ORDER BY 1").fetchall() for name in names}
    connection.close()
    return rows


def schema_sql(path: Path) -> list[str]:
    with sqlite3.connect(path) as connection:
        found = sorted(re.sub(r"\s+", " ", sql) for (sql,) in connection.execute(
            "SELECT sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' "
            "AND name != 'alembic_version'"))
    connection.close()
    return found


@pytest.fixture
def old_db(tmp_path) -> Path:
    return load_fixture(tmp_path / "archive.db")


def test_a_0_1_0_database_is_upgraded_in_place_and_keeps_every_row(runner, old_db):
    before = tables(old_db)
    result = runner.invoke(main, ["stats", "--db", str(old_db), "--json"])
    assert result.exit_code == 0, result.output
    backup = Path(f"{old_db}.bak-0.1.0")
    assert result.stderr == (f"vanthu: upgraded database {old_db} from schema 0.1.0 to {SCHEMA_REVISION}; "
                             f"the old one is kept as {backup}\n")
    assert json.loads(result.stdout) == {"documents": 6, "pages": 6, "deadlines": 6, "failed_files": 1}
    after = tables(old_db)
    new_tables = {"corrections", "deadline_progress", "deadline_units", "users"}  # the workbench's (0004)
    assert after.keys() - new_tables == before.keys() and len(before) == 10
    for name, rows in before.items():
        # documents gains ingest_json and the workbench's columns last; every other value is as it was.
        kept = [row[:len(rows[0])] for row in after[name]] if rows else after[name]
        assert kept == rows, name
    # Each deadline's one unit is its lead; nothing was corrected, marked done or confirmed.
    assert [(row[1], row[3], row[4], row[5]) for row in after["deadline_units"]] == [
        (row[0], "lead", 0, row[4]) for row in before["deadlines"] if row[4]]
    assert not (after["corrections"] or after["deadline_progress"] or after["users"])
    assert tables(backup) == before  # the copy is the database as 0.1.0 left it
    connection = sqlite3.connect(backup)
    assert connection.execute("SELECT value FROM vanthu_meta").fetchall() == [("4",)]
    connection.close()
    # Opened again: nothing to do, nothing said, no second copy.
    again = runner.invoke(main, ["stats", "--db", str(old_db)])
    assert again.exit_code == 0 and again.stderr == ""
    assert sorted(p.name for p in old_db.parent.iterdir() if ".bak" in p.name) == [backup.name]


def test_upgraded_records_keep_their_ingest_result_and_stay_searchable(runner, old_db):
    runner.invoke(main, ["stats", "--db", str(old_db)])
    with sqlite3.connect(old_db) as connection:
        rows = connection.execute("SELECT id, text, ingest_json, record_json FROM documents ORDER BY id").fetchall()
    for document_id, text, ingest_json, record_json in rows:
        ingested = IngestedText.model_validate({**json.loads(ingest_json), "text": text})
        record = json.loads(record_json)
        assert ingested.source.model_dump() == record["source"]
        # Only the ingest stage's warnings (sample 003 was restored), not the extractor's.
        assert ingested.warnings == ([RESTORED] if document_id == 4 else []), document_id
    hits = json.loads(runner.invoke(main, ["search", '"tong hop so lieu"', "--db", str(old_db),
                                           "--format", "json"]).output)
    assert [h["number"] for h in hits] == ["107"]  # the generated dispatch, indexed by 0.1.0
    deadlines = json.loads(runner.invoke(main, ["deadlines", "--db", str(old_db), "--format", "json"]).output)
    assert [d["due_date"] for d in deadlines] == ["2022-10-31", "2023-03-12", "2023-04-30", "2023-10-15",
                                                  "2023-11-15", "2025-08-06"]


def test_deadlines_on_a_0_1_0_database_upgrade_it_first(runner, old_db):
    """`vanthu deadlines` reads a database at this schema without SQLAlchemy; an older one it
    hands to the engine, which upgrades it, and then lists its deadlines."""
    result = runner.invoke(main, ["deadlines", "--db", str(old_db), "--status", "all", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert result.stderr.startswith(f"vanthu: upgraded database {old_db} from schema 0.1.0 to {SCHEMA_REVISION}")
    assert len(json.loads(result.stdout)) == 6


def test_a_database_of_a_newer_vanthu_is_refused_untouched(runner, tmp_path):
    db = tmp_path / "v.db"
    assert runner.invoke(main, ["stats", "--db", str(db)]).exit_code == 0
    with sqlite3.connect(db) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '0099_from_the_future'")
    connection.close()
    before = schema_sql(db)
    result = runner.invoke(main, ["deadlines", "--db", str(db)])
    assert result.exit_code == 2
    assert result.stderr == (f"vanthu: error: database {db} was made by a newer vanthu (schema 0099_from_the_future; "
                             f"this vanthu knows up to {SCHEMA_REVISION}); upgrade vanthu to use it\n")
    assert schema_sql(db) == before and not list(tmp_path.glob("*.bak*"))


def test_a_development_schema_and_a_foreign_database_are_refused(runner, tmp_path, old_db):
    with sqlite3.connect(old_db) as connection:
        connection.execute("UPDATE vanthu_meta SET value = '3'")
    connection.close()
    result = runner.invoke(main, ["stats", "--db", str(old_db)])
    assert result.exit_code == 2
    assert "made by a development version of vanthu (schema 3) that cannot be upgraded" in result.stderr
    other = tmp_path / "notes.db"
    with sqlite3.connect(other) as connection:
        connection.execute("CREATE TABLE notes (body TEXT)")
    connection.close()
    result = runner.invoke(main, ["stats", "--db", str(other)])
    assert result.exit_code == 2
    assert result.stderr == f"vanthu: error: {other} holds tables that are not vanthu's; name a new file or an empty database\n"
    assert schema_sql(other) == ["CREATE TABLE notes (body TEXT)"]


def test_an_upgrade_that_fails_leaves_the_database_as_it_was(runner, old_db):
    """The upgrade is one transaction, DDL included: here its last step fails (an index of
    that name was added by hand), after a column was added and filled."""
    with sqlite3.connect(old_db) as connection:
        connection.execute("CREATE INDEX ix_documents_extractor_version ON documents (path)")
    connection.close()
    before, schema = tables(old_db), schema_sql(old_db)
    result = runner.invoke(main, ["stats", "--db", str(old_db)])
    assert result.exit_code == 2
    assert result.stderr == (f"vanthu: error: cannot upgrade database {old_db} from schema 0.1.0 to schema "
                             f"{SCHEMA_REVISION} (nothing was changed): index ix_documents_extractor_version "
                             "already exists\n")
    assert tables(old_db) == before and schema_sql(old_db) == schema and not list(old_db.parent.glob("*.bak*"))


def test_a_read_only_old_database_is_refused_untouched(runner, old_db):
    schema = schema_sql(old_db)
    other_reader = sqlite3.connect(old_db)  # keeps the WAL files a read-only connection needs
    other_reader.execute("SELECT count(*) FROM documents").fetchall()
    result = runner.invoke(main, ["stats", "--db", f"sqlite:///file:{old_db}?mode=ro&uri=true"])
    other_reader.close()
    assert result.exit_code == 2
    assert result.stderr == (f"vanthu: error: cannot upgrade database sqlite:///file:{old_db}?mode=ro&uri=true from "
                             f"schema 0.1.0 to schema {SCHEMA_REVISION} (nothing was changed): attempt to write a "
                             "readonly database\n")
    assert schema_sql(old_db) == schema and not list(old_db.parent.glob("*.bak*"))


def _differences(path: Path) -> list:
    engine = open_engine(str(path))
    with engine.connect() as connection:
        return compare_metadata(MigrationContext.configure(connection, opts={
            "include_object": lambda obj, name, type_, *_: not (type_ == "table" and name.startswith(FTS_TABLE))}),
            metadata)


def test_the_migrations_build_the_tables_the_code_describes(old_db, tmp_path):
    """A new database and an upgraded 0.1.0 one both match tables.py exactly (a change to the
    tables without a migration fails here)."""
    assert _differences(tmp_path / "new.db") == []
    assert _differences(old_db) == []
    assert ScriptDirectory.from_config(alembic_config()).get_current_head() == SCHEMA_REVISION


def _whole_schema(path: Path) -> tuple[list, list]:
    """Everything SQLite records of a file's schema (the full-text table's shadow tables
    too), and its revision row."""
    with sqlite3.connect(path) as connection:
        schema = sorted(connection.execute("SELECT type, name, tbl_name, sql FROM sqlite_master"))
        revision = connection.execute("SELECT * FROM alembic_version").fetchall()
    connection.close()
    return schema, revision


def test_a_new_sqlite_file_is_built_from_a_snapshot_of_what_the_migrations_build(tmp_path):
    """The committed snapshot is at the head revision and holds what the migrations build
    (a migration added without `make schema-snapshot` fails here); a new file opened by
    vanthu, built from it, holds the same schema and rows as one the migrations built."""
    from vanthu.store.snapshot import head_snapshot, migrated_snapshot

    assert head_snapshot() == migrated_snapshot(), "take the snapshot again: make schema-snapshot"
    built, migrated = tmp_path / "built.db", tmp_path / "migrated.db"
    open_engine(str(built)).dispose()
    engine = create_engine(f"sqlite:///{migrated}")
    with engine.connect() as connection:
        command.upgrade(alembic_config(connection), "head")
        connection.commit()
    engine.dispose()
    assert _whole_schema(built) == _whole_schema(migrated)
    assert _whole_schema(built)[1] == [(SCHEMA_REVISION,)]


def test_the_baseline_revision_is_the_schema_of_0_1_0(tmp_path, old_db):
    new = tmp_path / "baseline.db"
    with create_engine(f"sqlite:///{new}").connect() as connection:
        command.upgrade(alembic_config(connection), BASELINE)
        connection.commit()
    assert schema_sql(new) == schema_sql(old_db)


def test_downgrade_then_upgrade_keeps_every_row(runner, old_db):
    runner.invoke(main, ["stats", "--db", str(old_db)])
    upgraded = tables(old_db)
    with create_engine(f"sqlite:///{old_db}").connect() as connection:
        command.downgrade(alembic_config(connection), BASELINE)
        connection.commit()
    assert "ingest_json" not in " ".join(schema_sql(old_db))
    result = runner.invoke(main, ["stats", "--db", str(old_db)])
    assert result.exit_code == 0 and f"from schema {BASELINE} to {SCHEMA_REVISION}" in result.stderr
    assert tables(old_db) == upgraded


# --- PostgreSQL -----------------------------------------------------------------------------


def _pg_differences(url: str) -> list:
    engine = open_engine(url)
    with engine.connect() as connection:
        found = compare_metadata(MigrationContext.configure(connection, opts={
            "include_object": lambda obj, name, type_, *_: not (type_ == "table" and name.startswith(FTS_TABLE))}),
            metadata)
    engine.dispose()
    return found


def test_a_new_postgresql_database_gets_the_tables_the_code_describes(new_database):
    db = new_database("postgresql")
    assert _pg_differences(db.url) == []
    assert db.rows("SELECT version_num FROM alembic_version") == [(SCHEMA_REVISION,)]
    assert db.rows("SELECT indexdef LIKE '%USING gin (vector)%' FROM pg_indexes WHERE tablename = 'documents_fts' "
                   "AND indexname = 'ix_documents_fts_vector'") == [(True,)]


def test_an_older_postgresql_database_is_upgraded_and_its_documents_indexed(runner, new_database):
    db = new_database("postgresql")
    assert runner.invoke(main, ["ingest", str(SAMPLES), "--db", db.url, "-q"]).exit_code == 0
    engine = create_engine(db.url)
    with engine.connect() as connection:
        command.downgrade(alembic_config(connection), "0002_ingest_result")
        connection.commit()
    engine.dispose()
    assert db.rows("SELECT to_regclass('documents_fts') IS NULL") == [(True,)]
    result = runner.invoke(main, ["search", "ke hoach so 181", "--db", db.url, "--format", "json"])
    assert result.exit_code == 0, result.output
    # No copy is kept of a server's database (back it up with pg_dump): nothing else is said.
    assert result.stderr == f"vanthu: upgraded database {db.url} from schema 0002_ingest_result to {SCHEMA_REVISION}\n"
    assert [hit["number"] for hit in json.loads(result.stdout)] == ["4685"]


def test_a_postgresql_database_of_a_newer_vanthu_is_refused(runner, new_database):
    db = new_database("postgresql")
    assert runner.invoke(main, ["stats", "--db", db.url]).exit_code == 0
    db.execute("UPDATE alembic_version SET version_num = '0099_from_the_future'")
    result = runner.invoke(main, ["deadlines", "--db", db.url])
    assert result.exit_code == 2
    assert "was made by a newer vanthu (schema 0099_from_the_future" in result.stderr


def test_processes_opening_a_new_postgresql_database_at_once_create_it_once(new_database):
    """On several machines at once, as Dask workers and clients do: the first creates the
    schema under an advisory lock, the others wait for it and find it made."""
    db = new_database("postgresql")
    starts = [subprocess.Popen([VANTHU, "stats", "--db", db.url, "--json"], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True) for _ in range(4)]
    outcomes = [(process.wait(60), process.stdout.read(), process.stderr.read()) for process in starts]
    assert [(code, json.loads(out)["documents"], err) for code, out, err in outcomes] == [(0, 0, "")] * 4
    assert db.rows("SELECT version_num FROM alembic_version") == [(SCHEMA_REVISION,)]


def _open_at_once(path: str, barrier) -> None:
    barrier.wait()
    try:
        open_engine(path).dispose()
    except StoreError as err:
        print(err, file=sys.stderr)
        sys.exit(1)


def test_processes_opening_a_new_sqlite_file_at_the_same_instant_all_succeed(tmp_path):
    """Two inbox runs started together on a new database: SQLite answers "database is
    locked" at once to the second's switch to WAL while the first creates the file (it did
    in CI); the open waits instead, and one of them creates the schema."""
    import multiprocessing

    context = multiprocessing.get_context("fork")
    for attempt in range(20):  # before the fix, about one pair in three failed
        path = str(tmp_path / f"new-{attempt}.db")
        barrier = context.Barrier(2)
        processes = [context.Process(target=_open_at_once, args=(path, barrier)) for _ in range(2)]
        for process in processes:
            process.start()
        for process in processes:
            process.join(60)
        assert [p.exitcode for p in processes] == [0, 0]
        with sqlite3.connect(path) as connection:
            assert connection.execute("SELECT version_num FROM alembic_version").fetchall() == [(SCHEMA_REVISION,)]
