"""Syllable accuracy and speed of diacritic restoration on held-out documents, per class.

    python bench/restore_eval.py SPLIT_DIR [--garbled-lines N] [--limit CHARS]

SPLIT_DIR holds the test split `make model` writes: whole documents held out of training,
one file per class (`test-statutes.txt`, `test-administrative.txt`). For each class:
(a) the text with every mark removed: share of syllables restored exactly (case included);
(b) the text printed and read with `tesseract -l eng` (the clean print style of
`ingest.garble`): share of words right before and after restoration, aligned by edit
distance; (c) the accented text: share of syllables left unchanged. Then the speed (CPU time,
one process: decode alone, and the whole `vanthu restore` command on 30,000 syllables
including start-up and model load), the model's load time and size.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import time
from pathlib import Path

from vanthu.ingest.garble import aligned_accuracy, garbled_pairs
from vanthu.ingest.lm import SyllableLM, model_path
from vanthu.ingest.channel import EDGE_PUNCT
from vanthu.ingest.restore import restore
from vanthu.knowledge.orthography import strip_marks

SYLLABLE = re.compile(r"[^\W\d_]+")
CLASSES = ("administrative", "statutes")
COMMAND_SYLLABLES = 30_000


def syllables(text: str) -> list[str]:
    return SYLLABLE.findall(text)


def agreement(output: str, truth: str) -> tuple[int, int]:
    out, ref = syllables(output), syllables(truth)
    if len(out) != len(ref):
        raise AssertionError("restoration changed the number of syllables")
    return sum(o == r for o, r in zip(out, ref)), len(ref)


def garbled_accuracy(text: str, lm: SyllableLM, lines: int) -> tuple[float, float, int]:
    """Word accuracy on `text` printed and OCRed with `-l eng`: (before, after, words)."""
    pairs = garbled_pairs(text, lines)
    garbled = "\n".join(g for g, _ in pairs)
    truth = [word.strip(EDGE_PUNCT) for _, line in pairs for word in line.split()]
    truth = [t for t in truth if t.isalpha()]

    def score(output: str) -> float:
        words = [w.strip(EDGE_PUNCT) for w in output.split()]
        return aligned_accuracy([w for w in words if w], truth)

    return score(garbled), score(restore(garbled, lm)), len(truth)


def command_seconds(text: str) -> tuple[float, int]:
    """CPU seconds of `vanthu restore` on the first COMMAND_SYLLABLES syllables of `text`."""
    words = 0
    cut = len(text)
    for match in SYLLABLE.finditer(text):
        words += 1
        if words == COMMAND_SYLLABLES:
            cut = match.end()
            break
    bare = strip_marks(text[:cut])
    vanthu = Path(sys.executable).with_name("vanthu")
    before = time.process_time(), _children()
    subprocess.run([str(vanthu), "restore", "-"], input=bare, text=True, capture_output=True, check=True)
    return _children() - before[1], words


def _children() -> float:
    import resource
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("split", type=Path)
    parser.add_argument("--limit", type=int, default=0, help="Use only the first N characters of each class.")
    parser.add_argument("--garbled-lines", type=int, default=1000,
                        help="Lines per class printed and OCRed with -l eng for measure (b).")
    args = parser.parse_args()
    path = model_path()
    started = time.perf_counter()
    lm = SyllableLM.load(path)
    load_seconds = time.perf_counter() - started
    rows = []
    speeds = []
    for kind in CLASSES:
        text = (args.split / f"test-{kind}.txt").read_text("utf-8")
        if args.limit:
            text = text[: args.limit]
        bare = strip_marks(text)
        cpu = time.process_time()
        restored = restore(bare, lm)
        seconds = time.process_time() - cpu
        correct, total = agreement(restored, text)
        speeds.append((total, seconds))
        unchanged, accented_total = agreement(restore(text, lm), text)
        before, after, garbled_total = garbled_accuracy(text, lm, args.garbled_lines)
        rows.append((kind, correct / total, total, before, after, garbled_total, unchanged / accented_total))
    command, words = command_seconds((args.split / "test-administrative.txt").read_text("utf-8"))
    print("## Diacritic restoration\n")
    print(f"Held-out documents of the corpus (`make model` splits by document; {args.split}/test-*.txt), "
          "by class. Written by `make bench` / `make eval-restore` "
          f"(`python bench/restore_eval.py {args.split}`); model `{path.name}`, "
          f"{path.stat().st_size / 1e6:.1f} MB.\n")
    print("| class | (a) unaccented: syllables restored exactly | (b) `tesseract -l eng` garbled: "
          "words right before → after | (c) accented: syllables unchanged |")
    print("|---|---:|---:|---:|")
    for kind, a, total, before, after, garbled_total, c in rows:
        print(f"| {kind} | {a:.2%} of {total:,} | {before:.1%} → {after:.2%} of {garbled_total:,} | {c:.3%} |")
    decode_rate = sum(t for t, _ in speeds) / max(sum(s for _, s in speeds), 1e-9)
    print("\nTargets (administrative): (a) ≥ 99.0%, (b) ≥ 97.5%, (c) ≥ 99.9%.\n")
    print("| speed and size (CPU time of one process) | result | target |\n|---|---:|---:|")
    print(f"| decode, unaccented text | {decode_rate:,.0f} syllables/s | ≥ 25,000 |")
    print(f"| whole `vanthu restore` command on {words:,} syllables, start-up and model load included "
          f"| {words / command:,.0f} syllables/s ({command:.2f} s) | ≥ 25,000 |")
    print(f"| model load (memory map) | {load_seconds * 1000:.0f} ms | ≤ 100 ms |")
    print(f"| model size (models/, in git) | {path.stat().st_size / 1e6:.1f} MB | ≤ 60 MB |")


if __name__ == "__main__":
    main()
