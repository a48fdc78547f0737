"""`vanthu reextract`: records of an older extractor are derived again from the stored ingest
result (the files are gone: nothing is read or OCRed again), in batches that a killed run
resumes; newer records, and fields a person corrected, are left alone."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from vanthu.cli import main
from vanthu.extract import EXTRACTOR_VERSION
from vanthu.reextract import is_older, keep_fields
from vanthu.store import add_records, open_engine

from conftest import SAMPLES
from databases import KINDS, TestDatabase
from documents import generated_record

VANTHU = str(Path(sys.executable).with_name("vanthu"))
OLD = "extract-0.0"


def made_by_an_older_extractor(db: TestDatabase, where: str = "1 = 1") -> None:
    """As if an older extractor had made these records, and missed their deadlines."""
    rows = db.rows(f"SELECT id, extractor_version, record_json FROM documents WHERE {where}")
    for document_id, version, record_json in rows:
        older = version.replace(EXTRACTOR_VERSION, OLD)
        record = {**json.loads(record_json), "extractor_version": older, "deadlines": []}
        db.execute("UPDATE documents SET extractor_version = :version, record_json = :record WHERE id = :id",
                   version=older, record=json.dumps(record, ensure_ascii=False), id=document_id)
    db.execute(f"DELETE FROM deadlines WHERE document_id IN (SELECT id FROM documents WHERE {where})")


@pytest.fixture(scope="module", params=KINDS)
def stored_samples(request, new_database, tmp_path_factory) -> TestDatabase:
    """The samples stored (in SQLite, then PostgreSQL) from copies that are then deleted, so
    re-extraction cannot read them; once per kind of database."""
    database = new_database(request.param)
    folder = tmp_path_factory.mktemp("scans")
    for sample in sorted(SAMPLES.glob("0*.txt")):
        (folder / sample.name).write_bytes(sample.read_bytes())
    assert CliRunner().invoke(main, ["ingest", str(folder), "--db", database.url, "-q"]).exit_code == 0
    for copy in folder.iterdir():
        copy.unlink()
    return database


@pytest.fixture
def samples_db(stored_samples, tmp_path) -> TestDatabase:
    """A copy of the stored samples for one test to change."""
    return stored_samples.copy(tmp_path)


def exported(runner, db: TestDatabase) -> dict[int, dict]:
    lines = runner.invoke(main, ["export", "--db", db.url]).output.splitlines()
    return {record.pop("id"): record for record in map(json.loads, lines)}


def test_older_records_are_derived_again_from_what_was_stored(runner, samples_db):
    db = samples_db
    fresh = exported(runner, db)
    made_by_an_older_extractor(db, "id IN (1, 2)")
    db.execute("UPDATE documents SET extractor_version = 'ingest-0.2+extract-9.0+normalize-0.2' WHERE id = 3",
               "DELETE FROM deadlines WHERE document_id = 3")  # a newer vanthu made this one: left alone
    result = runner.invoke(main, ["reextract", "--db", db.url])
    assert result.exit_code == 0, result.output
    old = f"{fresh[1]['extractor_version'].replace(EXTRACTOR_VERSION, OLD)}: 2"
    assert result.stdout.splitlines() == [
        "changed   #1     4868/UBND-KGVX               deadlines: 0 → 2 entries",
        "changed   #2     4685/UBND-KGVX               deadlines: 0 → 1 entries",
        f"2 records re-extracted: 2 changed, 0 unchanged, 0 failed (older versions: {old}; {db.url})",
    ]
    assert exported(runner, db) == fresh  # the records a first extraction made, rows and all
    assert db.rows("SELECT document_id, count(*) FROM deadlines GROUP BY document_id ORDER BY 1") == [
        (1, 2), (2, 1), (5, 1)]
    again = runner.invoke(main, ["reextract", "--db", db.url])
    assert again.stdout.splitlines() == [
        f"0 records re-extracted: 0 changed, 0 unchanged, 0 failed (older versions: none; {db.url})"]


def test_where_dry_run_and_the_search_index(runner, samples_db):
    db = samples_db
    made_by_an_older_extractor(db)
    dry = runner.invoke(main, ["reextract", "--db", db.url, "--where", "issue_date<2023-01-01", "--dry-run", "-q"])
    assert dry.stdout.splitlines()[-1].startswith("2 records re-extracted (dry run): 1 would change, 1 unchanged")
    assert db.rows("SELECT count(*) FROM deadlines") == [(0,)]  # nothing written
    result = runner.invoke(main, ["reextract", "--db", db.url, "--where", "issue_date<2023-01-01",
                                  "--where", "issuer~UBND tinh Quang Ngai"])
    assert [line.split()[1] for line in result.stdout.splitlines()[:-1]] == ["#2"]  # #4: Tỉnh ủy, not UBND
    assert db.rows("SELECT id FROM documents WHERE extractor_version LIKE '%extract-0.0%' ORDER BY id") == [
        (1,), (3,), (4,), (5,)]
    assert result.stdout.splitlines()[-1].startswith("1 records re-extracted: 1 changed, 0 unchanged")
    # The full-text index follows the replaced rows: found once each, subjects as before.
    hits = json.loads(runner.invoke(main, ["search", "chuyen doi so", "--db", db.url, "--format", "json"]).output)
    assert sorted(h["document_id"] for h in hits) == [1, 2, 3, 4, 5]
    bad = runner.invoke(main, ["reextract", "--db", db.url, "--where", "text~x"])
    assert bad.exit_code == 2 and "Invalid value for --where: 'text' is not one of id, sha256" in bad.output


def test_a_record_that_cannot_be_read_is_reported_and_the_others_done(runner, samples_db):
    db = samples_db
    made_by_an_older_extractor(db)
    db.execute("""UPDATE documents SET ingest_json = '{"source": 5}' WHERE id = 2""")
    result = runner.invoke(main, ["reextract", "--db", db.url, "-q"])
    assert result.exit_code == 1
    assert result.stderr == ("vanthu: error: document #2: stored IngestedText not readable by this vanthu: "
                             "source: Input should be a valid dictionary or instance of Source\n")
    assert "5 records re-extracted: 2 changed, 2 unchanged, 1 failed" in result.stdout
    again = runner.invoke(main, ["reextract", "--db", db.url, "-q"])
    assert again.exit_code == 1 and "1 records re-extracted: 0 changed, 0 unchanged, 1 failed" in again.stdout


def test_a_killed_run_is_finished_by_the_next_and_gives_the_generated_records(runner, empty_db):
    db, size = empty_db, 80
    engine = open_engine(db.url)
    add_records(engine, (generated_record(i) for i in range(size)))
    engine.dispose()
    made_by_an_older_extractor(db)
    process = subprocess.Popen([VANTHU, "reextract", "--db", db.url, "--batch", "5", "-q"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    newer = f"SELECT count(*) FROM documents WHERE extractor_version NOT LIKE '%{OLD}%'"
    deadline = time.monotonic() + 120
    while db.rows(newer) == [(0,)] and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    process.send_signal(signal.SIGKILL)
    process.wait(30)
    [(done,)] = db.rows(newer)
    assert 0 < done < size, "the run was to be killed halfway"
    # Every record is wholly old or wholly new: its version, its JSON and its rows agree.
    rows = db.rows("SELECT d.extractor_version, d.record_json, (SELECT count(*) FROM deadlines dl "
                   "WHERE dl.document_id = d.id) FROM documents d")
    states = {(OLD in version, json.loads(record)["extractor_version"] == version, len(json.loads(record)["deadlines"]),
               count) for version, record, count in rows}
    assert states <= {(True, True, 0, 0), (False, True, 2, 2)}
    result = runner.invoke(main, ["reextract", "--db", db.url, "-q"])
    assert result.exit_code == 0
    assert result.stdout.startswith(f"{size - done} records re-extracted: {size - done} changed, 0 unchanged, 0 failed")
    records = exported(runner, db)
    assert [records[i + 1] for i in range(size)] == [
        json.loads(generated_record(i)[0].model_dump_json()) for i in range(size)]


@pytest.mark.parametrize("stored, older", [
    ("ingest-0.2+extract-0.1+normalize-0.2", True),
    ("ingest-0.2+ocr-2+extract-0.2+normalize-0.1", True),
    ("ingest-0.2+restore-2+extract-0.2+normalize-0.2", False),
    ("ingest-0.2+extract-0.10+normalize-0.2", False),  # 0.10 is newer than 0.2, not older
    ("ingest-0.2+extract-0.1+normalize-0.3", False),  # a newer stage made it: left alone
    ("generated", True),
])
def test_which_versions_are_older(stored, older):
    assert is_older(stored, ("extract-0.2", "normalize-0.2")) is older


def test_corrected_fields_keep_their_values():
    """The hook the corrections of the workbench use: a protected field keeps the stored value."""
    record, _ingested = generated_record(3)
    derived = record.model_copy(update={"issuer": "Sở Sai", "subject": "khác"})
    kept = keep_fields(record, derived, {"issuer"})
    assert (kept.issuer, kept.subject) == (record.issuer, "khác")
