"""Syllable accuracy of diacritic restoration on held-out documents.

    python bench/restore_eval.py SPLIT_FILE [--limit N]

SPLIT_FILE holds whole documents separated by empty lines (the test split `make model`
writes). Reports (a) fully unaccented input: share of syllables restored exactly (case
included); (c) correctly accented input: share of syllables left unchanged; and the speed
(syllables per second, one core) and model load time.
"""

from __future__ import annotations

import argparse
import re
import resource
import time
from pathlib import Path

from ingest.lm import SyllableLM
from ingest.restore import restore
from ingest.vietnamese import strip_marks

SYLLABLE = re.compile(r"[^\W\d_]+")


def syllables(text: str) -> list[str]:
    return SYLLABLE.findall(text)


def agreement(output: str, truth: str) -> tuple[int, int]:
    out, ref = syllables(output), syllables(truth)
    if len(out) != len(ref):
        raise AssertionError("restoration changed the number of syllables")
    return sum(o == r for o, r in zip(out, ref)), len(ref)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("split", type=Path)
    parser.add_argument("--limit", type=int, default=0, help="Use only the first N characters.")
    args = parser.parse_args()
    text = args.split.read_text("utf-8")
    if args.limit:
        text = text[: args.limit]
    started = time.perf_counter()
    lm = SyllableLM.load()
    load_seconds = time.perf_counter() - started
    lm.candidates("a")  # build the candidate table outside the timed part

    bare = strip_marks(text)
    started = time.perf_counter()
    restored = restore(bare, lm)
    seconds = time.perf_counter() - started
    correct, total = agreement(restored, text)
    unchanged, total_accented = agreement(restore(text, lm), text)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"test split: {args.split} ({total} syllables)")
    print(f"(a) unaccented input: {correct / total:.2%} syllables restored exactly")
    print(f"(c) accented input:   {unchanged / total_accented:.3%} syllables unchanged")
    print(f"speed: {total / seconds:,.0f} syllables/s (one core); model load {load_seconds:.2f} s; "
          f"peak RSS {rss:.0f} MB")


if __name__ == "__main__":
    main()
