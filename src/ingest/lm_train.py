"""Train the syllable trigram model (`ingest.lm`) from the shared corpus.

    python -m vanthu.ingest.lm_train CORPUS_DIR models/syllables.npz [--split-dir DIR]

Documents (separated by an empty line in the corpus files) are split deterministically by
a hash of their text: 90 % train, 5 % dev, 5 % test. Only train is counted; dev and test
are written to --split-dir for evaluation (`make eval-restore`). The same corpus always
gives the same model.
"""

from __future__ import annotations

import argparse
import hashlib
import re
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np

from .garble import garbled_pairs
from .lm import BOS, EOS, NUM
from vanthu.knowledge.orthography import strip_marks

# A syllable (letters), a number, or a piece of punctuation that ends a sequence.
TOKEN = re.compile(r"[^\W\d_]+|\d+(?:[.,/]\d+)*|[.,;:!?()\[\]\"“”…]")
MIN_TRIGRAM = 2
MIN_VOCAB = 2
# Letters glued to "/" or "-" with a capital in them: parts of symbols (QĐ-TTg, NĐ-CP, HĐND).
SYMBOL_PART = re.compile(r"(?<=[/-])[^\W\d_]+|[^\W\d_]+(?=[/-])")


def documents(corpus: Path) -> Iterator[str]:
    """Every document of every .txt file under `corpus`, in a stable order."""
    for path in sorted(corpus.glob("*.txt")):
        text = path.read_text("utf-8")
        for document in re.split(r"\n\s*\n", text):
            if document.strip():
                yield document


def split_of(document: str) -> str:
    """'train', 'dev' or 'test', fixed by the document's content."""
    bucket = int(hashlib.sha256(document.encode("utf-8")).hexdigest()[:8], 16) % 100
    return "test" if bucket < 5 else "dev" if bucket < 10 else "train"


def sequences(text: str) -> Iterator[list[str]]:
    """Runs of lowercase syllables and numbers between punctuation, line by line."""
    for line in text.lower().splitlines():
        current: list[str] = []
        for token in TOKEN.findall(line):
            if token[0].isalpha():
                current.append(token)
            elif token[0].isdigit():
                current.append(NUM)
            elif current:
                yield current
                current = []
        if current:
            yield current


# Codes of Nghị định 30/2020 (Phụ lục III) and common bodies, in case the corpus has too few.
SEED_SYMBOLS = ("QĐ", "NĐ", "CĐ", "HĐ", "ĐA", "QyĐ", "QĐi", "HĐND", "BCĐ", "ĐU", "ĐĐBQH", "ĐTN",
                "ĐHĐCĐ", "CĐS", "ĐT", "VPĐP", "BCĐTW", "QĐ-TTg", "ĐKKD")


# Party symbol codes written without marks by rule (Tỉnh ủy, Huyện ủy, Quận ủy, Thành ủy,
# Trung ương): "19-CT/TU" must not become "CT/TƯ" however rare "TU" is in the corpus.
KEEP_BARE = frozenset({"TU", "HU", "QU", "TW", "ThU"})


def _symbol_table(parts: dict[str, int]) -> dict[str, str]:
    """Mark-free symbol part -> its most frequent marked spelling ("QD" -> "QĐ")."""
    best: dict[str, tuple[int, str]] = {strip_marks(code): (3, code) for code in SEED_SYMBOLS
                                        if "-" not in code}
    for token, count in parts.items():
        bare = strip_marks(token)
        if bare == token or count < 3:
            continue
        if count > best.get(bare, (0, ""))[0]:
            best[bare] = (count, token)
    # "TU" (Tỉnh ủy) and "TƯ" (Trung ương) are both real: a bare spelling that is itself in
    # use is left alone; only one that (almost) never occurs bare gets marks.
    return {bare: token for bare, (count, token) in best.items()
            if parts.get(bare, 0) * 20 <= count and bare not in KEEP_BARE}


CHANNEL_LINES = 12000  # printed and OCRed with -l eng to learn the garbling channel
EDGE_PUNCT = ".,;:!?()[]\"“”'…"


