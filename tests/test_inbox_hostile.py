"""The nightly run against an inbox that anyone can write into (issue 14, rows 1-7): planted
links, FIFOs, poison names and files, races driven by a second process, and configuration
mistakes. Each test runs the real command in a subprocess over real folders and checks that
nothing outside the inbox changed, that every file ends stored once or quarantined with a
note (or is reported and left, for what is not a regular file), that the run completes and
later files are processed, and the exit status."""

from __future__ import annotations

import io
import os
import sqlite3
import sys
import time
from pathlib import Path

import pytest
from PIL import Image

from documents import generated_document
from vanthu.cli import main
from inbox_helpers import (documents_in, failures_in, finish, inbox_run, run_statuses, sha, shas_under, snapshot,
                           start, texts_in, vanthu, wait_for_program)

sys.path.insert(0, str(Path(__file__).parent))
from scans import layout_from_text, render_pages  # noqa: E402


def fill(inbox: Path, count: int, start_at: int = 0, prefix: str = "cv") -> dict[str, str]:
    """Write `count` generated documents; returns {sha256: name}."""
    inbox.mkdir(parents=True, exist_ok=True)
    made = {}
    for index in range(start_at, start_at + count):
        data = generated_document(index).encode("utf-8")
        (inbox / f"{prefix}-{index:03d}.txt").write_bytes(data)
        made[sha(data)] = f"{prefix}-{index:03d}.txt"
    return made


@pytest.fixture
def world(tmp_path):
    """An inbox, a database beside it, and an `outside` folder that must never change."""
    outside = tmp_path / "outside"
    (outside / "bin").mkdir(parents=True)
    (outside / "secret.txt").write_text("mật khẩu quản trị: hunter2\n", encoding="utf-8")
    (outside / "bin" / "tool").write_bytes(b"#!/bin/sh\necho tool\n")
    os.chmod(outside / "bin" / "tool", 0o755)
    return tmp_path / "inbox", tmp_path / "archive.db", outside


@pytest.fixture(scope="module")
def scan_pages() -> list[bytes]:
    """Two scanned dispatches as 300 DPI PNGs: OCR takes seconds, long enough for a second
    process to act while vanthu reads them."""
    pages = []
    for index in (3, 4):
        page = render_pages(layout_from_text(generated_document(index)))[0][0]
        buffer = io.BytesIO()
        page.save(buffer, "PNG", dpi=(300, 300))
        pages.append(buffer.getvalue())
    return pages


# --- row 1: the lock -----------------------------------------------------------------------

def test_row1_a_lock_link_planted_in_the_inbox_never_reaches_the_database(world):
    inbox, db, outside = world
    made = fill(inbox, 2)
    assert inbox_run(inbox, db).returncode == 0
    (inbox / ".vanthu-inbox.lock").symlink_to(db)  # where the lock used to be
    made |= fill(inbox, 2, start_at=2)
    outside_before = snapshot(outside)

    result = inbox_run(inbox, db)

    assert result.returncode == 0, result.stderr
    assert db.read_bytes().startswith(b"SQLite format 3\x00")  # not truncated, no pid written into it
    with sqlite3.connect(db) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert sorted(documents_in(db)) == sorted(made)
    assert (inbox / ".vanthu-inbox.lock").is_symlink()  # a hidden file: left alone
    assert snapshot(outside) == outside_before


def test_row1_a_link_at_the_lock_beside_the_database_is_refused(world):
    inbox, db, outside = world
    fill(inbox, 2)
    victim = outside / "secret.txt"
    before = snapshot(outside)
    Path(f"{db}.lock").symlink_to(victim)

    result = inbox_run(inbox, db)

    assert result.returncode == 2
    assert result.errors() == [f"vanthu: error: lock file {db}.lock is a symbolic link; remove it (vanthu never "
                               "writes through a link); nothing was done"]
    assert snapshot(outside) == before
    assert len(list(inbox.glob("*.txt"))) == 2 and not (inbox / "done").exists()


# --- row 2: done/ and failed/ --------------------------------------------------------------

