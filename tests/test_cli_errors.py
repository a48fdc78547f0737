"""Mistakes on the command line end in one line and an exit status, never a traceback
(issue 14, "Smaller"); CSV exports are safe to open in a spreadsheet; the command starts and
reads files where POSIX-only modules do not exist (issue 16)."""

from __future__ import annotations

import csv
import io
import json
import shutil
import sqlite3
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest

from click.testing import CliRunner

from conftest import SAMPLES
from vanthu.cli import main
from documents import generated_document
from inbox_helpers import VANTHU, documents_in


@pytest.fixture(scope="module")
def archive(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("errors") / "archive.db"
    subprocess.run([VANTHU, "ingest", str(SAMPLES), "--db", str(db), "-q"], check=True, capture_output=True)
    return db


@dataclass
class Ran:
    returncode: int
    stdout: str
    stderr: str


def run(*args: str) -> Ran:
    """The command in this process (click's runner): what it prints and its exit status."""
    result = CliRunner().invoke(main, list(args))
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return Ran(result.exit_code, result.stdout, result.stderr)


@pytest.mark.parametrize("args, message", [
    (["deadlines", "--limit", "99999999999999999999"],
     "Error: Invalid value for '--limit': 99999999999999999999 is not in the range 1<=x<=1000000000."),
    (["search", "so", "--limit", "99999999999999999999"],
     "Error: Invalid value for '--limit': 99999999999999999999 is not in the range 1<=x<=1000000000."),
    (["runs", "--limit", "99999999999999999999"],
     "Error: Invalid value for '--limit': 99999999999999999999 is not in the range 1<=x<=1000000000."),
    (["deadlines", "--upcoming", "99999999"],
     "Error: Invalid value for '--upcoming': 99999999 is not in the range 0<=x<=36500."),
], ids=["deadlines-limit", "search-limit", "runs-limit", "upcoming"])
def test_numbers_too_large_are_usage_errors(archive, args, message):
    result = run(*args, "--db", str(archive))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr.splitlines()[-1] == message


def test_output_into_a_missing_folder(archive, tmp_path):
    for command in (["export"], ["deadlines", "--format", "csv"], ["citations", "--format", "dot"]):
        missing = tmp_path / "no" / "such" / "out.txt"
        result = run(*command, "--db", str(archive), "-o", str(missing))
        assert (result.returncode, result.stderr) == (
            2, f"vanthu: error: cannot write {missing}: folder {missing.parent} does not exist\n")


def test_a_database_url_whose_driver_is_missing_hides_its_password():
    # psycopg is a dependency now; pg8000 is a driver SQLAlchemy knows that vanthu does not install.
    result = run("stats", "--db", "postgresql+pg8000://archivist:s3cret@db.example/vanthu")
    assert result.returncode == 2
    assert result.stderr == ("vanthu: error: cannot open database postgresql+pg8000://archivist:***@db.example/vanthu: "
                             "its driver (pg8000) is not installed; install it with: pip install pg8000\n")


def test_an_unreachable_postgresql_server_is_one_line_without_the_password():
    result = run("stats", "--db", "postgresql://archivist:s3cret@127.0.0.1:1/vanthu")
    assert result.returncode == 2
    assert result.stderr.startswith("vanthu: error: cannot open database postgresql://archivist:***@127.0.0.1:1/vanthu: "
                                    "connection failed: ")
    assert "s3cret" not in result.stderr and result.stderr.count("\n") == 1 and "\\x0a" not in result.stderr


def test_a_read_only_database_is_read_and_refuses_writes_in_one_line(archive, tmp_path):
    url = f"sqlite:///file:{archive}?mode=ro&uri=true"
    stats = run("stats", "--db", url, "--json")
    assert stats.returncode == 0 and json.loads(stats.stdout)["documents"] == 5
    copy = tmp_path / "renamed.txt"  # a known content under a new path: recording the path writes
    shutil.copy(SAMPLES / "000_ee557d941187270d.txt", copy)
    result = run("ingest", str(copy), "--db", url)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr == (f"vanthu: error: cannot read database: attempt to write a readonly database ({url}); "
                             "stopped after 0 files, 0 stored\n")


def test_a_database_failing_mid_run_stops_the_run_with_a_true_message(tmp_path):
    """The database's filesystem fills up after some files: the run says how far it got,
    keeps what it committed, and exits with the crashed status (4), not 1."""
    inbox, db = tmp_path / "inbox", tmp_path / "v.db"
    inbox.mkdir()
    for index in range(40):
        (inbox / f"cv-{index:03d}.txt").write_text(generated_document(index), encoding="utf-8")
    subprocess.run([VANTHU, "stats", "--db", str(db)], check=True, capture_output=True)
    size_limit = db.stat().st_size + 60_000  # room for a few records only

    def small_disk() -> None:
        import resource
        import signal
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails (EFBIG)
        resource.setrlimit(resource.RLIMIT_FSIZE, (size_limit, size_limit))

    result = subprocess.run([VANTHU, "inbox", str(inbox), "--db", str(db), "--settle", "0", "--jobs", "1",
                             "--quiet"], capture_output=True, text=True, timeout=300, preexec_fn=small_disk)

    stored = len(documents_in(db))
    moved = len(list((inbox / "done").glob("*.txt")))
    assert result.returncode == 4, result.stderr
    assert "Traceback" not in result.stderr
    [line] = result.stderr.splitlines()
    assert line.startswith(f"vanthu: error: run #1 stopped after {stored} files: cannot write to database: ")
    assert line.endswith("what was committed is kept, and the files not yet handled stay in the inbox for the "
                         "next run")
    assert 0 < stored < 40 and moved == stored and len(list(inbox.glob("*.txt"))) == 40 - stored


def test_csv_cells_that_a_spreadsheet_would_run_get_a_quote(tmp_path):
    db = tmp_path / "v.db"
    text = generated_document(1).replace("V/v rà soát thủ tục hành chính", 'V/v =HYPERLINK("http://x.example","rà")')
    text = text.replace("1. Sở Xây dựng chủ trì, phối hợp", "1. @SUM(1+1) phối hợp")
    (tmp_path / "cv.txt").write_text(text, encoding="utf-8")
    assert run("ingest", str(tmp_path / "cv.txt"), "--db", str(db)).returncode == 0

    def cells(*args: str) -> list[dict]:
        result = run(*args, "--db", str(db))
        return list(csv.DictReader(io.StringIO(result.stdout.lstrip("\ufeff"))))

    assert cells("export", "--format", "csv")[0]["subject"] == "'=HYPERLINK(\"http://x.example\",\"rà\")"
    assert cells("export", "--format", "csv", "--raw")[0]["subject"] == "=HYPERLINK(\"http://x.example\",\"rà\")"
    tasks = [row["task"] for row in cells("deadlines", "--format", "csv")]
    assert tasks[0].startswith("'@SUM(1+1) phối hợp")
    assert [row["task"] for row in cells("deadlines", "--format", "csv", "--raw")][0].startswith("@SUM(1+1)")


def test_names_with_control_characters_print_on_one_line(tmp_path):
    bad = tmp_path / "line\nforged: ok\u202e.txt"
    bad.write_bytes(b"\x00\x01 not text")
    result = run("extract", str(bad))
    assert result.returncode == 1
    assert result.stderr == (f"vanthu: error: {tmp_path}/line\\x0aforged: ok\\u202e.txt: unsupported file type: "
                             "binary data, not text, Word, PDF, PNG, JPEG or TIFF\n")


def test_stored_text_has_no_bidi_overrides_or_controls(tmp_path):
    db = tmp_path / "v.db"
    text = generated_document(2).replace("Kính gửi:", "Kính gửi:\u202e\u2066\x07")
    (tmp_path / "cv.txt").write_text(text, encoding="utf-8")
    assert run("ingest", str(tmp_path / "cv.txt"), "--db", str(db)).returncode == 0
    with sqlite3.connect(db) as connection:
        [stored] = connection.execute("SELECT text FROM documents").fetchone()
    assert "Kính gửi:\n" in stored and not set(stored) & {"\u202e", "\u2066", "\x07"}


POSIX_ONLY = ("fcntl", "resource", "termios", "grp", "pwd")


def test_the_command_starts_and_extracts_without_posix_only_modules(tmp_path):
    """As on Windows: importing any POSIX-only module fails. Only the standard library's own
    guarded imports may try (and they cope)."""
    script = tmp_path / "no_posix.py"
    script.write_text(textwrap.dedent(f"""
        import importlib.abc, sys, traceback
        BLOCKED = {POSIX_ONLY!r}
        tried = []
        class Block(importlib.abc.MetaPathFinder):
            def find_spec(self, name, path, target=None):
                if name in BLOCKED:
                    caller = traceback.extract_stack()[-3].filename
                    tried.append((name, caller))
                    raise ImportError(f"No module named {{name!r}}")
        for name in BLOCKED:
            sys.modules.pop(name, None)
        sys.meta_path.insert(0, Block())
        from vanthu.cli import main
        try:
            main(sys.argv[1:])
        finally:
            ours = [(n, c) for n, c in tried if "site-packages" in c or "/src/" in c]
            print("POSIX-ONLY IMPORTS:", ours, file=sys.stderr)
    """), encoding="utf-8")
    result = subprocess.run([sys.executable, str(script), "extract", str(SAMPLES / "000_ee557d941187270d.txt"),
                             "--json", "--jobs", "1"], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["number"] == "4868"
    assert result.stderr.splitlines()[-1] == "POSIX-ONLY IMPORTS: []"