def channel_counts(pairs: list[tuple[str, str]]) -> dict[tuple[str, str], int]:
    """(garbled token, true syllable) counts from line pairs whose token counts agree."""
    counts: dict[tuple[str, str], int] = {}
    for garbled, true in pairs:
        g_tokens, t_tokens = garbled.split(), true.split()
        if len(g_tokens) != len(t_tokens):
            continue
        for g, t in zip(g_tokens, t_tokens):
            g, t = g.strip(EDGE_PUNCT).lower(), t.strip(EDGE_PUNCT).lower()
            if g and t.isdigit():
                t = NUM  # how often a garbled "6" really is a number
            if g and (t.isalpha() or t == NUM):
                counts[(g, t)] = counts.get((g, t), 0) + 1
    return counts


def train(corpus: Path, out: Path, split_dir: Path | None) -> None:
    started = time.time()
    train_sequences: list[list[str]] = []
    train_sample: list[str] = []  # every 20th training document, for the garbling channel
    symbol_parts: dict[str, int] = {}
    held_out: dict[str, list[str]] = {"dev": [], "test": []}
    for document in documents(corpus):
        part = split_of(document)
        if part == "train":
            train_sequences.extend(sequences(document))
            if len(train_sequences) % 20 == 0 or len(train_sample) < 5:
                train_sample.append(document)
            for token in SYMBOL_PART.findall(document):
                if any(c.isupper() for c in token):
                    symbol_parts[token] = symbol_parts.get(token, 0) + 1
        else:
            held_out[part].append(document)
    symbols = _symbol_table(symbol_parts)
    counts: dict[str, int] = {}
    for sequence in train_sequences:
        for syllable in sequence:
            counts[syllable] = counts.get(syllable, 0) + 1
    vocab = [BOS, EOS, NUM] + sorted(s for s, n in counts.items() if n >= MIN_VOCAB and s != NUM)
    index = {s: i for i, s in enumerate(vocab)}
    unk = None  # rare syllables break a sequence: they carry no usable statistics
    ids: list[int] = []
    for sequence in train_sequences:
        ids += [0, 0]
        for syllable in sequence:
            i = index.get(syllable, unk)
            if i is None:
                ids += [1, 0, 0]
            else:
                ids.append(i)
        ids.append(1)
    array = np.asarray(ids, dtype=np.int64)
    size = len(vocab)
    unigrams = np.bincount(array, minlength=size).astype(np.uint32)
    a, b, c = array[:-2], array[1:-1], array[2:]
    bigram_ok = a != 1  # not across a sequence end
    bigram_keys, bigram_counts = np.unique((a * size + b)[bigram_ok], return_counts=True)
    trigram_ok = (a != 1) & (b != 1)
    trigram_keys, trigram_counts = np.unique(((a * size + b) * size + c)[trigram_ok], return_counts=True)
    keep = trigram_counts >= MIN_TRIGRAM
    channel = channel_counts(garbled_pairs("\n".join(train_sample), CHANNEL_LINES))
    out.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(
        out, vocab=np.frombuffer("\n".join(vocab).encode("utf-8"), dtype=np.uint8),
        unigrams=unigrams, bigram_keys=bigram_keys, bigram_counts=bigram_counts.astype(np.uint32),
        trigram_keys=trigram_keys[keep], trigram_counts=trigram_counts[keep].astype(np.uint32),
        channel=np.frombuffer("\n".join(f"{g}\t{t}\t{n}" for (g, t), n in sorted(channel.items()) if n >= 2)
                              .encode("utf-8"), dtype=np.uint8),
        symbols=np.frombuffer("\n".join(f"{k}\t{v}" for k, v in sorted(symbols.items())).encode("utf-8"),
                              dtype=np.uint8),
    )
    if split_dir:
        split_dir.mkdir(parents=True, exist_ok=True)
        for part, docs in held_out.items():
            (split_dir / f"{part}.txt").write_text("\n\n".join(docs) + "\n", "utf-8")
    print(f"{out}: {size} syllables, {len(bigram_keys)} bigrams, {int(keep.sum())} trigrams, "
          f"{sum(1 for n in channel.values() if n >= 2)} garbling pairs "
          f"from {len(array)} tokens; {out.stat().st_size / 1e6:.1f} MB; {time.time() - started:.0f} s",
          file=sys.stderr)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--split-dir", type=Path)
    args = parser.parse_args()
    train(args.corpus, args.out, args.split_dir)


if __name__ == "__main__":
    main()
