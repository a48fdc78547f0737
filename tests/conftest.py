from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from databases import KINDS, TestDatabase
from pgserver import PostgresServer

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"


def pytest_addoption(parser) -> None:
    parser.addoption("--archive-size", type=int, default=2000,
                     help="Records in the generated archive of the analyst tests (make bench: 100000).")


# The test files that take longest (most CPU: real Tesseract runs, vanthu processes, Dask
# clusters, a browser), longest first, as `pytest --durations=0` measured them on this
# machine (2026-12-02: test_cluster ~60 s, test_ocr ~60 s, test_workbench ~35 s, the inbox
# files 20-35 s each, the others under 20 s). `make test` hands whole files to two workers
# (--dist loadfile) in collection order: started first, the long files leave the short
# ones to even out the end, where in name order the workbench's browser tests ran last,
# alone on one core.
SLOWEST_FIRST = ("test_cluster.py", "test_ocr.py", "test_workbench.py", "test_inbox.py", "test_inbox_hostile.py",
                 "test_inbox_fuzz.py", "test_limits.py", "test_serve.py", "test_reextract.py", "test_analyst.py",
                 "test_wheel.py", "test_real_excerpts.py", "test_migrations.py")


def pytest_collection_modifyitems(items) -> None:
    """The slowest files first (`SLOWEST_FIRST`), then the others in name order; the tests
    of each file keep their order (the sort is stable)."""
    rank = {name: n for n, name in enumerate(SLOWEST_FIRST)}
    items.sort(key=lambda item: rank.get(item.path.name, len(rank)))


@pytest.fixture(scope="session", autouse=True)
def state_dir(tmp_path_factory) -> Path:
    """vanthu's state folder (inbox locks) for the whole session, in a temporary folder
    rather than the home directory; subprocesses inherit it."""
    folder = tmp_path_factory.mktemp("state")
    os.environ["VANTHU_STATE_DIR"] = str(folder)
    return folder


@pytest.fixture(scope="session", autouse=True)
def cache_home(tmp_path_factory) -> Path:
    """The OCR cache's home for the session: tests start cold and never write to ~/.cache."""
    folder = tmp_path_factory.mktemp("cache")
    os.environ["XDG_CACHE_HOME"] = str(folder)
    return folder


@pytest.fixture(scope="session")
def gold() -> dict[str, dict]:
    rows = [json.loads(line) for line in (SAMPLES / "gold.jsonl").read_text("utf-8").splitlines() if line]
    return {row["file"]: row for row in rows}


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def write(tmp_path: Path):
    """Write a document (str or bytes) into tmp_path and return its path."""
    def _write(name: str, content: str | bytes) -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        return path
    return _write


@pytest.fixture(scope="session")
def postgres():
    """A PostgreSQL server of the tests' own (see pgserver.py), started on first use."""
    server = PostgresServer().start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def new_database(request, tmp_path_factory):
    """new_database(kind) -> a new, empty TestDatabase of that kind ("sqlite", "postgresql")."""
    def _new(kind: str) -> TestDatabase:
        server = request.getfixturevalue("postgres") if kind == "postgresql" else None
        return TestDatabase.new(kind, tmp_path_factory.mktemp(kind), server)
    return _new


@pytest.fixture(params=KINDS)
def empty_db(request, new_database) -> TestDatabase:
    """A new database, once of each kind."""
    return new_database(request.param)
