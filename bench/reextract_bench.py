"""Re-extraction benchmark: `vanthu reextract` over an archive whose records an older
extractor made.

    python bench/reextract_bench.py [--records 2000] [--batch 100]

Builds an SQLite archive of generated records (tests/documents.py) with `store.add_records`,
marks every record as made by extract-0.0, then times one `vanthu reextract` run in a fresh
process (interpreter and spaCy loading included) and a second one, which finds nothing to
do. Prints Markdown.
"""

from __future__ import annotations

import argparse
import os
import platform
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from documents import generated_record  # noqa: E402

from vanthu.extract import EXTRACTOR_VERSION  # noqa: E402
from vanthu.store import add_records, open_engine  # noqa: E402

VANTHU = str(Path(sys.executable).parent / "vanthu")


def timed(command: list[str]) -> tuple[float, int, str]:
    started = time.monotonic()
    result = subprocess.run(["/usr/bin/time", "-f", "%M", *command], capture_output=True, text=True)
    seconds = time.monotonic() - started
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed ({result.returncode}): {result.stderr}")
    return seconds, int(result.stderr.strip().splitlines()[-1]) // 1024, result.stdout.strip().splitlines()[-1]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--records", type=int, default=2000)
    parser.add_argument("--batch", type=int, default=100)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="vanthu-reextract-bench-") as scratch:
        db = Path(scratch) / "archive.db"
        add_records(open_engine(str(db)), (generated_record(i) for i in range(args.records)))
        with sqlite3.connect(db) as connection:
            connection.execute("UPDATE documents SET extractor_version = replace(extractor_version, ?, 'extract-0.0')",
                               (EXTRACTOR_VERSION,))
        connection.close()
        command = [VANTHU, "reextract", "--db", str(db), "--batch", str(args.batch), "-q"]
        first, first_mb, first_line = timed(command)
        second, _second_mb, second_line = timed(command)
    rate = args.records / first
    print("## Re-extraction\n")
    print(f"`python bench/reextract_bench.py --records {args.records} --batch {args.batch}` (run by `make bench`) on "
          f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}, load average "
          f"{os.getloadavg()[0]:.1f}. `vanthu reextract --batch {args.batch}` over {args.records:,} generated records "
          f"marked as made by an older extractor, in a fresh process; one process, one core.\n")
    print("| run | wall time | records/s | peak RSS | summary |")
    print("|---|---:|---:|---:|---|")
    print(f"| first | {first:.1f} s | {rate:.0f} | {first_mb} MB | {first_line.split(' (older')[0]} |")
    print(f"| second (nothing older left) | {second:.1f} s | | | {second_line.split(' (older')[0]} |")
    print(f"\nAt this rate a 100,000-record archive is derived again in about {100_000 / rate / 60:.0f} min, "
          "without reading a file or running OCR; a run stopped halfway is finished by running it again.")


if __name__ == "__main__":
    main()
