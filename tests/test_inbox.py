"""The nightly inbox: exactly once, crash-safe (kill -9), locked, quarantined, reported.

Runs go through the real command, in subprocesses where a process must die or compete, on
real SQLite files and (the tests taking `empty_db`) a real PostgreSQL database too; every
check is on what the database and the folders hold afterwards."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy.exc import SQLAlchemyError

from vanthu.cli import main
from vanthu.locking import default_state_dir, exclusive_lock, inbox_lock_path

from databases import TestDatabase
from documents import generated_document

VANTHU = str(Path(sys.executable).with_name("vanthu"))


def fill(inbox: Path, count: int, start: int = 0) -> dict[str, str]:
    """Write `count` generated documents; returns {sha256: name}."""
    inbox.mkdir(parents=True, exist_ok=True)
    made = {}
    for index in range(start, start + count):
        text = generated_document(index)
        path = inbox / f"cv-{index:03d}.txt"
        path.write_text(text, encoding="utf-8")
        made[hashlib.sha256(text.encode()).hexdigest()] = path.name
    return made


def documents_in(db: TestDatabase | Path) -> list[str]:
    if isinstance(db, TestDatabase):
        return [row[0] for row in db.rows("SELECT sha256 FROM documents")]
    with sqlite3.connect(db) as connection:
        return [row[0] for row in connection.execute("SELECT sha256 FROM documents")]


def shas_under(folder: Path) -> list[str]:
    return sorted(hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.rglob("*")
                  if p.is_file() and not p.name.startswith(".") and not p.name.endswith(".error.txt"))


def inbox_files(inbox: Path) -> list[Path]:
    return sorted(p for p in inbox.glob("*.txt") if p.is_file())


def run(runner, *args: str):
    return runner.invoke(main, ["inbox", *args])


def test_stores_files_moves_them_and_reports(runner, tmp_path, empty_db):
    inbox, db = tmp_path / "inbox", empty_db
    made = fill(inbox, 3)
    (inbox / "sub").mkdir()
    (inbox / "sub" / "copy of cv-000.txt").write_bytes((inbox / "cv-000.txt").read_bytes())
    (inbox / "broken.pdf").write_bytes(b"%PDF-1.4\n garbage")
    (inbox / "letter.docx").write_bytes(b"PK\x03\x04 a word file")
    (inbox / "Thumbs.db").write_bytes(b"\x00" * 10)
    result = run(runner, str(inbox), "--db", db.url, "--settle", "0", "--jobs", "1")
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert f"vanthu: error: {inbox / 'broken.pdf'}: " in result.output
    assert f"vanthu: error: {inbox / 'letter.docx'}: unsupported file type" in result.output
    assert lines[-1].startswith(f"vanthu inbox {inbox}: 3 new, 1 duplicate, 2 failed, 0 still being written;")
    assert (inbox / "Thumbs.db").exists()
    assert sorted(documents_in(db)) == sorted(made)
    assert inbox_files(inbox) == [] and not (inbox / "sub" / "copy of cv-000.txt").exists()
    assert sorted(set(shas_under(inbox / "done"))) == sorted(made)
    assert (inbox / "done" / "sub" / "copy of cv-000.txt").exists()  # the folder layout is kept
    note = (inbox / "failed" / "broken.pdf.error.txt").read_text(encoding="utf-8")
    assert "reason: " in note and "vanthu: " in note and "time: " in note
    stats = runner.invoke(main, ["stats", "--db", db.url, "--json"])
    assert json.loads(stats.output) == {"documents": 3, "pages": 3, "deadlines": 6, "failed_files": 2}


def test_the_same_document_registered_twice_is_warned_about(runner, tmp_path, empty_db):
    """A second copy of a dispatch (another scan, another route: other bytes, the same number,
    symbol, issuer and year) is stored, and the run says which document it repeats."""
    inbox = tmp_path / "inbox"
    fill(inbox, 1)
    first = (inbox / "cv-000.txt").read_text(encoding="utf-8")
    (inbox / "cv-000 by email.txt").write_text(first.replace("\n\n", "\n\n\n", 1), encoding="utf-8")
    result = run(runner, str(inbox), "--db", empty_db.url, "--settle", "0", "--jobs", "1")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-1].startswith(f"vanthu inbox {inbox}: 2 new, 0 duplicate")
    warnings = [line for line in result.output.splitlines() if line.startswith("vanthu: warning:")]
    assert len(warnings) == 1 and warnings[0].endswith("registered twice?")
    assert "same number, symbol, issuer and year as #1 (" in warnings[0] or "as #2 (" in warnings[0]


def test_second_run_over_a_kept_inbox_stores_nothing(runner, tmp_path, empty_db):
    inbox, db = tmp_path / "inbox", empty_db
    fill(inbox, 4)
    first = run(runner, str(inbox), "--db", db.url, "--settle", "0", "--keep", "--json")
    assert json.loads(first.output)["new"] == 4
    second = run(runner, str(inbox), "--db", db.url, "--settle", "0", "--keep", "--json")
    summary = json.loads(second.output)
    assert (summary["new"], summary["duplicate"], summary["exit_status"]) == (0, 4, 0)
    assert len(documents_in(db)) == 4 and len(inbox_files(inbox)) == 4
    runs = runner.invoke(main, ["runs", "--db", db.url, "--json"]).output.splitlines()
    assert [json.loads(r)["files_new"] for r in runs] == [0, 4]


def test_files_still_being_written_wait(runner, tmp_path, empty_db):
    inbox, db = tmp_path / "inbox", empty_db
    fill(inbox, 1)
    (inbox / "scan.pdf.part").write_bytes(b"%PDF-1.4 half")  # a copy tool's temporary name
    result = run(runner, str(inbox), "--db", db.url, "--settle", "60")
    assert result.exit_code == 0
    assert "2 still being written" in result.output and documents_in(db) == []
    assert f"{inbox / 'scan.pdf.part'} (temporary name (.part): read once it is renamed)" in result.output
    assert len(inbox_files(inbox)) == 1  # left for the next run
    time.sleep(0.4)
    result = run(runner, str(inbox), "--db", db.url, "--settle", "0.3")
    assert "1 new" in result.output and len(documents_in(db)) == 1
    assert (inbox / "scan.pdf.part").exists()


def test_second_run_exits_at_once_while_the_first_holds_the_lock(tmp_path):
    inbox, db = tmp_path / "inbox", tmp_path / "v.db"
    fill(inbox, 2)
    with exclusive_lock(inbox_lock_path(inbox, default_state_dir()), "test"):
        started = time.monotonic()
        result = subprocess.run([VANTHU, "inbox", str(inbox), "--db", str(db), "--settle", "0"],
                                capture_output=True, text=True)
    assert result.returncode == 3
    assert f"another vanthu run is working on inbox {inbox} (pid {os.getpid()})" in result.stderr
    assert time.monotonic() - started < 20 and len(inbox_files(inbox)) == 2


def test_two_runs_started_together_store_each_file_once(tmp_path, empty_db):
    inbox, db = tmp_path / "inbox", empty_db
    made = fill(inbox, 30)
    command = [VANTHU, "inbox", str(inbox), "--db", db.url, "--settle", "0", "--jobs", "1"]
    first = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    second = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    codes = sorted([first.wait(120), second.wait(120)])
    # Either the second found the lock taken (3), or it came after the first had finished (0).
    assert codes in ([0, 3], [0, 0])
    assert sorted(documents_in(db)) == sorted(made) and inbox_files(inbox) == []


def test_a_run_on_another_machine_holds_a_postgresql_database(new_database, tmp_path):
    """On PostgreSQL the database's lock is held by the server (an advisory lock), so a run on
    another machine sharing the database excludes this one too."""
    from vanthu.store.locks import advisory_lock

    inbox, db = tmp_path / "inbox", new_database("postgresql")
    fill(inbox, 2)
    with advisory_lock(db.url, "inbox run") as holder:
        assert holder is None
        result = subprocess.run([VANTHU, "inbox", str(inbox), "--db", db.url, "--settle", "0"],
                                capture_output=True, text=True, timeout=120)
    assert result.returncode == 3
    assert (f"another vanthu run is working on this database (pid {os.getpid()} on {os.uname().nodename}); "
            f"nothing was done (lock PostgreSQL advisory lock on {db.url})") in result.stderr
    assert len(inbox_files(inbox)) == 2 and documents_in(db) == []
    after = subprocess.run([VANTHU, "inbox", str(inbox), "--db", db.url, "--settle", "0"], capture_output=True,
                           text=True, timeout=120)  # released with the holder's connection
    assert after.returncode == 0 and len(documents_in(db)) == 2


def kill_after_lines(command: list[str], lines: int, db: TestDatabase) -> None:
    """Start `command` and kill -9 it once it has printed `lines` lines (0: as soon as it
    has started a run)."""
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    seen = 0
    while seen < lines and process.stdout.readline():
        seen += 1
    if lines == 0:
        wait_for_a_running_run(db)
    process.send_signal(signal.SIGKILL)
    process.wait(30)
    wait_for_released_locks(db)


def wait_for_a_running_run(db: TestDatabase, seconds: float = 60) -> None:
    """Until the database records a run in progress (the run has begun: its row is
    committed before any file is read). An SQLite file is read only, never created here."""
    query = "SELECT count(*) FROM runs WHERE status = 'running'"
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if db.kind == "postgresql":
                running = db.rows(query)[0][0]
            elif Path(db.url).exists():
                with sqlite3.connect(f"{Path(db.url).as_uri()}?mode=ro", uri=True) as connection:
                    running = connection.execute(query).fetchone()[0]
                connection.close()
            else:
                running = 0
        except (sqlite3.Error, SQLAlchemyError):  # the schema not made yet
            running = 0
        if running:
            return
        time.sleep(0.02)
    raise AssertionError("no run was seen to begin")


def wait_for_released_locks(db: TestDatabase, seconds: float = 30) -> None:
    """PostgreSQL ends a killed client's session (and its advisory locks) when it notices
    the connection closed, a moment after the kill: until then a new run is rightly told
    that another run holds the database (exit 3). SQLite's file locks go with the process."""
    if db.kind != "postgresql":
        return
    deadline = time.monotonic() + seconds
    query = ("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' "
             "AND database = (SELECT oid FROM pg_database WHERE datname = current_database())")
    while db.rows(query) != [(0,)] and time.monotonic() < deadline:
        time.sleep(0.1)


