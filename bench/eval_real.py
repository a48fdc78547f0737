"""Per-field accuracy on the real scans of REALDOCS, as `make eval-real` prints it, as a
Markdown section for docs/BENCHMARKS.md.

    python bench/eval_real.py [--realdocs ../shared/realdocs]

Runs `vanthu eval REALDOCS/qn/gold.jsonl REALDOCS/national/gold.jsonl --misses` (every scan
OCRed by vanthu, no cache) and sets its table beside the figures issue 13 reported for the
same 26 scans before the work on real documents.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Issue 13, "../shared/realdocs now (26 scans)": the figures before.
BEFORE = {"issuer": 0.42, "signer": 0.62, "place": 0.35, "symbol": 0.58, "number": 0.65, "issue_date": 0.77,
          "subject": 0.65, "doc_type": 0.88}
TARGET = 0.95
_ROW = re.compile(r"^(?P<field>\w+)\s+(?P<correct>\d+)/(?P<total>\d+)\s+(?P<share>[\d.]+)%$")
_MISS = re.compile(r"^\S+/\S+ (?P<field>\w+): ")


def run_eval(realdocs: Path) -> tuple[str, float]:
    """The command's output and its wall time (OCR cache empty: a fresh cache folder)."""
    gold = [str(realdocs / "qn" / "gold.jsonl"), str(realdocs / "national" / "gold.jsonl")]
    with tempfile.TemporaryDirectory(prefix="vanthu-eval-real-") as cache:
        env = {**os.environ, "XDG_CACHE_HOME": cache}
        started = time.perf_counter()
        result = subprocess.run([str(Path(sys.executable).with_name("vanthu")), "eval", *gold, "--misses"],
                                capture_output=True, text=True, env=env, check=False)
        elapsed = time.perf_counter() - started
    if result.returncode not in (0, 1):
        sys.exit(f"vanthu eval failed: {result.stderr}")
    return result.stdout, elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--realdocs", type=Path, default=ROOT.parent / "shared" / "realdocs")
    args = parser.parse_args()
    output, elapsed = run_eval(args.realdocs)
    lines = output.splitlines()
    rows = [m for m in map(_ROW.match, lines) if m]
    misses = Counter(m["field"] for m in map(_MISS.match, lines) if m)

    print("### Real documents: per-field accuracy on ../shared/realdocs (`bench/eval_real.py`, `make eval-real`)\n")
    print(f"26 real scans (13 of Quảng Ngãi's provincial portal, 13 of national bodies), each OCRed by vanthu "
          f"from the PDF (no cache; {elapsed:.0f} s for the set with the default jobs) and compared with its "
          "gold record; a value marked illegible in the gold counts as right when it is null. Before: the "
          "figures issue 13 reported on the same scans.\n")
    print("| field | correct | accuracy | before | target |")
    print("|---|---:|---:|---:|---:|")
    for m in rows:
        field = m["field"]
        before = f"{BEFORE[field]:.0%}" if field in BEFORE else "—"
        target = f"≥ {TARGET:.0%}" if field not in ("all", "cc", "recipients") else "—"
        print(f"| {field} | {m['correct']}/{m['total']} | {m['share']}% | {before} | {target} |")
    rest = "\n".join(line for line in lines if line and not _ROW.match(line) and not _MISS.match(line)
                     and not line.startswith("field "))
    print(f"\n```\n{rest}\n```\n")
    print("Misses per field: " + ", ".join(f"{field} {count}" for field, count in misses.most_common()) + ".")


if __name__ == "__main__":
    main()
