"""Limits benchmark: the bombs and hostile files of issue 14 through `vanthu inbox` with its
default limits, the worst memory each run reached against its cap, and the time it took;
then the search snippets with tens of thousands of matches, and `vanthu serve` under
`hex(zeroblob(4e8))`.

    python bench/limits_bench.py

Every case is a fresh inbox and database in a temporary folder and a fresh `vanthu inbox`
process; peak memory is the largest resident set of that process or any process it started
(workers, Tesseract), as `wait4` reports it. Prints a Markdown section.
"""

from __future__ import annotations

import json
import os
import platform
import random
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from PIL import Image  # noqa: E402

from documents import generated_document  # noqa: E402
from inbox_helpers import VANTHU, inbox_run, vanthu  # noqa: E402
from scans import layout_from_text, render_pages, save_tiff  # noqa: E402
from test_inbox_fuzz import PER_KIND, SEED, mutate, seeds  # noqa: E402
from test_limits import one_page_pdf  # noqa: E402

from vanthu.ingest import OcrOptions  # noqa: E402

MB = 1_000_000
DEFAULTS = OcrOptions.model_fields


@dataclass
class Case:
    name: str
    what: str
    make: Callable[[Path], None]
    options: tuple[str, ...] = ()


def huge_page(inbox: Path) -> None:
    one_page_pdf(inbox / "huge.pdf", 14400, 14400, b"CONG VAN 12", 1200)


def wide_png(inbox: Path) -> None:
    page = render_pages(layout_from_text(generated_document(2)), dpi=120)[0][0]
    canvas = Image.new("L", (8000, 8000), 255)
    canvas.paste(page, (0, 0))
    canvas.save(inbox / "wide.png", dpi=(120, 120))


def pixel_bomb(inbox: Path) -> None:
    Image.new("1", (9000, 9000), 1).save(inbox / "bomb.png")