@pytest.mark.parametrize("done_elsewhere, kind", [(False, "sqlite"), (True, "sqlite"), (False, "postgresql")],
                         ids=["same-filesystem", "across-filesystems", "postgresql"])
def test_kill_9_at_several_points_then_rerun_loses_and_doubles_nothing(tmp_path, new_database, done_elsewhere, kind):
    shm = Path("/dev/shm")
    if done_elsewhere and not (shm.is_dir() and os.stat(shm).st_dev != os.stat(tmp_path).st_dev):
        pytest.skip("no second filesystem to move across")
    inbox, db = tmp_path / "inbox", new_database(kind)
    done = Path(shm / f"vanthu-done-{os.getpid()}-{tmp_path.name}") if done_elsewhere else inbox / "done"
    made = fill(inbox, 24)
    command = [VANTHU, "inbox", str(inbox), "--db", db.url, "--settle", "0", "--jobs", "1", "--done", str(done)]
    try:
        for lines in (0, 1, 4, 9, 15):
            kill_after_lines(command, lines, db)
        finished = subprocess.run(command, capture_output=True, text=True)
        assert finished.returncode == 0, finished.stderr
        assert sorted(documents_in(db)) == sorted(made)  # every file, once
        assert inbox_files(inbox) == []
        assert shas_under(done) == sorted(made)  # none lost, none doubled, none half-copied
        statuses = [row[0] for row in db.rows("SELECT status FROM runs ORDER BY id")]
        [(unfiled,)] = db.rows("SELECT count(*) FROM files WHERE moved_to IS NULL")
        assert statuses[-1] == "ok" and "running" not in statuses and unfiled == 0
    finally:
        if done_elsewhere:
            subprocess.run(["rm", "-rf", str(done)], check=False)