def test_row2_a_done_subfolder_planted_as_a_link_is_not_written_through(world):
    inbox, db, outside = world
    made = fill(inbox, 2)
    script = inbox / "sub" / "run.sh"
    script.parent.mkdir()
    script.write_bytes(generated_document(9).encode("utf-8"))
    os.chmod(script, 0o755)
    (inbox / "done").mkdir()
    (inbox / "done" / "sub").symlink_to(outside / "bin")
    before = snapshot(outside)

    result = inbox_run(inbox, db)

    assert result.returncode == 1
    assert result.errors() == [f"vanthu: error: {script}: it cannot be filed in done/: {inbox}/done/sub is a "
                               "symbolic link"]
    assert snapshot(outside) == before  # nothing written into the link's target
    assert sorted(documents_in(db)) == sorted(made)  # the others were stored
    quarantined = inbox / "failed" / "sub" / "run.sh"
    assert quarantined.read_bytes() == generated_document(9).encode("utf-8")
    assert (inbox / "failed" / "sub" / "run.sh.error.txt").is_file()
    assert result.summary().startswith(f"vanthu inbox {inbox}: 2 new, 0 duplicate, 1 failed,")


def test_row2_done_folder_that_is_a_link_is_refused_at_start(world):
    inbox, db, outside = world
    fill(inbox, 2)
    (inbox / "done").symlink_to(outside / "bin")
    before = snapshot(outside)

    result = inbox_run(inbox, db)

    assert result.returncode == 2
    assert result.errors() == [f"vanthu: error: the done folder {inbox}/done is a symbolic link; give a real "
                               "folder (--done); nothing was done"]
    assert snapshot(outside) == before and len(list(inbox.glob("*.txt"))) == 2


def test_row2_links_planted_at_a_note_and_its_temporary_name_are_replaced_not_followed(world):
    inbox, db, outside = world
    inbox.mkdir()
    (inbox / "blob.txt").write_bytes(b"\x00\x01binary")
    (inbox / "later.txt").write_bytes(generated_document(1).encode("utf-8"))
    failed = inbox / "failed"
    failed.mkdir()
    (failed / ".blob.txt.error.txt.tmp").symlink_to(outside / "secret.txt")
    (failed / "blob.txt.error.txt").symlink_to(outside / "bin" / "tool")
    before = snapshot(outside)

    result = inbox_run(inbox, db)

    assert result.returncode == 1
    assert snapshot(outside) == before
    note = failed / "blob.txt.error.txt"
    assert not note.is_symlink() and "reason: unsupported file type: binary data" in note.read_text("utf-8")
    assert (failed / "blob.txt").read_bytes() == b"\x00\x01binary"
    assert len(documents_in(db)) == 1


def test_row2_a_failed_subfolder_planted_as_a_link_leaves_the_file_in_place(world):
    inbox, db, outside = world
    (inbox / "sub").mkdir(parents=True)
    (inbox / "sub" / "blob.txt").write_bytes(b"\x00\x02binary")
    (inbox / "failed").mkdir()
    (inbox / "failed" / "sub").symlink_to(outside / "bin")
    made = fill(inbox, 1)
    before = snapshot(outside)

    result = inbox_run(inbox, db)

    assert result.returncode == 1
    assert snapshot(outside) == before
    report, error = result.errors()
    assert report.startswith(f"vanthu: error: {inbox}/failed/sub: a symbolic link: left in place")
    assert error.startswith(f"vanthu: error: {inbox}/sub/blob.txt: unsupported file type: binary data")
    assert error.endswith(f"it cannot be moved to failed/: {inbox}/failed/sub is a symbolic link; left in place")
    assert (inbox / "sub" / "blob.txt").exists() and sorted(documents_in(db)) == sorted(made)


# --- row 3: links out of the inbox --------------------------------------------------------

def test_row3_a_link_to_a_file_outside_is_reported_and_never_stored(world):
    inbox, db, outside = world
    made = fill(inbox, 1)
    (inbox / "passwd.txt").symlink_to(outside / "secret.txt")
    (inbox / "inside.txt").symlink_to(inbox / "cv-000.txt")
    before = snapshot(outside)

    for follow, refused in ((["--follow-links"], ["passwd.txt"]), ([], ["passwd.txt"])):
        result = inbox_run(inbox, db, *follow)
        assert result.returncode == 1
        errors = result.errors()
        assert [line.split(": ")[2].removeprefix(f"{inbox}/") for line in errors] == refused
        assert all(": a symbolic link: left in place (links are not read" in line for line in errors)
        assert all("hunter2" not in text for text in texts_in(db))
        assert (inbox / "passwd.txt").is_symlink()
    assert snapshot(outside) == before
    assert sorted(documents_in(db)) == sorted(made)


