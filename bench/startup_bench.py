"""Start-up benchmark: wall time of short commands, each a fresh process, as cron, a shell or a
script runs them.

    python bench/startup_bench.py [--repeat 15]

The database is the five samples (`vanthu ingest samples/`). Each command runs once to warm
the page cache, then `--repeat` times; the table gives the fastest and the median run. The
machine is shared: the load average before and after is printed beside the figures, and
the fastest run is the one least disturbed, and the CPU time (user + system) of the command
is what it costs on an idle machine. The last row imports every module at once, as
vanthu 0.1.0 did at start-up, for comparison. Prints Markdown.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VANTHU = str(Path(sys.executable).parent / "vanthu")
TARGET = 0.3  # seconds, issue 16
EVERYTHING = ("import vanthu.cli, vanthu.pipeline, vanthu.inbox, vanthu.serve, vanthu.review, vanthu.evaluate, "
              "vanthu.reextract, vanthu.ingest.scanned, vanthu.ingest.restore, vanthu.ingest.office, "
              "vanthu.store.writing, vanthu.store.text_search, vanthu.store.citations, vanthu.store.runs, "
              "vanthu.knowledge.entities; vanthu.knowledge.entities.find_organizations('Sở Tài chính')")


def timed(command: list[str], repeat: int) -> tuple[list[float], list[float]]:
    """Wall and CPU (user + system) seconds of each run; the CPU time is what the command
    itself used, which other work on the machine disturbs less than the wall time."""
    subprocess.run(command, capture_output=True, check=True)
    walls, cpus = [], []
    for _ in range(repeat):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        subprocess.run(command, capture_output=True, check=True)
        walls.append(time.perf_counter() - started)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return walls, cpus


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="vanthu-startup-bench-") as scratch:
        db = str(Path(scratch) / "samples.db")
        subprocess.run([VANTHU, "ingest", str(ROOT / "samples"), "--db", db, "-q"], check=True, capture_output=True)
        commands = [
            ("`python -c pass` (the interpreter alone)", [sys.executable, "-c", "pass"]),
            ("`vanthu --help`", [VANTHU, "--help"]),
            ("`vanthu deadlines --db samples.db`", [VANTHU, "deadlines", "--db", db]),
            ("`vanthu deadlines --db samples.db --responsible \"So TTTT\" --format csv`",
             [VANTHU, "deadlines", "--db", db, "--responsible", "So TTTT", "--format", "csv"]),
            ("`vanthu stats --db samples.db`", [VANTHU, "stats", "--db", db]),
            ("every module imported at once and the organization matcher built (as 0.1.0 started, without spaCy since 2026-12-02)",
             [sys.executable, "-c", EVERYTHING]),
        ]
        before = os.getloadavg()
        results = [(name, *timed(command, args.repeat)) for name, command in commands]
        after = os.getloadavg()
    print("## Start-up\n")
    print(f"`python bench/startup_bench.py --repeat {args.repeat}` (run by `make bench`) on {platform.machine()}, "
          f"{os.cpu_count()} CPUs, Python {platform.python_version()}; load average {before[0]:.1f} before, "
          f"{after[0]:.1f} after. Each command is a fresh process, timed from start to exit; target for "
          f"`--help` and `deadlines`: under {TARGET} s.\n")
    print("| command | wall, fastest | wall, median | CPU, least |")
    print("|---|---:|---:|---:|")
    for name, walls, cpus in results:
        print(f"| {name} | {min(walls):.2f} s | {statistics.median(walls):.2f} s | {min(cpus):.2f} s |")
    print("\nCommands import what they use when they run (`tests/test_startup.py` checks that `vanthu "
          "--help` and `vanthu deadlines` load no OCR, PDF, numpy, spaCy, Datasette, Alembic or Word "
          "library); a database at the current schema costs one query to check, Alembic is imported only "
          "to upgrade one. `vanthu deadlines` on an SQLite file at the current schema runs its query "
          "through the standard library's sqlite3 and imports no SQLAlchemy (its import alone is "
          "0.1-0.25 s here); `vanthu stats` and the other queries still go through SQLAlchemy.")


if __name__ == "__main__":
    main()