def test_a_move_cut_short_is_repaired(runner, tmp_path, empty_db):
    """The state a crash leaves in the middle of a cross-filesystem move: the record is
    committed, a half-written hidden copy sits in done/, the file is still in the inbox."""
    inbox, db = tmp_path / "inbox", empty_db
    made = fill(inbox, 2)
    assert run(runner, str(inbox), "--db", db.url, "--settle", "0").exit_code == 0
    filed = inbox / "done" / "cv-000.txt"
    (inbox / "cv-000.txt").write_bytes(filed.read_bytes())
    (inbox / "done" / ".cv-000.txt.partial").write_bytes(filed.read_bytes()[:40])
    filed.unlink()
    result = run(runner, str(inbox), "--db", db.url, "--settle", "0")
    assert "0 new, 1 duplicate" in result.output
    assert shas_under(inbox / "done") == sorted(made) and inbox_files(inbox) == []
    assert len(documents_in(db)) == 2


def test_bad_file_is_quarantined_then_retried_when_it_changes(runner, tmp_path, empty_db):
    inbox, db = tmp_path / "inbox", empty_db
    (inbox).mkdir()
    (inbox / "scan.txt").write_bytes(b"\x00\x01\x02 binary")
    assert run(runner, str(inbox), "--db", db.url, "--settle", "0").exit_code == 1
    quarantined = inbox / "failed" / "scan.txt"
    assert quarantined.exists() and (inbox / "failed" / "scan.txt.error.txt").exists()
    # Unchanged, it is not retried: the next run is clean.
    again = run(runner, str(inbox), "--db", db.url, "--settle", "0")
    assert again.exit_code == 0 and "0 failed" in again.output
    # Dropped again with the same content, it goes straight back with the old reason.
    (inbox / "scan copy.txt").write_bytes(quarantined.read_bytes())
    dropped = run(runner, str(inbox), "--db", db.url, "--settle", "0")
    assert dropped.exit_code == 1 and "unchanged since it failed" in dropped.output
    # --retry-failed tries it again (and it fails again).
    retried = run(runner, str(inbox), "--db", db.url, "--settle", "0", "--retry-failed")
    assert retried.exit_code == 1
    # Fixed in place, it is retried, stored and filed; its note goes.
    quarantined.write_text(generated_document(7), encoding="utf-8")
    (inbox / "failed" / "scan copy.txt").unlink()
    fixed = run(runner, str(inbox), "--db", db.url, "--settle", "0")
    assert fixed.exit_code == 0 and "1 new" in fixed.output
    assert (inbox / "done" / "scan.txt").exists() and not (inbox / "failed" / "scan.txt.error.txt").exists()
    stats = json.loads(runner.invoke(main, ["stats", "--db", db.url, "--json"]).output)
    assert (stats["documents"], stats["failed_files"]) == (1, 1)  # the binary content still failed


