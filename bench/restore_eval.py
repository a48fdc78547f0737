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

from vanthu.ingest.garble import aligned_accuracy, garbled_pairs
from vanthu.ingest.lm import SyllableLM
from vanthu.ingest.lm_train import EDGE_PUNCT
from vanthu.ingest.restore import restore
from vanthu.knowledge.orthography import strip_marks

SYLLABLE = re.compile(r"[^\W\d_]+")


def syllables(text: str) -> list[str]:
    return SYLLABLE.findall(text)


def agreement(output: str, truth: str) -> tuple[int, int]:
    out, ref = syllables(output), syllables(truth)
    if len(out) != len(ref):
        raise AssertionError("restoration changed the number of syllables")
    return sum(o == r for o, r in zip(out, ref)), len(ref)


def garbled_accuracy(text: str, lm: SyllableLM, lines: int) -> tuple[float, float, int]:
    """Syllable accuracy on `text` printed and OCRed with `-l eng`: (before, after, syllables).

    Tokens are aligned by edit distance, so words the OCR split or merged count as errors.
    """
    pairs = garbled_pairs(text, lines)
    garbled = "\n".join(g for g, _ in pairs)
    truth = [word.strip(EDGE_PUNCT) for _, line in pairs for word in line.split()]
    truth = [t for t in truth if t.isalpha()]

    def score(output: str) -> float:
        words = [w.strip(EDGE_PUNCT) for w in output.split()]
        return aligned_accuracy([w for w in words if w], truth)

    return score(garbled), score(restore(garbled, lm)), len(truth)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("split", type=Path)
    parser.add_argument("--limit", type=int, default=0, help="Use only the first N characters.")
    parser.add_argument("--garbled-lines", type=int, default=2000,
                        help="Lines printed and OCRed with -l eng for measure (b).")
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
    before, after, garbled_total = garbled_accuracy(text, lm, args.garbled_lines)
    print("## Diacritic restoration\n")
    print(f"Test split `{args.split}` ({total:,} syllables; whole documents held out by `make model`). "
          "Written by `make bench` / `make eval-restore` (`python bench/restore_eval.py SPLIT`).\n")
    print("| measure | result | target |\n|---|---:|---:|")
    print(f"| (a) unaccented input: syllables restored exactly (case included) | {correct / total:.2%} | ≥ 98.5% |")
    print(f"| (b) `tesseract -l eng` garbled input ({garbled_total:,} syllables; {before:.2%} right "
          f"before restoration) | {after:.2%} | ≥ 96% |")
    print(f"| (c) accented input: syllables left unchanged | {unchanged / total_accented:.3%} | ≥ 99.9% |")
    print(f"| speed, one core | {total / seconds:,.0f} syllables/s | ≥ 20,000 |")
    print(f"| model load | {load_seconds:.2f} s | ≤ 2 s |")
    print(f"| peak RSS (model, text and both outputs in memory) | {rss:.0f} MB | ≤ 600 MB |")


if __name__ == "__main__":
    main()
