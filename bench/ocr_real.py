"""OCR on real scans: vanthu against plain Tesseract, page by page, in CER and CPU seconds.

    python bench/ocr_real.py [--realdocs ../shared/realdocs] [--only SLUG ...] [--reuse-plain]

Pages: page 1 of every real scan that has a reading-order transcription made by a person
from the page image: `REALDOCS/national/text/*.p1.txt` (from the nom-vn benchmark) and
`bench/transcripts/*.p1.txt` (made for this project, see its README).

- plain: `pdftoppm -r 300` then `tesseract PAGE.png - -l vie` (OMP_THREAD_LIMIT=1); its CPU
  is the Tesseract call alone.
- vanthu: the page read as `vanthu` reads it (text layer for stamps, render, clean, OCR,
  reading order) in this process; its CPU is this process's plus its children's, the
  language model already loaded (loaded once per worker, it is measured apart).
CER = edit distance / reference length, on NFC text with whitespace runs collapsed.
Prints a Markdown section for docs/BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from statistics import mean

from rapidfuzz.distance import Levenshtein

ROOT = Path(__file__).resolve().parent.parent
TRANSCRIPTS = ROOT / "bench" / "transcripts"
PLAIN_CACHE = ROOT / "build" / "bench-plain"


def normalized(text: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip()


def cer(reference: str, hypothesis: str) -> float:
    reference, hypothesis = normalized(reference), normalized(hypothesis)
    return Levenshtein.distance(reference, hypothesis) / max(1, len(reference))


@dataclass(frozen=True)
class Page:
    slug: str
    pdf: Path
    reference: Path


def real_pages(realdocs: Path) -> list[Page]:
    pages = []
    for reference in sorted([*(realdocs / "national" / "text").glob("*.p1.txt"), *TRANSCRIPTS.glob("*.p1.txt")]):
        slug = reference.name.removesuffix(".p1.txt")
        scans = [p for p in realdocs.glob(f"*/scans/{slug}.pdf")]
        if scans:
            pages.append(Page(slug, scans[0], reference))
    return pages


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def plain_tesseract(page: Page, work: Path, reuse: bool) -> tuple[str, float]:
    """Plain Tesseract's text of page 1 and the CPU seconds of the Tesseract call."""
    cached = PLAIN_CACHE / f"{page.slug}.json"
    if reuse and cached.is_file():
        data = json.loads(cached.read_text("utf-8"))
        return data["text"], data["cpu"]
    png = work / f"{page.slug}-1.png"
    subprocess.run(["pdftoppm", "-r", "300", "-png", "-f", "1", "-l", "1", "-singlefile",
                    str(page.pdf), str(png.with_suffix(""))], check=True)
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    before = _children_cpu()
    result = subprocess.run(["tesseract", str(png), "-", "-l", "vie"], capture_output=True,
                            env=env, check=True)
    cpu = _children_cpu() - before
    text = result.stdout.decode("utf-8")
    PLAIN_CACHE.mkdir(parents=True, exist_ok=True)
    cached.write_text(json.dumps({"text": text, "cpu": cpu}, ensure_ascii=False), "utf-8")
    return text, cpu


def vanthu_page(page: Page) -> tuple[str, float, list[str]]:
    """vanthu's text of page 1, the CPU seconds it took, and the regions it set apart."""
    from vanthu.ingest.ocr import ocr_image
    from vanthu.ingest.pdf import render_page, text_layers

    started, children = time.process_time(), _children_cpu()
    layer = text_layers(page.pdf)[0]
    image, dpi = render_page(page.pdf, 0, 120_000_000)
    masks = [tuple(round(v * dpi / 72) for v in stamp.box) for stamp in layer.stamps]
    result = ocr_image(image, dpi, "vie", 180, masks)
    cpu = time.process_time() - started + _children_cpu() - children
    regions = [f"{r.kind}" for r in result.regions if r.kind != "noise"] + [f"{s.kind} (text layer)" for s in layer.stamps]
    return result.text, cpu, regions


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--realdocs", type=Path, default=ROOT.parent / "shared" / "realdocs")
    parser.add_argument("--only", nargs="*", help="slugs to run (default: all)")
    parser.add_argument("--reuse-plain", action="store_true",
                        help="reuse plain Tesseract results from build/bench-plain (development)")
    parser.add_argument("--save", type=Path, help="write each page's vanthu text into this folder")
    args = parser.parse_args()
    pages = [p for p in real_pages(args.realdocs) if not args.only or p.slug in args.only]
    if not pages:
        sys.exit(f"no transcribed real pages under {args.realdocs}")

    from vanthu.ingest.lm import default_model
    started = time.perf_counter()
    default_model()
    load = time.perf_counter() - started

    rows = []
    with tempfile.TemporaryDirectory(prefix="vanthu-ocr-real-") as work:
        for page in pages:
            reference = page.reference.read_text("utf-8")
            plain_text, plain_cpu = plain_tesseract(page, Path(work), args.reuse_plain)
            text, cpu, regions = vanthu_page(page)
            if args.save:
                args.save.mkdir(parents=True, exist_ok=True)
                (args.save / f"{page.slug}.txt").write_text(text, "utf-8")
            rows.append((page, cer(reference, plain_text), cer(reference, text), plain_cpu, cpu, regions))
            print(f"{page.slug}: plain {rows[-1][1]:.2%} vanthu {rows[-1][2]:.2%} "
                  f"cpu {plain_cpu:.2f}/{cpu:.2f}", file=sys.stderr, flush=True)

    print("### Real scans: page 1 against a person's transcription (`bench/ocr_real.py`)\n")
    print("| page | plain CER | vanthu CER | ratio | plain CPU s | vanthu CPU s | CPU ratio | set apart |")
    print("|---|---:|---:|---:|---:|---:|---:|---|")
    for page, plain, ours, plain_cpu, cpu, regions in rows:
        print(f"| {page.slug} | {plain:.2%} | {ours:.2%} | {ours / plain if plain else 0:.2f} | "
              f"{plain_cpu:.2f} | {cpu:.2f} | {cpu / plain_cpu if plain_cpu else 0:.2f} | "
              f"{', '.join(sorted(set(regions))) or '—'} |")
    plain_mean, ours_mean = mean(r[1] for r in rows), mean(r[2] for r in rows)
    plain_cpu, ours_cpu = sum(r[3] for r in rows), sum(r[4] for r in rows)
    worse = [r[0].slug for r in rows if r[2] > r[1]]
    print(f"| **mean ({len(rows)} pages)** | **{plain_mean:.2%}** | **{ours_mean:.2%}** | "
          f"**{ours_mean / plain_mean:.2f}** | {plain_cpu:.1f} | {ours_cpu:.1f} | **{ours_cpu / plain_cpu:.2f}** | |")
    nom = [r for r in rows if r[0].reference.parent.name == "text"]
    if nom:
        nom_plain, nom_ours = mean(r[1] for r in nom), mean(r[2] for r in nom)
        print(f"\nThe five nom-vn pages (`realdocs/national/text/`): plain {nom_plain:.2%}, vanthu "
              f"{nom_ours:.2%}, ratio {nom_ours / nom_plain:.2f}.")
    print(f"\nPages where vanthu is worse than plain Tesseract: {', '.join(worse) or 'none'}. "
          f"Language model load (once per worker process, not in the CPU column): {load:.2f} s.")


if __name__ == "__main__":
    main()