def test_read_only_database_leaves_the_inbox_untouched(runner, tmp_path):
    inbox, db = tmp_path / "inbox", tmp_path / "v.db"
    fill(inbox, 2)
    runner.invoke(main, ["stats", "--db", str(db)])  # create it
    url = f"sqlite:///file:{db}?mode=ro&uri=true"
    result = run(runner, str(inbox), "--db", url, "--settle", "0")
    assert result.exit_code == 2
    assert "readonly database" in result.output and "the inbox was left untouched" in result.output
    assert len(inbox_files(inbox)) == 2 and not (inbox / "done").exists()


def test_locked_database_leaves_the_inbox_untouched(tmp_path):
    """Another process holds the write lock past --lock-wait (here none at all): the run
    gives up, says why, and touches nothing; held for less, the run waits and stores."""
    inbox, db = tmp_path / "inbox", tmp_path / "v.db"
    fill(inbox, 2)
    subprocess.run([VANTHU, "stats", "--db", str(db)], check=True, capture_output=True)
    command = [VANTHU, "inbox", str(inbox), "--db", str(db), "--settle", "0"]
    holder = sqlite3.connect(db, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        result = subprocess.run([*command, "--lock-wait", "0"], capture_output=True, text=True, timeout=120)
    finally:
        holder.execute("ROLLBACK")
    assert result.returncode == 2
    assert "database is locked" in result.stderr and "the inbox was left untouched" in result.stderr
    assert len(inbox_files(inbox)) == 2 and documents_in(db) == []

    holder.execute("BEGIN EXCLUSIVE")
    release = threading.Timer(1.0, holder.execute, ("ROLLBACK",))
    release.start()
    try:
        waited = subprocess.run([*command, "--lock-wait", "60"], capture_output=True, text=True, timeout=120)
    finally:
        release.join()
        holder.close()
    assert waited.returncode == 0, waited.stderr
    assert len(documents_in(db)) == 2 and inbox_files(inbox) == []
