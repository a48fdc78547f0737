"""Workbench benchmark: how fast the document page of a 10-page scan opens in a browser, and the
screenshots of the workbench kept in docs/.

    python bench/workbench_bench.py [--loads 10] [--shots docs]

Renders a 10-page dispatch (tests/scans.py: the samples' bodies laid out on A4 at 300 DPI, an
image-only PDF, as a scanner gives it), stores it with `vanthu ingest` (real OCR), with the
samples and two scans of one dispatch (one with an incoming-register stamp) around it, starts
`vanthu serve` with an empty cache, and opens the document page in Debian's headless Chromium
(Playwright): once cold (page images drawn from the PDF, the fields' spans found), then
`--loads` times warm, each in a new browser context (no browser cache: only the server's is
warm). Per load: the HTML's response, the page's load event (the record, the first pages and
their thumbnails shown; later pages load as they are scrolled to), and every page image and
thumbnail shown after scrolling through. Writes docs/workbench-queue.png and
docs/workbench-document.png. Prints Markdown.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from documents import generated_document  # noqa: E402
from scans import Degradation, layout_from_text, register_stamp, render_document, render_pages, save_pdf  # noqa: E402
from server_helpers import start_server, stop_server  # noqa: E402

VANTHU = str(Path(sys.executable).parent / "vanthu")
SAMPLES = ROOT / "samples"
PAGES = 10
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


def long_document(pages: int) -> str:
    """A dispatch whose body (the samples' body paragraphs, in turn) fills exactly `pages`
    A4 pages."""
    head = SAMPLES.joinpath("000_ee557d941187270d.txt").read_text("utf-8")
    layout = layout_from_text(head)
    paragraphs = [p for sample in sorted(SAMPLES.glob("0*.txt"))
                  for p in layout_from_text(sample.read_text("utf-8")).body if len(p) > 60]
    body: list[str] = []
    while True:
        candidate = layout.__class__(layout.header_left, layout.header_right,
                                     body + [paragraphs[len(body) % len(paragraphs)]],
                                     layout.footer_left, layout.footer_right)
        if len(render_pages(candidate)[0]) > pages:
            break
        body = candidate.body
    lines = layout.header_left + layout.header_right + body + layout.footer_left + layout.footer_right
    return "\n\n".join(lines)


def make_archive(folder: Path) -> tuple[Path, dict[str, int]]:
    text = long_document(PAGES)
    pages = render_document(text)
    assert len(pages) == PAGES, len(pages)
    save_pdf(pages, folder / "dai-10-trang.pdf")
    scan = render_document(generated_document(3))
    save_pdf([register_stamp(scan[0], ["CÔNG VĂN ĐẾN", "Số: 2352", "Ngày: 12/4/2024"], (354, 2700))],
             folder / "so-103-den.pdf")
    render_document(generated_document(3), how=Degradation(grey_paper=True, blur=0.6, seed=3))[0].save(
        folder / "so-103-ban-chup.png")
    db = folder / "vanban.db"
    files = [str(SAMPLES), str(folder / "dai-10-trang.pdf"), str(folder / "so-103-den.pdf"),
             str(folder / "so-103-ban-chup.png")]
    subprocess.run([VANTHU, "ingest", *files, "--db", str(db), "-q"], check=True, capture_output=True)
    import sqlite3

    with sqlite3.connect(db) as connection:
        ids = {Path(path).name: i for i, path in connection.execute("SELECT id, path FROM documents")}
    connection.close()
    return db, ids


LOAD_TIMES = """() => {
  const nav = performance.getEntriesByType("navigation")[0];
  return {html: nav.responseEnd - nav.startTime, load: nav.loadEventEnd - nav.startTime};
}"""
ALL_SHOWN = """async () => {
  const start = performance.getEntriesByType("navigation")[0].startTime;
  for (const img of document.querySelectorAll("img")) { img.loading = "eager"; }
  await Promise.all([...document.querySelectorAll("img")].map(img => img.decode()));
  return performance.now() - start;
}"""


def measure(browser, url: str) -> dict[str, float]:
    """One opening of `url` in a new context (nothing cached by the browser)."""
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    page.goto(url, wait_until="load")
    times = page.evaluate(LOAD_TIMES)
    times["all"] = page.evaluate(ALL_SHOWN)
    assert page.locator(".page img").count() == PAGES
    context.close()
    return times


def screenshots(browser, base: str, ids: dict[str, int], folder: Path) -> None:
    context = browser.new_context(viewport={"width": 1400, "height": 860}, locale="vi-VN")
    page = context.new_page()
    page.goto(base + "/")
    page.screenshot(path=str(folder / "workbench-queue.png"))
    page.goto(f"{base}/documents/{ids['so-103-den.pdf']}")
    page.evaluate(ALL_SHOWN)
    page.locator('#record-form [name="issuer"]').focus()
    page.wait_for_timeout(600)  # the smooth scroll to the highlighted value
    page.screenshot(path=str(folder / "workbench-document.png"))
    context.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--loads", type=int, default=10)
    parser.add_argument("--shots", type=Path, default=ROOT / "docs", help="Where the screenshots go.")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="vanthu-workbench-bench-") as scratch:
        folder = Path(scratch)
        started = time.monotonic()
        db, ids = make_archive(folder)
        ingest_seconds = time.monotonic() - started
        os.environ["XDG_CACHE_HOME"] = str(folder / "cache")  # the server starts with an empty cache
        process, base = start_server(db)
        try:
            url = f"{base}/documents/{ids['dai-10-trang.pdf']}"
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
                cold = measure(browser, url)
                warm = [measure(browser, url) for _ in range(args.loads)]
                screenshots(browser, base, ids, args.shots)
                browser.close()
        finally:
            stop_server(process)
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    print("## Workbench: the document page\n")
    print(f"Machine: {os.cpu_count()} CPUs ({cpu}) · {platform.platform()} · Chromium headless (Debian), Playwright.\n")
    print(f"Command: `python bench/workbench_bench.py --loads {args.loads}`. A {PAGES}-page image-only PDF "
          "(the samples' bodies rendered at 300 DPI by tests/scans.py) stored with `vanthu ingest` "
          f"({ingest_seconds:.0f} s with the samples and two one-page scans, OCR included), served by `vanthu serve` "
          "on the loopback; each load in a new browser context (nothing cached by the browser). *Load event*: the "
          "record with every field, the first three pages and their thumbnails shown (later pages load as they are "
          "scrolled to); *all shown*: every page image and thumbnail decoded.\n")
    print("| cache | loads | HTML (ms) | load event (ms) | all 10 pages shown (ms) |")
    print("|---|---:|---:|---:|---:|")
    print(f"| cold (first view: pages drawn from the PDF, fields' spans found) | 1 | {cold['html']:.0f} | "
          f"{cold['load']:.0f} | {cold['all']:.0f} |")
    for name, pick in (("warm, median", statistics.median), ("warm, slowest", max)):
        print(f"| {name} | {len(warm)} | {pick(w['html'] for w in warm):.0f} | {pick(w['load'] for w in warm):.0f} | "
              f"{pick(w['all'] for w in warm):.0f} |")
    print("\nScreenshots of this run: [the review queue](workbench-queue.png), "
          "[a document page](workbench-document.png) (the issuer's field focused: its value boxed on the page).")


if __name__ == "__main__":
    main()
