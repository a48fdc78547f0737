"""Inbox benchmark: a 500-file inbox of generated documents in one pass, then a second run
over the same (kept) inbox, which must store nothing new.

    python bench/inbox_bench.py [--files 500] [--jobs N]

Documents come from tests/documents.py (each a different công văn: number, date, units,
deadlines, a citation); 10% are born-digital PDFs with a text layer (fpdf2, DejaVu Serif).
Prints a Markdown report with the commands, the machine and the figures.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from documents import generated_document  # noqa: E402

VANTHU = Path(sys.executable).parent / "vanthu"
FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf")


def write_pdf(path: Path, text: str) -> None:
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.add_font("serif", fname=str(FONT))
    pdf.set_font("serif", size=11)
    pdf.add_page()
    for line in text.splitlines():
        pdf.multi_cell(0, 6, line or " ", new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(path))


def make_inbox(folder: Path, count: int) -> None:
    folder.mkdir(parents=True)
    for index in range(count):
        text = generated_document(index)
        if index % 10 == 9 and FONT.exists():
            write_pdf(folder / f"cv-{index:03d}.pdf", text)
        else:
            (folder / f"cv-{index:03d}.txt").write_text(text, encoding="utf-8")


def timed_run(inbox: Path, db: Path, jobs: int) -> tuple[dict, float, int]:
    command = ["/usr/bin/time", "-f", "%M", str(VANTHU), "inbox", str(inbox), "--db", str(db),
               "--keep", "--settle", "0", "--json", "--jobs", str(jobs)]
    started = time.monotonic()
    result = subprocess.run(command, capture_output=True, text=True, env={**os.environ, "OMP_THREAD_LIMIT": "1"})
    seconds = time.monotonic() - started
    if result.returncode not in (0, 1):
        raise SystemExit(f"inbox run failed ({result.returncode}): {result.stderr}")
    return json.loads(result.stdout), seconds, int(result.stderr.strip().splitlines()[-1]) // 1024


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--files", type=int, default=500)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="vanthu-inbox-bench-") as scratch:
        inbox, db = Path(scratch) / "inbox", Path(scratch) / "bench.db"
        make_inbox(inbox, args.files)
        first, first_s, first_mb = timed_run(inbox, db, args.jobs)
        second, second_s, second_mb = timed_run(inbox, db, args.jobs)
        stats = json.loads(subprocess.run([str(VANTHU), "stats", "--db", str(db), "--json"],
                                          capture_output=True, text=True, check=True).stdout)
    print("## Nightly inbox\n")
    print(f"`python bench/inbox_bench.py --files {args.files} --jobs {args.jobs}` (run by `make bench`) on "
          f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}. Each run is "
          f"`vanthu inbox INBOX --db DB --keep --settle 0 --json --jobs {args.jobs}` in a fresh process, "
          "timed from start to exit (interpreter and model loading included).\n")
    print("| run | files new | duplicate | failed | pages | wall time | per file | peak RSS |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for name, summary, seconds, rss in (("first (empty database)", first, first_s, first_mb),
                                        ("second (same inbox, kept)", second, second_s, second_mb)):
        print(f"| {name} | {summary['new']} | {summary['duplicate']} | {summary['failed']} | {summary['pages']} "
              f"| {seconds:.1f} s | {1000 * seconds / args.files:.0f} ms | {rss} MB |")
    print(f"\nDatabase afterwards: {stats['documents']} documents, {stats['pages']} pages, "
          f"{stats['deadlines']} deadlines, {stats['failed_files']} failed files. The second run "
          "reads no file again: a file whose path, size and modification time match a stored one "
          "is known without hashing; the target is under 5 s.")


if __name__ == "__main__":
    main()