def test_row3_follow_links_reads_a_link_to_a_file_inside_the_inbox(world):
    inbox, db, outside = world
    (inbox / "scans").mkdir(parents=True)
    data = generated_document(5).encode("utf-8")
    (inbox / "scans" / "real.txt").write_bytes(data)
    (inbox / "alias.txt").symlink_to(Path("scans") / "real.txt")

    result = inbox_run(inbox, db, "--follow-links")

    assert result.returncode == 0, result.stderr
    assert documents_in(db) == [sha(data)]
    assert result.summary().startswith(f"vanthu inbox {inbox}: 1 new, 1 duplicate, 0 failed,")
    assert (inbox / "done" / "alias.txt").is_symlink() and (inbox / "done" / "scans" / "real.txt").is_file()


# --- row 4: one file must not stop every night --------------------------------------------

def flipped_tiff() -> bytes:
    """A small TIFF with one byte changed, the count of its directory's entries (12 -> 13):
    Pillow opens it, then raises TypeError ("Missing dimensions") when it reads the page."""
    buffer = io.BytesIO()
    Image.new("L", (300, 200), 255).save(buffer, "TIFF", compression="tiff_lzw", dpi=(300, 300))
    data = bytearray(buffer.getvalue())
    offset = int.from_bytes(data[4:8], "little")
    data[offset] += 1
    with pytest.raises(TypeError, match="Missing dimensions"):
        with Image.open(io.BytesIO(bytes(data))) as image:  # as vanthu reads a TIFF: count, then each page
            assert image.n_frames == 1
            image.seek(0)
            image.copy().load()
    return bytes(data)


def test_row4_poison_files_are_each_their_own_failure_and_later_files_are_read(world):
    inbox, db, outside = world
    inbox.mkdir()
    os.symlink("loop-b", inbox / "loop-a")
    os.symlink("loop-a", inbox / "loop-b")
    os.mkfifo(inbox / "fifo.txt")
    (inbox / "zero.txt").symlink_to("/dev/zero")
    latin1 = os.fsdecode(bytes(inbox) + b"/caf\xe9-cv.txt")
    Path(latin1).write_bytes(generated_document(1).encode("utf-8"))
    long_name = "x" * 246 + ".bin"
    (inbox / long_name).write_bytes(b"\x00\x03binary")
    (inbox / "scan-flipped.tif").write_bytes(flipped_tiff())
    (inbox / "bad\nname.txt").write_bytes(b"\x00\x04binary")
    (inbox / "cv\u202etxt.exe").write_bytes(generated_document(2).encode("utf-8"))
    made = fill(inbox, 2, start_at=3, prefix="zz-after")
    before = snapshot(outside)

    result = inbox_run(inbox, db, timeout=240)

    assert result.returncode == 1
    errors = result.errors()
    assert len(errors) == len(result.stderr.splitlines()) == 7  # one line each, nothing else
    assert f"vanthu: error: {inbox}/fifo.txt: a FIFO, not a regular file: left in place" in errors
    for link in ("loop-a", "loop-b", "zero.txt"):
        assert any(line.startswith(f"vanthu: error: {inbox}/{link}: a symbolic link: left in place")
                   for line in errors)
    assert any(line.startswith(f"vanthu: error: {inbox}/bad\\x0aname.txt: unsupported file type") for line in errors)
    assert f"vanthu: error: {inbox}/scan-flipped.tif: unreadable image (TypeError: Missing dimensions)" in errors
    assert f"{inbox}/caf\\xe9-cv.txt" in result.stdout and f"{inbox}/cv\\u202etxt.exe" in result.stdout
    assert result.summary().startswith(f"vanthu inbox {inbox}: 4 new, 0 duplicate, 7 failed,")
    assert set(made) <= set(documents_in(db)) and len(documents_in(db)) == 4
    failed = inbox / "failed"
    for name in (long_name, "scan-flipped.tif", "bad\nname.txt"):
        assert (failed / name).is_file()
    notes = sorted(p.name for p in failed.glob("*.error.txt"))
    assert len(notes) == 3 and all(len(os.fsencode(n)) <= 255 for n in notes)
    bad_note = (failed / "bad\nname.txt.error.txt").read_text("utf-8")
    assert f"file: {inbox}/bad\\x0aname.txt\n" in bad_note
    assert sorted(p.name for p in inbox.iterdir() if not p.is_dir()) == ["fifo.txt", "loop-a", "loop-b", "zero.txt"]
    assert snapshot(outside) == before
    assert run_statuses(db) == ["failed files"]

    again = inbox_run(inbox, db, timeout=120)  # the next night: no lock left, nothing hangs
    assert again.returncode == 1 and len(again.errors()) == 4
    assert run_statuses(db) == ["failed files", "failed files"]


