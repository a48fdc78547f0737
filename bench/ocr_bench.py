"""OCR benchmark: accuracy (CER) and speed of vanthu against plain Tesseract (and OCRmyPDF).

    python bench/ocr_bench.py [--out DIR] [--jobs N]

Renders samples 000, 001, 002, 004 with tests/scans.py (clean; degraded with blur, speckle,
1.5° skew, JPEG q40, grey paper and a red seal; degraded and rotated 90°/180°), then:
- CER of `vanthu` and of plain `tesseract -l vie` (pdftoppm -r 300, one call per page,
  default page segmentation) against the laid-out source text;
- wall time of one `vanthu extract` run over the clean + degraded PDFs (no cache) against
  the same pages through sequential plain Tesseract, and `ocrmypdf -l vie --sidecar` when
  installed; then a second vanthu run on the unchanged files (cache);
- peak memory (max RSS, /usr/bin/time) of the vanthu run.
Prints a Markdown report.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from scans import (DEGRADED, Degradation, cer, layout_from_text, normalize_for_cer,  # noqa: E402
                   reference_text, render_document, save_pdf)

SAMPLES = ["000_ee557d941187270d", "001_3c09d191f023b9d0", "002_4c264a809eab9d5c", "004_89a0b78238afcc72"]
VARIANTS = {"clean": Degradation(), "degraded": DEGRADED,
            "rotated 90": Degradation(**{**DEGRADED.__dict__, "rotate": 90}),
            "rotated 180": Degradation(**{**DEGRADED.__dict__, "rotate": 180})}
VANTHU = Path(sys.executable).parent / "vanthu"
ONE_THREAD = {**os.environ, "OMP_THREAD_LIMIT": "1"}


def render_all(out: Path) -> dict[str, list[tuple[Path, str]]]:
    """variant -> [(pdf, reference text)]"""
    made: dict[str, list[tuple[Path, str]]] = {}
    for variant, how in VARIANTS.items():
        folder = out / variant.replace(" ", "")
        folder.mkdir(parents=True, exist_ok=True)
        for stem in SAMPLES:
            text = (ROOT / "samples" / f"{stem}.txt").read_text("utf-8")
            pdf = folder / f"{stem}.pdf"
            save_pdf(render_document(text, 300, how), pdf)
            made.setdefault(variant, []).append((pdf, reference_text(layout_from_text(text))))
    return made


def character_bag_error(hypothesis: str, reference: str) -> float:
    """Order-free error: characters missing or extra, ignoring where they stand.

    A lower bound of CER that does not punish reading order, so plain Tesseract's character
    recognition can be compared apart from its layout analysis.
    """
    from collections import Counter

    hyp, ref = (Counter(normalize_for_cer(t).replace(" ", "")) for t in (hypothesis, reference))
    return sum(((hyp - ref) + (ref - hyp)).values()) / 2 / max(1, sum(ref.values()))


def plain_tesseract(pdf: Path, work: Path) -> str:
    """What a user's script does: rasterize at 300 DPI, `tesseract page.png - -l vie` per page."""
    prefix = work / pdf.stem
    subprocess.run(["pdftoppm", "-r", "300", "-png", str(pdf), str(prefix)], check=True)
    pages = sorted(work.glob(f"{pdf.stem}-*.png"))
    texts = [subprocess.run(["tesseract", str(p), "-", "-l", "vie"], capture_output=True, text=True,
                            env=ONE_THREAD, check=True).stdout for p in pages]
    for page in pages:
        page.unlink()
    return "\n".join(texts)


def vanthu_text(pdf: Path, cache: Path) -> str:
    env = {**os.environ, "XDG_CACHE_HOME": str(cache)}
    return subprocess.run([str(VANTHU), "text", str(pdf)], capture_output=True, text=True, env=env,
                          check=True).stdout