def thick_pdf(inbox: Path) -> None:
    import pikepdf

    pdf = pikepdf.new()
    for number in range(2000):
        pdf.add_blank_page(page_size=(595, 842))
        pdf.pages[-1].Contents = pdf.make_stream(b"0 0 0 rg %d %d 40 40 re f" % (number % 500, number // 4))
    pdf.save(inbox / "thick.pdf")


def garbage_text(inbox: Path) -> None:
    rng = random.Random(14)
    line = " ".join(rng.choices(["chuyển", "đổi", "số", "xyzzy", "17/2023", "Sở"], k=4000)) + "\n"
    with (inbox / "dump.txt").open("w", encoding="utf-8") as handle:
        while handle.tell() < 200 * MB:
            handle.write(line)


def a3_scan(inbox: Path) -> None:
    page = render_pages(layout_from_text(generated_document(3)), dpi=600)[0][0].convert("RGB")
    sheet = Image.new("RGB", (7016, 9921), "white")  # A3 at 600 DPI: 70 Mpx, the largest page allowed
    sheet.paste(page, (0, 0))
    sheet.save(inbox / "a3.png", dpi=(600, 600))


def memory_hog(inbox: Path) -> None:
    page = render_pages(layout_from_text(generated_document(4)))[0][0].convert("RGB")
    big = Image.new("RGB", (8000, 8000), "white")
    big.paste(page, (0, 0))
    big.save(inbox / "big.png", dpi=(300, 300))


def slow_tiff(inbox: Path) -> None:
    pages = [p for i in (2, 3) for p in render_pages(layout_from_text(generated_document(i)))[0]]
    save_tiff(pages, inbox / "slow.tif")


def fuzz(inbox: Path) -> None:
    rng = random.Random(SEED)
    for kind, data in seeds().items():
        for index in range(PER_KIND):
            (inbox / f"{kind}-{index:03d}.{kind}").write_bytes(mutate(data, rng))


CASES = [
    Case("huge-page PDF", "one 14,400 x 14,400 pt page (200 x 200 in)", huge_page),
    Case("120 DPI PNG", "8000 x 8000 px (64 Mpx) stating 120 DPI: 400 Mpx if enlarged to 300 DPI", wide_png),
    Case("pixel bomb", "9000 x 9000 px (81 Mpx) PNG", pixel_bomb),
    Case("2,000 pages", "PDF of 2,000 distinct pages", thick_pdf),
    Case("200 MB text", "200 MB of garbage text", garbage_text),
    Case("A3 at 600 DPI", "a real dispatch on an A3 sheet scanned at 600 DPI (70 Mpx): the largest page allowed",
         a3_scan),
    Case("memory hog", "8000 x 8000 px RGB page with `--max-memory-mb 1000 --max-pixels 70000000`", memory_hog,
         ("--max-memory-mb", "1000", "--max-pixels", "70000000")),
    Case("slow scan", "2-page TIFF scan with `--max-seconds 2`", slow_tiff, ("--max-seconds", "2")),
    Case("fuzz", f"{4 * PER_KIND} damaged PDFs, PNGs, JPEGs and TIFFs (tests/test_inbox_fuzz.py), `--jobs 2`",
         fuzz, ("--jobs", "2", "--max-seconds", "60")),
]


def outcome(run) -> str:
    if run.returncode not in (0, 1):
        return f"exit {run.returncode}: {run.stderr.strip()[-200:]}"
    summary = json.loads(run.stdout)
    if summary["failed"] > 1 or summary["new"] > 1:
        return f"{summary['new']} stored, {summary['failed']} failed"
    if summary["failed"]:
        return "failed: " + run.errors()[0].split(": ", 3)[3]
    return "stored"


def run_case(case: Case, scratch: Path) -> tuple[str, float, float, str, str]:
    inbox = scratch / case.name.replace(" ", "-") / "inbox"
    inbox.mkdir(parents=True)
    case.make(inbox)
    size = sum(p.stat().st_size for p in inbox.iterdir())
    started = time.monotonic()
    result = inbox_run(inbox, inbox.parent / "v.db", "--no-cache", "--json", *case.options, timeout=3600)
    seconds = time.monotonic() - started
    given = dict(zip(case.options[::2], case.options[1::2]))
    cap = given.get("--max-memory-mb", str(DEFAULTS["max_memory"].default // MB))
    shown = f"{size / 1000:,.0f} KB" if size < 10 * MB else f"{size / MB:,.0f} MB"
    return shown, seconds, result.peak_mb, outcome(result), f"{int(cap):,} MB"


def search_times(scratch: Path) -> list[tuple[int, str, float]]:
    found = []
    for matches in (20_000, 40_000):
        folder = scratch / f"search-{matches}"
        folder.mkdir()
        body = "Về chuyển đổi số và thực hiện chuyển đổi số.\n" * (matches // 2)
        (folder / "many.txt").write_text(generated_document(1).replace("Đề nghị các đơn vị", body + "Đề nghị"),
                                         encoding="utf-8")
        db = folder / "v.db"
        vanthu(["ingest", str(folder / "many.txt"), "--db", str(db), "-q"])
        for query in ('"chuyen doi so"', "c*"):
            started = time.monotonic()
            vanthu(["search", query, "--db", str(db), "--format", "json"], timeout=600)
            found.append((matches, query, time.monotonic() - started))
    return found


def serve_peak(scratch: Path) -> tuple[float, str]:
    db = scratch / "serve.db"
    vanthu(["ingest", str(ROOT / "samples"), "--db", str(db), "-q"])
    port = 8900 + os.getpid() % 90
    with open(scratch / "serve.log", "w") as log:
        process = subprocess.Popen([str(VANTHU), "serve", "--db", str(db), "--port", str(port), "--allow-sql"],
                                   stdout=log, stderr=subprocess.STDOUT)
    try:
        base = f"http://127.0.0.1:{port}/datasette"  # Datasette is mounted under the workbench
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/-/versions.json", timeout=5).read()
                break
            except OSError:
                time.sleep(0.3)
        query = urllib.parse.urlencode({"sql": "select hex(zeroblob(400000000))"})
        try:
            answer = json.loads(urllib.request.urlopen(f"{base}/serve.json?{query}", timeout=60).read())["error"]
        except urllib.error.HTTPError as err:
            answer = json.loads(err.read())["error"]
        answer = answer or "answered"
        status = dict(line.split(":", 1) for line in Path(f"/proc/{process.pid}/status").read_text().splitlines())
        return int(status["VmHWM"].split()[0]) / 1024, answer
    finally:
        process.terminate()
        process.wait(10)


def main() -> None:
    load = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="vanthu-limits-bench-") as folder:
        scratch = Path(folder)
        os.environ.setdefault("VANTHU_STATE_DIR", str(scratch / "state"))
        rows = [(case, *run_case(case, scratch)) for case in CASES]
        searches = search_times(scratch)
        serve_mb, serve_answer = serve_peak(scratch)
    print("## Limits: bombs and hostile files\n")
    print(f"`python bench/limits_bench.py` (run by `make bench`) on {platform.machine()}, {os.cpu_count()} CPUs, "
          f"Python {platform.python_version()}, load average {load:.1f} at the start. Each case is one "
          "`vanthu inbox INBOX --db DB --settle 0 --jobs 1 --no-cache --json` in a fresh process with "
          "the default limits unless the case says otherwise; "
          "*peak* is the largest resident set of that process or any it started (workers, Tesseract), "
          "from `wait4`. The same files are made by tests/test_limits.py and tests/test_inbox_fuzz.py, "
          "which assert that each stays under its cap.\n")
    print("Default limits (`vanthu inbox --help`; each also an environment variable): "
          f"{DEFAULTS['max_pixels'].default:,} pixels per page at every step (`--max-pixels`), "
          f"{DEFAULTS['max_pages'].default} pages per file (`--max-pages`), "
          f"{DEFAULTS['max_text_bytes'].default / MB:g} MB per text file (`--max-text-mb`), "
          f"{DEFAULTS['max_seconds'].default:g} s per file (`--max-seconds`; each Tesseract call also "
          f"within {DEFAULTS['page_timeout'].default:g} s), "
          f"{DEFAULTS['max_memory'].default // MB} MB of address space per worker process (`--max-memory-mb`).\n")
    print("| case | file | size | outcome | wall time | peak | cap |")
    print("|---|---|---:|---|---:|---:|---:|")
    for case, size, seconds, peak, result, cap in rows:
        print(f"| {case.name} | {case.what} | {size} | {result} | {seconds:.1f} s | {peak:,.0f} MB | {cap} |")
    worst = max(rows, key=lambda row: row[3])
    print(f"\nWorst memory seen: {worst[3]:,.0f} MB ({worst[0].name}), under its cap of {worst[5]}. "
          "Time limits: a file is failed as too long at `--max-seconds` by an alarm in its worker "
          "(Tesseract is killed with it); a worker stuck in C code past that plus 30 s is killed by the parent.\n")
    print("Search snippets (`vanthu search QUERY --format json` on one document with N matches; on main "
          "before issue 14, snippets took quadratic time: 25 s for 20,000 matches, 94 s for 40,000, as the "
          "issue reports):\n")
    print("| matches | query | wall time |")
    print("|---:|---|---:|")
    for matches, query, seconds in searches:
        print(f"| {matches:,} | `{query}` | {seconds:.1f} s |")
    print(f"\n`vanthu serve --allow-sql` (Datasette at /datasette/) asked for `select hex(zeroblob(400000000))`: \"{serve_answer}\"; the "
          f"server's peak resident memory {serve_mb:,.0f} MB (2.1 GB on main before issue 14, as the issue "
          "reports). Without `--allow-sql` the query is refused (403).")


if __name__ == "__main__":
    main()