def test_row4_a_file_deleted_while_queued_is_not_remembered_as_failed(world, scan_pages):
    inbox, db, outside = world
    inbox.mkdir()
    (inbox / "a-scan.png").write_bytes(scan_pages[0])
    gone = generated_document(6).encode("utf-8")
    (inbox / "b-gone.txt").write_bytes(gone)
    made = fill(inbox, 1, start_at=7, prefix="c-after")

    run = start(["inbox", str(inbox), "--db", str(db), "--settle", "0", "--jobs", "1", "--no-cache"])
    wait_for_program(run, "tesseract")  # b-gone.txt is listed, hashed and queued behind the scan
    (inbox / "b-gone.txt").unlink()
    result = finish(run)

    assert result.returncode == 0, result.stderr
    assert f"{inbox}/b-gone.txt (taken away before it was stored)" in result.stdout
    assert sorted(documents_in(db)) == sorted([sha(scan_pages[0]), *made])
    assert failures_in(db) == [] and not (inbox / "failed").exists()
    (inbox / "b-again.txt").write_bytes(gone)  # a good copy dropped later is read
    later = inbox_run(inbox, db)
    assert later.returncode == 0 and sha(gone) in documents_in(db)


def test_row4_errors_while_filing_fail_only_that_file(world):
    inbox, db, outside = world
    made = fill(inbox, 3)
    (inbox / "sub").mkdir()
    (inbox / "sub" / "cv-x.txt").write_bytes(generated_document(8).encode("utf-8"))
    (inbox / "done" / "cv-000.txt").mkdir(parents=True)  # a folder where the file should go
    (inbox / "done" / "sub").write_bytes(b"a file where a folder should be")

    result = inbox_run(inbox, db)

    assert result.returncode == 1
    assert result.errors() == [f"vanthu: error: {inbox}/sub/cv-x.txt: it cannot be filed in done/: "
                               f"{inbox}/done/sub is not a folder"]
    assert sorted(documents_in(db)) == sorted(made)
    stored = sha(generated_document(0).encode("utf-8"))
    assert (inbox / "done" / f"cv-000.{stored[:12]}.txt").is_file()  # beside the folder, not into it
    assert (inbox / "failed" / "sub" / "cv-x.txt").is_file() and list(inbox.glob("*.txt")) == []


# --- row 5: a file rewritten while it is read --------------------------------------------

def test_row5_a_file_rewritten_while_read_is_read_again_never_half_stored(world, scan_pages):
    inbox, db, outside = world
    inbox.mkdir()
    scan = inbox / "scan.png"
    scan.write_bytes(scan_pages[0])
    made = fill(inbox, 1)

    run = start(["inbox", str(inbox), "--db", str(db), "--settle", "0", "--jobs", "1", "--no-cache"])
    wait_for_program(run, "tesseract")  # the scan has been read and is being OCRed
    with scan.open("r+b") as handle:  # the scanner software saves the page again, in place
        handle.write(scan_pages[1])
        handle.truncate()
    result = finish(run)

    assert result.returncode == 0, result.stderr
    assert f"{scan} (changed while it was read: read again next run)" in result.stdout
    assert sorted(documents_in(db)) == sorted(made)  # the first version was not stored
    assert scan.read_bytes() == scan_pages[1]  # and the file was not filed away
    assert set(shas_under(inbox / "done")) <= set(documents_in(db))

    again = inbox_run(inbox, db)
    assert again.returncode == 0, again.stderr
    assert sorted(documents_in(db)) == sorted([*made, sha(scan_pages[1])])
    assert sha(scan_pages[0]) not in documents_in(db)
    assert shas_under(inbox / "done") == sorted(documents_in(db))


# --- row 6: a new file where an old one was ----------------------------------------------

def test_row6_a_new_file_with_the_old_ones_path_size_and_time_is_read(world):
    inbox, db, outside = world
    inbox.mkdir()
    first = generated_document(1).encode("utf-8")
    second = first.replace(b"101/SNV-VP", b"109/SNV-VP")
    assert len(first) == len(second) and first != second
    path = inbox / "cv.txt"
    path.write_bytes(first)
    os.utime(path, ns=(1_700_000_000_000_000_000, 1_700_000_000_000_000_000))
    assert inbox_run(inbox, db).returncode == 0
    path.write_bytes(second)
    os.utime(path, ns=(1_700_000_000_000_000_000, 1_700_000_000_000_000_000))

    result = inbox_run(inbox, db)

    assert result.returncode == 0, result.stderr
    assert result.summary().startswith(f"vanthu inbox {inbox}: 1 new, 0 duplicate,")
    assert sorted(documents_in(db)) == sorted([sha(first), sha(second)])
    assert (inbox / "done" / "cv.txt").read_bytes() == first  # the archived original is kept
    assert shas_under(inbox / "done") == sorted([sha(first), sha(second)])