def timed(command: list[str], env: dict[str, str]) -> tuple[float, int]:
    """Wall seconds and peak RSS (kB) of a command."""
    start = time.perf_counter()
    result = subprocess.run(["/usr/bin/time", "-f", "%M", *command], capture_output=True, text=True,
                            env=env, check=False)
    seconds = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed: {result.stderr[-500:]}")
    rss = int(re.findall(r"^(\d+)$", result.stderr, re.MULTILINE)[-1])
    return seconds, rss


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    out = args.out or Path(tempfile.mkdtemp(prefix="vanthu-bench-"))
    cache = out / "cache"
    shutil.rmtree(cache, ignore_errors=True)
    work = out / "work"
    work.mkdir(parents=True, exist_ok=True)
    made = render_all(out)
    print("# Benchmarks\n\nWritten by `make bench` (`bench/ocr_bench.py`, `ocr_real.py`, `batch_real.py`, "
          "`eval_real.py`, `restore_eval.py`, `lm_worker_bench.py`, `inbox_bench.py`, `limits_bench.py`, "
          "`query_bench.py`, `startup_bench.py`, `reextract_bench.py`, `scaling_bench.py`, `workbench_bench.py`, "
          "each section saying its command and what it was measured on); numbers from one run of each, on a "
          "machine running nothing else.\n\n"
          "**What the figures are measured on.** Accuracy claims rest on real documents: the real scans of "
          "`../shared/realdocs` (26 scans with gold records, page 1 of 18 of them transcribed by a person: "
          "the five of nom-vn's `vn_documents_ocr_v2` set and 13 made for this project, see "
          "`bench/transcripts/README.md`). The project's own renders of its samples (the first section) "
          "measure mechanics (reading order, degradations, cache), not accuracy on real dispatches; the "
          "inbox, limits, query, start-up, re-extraction, scaling and workbench figures use generated "
          "documents, as they measure speed and robustness.\n")
    print(f"## OCR\n\nMachine: {platform.node()} · {os.cpu_count()} CPUs · "
          f"{platform.platform()} · {subprocess.run(['tesseract', '--version'], capture_output=True, text=True).stdout.splitlines()[0]}\n")

    # Speed first, on an empty cache, over clean + degraded PDFs in one run.
    batch = out / "batch"
    batch.mkdir(exist_ok=True)
    for variant in ("clean", "degraded"):
        for pdf, _ in made[variant]:
            shutil.copy(pdf, batch / f"{variant}-{pdf.name}")
    pages = sum(int(re.search(rb"/Count (\d+)", p.read_bytes()).group(1)) for p in batch.glob("*.pdf"))
    env = {**os.environ, "XDG_CACHE_HOME": str(cache)}
    first, rss = timed([str(VANTHU), "extract", str(batch), "--json", "--jobs", str(args.jobs)], env)
    second, _ = timed([str(VANTHU), "extract", str(batch), "--json", "--jobs", str(args.jobs)], env)
    start = time.perf_counter()
    for pdf in sorted(batch.glob("*.pdf")):
        plain_tesseract(pdf, work)
    plain = time.perf_counter() - start
    ocrmypdf = None
    if shutil.which("ocrmypdf"):
        start = time.perf_counter()
        for pdf in sorted(batch.glob("*.pdf")):
            subprocess.run(["ocrmypdf", "-l", "vie", "--sidecar", str(work / "side.txt"),
                            str(pdf), str(work / "out.pdf")], capture_output=True, check=True)
        ocrmypdf = time.perf_counter() - start

    print(f"### Speed: {len(list(batch.glob('*.pdf')))} PDFs, {pages} pages (clean + degraded), {args.jobs} jobs\n")
    print("| run | seconds | s/page | vs plain |\n|---|---:|---:|---:|")
    print(f"| plain `tesseract -l vie`, sequential (pdftoppm + 1 call/page, OMP_THREAD_LIMIT=1) | {plain:.1f} | {plain / pages:.2f} | 1.00× |")
    if ocrmypdf is not None:
        print(f"| `ocrmypdf -l vie --sidecar` (its default jobs: all CPUs) | {ocrmypdf:.1f} | {ocrmypdf / pages:.2f} | {plain / ocrmypdf:.2f}× |")
    else:
        print("| `ocrmypdf` | not installed | | |")
    print(f"| `vanthu extract --jobs {args.jobs}`, empty cache | {first:.1f} | {first / pages:.2f} | {plain / first:.2f}× |")
    print(f"| `vanthu extract`, second run (unchanged files, cache) | {second:.2f} | {second / pages:.3f} | {plain / second:.1f}× |")
    print(f"\nCache speed-up, second run over first: {first / second:.1f}×. "
          f"Peak RSS of the vanthu run (largest process): {rss / 1024:.0f} MB.\n")

    print("### Accuracy: character error rate against the laid-out source text\n")
    print("CER = edit distance / reference length, whitespace collapsed. *Order-free* counts only "
          "characters missing or extra, wherever they stand: it shows plain Tesseract's character "
          "recognition apart from its reading order (it interleaves the two header columns).\n")
    print("| render | sample | pages | plain CER | plain order-free | vanthu CER | vanthu order-free |\n"
          "|---|---|---:|---:|---:|---:|---:|")
    for variant, items in made.items():
        rows = []
        for pdf, ref in items:
            plain, ours = plain_tesseract(pdf, work), vanthu_text(pdf, cache)
            row = (cer(plain, ref), character_bag_error(plain, ref), cer(ours, ref), character_bag_error(ours, ref))
            rows.append(row)
            n = int(re.search(rb"/Count (\d+)", pdf.read_bytes()).group(1))
            print(f"| {variant} | {pdf.stem[:3]} | {n} | " + " | ".join(f"{v:.2%}" for v in row) + " |")
        worst = [max(r[i] for r in rows) for i in range(4)]
        print(f"| **{variant}** | **worst** | | " + " | ".join(f"**{v:.2%}**" for v in worst) + " |")
    print(f"""
Notes:
- Renders: `tests/scans.py` lays each sample out as a dispatch (two-column header and closing,
  TeX Gyre Termes 12-13 pt, A4, 300 DPI). *Degraded*: grey paper, Gaussian blur (1 px), 0.2 %
  speckle, 1.5° skew, JPEG quality 40, a red seal over the signature. *Rotated*: degraded, then
  turned 90° or 180°.
- The reference is the sample text as laid out, read column by column (left header column,
  right header column, body, "Nơi nhận", signature), whitespace collapsed.
- Plain Tesseract is timed sequentially with OMP_THREAD_LIMIT=1 (faster than unthrottled on
  this machine); vanthu runs {args.jobs} worker processes, each Tesseract with
  OMP_THREAD_LIMIT=1. OCRmyPDF runs with its defaults (all CPUs, PDF/A output).
- vanthu reads the header and closing columns again as crops at up to three sizes, so it makes
  more Tesseract calls per page than plain Tesseract and still finishes first on 2 cores.

Renders and cache kept in {out}.""")


if __name__ == "__main__":
    main()
