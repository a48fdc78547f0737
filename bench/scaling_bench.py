"""Scaling benchmark: the same batch through the local process pool and through a Dask
LocalCluster of 1 and 2 worker processes, into one PostgreSQL server; and the cost per file of
going through the scheduler.

    python bench/scaling_bench.py [--scans 12] [--texts 300]

Scans are one-page PDFs rendered from generated dispatches (tests/scans.py, tests/documents.py),
OCRed every time (--no-cache). The overhead per file is measured on text files, whose
reading takes milliseconds: (cluster run - cluster start) - (local run - local start), per
file, both with one worker. The PostgreSQL server is started as the tests start it
(tests/pgserver.py). Prints a Markdown section.
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from documents import generated_document  # noqa: E402
from pgserver import PostgresServer  # noqa: E402
from scans import render_document, save_pdf  # noqa: E402

VANTHU = Path(sys.executable).parent / "vanthu"
SECONDS_PER_HOUR = 3600


@dataclass(frozen=True)
class Run:
    name: str
    args: tuple[str, ...]


@dataclass(frozen=True)
class Timed:
    run: Run
    files: int
    pages: int
    seconds: float


def make_scans(folder: Path, count: int) -> None:
    folder.mkdir(parents=True)
    for index in range(count):
        save_pdf(render_document(generated_document(500 + index), 300), folder / f"scan-{index:03d}.pdf")


def make_texts(folder: Path, count: int) -> None:
    folder.mkdir(parents=True)
    for index in range(count):
        (folder / f"cv-{index:04d}.txt").write_text(generated_document(1000 + index), encoding="utf-8")


def timed(server: PostgresServer, folder: Path, run: Run) -> Timed:
    """One `vanthu ingest` of the folder into a new database, timed from start to exit."""
    url = server.url(server.create_database())
    started = time.monotonic()
    result = subprocess.run([str(VANTHU), "ingest", str(folder), "--db", url, "--no-cache", "-q", *run.args],
                            capture_output=True, text=True, env={**os.environ, "OMP_THREAD_LIMIT": "1"})
    seconds = time.monotonic() - started
    if result.returncode != 0:
        raise SystemExit(f"{run.name} failed ({result.returncode}): {result.stderr}")
    pages = subprocess.run([str(VANTHU), "stats", "--db", url, "--json"], capture_output=True, text=True,
                           check=True).stdout
    import json

    counts = json.loads(pages)
    return Timed(run, counts["documents"], counts["pages"], seconds)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scans", type=int, default=12)
    parser.add_argument("--texts", type=int, default=300)
    args = parser.parse_args()
    runs = [Run("local pool, 1 process", ("--jobs", "1")), Run("local pool, 2 processes", ("--jobs", "2")),
            Run("Dask, 1 worker", ("--cluster", "local:1")), Run("Dask, 2 workers", ("--cluster", "local:2"))]
    server = PostgresServer().start()
    try:
        with tempfile.TemporaryDirectory(prefix="vanthu-scaling-") as scratch:
            scans, texts, empty = Path(scratch) / "scans", Path(scratch) / "texts", Path(scratch) / "empty"
            make_scans(scans, args.scans)
            make_texts(texts, args.texts)
            empty.mkdir()
            scanned = [timed(server, scans, run) for run in runs]
            starts = {run.name: timed(server, empty, run).seconds for run in (runs[0], runs[2])}
            light = {run.name: timed(server, texts, run).seconds for run in (runs[0], runs[2])}
    finally:
        server.stop()
    local, dask = runs[0].name, runs[2].name
    overhead = ((light[dask] - starts[dask]) - (light[local] - starts[local])) / args.texts
    print("## Scaling: Dask workers against the local pool\n")
    print(f"`python bench/scaling_bench.py --scans {args.scans} --texts {args.texts}` (run by `make bench`) on "
          f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}, shared with other "
          "work. Each run is `vanthu ingest FOLDER --db postgresql+psycopg://… --no-cache -q` plus the options "
          "named, into a new database of one PostgreSQL 15 server on this machine, timed from start to exit "
          f"(interpreter, cluster start and model loading included). {args.scans} scanned one-page PDFs of "
          "generated dispatches, OCRed every time. Here the client, the scheduler and the workers share the "
          "machine's cores (and each worker loads vanthu's models on its first file); on a cluster the workers "
          "have their machines to themselves.\n")
    print("| run | files | pages | wall time | files/s | pages/s | pages/hour |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for t in scanned:
        print(f"| {t.run.name} (`{' '.join(t.run.args)}`) | {t.files} | {t.pages} | {t.seconds:.1f} s | "
              f"{t.files / t.seconds:.2f} | {t.pages / t.seconds:.2f} | {SECONDS_PER_HOUR * t.pages / t.seconds:,.0f} |")
    print(f"\nStart-up with no file: {starts[local]:.1f} s on the local pool, {starts[dask]:.1f} s with a "
          f"Dask LocalCluster of 1 worker (scheduler and worker processes started, vanthu imported in the worker). "
          f"{args.texts} text files (no OCR): {light[local]:.1f} s on the local pool (1 process), "
          f"{light[dask]:.1f} s through the scheduler (1 worker): **{1000 * overhead:.0f} ms of overhead per file** "
          "through the scheduler (client-side hashing and look-up, task round trip, the worker's own look-up), "
          "small against a scanned page's OCR. A remote cluster needs no start-up of its own: its workers are "
          "already running. Sizing from these figures: docs/SCALING.md.")


if __name__ == "__main__":
    main()
