"""`vanthu ingest --cluster`: batches on a real Dask cluster (a LocalCluster of two worker
processes, or `dask scheduler` and `dask worker` started as programs) writing into a real
PostgreSQL database: the same records as a local run, each document stored once whoever
writes at the same time, workers killed with SIGKILL mid-file, the scheduler lost mid-batch.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from vanthu.ingest import sha256_of

from conftest import SAMPLES
from databases import TestDatabase
from documents import generated_document
from office import dispatch_docx
from scans import render_document, save_pdf

BIN = Path(sys.executable).parent
VANTHU = str(BIN / "vanthu")
DASK = str(BIN / "dask")
BROKEN = b"%PDF-1.4\n garbage"


def vanthu(*args: str, env: dict | None = None, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run([VANTHU, *args], capture_output=True, text=True, timeout=timeout,
                          env={**os.environ, **(env or {})})


def scans(folder: Path, indexes: range) -> dict[str, str]:
    """Scanned one-page PDFs of generated dispatches; {sha256: path}."""
    folder.mkdir(parents=True, exist_ok=True)
    made = {}
    for index in indexes:
        path = folder / f"scan-{index:02d}.pdf"
        save_pdf(render_document(generated_document(index), 300), path)
        made[sha256_of(path.read_bytes())] = str(path)
    return made


def records(db: TestDatabase) -> dict[str, dict]:
    """Every stored record by content hash (database ids follow the order of completion)."""
    out = vanthu("export", "--db", db.url)
    assert out.returncode == 0, out.stderr
    found = {}
    for line in out.stdout.splitlines():
        record = json.loads(line)
        record.pop("id")
        found[record["source"]["sha256"]] = record
    return found


def file_lines(output: str) -> list[str]:
    """The per-file lines without the document ids, sorted (a cluster prints files as they
    complete)."""
    return sorted(" ".join(line.split()[:1] + line.split()[2:]) for line in output.splitlines()[:-1])


def assert_each_document_once(db: TestDatabase, made: dict[str, str]) -> None:
    """Every content one documents row, every path one files row of it."""
    assert sorted(sha for (sha,) in db.rows("SELECT sha256 FROM documents")) == sorted(made)
    files = db.rows("SELECT d.sha256, f.path FROM files f JOIN documents d ON d.id = f.document_id")
    assert sorted(files) == sorted(made.items())


@pytest.fixture(scope="module")
def mixed(tmp_path_factory) -> Path:
    """Text, a scanned PDF, a Word file, a damaged PDF and a second copy of one text: each
    kind of file once (the scans of several files are `scanned`'s)."""
    folder = tmp_path_factory.mktemp("mixed")
    for sample in sorted(SAMPLES.glob("0*.txt")):
        shutil.copy(sample, folder / sample.name)
    shutil.copy(SAMPLES / "000_ee557d941187270d.txt", folder / "copy of 000.txt")
    scans(folder, range(1))
    dispatch_docx(generated_document(2), folder / "dispatch.docx")
    (folder / "broken.pdf").write_bytes(BROKEN)
    return folder


def test_a_cluster_run_gives_the_records_and_lines_of_a_local_run(mixed, new_database):
    local = new_database("sqlite")
    alone = vanthu("ingest", str(mixed), "--db", local.url, "--no-cache")
    assert alone.returncode == 1 and alone.stderr.startswith(f"vanthu: error: {mixed / 'broken.pdf'}: damaged PDF")
    want = records(local)
    assert len(want) == 7  # 5 samples, 1 scan, 1 Word file; the copy is the same document
    for mode, kind in (("bytes", "postgresql"), ("path", "sqlite")):
        db = new_database(kind)
        spread = vanthu("ingest", str(mixed), "--db", db.url, "--no-cache", "--cluster", "local:2",
                        "--cluster-input", mode)
        assert spread.returncode == 1, spread.stderr
        assert records(db) == want, mode  # byte for byte, value for value
        assert file_lines(spread.stdout) == file_lines(alone.stdout)
        assert spread.stdout.splitlines()[-1] == f"9 files: 7 stored, 1 unchanged, 1 failed ({db.url})"
        assert spread.stderr == alone.stderr
        # The damaged file is recorded as failed, with its reason, for the operator.
        assert db.rows("SELECT path, reason, attempts FROM failures") == [
            (str(mixed / "broken.pdf"), alone.stderr.split(": ", 3)[3].rstrip("\n"), 1)]
        if mode == "bytes":  # run again: every file is known by content before anything is sent to a worker
            again = vanthu("ingest", str(mixed), "--db", db.url, "--cluster", "local:2")
            assert again.stdout.splitlines()[-1] == f"9 files: 0 stored, 8 unchanged, 1 failed ({db.url})"


def test_two_ingests_of_overlapping_folders_store_each_document_once(tmp_path, new_database):
    """Started together on one PostgreSQL database, one on the local pool and one on a
    cluster (VANTHU_CLUSTER), with the same contents under other names as well."""
    db = new_database("postgresql")
    first, second = tmp_path / "first", tmp_path / "second"
    made = {}
    for folder, indexes in ((first, range(0, 40)), (second, range(20, 60))):
        folder.mkdir()
        for index in indexes:
            path = folder / f"cv-{index:03d}.txt"
            path.write_text(generated_document(index), encoding="utf-8")
            made.setdefault(sha256_of(path.read_bytes()), []).append(str(path))
    runs = [subprocess.Popen([VANTHU, "ingest", str(first), "--db", db.url, "--jobs", "2"], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True),
            subprocess.Popen([VANTHU, "ingest", str(second), "--db", db.url], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True, env={**os.environ, "VANTHU_CLUSTER": "local:2"})]
    outputs = [(run.wait(300), *run.communicate()) for run in runs]
    assert [(code, err) for code, _out, err in outputs] == [(0, ""), (0, "")]
    summaries = [out.splitlines()[-1].split() for _code, out, _err in outputs]
    stored = [int(words[2]) for words in summaries]
    assert sum(stored) == 60 and [words[0] for words in summaries] == ["40", "40"]
    assert sorted(sha for (sha,) in db.rows("SELECT sha256 FROM documents")) == sorted(made)
    files = db.rows("SELECT d.sha256, f.path FROM files f JOIN documents d ON d.id = f.document_id")
    assert sorted(files) == sorted((sha, path) for sha, paths in made.items() for path in paths)
    assert db.rows("SELECT count(*) FROM organizations") == db.rows("SELECT count(DISTINCT key) FROM organizations")


def reading_a_page(process: psutil.Process) -> psutil.Process | None:
    """A Dask worker process of a `vanthu ingest --cluster local:N` (started by spawning)
    that is OCRing a page: its Tesseract child runs."""
    for child in process.children():
        try:
            if "spawn" in " ".join(child.cmdline()) and any(
                    "tesseract" in grandchild.name() for grandchild in child.children(recursive=True)):
                return child
        except psutil.NoSuchProcess:  # ended (or a zombie) while we looked
            continue
    return None


def kill_a_worker_mid_file(process: subprocess.Popen, timeout: float = 120) -> None:
    """SIGKILL a worker while it OCRs a page (its Tesseract child is running)."""
    parent = psutil.Process(process.pid)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and process.poll() is None:
        worker = reading_a_page(parent)
        if worker is not None:
            worker.send_signal(signal.SIGKILL)
            return
        time.sleep(0.05)
    raise AssertionError("no worker was seen reading a page")


@pytest.fixture(scope="module")
def scanned(tmp_path_factory) -> tuple[Path, dict[str, str]]:
    folder = tmp_path_factory.mktemp("scanned")
    return folder, scans(folder, range(10, 14))


@pytest.fixture(scope="module")
def three_scanned(scanned, tmp_path_factory) -> tuple[Path, dict[str, str]]:
    """Three of `scanned`'s files: two workers read at once while one is killed, and a
    third file is left to go on with (each file read costs ~1 s of Tesseract)."""
    folder = tmp_path_factory.mktemp("three")
    made = {}
    for sha, path in sorted(scanned[1].items(), key=lambda item: item[1])[:3]:
        made[sha] = str(shutil.copy(path, folder / Path(path).name))
    return folder, made


def test_a_worker_killed_mid_file_its_file_is_read_again_elsewhere(three_scanned, new_database, tmp_path):
    folder, made = three_scanned
    db = new_database("postgresql")
    process = subprocess.Popen([VANTHU, "ingest", str(folder), "--db", db.url, "--no-cache", "--cluster", "local:2"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    kill_a_worker_mid_file(process)
    code = process.wait(300)
    out, err = process.communicate()
    assert (code, err) == (0, ""), out
    assert out.splitlines()[-1] == f"3 files: 3 stored, 0 unchanged, 0 failed ({db.url})"
    assert_each_document_once(db, made)
    assert db.rows("SELECT count(*) FROM failures") == [(0,)]


def test_a_file_whose_workers_all_die_is_recorded_as_failed(three_scanned, new_database):
    """No second chance (allowed-failures 0, a setting of the scheduler): the file being read
    when its worker died fails, with the reason; every other file is stored once; a rerun
    stores the rest and clears the failure."""
    folder, made = three_scanned
    db = new_database("postgresql")
    process = subprocess.Popen([VANTHU, "ingest", str(folder), "--db", db.url, "--no-cache", "--cluster", "local:2"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               env={**os.environ, "DASK_DISTRIBUTED__SCHEDULER__ALLOWED_FAILURES": "0"})
    kill_a_worker_mid_file(process)
    code = process.wait(300)
    out, err = process.communicate()
    failed = [line.split(": ")[2] for line in err.splitlines()]
    assert code == 1 and 1 <= len(failed) <= 2, err
    assert err.splitlines()[0].endswith(": the worker reading it died, once (killed, out of memory or a crashing "
                                        "library); given up")
    stored = {sha for (sha,) in db.rows("SELECT sha256 FROM documents")}
    recorded = dict(db.rows("SELECT sha256, path FROM failures"))
    assert sorted(recorded.values()) == sorted(failed)
    assert stored | set(recorded) == set(made) and not stored & set(recorded)  # each file stored or failed
    assert out.splitlines()[-1] == f"3 files: {3 - len(failed)} stored, 0 unchanged, {len(failed)} failed ({db.url})"
    rerun = vanthu("ingest", str(folder), "--db", db.url, "--no-cache", "--cluster", "local:2")
    assert rerun.returncode == 0, rerun.stderr
    assert rerun.stdout.splitlines()[-1] == f"3 files: {len(failed)} stored, {3 - len(failed)} unchanged, 0 failed ({db.url})"
    assert_each_document_once(db, made)
    assert db.rows("SELECT count(*) FROM failures") == [(0,)]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Cluster:
    """`dask scheduler` and one `dask worker` as programs, as on separate machines."""

    def __init__(self, port: int, folder: Path) -> None:
        self.address = f"tcp://127.0.0.1:{port}"
        logs = folder / f"dask-{time.monotonic_ns()}.log"
        self.log = logs.open("w")
        self.scheduler = subprocess.Popen([DASK, "scheduler", "--host", "127.0.0.1", "--port", str(port),
                                           "--no-dashboard"], stdout=self.log, stderr=subprocess.STDOUT)
        self.worker = subprocess.Popen([DASK, "worker", self.address, "--nthreads", "1", "--no-dashboard",
                                        "--name", "w1"], stdout=self.log, stderr=subprocess.STDOUT)
        from distributed import Client

        with Client(self.address, timeout="60s") as client:
            client.wait_for_workers(1, timeout=60)

    def stop(self) -> None:
        for process in (self.worker, self.scheduler):
            for child in psutil.Process(process.pid).children(recursive=True):
                child.kill()
            process.kill()
            process.wait(30)
        self.log.close()


def test_the_scheduler_lost_mid_batch_stops_the_run_and_a_rerun_finishes_it(scanned, new_database, tmp_path):
    folder, made = scanned
    db = new_database("postgresql")
    port = free_port()
    cluster = Cluster(port, tmp_path)
    try:
        process = subprocess.Popen([VANTHU, "ingest", str(folder), "--db", db.url, "--no-cache"],
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                   env={**os.environ, "VANTHU_CLUSTER": cluster.address})
        first = process.stdout.readline()  # one file stored: the batch is under way
        assert first.startswith("stored "), process.stderr.read()
        cluster.scheduler.send_signal(signal.SIGKILL)
        code = process.wait(120)
        out, err = process.communicate()
    finally:
        cluster.stop()
    assert code == 4, (out, err)
    assert err.startswith("vanthu: error: lost the Dask scheduler") and err.endswith(
        "files were done and what was stored stays: run the same command again to finish the batch\n")
    done = db.rows("SELECT count(*) FROM documents")[0][0]
    assert 1 <= done < 4
    cluster = Cluster(port, tmp_path)
    try:
        rerun = vanthu("ingest", str(folder), "--db", db.url, "--no-cache", "--cluster", cluster.address)
    finally:
        cluster.stop()
    assert rerun.returncode == 0, rerun.stderr
    assert rerun.stdout.splitlines()[-1] == f"4 files: {4 - done} stored, {done} unchanged, 0 failed ({db.url})"
    assert_each_document_once(db, made)


def test_what_cannot_run_on_a_cluster_is_said_before_anything_is_done(runner, tmp_path, new_database):
    from vanthu.cli import main

    sqlite = new_database("sqlite")
    result = runner.invoke(main, ["ingest", str(SAMPLES), "--db", sqlite.url, "--cluster", "tcp://127.0.0.1:9"])
    assert result.exit_code == 2
    assert result.stderr == (f"vanthu: error: workers on other machines cannot write into the SQLite file {sqlite.url}: "
                             "give a PostgreSQL database (--db postgresql+psycopg://USER:PASSWORD@HOST/NAME), or use "
                             "--cluster local\n")
    bad = runner.invoke(main, ["ingest", str(SAMPLES), "--db", sqlite.url, "--cluster", "local:two"])
    assert bad.exit_code == 2 and "--cluster local:two: say local or local:N" in bad.stderr
    pg = new_database("postgresql")
    nobody = vanthu("ingest", str(SAMPLES), "--db", pg.url, "--cluster", f"tcp://127.0.0.1:{free_port()}")
    assert nobody.returncode == 2
    assert nobody.stderr.startswith("vanthu: error: cannot reach a Dask scheduler at tcp://127.0.0.1:")
    assert "Connection refused" in nobody.stderr  # said at once, not after the client's timeout
    assert pg.rows("SELECT count(*) FROM documents") == [(0,)]


def test_the_progress_line_counts_files_failures_and_pages():
    from vanthu.cluster import FileOutcome, Progress

    progress = Progress(total=5, workers=2)
    for outcome in (FileOutcome("stored", "a.pdf", pages=3), FileOutcome("unchanged", "b.txt"),
                    FileOutcome("failed", "c.pdf", reason="c.pdf: damaged PDF"), FileOutcome("stored", "d.txt", pages=1)):
        progress.add(outcome)
    assert (progress.done, progress.stored, progress.unchanged, progress.failed) == (4, 2, 1, 1)
    assert progress.line() == "4/5 files, 1 failed, 4 pages OCRed or read, 2 workers"