# --- row 7: configuration mistakes ---------------------------------------------------------

def test_row7_running_from_inside_the_inbox_with_the_default_database_is_refused(world):
    inbox, db, outside = world
    fill(inbox, 2)

    result = vanthu(["inbox", ".", "--settle", "0", "--jobs", "1"], cwd=inbox)

    assert result.returncode == 2
    assert result.errors() == [f"vanthu: error: the database file {inbox}/vanthu.db is inside the inbox .: the "
                               "run would file it away; put the database elsewhere (--db); nothing was done"]
    assert sorted(p.name for p in inbox.iterdir()) == ["cv-000.txt", "cv-001.txt"]


@pytest.mark.parametrize("done, failed, message", [
    ("inbox", None, "the done folder is the inbox itself: stored files would never leave it"),
    ("out", "out", "the done and failed folders are the same folder"),
    ("out/done", "out", "the done folder is inside the failed folder, which is read for retries"),
    (None, "inbox", "the failed folder is the inbox itself: failed files would never leave it"),
], ids=["done-is-inbox", "failed-is-done", "done-in-failed", "failed-is-inbox"])
def test_row7_folders_that_would_loop_are_refused(world, done, failed, message):
    inbox, db, outside = world
    fill(inbox, 2)
    base = inbox.parent
    extra = [*(["--done", str(base / done)] if done else []), *(["--failed", str(base / failed)] if failed else [])]

    result = inbox_run(inbox, db, *extra)

    assert result.returncode == 2
    [error] = result.errors()
    assert error.startswith(f"vanthu: error: {message} (inbox {inbox}")
    assert sorted(p.name for p in inbox.iterdir()) == ["cv-000.txt", "cv-001.txt"]
    assert not db.exists()  # refused before the database was even opened


@pytest.fixture(scope="module")
def archive(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("archive")
    fill(folder / "inbox", 2)
    assert inbox_run(folder / "inbox", folder / "archive.db").returncode == 0
    return folder / "archive.db"


def _contents(db: Path) -> list[str]:
    with sqlite3.connect(db) as connection:  # the database with its journal, as a reader sees it
        return [row[0] for row in connection.execute("SELECT sha256 FROM documents ORDER BY id")]


@pytest.mark.parametrize("command", [["export"], ["export", "--format", "csv"], ["deadlines", "--format", "csv"],
                                     ["deadlines", "--format", "ics"], ["citations"]])
def test_row7_output_naming_the_open_database_is_refused(runner, archive, command):
    before, size = _contents(archive), archive.stat().st_size
    for target in (archive, Path(f"{archive}-wal"), Path(f"{archive}.lock")):
        result = runner.invoke(main, [*command, "--db", str(archive), "-o", str(target)])
        assert result.exit_code == 2
        assert result.stderr == (f"vanthu: error: refusing to write {target}: it is the database being read "
                                 f"({archive}); choose another file\n")
    assert archive.stat().st_size == size and _contents(archive) == before


def _state(pid: int) -> str | None:
    """A process's state letter ("S", "R", "Z" …), or None once it is gone."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return None
    return status.split("State:")[1].split()[0]


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs Linux /proc")
def test_workers_die_with_a_run_killed_with_sigkill(tmp_path):
    """kill -9 of a run (the OOM killer, an operator) takes its workers with it: an orphaned
    worker kept the run's inherited database connections open, and with them a PostgreSQL
    run's lock, so every later run was refused as "another run is working"."""
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for index in range(3):
        render_pages(layout_from_text(generated_document(index)))[0][0].save(inbox / f"scan-{index}.png")
    process = start(["inbox", str(inbox), "--db", str(tmp_path / "v.db"), "--settle", "0", "--jobs", "1",
                     "--no-cache"])
    workers: list[int] = []
    deadline = time.monotonic() + 60
    while not workers and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.1)
        children = Path(f"/proc/{process.pid}/task/{process.pid}/children")
        workers = [int(pid) for pid in children.read_text().split()] if children.exists() else []
    assert workers, "the run started no worker"
    process.kill()
    finish(process)
    deadline = time.monotonic() + 10
    while any(_state(pid) not in (None, "Z") for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert all(_state(pid) in (None, "Z") for pid in workers)  # gone (a zombie has closed everything)
