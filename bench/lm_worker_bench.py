"""Language model load time and the memory of one OCR worker.

    python bench/lm_worker_bench.py [--runs N]

- model load: `SyllableLM.load()` (memory-mapping `models/syllables.lm`) plus its first
  `sequence_logprob`, in a fresh process each run (imports not counted); the median of N runs.
- OCR worker: a fresh process that reads one rendered page of sample 000 (300 DPI PNG,
  degraded as in tests/scans.py) the way a worker does (`read_document`, one job, no cache,
  so OCR, layout and the language model's votes all run in that process); its peak RSS
  (VmHWM; Tesseract runs in its own child process and is not counted); the same for each
  one-page real scan of ../shared/realdocs (a PDF, rendered at 300 DPI), the largest and the
  median; and what the language model adds to a process's RSS when it scores many lines.
Prints a Markdown section.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REALDOCS = ROOT.parent / "shared" / "realdocs"
sys.path.insert(0, str(ROOT / "tests"))

from scans import DEGRADED, render_document  # noqa: E402

LOAD = """
import time
from vanthu.ingest.lm import SyllableLM, model_path
path = model_path()
started = time.perf_counter()
lm = SyllableLM.load(path)
lm.sequence_logprob("chuyển đổi số quốc gia".split())
print(time.perf_counter() - started)
"""

# Peak RSS from /proc/self/status (VmHWM, this process image's own high-water mark):
# ru_maxrss would carry over the peak of the parent that forked it.
WORKER = """
import sys
from pathlib import Path
from vanthu.ingest import read_document
from vanthu.ingest.models import OcrOptions
document = read_document(Path(sys.argv[1]), OcrOptions(jobs=1, cache_dir=None))
assert len(document.text) > 200, document.text
status = Path("/proc/self/status").read_text()
print(int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmHWM:"))) / 1024)
"""


SHARE = """
from pathlib import Path
def rss():
    status = Path("/proc/self/status").read_text()
    return int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmRSS:"))) / 1024
import vanthu.ingest
from vanthu.ingest.lm import default_model
before = rss()
lm = default_model()
for line in Path("samples/001_3c09d191f023b9d0.txt").read_text("utf-8").splitlines():
    words = line.split()
    for k in range(len(words)):
        lm.sequence_logprob(words[:k] + [w.upper() for w in words[k:k + 1]] + words[k + 1:])
print(rss() - before)
"""


def worker_peak(path: Path) -> float:
    """Peak RSS in MB of a fresh process reading `path` as a worker does."""
    return float(subprocess.run([sys.executable, "-c", WORKER, str(path)], check=True, capture_output=True,
                                text=True).stdout)


def one_page_scans() -> list[Path]:
    import pypdfium2 as pdfium

    scans = []
    for path in sorted(REALDOCS.glob("*/scans/*.pdf")):
        document = pdfium.PdfDocument(str(path))
        if len(document) == 1:
            scans.append(path)
        document.close()
    return scans


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    loads = [float(subprocess.run([sys.executable, "-c", LOAD], check=True, capture_output=True,
                                  text=True).stdout) for _ in range(args.runs)]
    text = (ROOT / "samples" / "000_ee557d941187270d.txt").read_text("utf-8")
    with tempfile.TemporaryDirectory() as folder:
        page = Path(folder) / "page.png"
        render_document(text, how=DEGRADED)[0].save(page, dpi=(300, 300))
        rss = worker_peak(page)
    real = [worker_peak(scan) for scan in one_page_scans()]
    share = float(subprocess.run([sys.executable, "-c", SHARE], check=True, capture_output=True,
                                 text=True, cwd=ROOT).stdout)
    print("## Language model in workers\n")
    print("Measured by `make bench` (`python bench/lm_worker_bench.py`) on this machine.\n")
    print("| measure | result | target |\n|---|---:|---:|")
    print(f"| model load (memory map + first lookup), median of {args.runs} fresh processes "
          f"| {statistics.median(loads) * 1000:.0f} ms | ≤ 100 ms |")
    print(f"| peak RSS of one OCR worker (one degraded page of sample 000, OCR + layout + "
          f"language model; Tesseract's own process not counted) | {rss:.0f} MB | < 150 MB |")
    if real:
        print(f"| peak RSS of one OCR worker on each of the {len(real)} one-page real scans of ../shared/realdocs "
              f"(PDF pages drawn at 300 DPI): largest / median | {max(real):.0f} / {statistics.median(real):.0f} MB "
              f"| < 150 MB |")
    print(f"| of which the language model: RSS added by loading it and scoring every line of sample 001 "
          f"word by word (`sequence_logprob`; mapped pages, shared between workers) | {share:.0f} MB | |")


if __name__ == "__main__":
    main()
