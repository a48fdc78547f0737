"""A mixed batch of real scans: vanthu with two workers against plain Tesseract, one page
after another, in wall time and CPU seconds.

    python bench/batch_real.py [--realdocs ../shared/realdocs] [--jobs 2]

The batch: real scans of one page and of several pages (REALDOCS/*/scans). Plain: every
page rendered by `pdftoppm -r 300` and read by `tesseract PAGE - -l vie` (OMP_THREAD_LIMIT=1),
one after another; its time is the Tesseract calls' alone. vanthu: `vanthu extract FILES
--jobs N --no-cache --json` (text layers, OCR, extraction and records of every page of every
file), one command, timed whole; CPU is the command's and all its children's.
Prints a Markdown section for docs/BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# One-page and several-page real scans, both kinds of source (national, provincial).
BATCH = ("national/scans/ttg_qd_707_2026.pdf", "national/scans/vpcp_cv_9703_2025.pdf",
         "national/scans/cp_nq_115_2026.pdf", "national/scans/huit_tb_1117_2023.pdf",
         "national/scans/vpcp_tb_536_2025.pdf", "qn/scans/qn_qd_89_2025.pdf",
         "qn/scans/qn_bc_280_2024.pdf", "qn/scans/qn_qd_51_2025.pdf")


def _children() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def plain(files: list[Path], work: Path) -> tuple[float, float, int]:
    """(wall seconds, CPU seconds, pages) of plain Tesseract over every page, in turn."""
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    pages = []
    for n, pdf in enumerate(files):
        prefix = work / f"f{n}"
        subprocess.run(["pdftoppm", "-r", "300", "-png", str(pdf), str(prefix)], check=True)
        pages += sorted(work.glob(f"f{n}-*.png"))
    wall, cpu = 0.0, 0.0
    for page in pages:
        started, before = time.perf_counter(), _children()
        subprocess.run(["tesseract", str(page), "-", "-l", "vie"], capture_output=True, env=env, check=True)
        wall += time.perf_counter() - started
        cpu += _children() - before
    return wall, cpu, len(pages)


def vanthu(files: list[Path], jobs: int) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of one `vanthu extract` over the batch."""
    command = [str(Path(sys.executable).with_name("vanthu")), "extract", *map(str, files),
               "--jobs", str(jobs), "--no-cache", "--json"]
    started, before = time.perf_counter(), _children()
    subprocess.run(command, capture_output=True, check=False)
    return time.perf_counter() - started, _children() - before


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--realdocs", type=Path, default=ROOT.parent / "shared" / "realdocs")
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    files = [args.realdocs / name for name in BATCH if (args.realdocs / name).is_file()]
    with tempfile.TemporaryDirectory(prefix="vanthu-batch-") as work:
        plain_wall, plain_cpu, pages = plain(files, Path(work))
    ours_wall, ours_cpu = vanthu(files, args.jobs)
    print(f"### A mixed batch of real scans, {len(files)} files, {pages} pages (`bench/batch_real.py`)\n")
    print("| run | wall s | CPU s | CPU s/page | wall vs plain |")
    print("|---|---:|---:|---:|---:|")
    print(f"| plain `tesseract -l vie`, page after page | {plain_wall:.1f} | {plain_cpu:.1f} | "
          f"{plain_cpu / pages:.2f} | 1.00 |")
    print(f"| `vanthu extract --jobs {args.jobs} --no-cache` (text layers, OCR, records) | {ours_wall:.1f} | "
          f"{ours_cpu:.1f} | {ours_cpu / pages:.2f} | {ours_wall / plain_wall:.2f} |")
    print(f"\nCPU per page, vanthu against plain: {ours_cpu / plain_cpu:.2f}×. Files: "
          + ", ".join(f.name for f in files) + ".")


if __name__ == "__main__":
    main()
