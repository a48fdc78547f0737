"""Train the syllable language model (`ingest.lm`) and the tables of diacritic restoration.

    python -m vanthu.ingest.lm_train CORPUS_DIR [models/syllables.lm] [--split-dir DIR] [--jobs N]

Documents (separated by an empty line in the corpus files) are split deterministically by
a hash of their text: 90 % train, 5 % dev, 5 % test. Only train is counted; dev and test
are written to --split-dir per class (`test-statutes.txt`, `test-administrative.txt`: the
file's name says the class) for `make eval-restore`. The same corpus always gives the same
model (the OCR that teaches the garbling channel is cached under --cache-dir by content).

What is learned, all from the training documents:
- a modified Kneser-Ney syllable model of order ORDER (`ingest.kneser_ney`);
- for every mark-free spelling, the accented syllables it stands for (`candidates`);
- how often each syllable is printed capitalized inside a line: names of units, places and
  people (`cap_counts`), which the capitalization pass of restoration uses;
- the phrases of the form (issuer block, motto, "Kính gửi", "Nơi nhận", signature titles)
  that short header and footer lines are restored with (`ingest.forms`);
- marked spellings of symbol parts ("QD" -> "QĐ");
- the character channel of Tesseract's English model (`ingest.channel`), from training
  lines printed and read back with `-l eng` in several print styles.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import numpy as np

from . import forms
from .arrayfile import save_arrays
from .channel import learn_channel
from .garble import TRAINING_STYLES, garbled_pairs, printable_lines
from .kneser_ney import WORD_BITS, estimate
from .lm import BOS, EOS, INNER_PUNCT, NUM, SPECIALS, UNK, blob
from vanthu.knowledge.orthography import fold, place_tone_marks, strip_marks

ORDER = 4
# Syllables seen once are mostly typos and foreign words: they become <unk>.
MIN_VOCAB = 2
# 4-grams seen once are dropped (and their contexts' backoffs renormalized): half the size
# of the model for a loss the held-out tests do not show (docs/BENCHMARKS.md).
MIN_TOP_COUNT = 2
# A syllable (letters), a number, or a piece of punctuation that ends a sequence.
TOKEN = re.compile(r"[^\W\d_]+|\d+(?:[.,/]\d+)*|[.,;:!?()\[\]\"“”…]")
# Letters glued to "/" or "-" with a capital in them: parts of symbols (QĐ-TTg, NĐ-CP, HĐND).
SYMBOL_PART = re.compile(r"(?<=[/-])[^\W\d_]+|[^\W\d_]+(?=[/-])")
CLASSES = ("statutes", "administrative")
CHANNEL_LINES = 24000  # printed and OCRed with -l eng to learn the garbling channel
CHANNEL_EVERY = 12     # every 12th training document gives lines to print ...
CHANNEL_PER_DOCUMENT = 200  # ... its first 200 (header included), so many documents count


def class_of(path: Path) -> str:
    """'statutes' for statutes_*.txt, else 'administrative' (admin_*.txt)."""
    return "statutes" if path.name.startswith("statutes") else "administrative"


def documents(corpus: Path) -> Iterator[tuple[str, str]]:
    """(class, document) for every document of every .txt file under `corpus`, in a stable order."""
    for path in sorted(corpus.glob("*.txt")):
        text = path.read_text("utf-8")
        for document in re.split(r"\n\s*\n", text):
            if document.strip():
                yield class_of(path), document


def split_of(document: str) -> str:
    """'train', 'dev' or 'test', fixed by the document's content."""
    bucket = int(hashlib.sha256(document.encode("utf-8")).hexdigest()[:8], 16) % 100
    return "test" if bucket < 5 else "dev" if bucket < 10 else "train"


def sequences(text: str) -> Iterator[list[str]]:
    """Sentences of lowercase syllables, numbers and inner punctuation (`, ; : ( )`), line by line."""
    for line in text.lower().splitlines():
        current: list[str] = []
        for token in TOKEN.findall(line):
            if token[0].isalpha() or token in INNER_PUNCT and current:
                current.append(token)
            elif token[0].isdigit():
                current.append(NUM)
            elif token in INNER_PUNCT:
                continue
            elif current:
                yield current
                current = []
        if current:
            yield current


def capitalized_inside(line: str) -> Iterator[str]:
    """Syllables printed Capitalized after the first word of a sentence, in a line that is
    not all capitals: the names ("Sở Tài chính", "Quảng Ngãi", "Nguyễn Văn An")."""
    letters = [c for c in line if c.isalpha()]
    if not letters or sum(c.isupper() for c in letters) > len(letters) / 2:
        return
    previous = "."
    for token in TOKEN.findall(line):
        if token[0].isalpha() and previous not in ".:;!?" and token[0].isupper() and token[1:].islower():
            yield token.lower()
        previous = token if not token[0].isalpha() else "a"


# Codes of Nghị định 30/2020 (Phụ lục III) and common bodies, in case the corpus has too few.
SEED_SYMBOLS = ("QĐ", "NĐ", "CĐ", "HĐ", "ĐA", "QyĐ", "QĐi", "HĐND", "BCĐ", "ĐU", "ĐĐBQH", "ĐTN",
                "ĐHĐCĐ", "CĐS", "ĐT", "VPĐP", "BCĐTW", "QĐ-TTg", "ĐKKD")
# Party symbol codes written without marks by rule (Tỉnh ủy, Huyện ủy, Quận ủy, Thành ủy,
# Trung ương): "19-CT/TU" must not become "CT/TƯ" however rare "TU" is in the corpus.
KEEP_BARE = frozenset({"TU", "HU", "QU", "TW", "ThU"})


def _symbol_table(parts: Counter[str]) -> dict[str, str]:
    """Mark-free symbol part -> its most frequent marked spelling ("QD" -> "QĐ")."""
    best: dict[str, tuple[int, str]] = {strip_marks(code): (3, code) for code in SEED_SYMBOLS
                                        if "-" not in code}
    for token, count in sorted(parts.items()):
        bare = strip_marks(token)
        if bare == token or count < 3:
            continue
        if count > best.get(bare, (0, ""))[0]:
            best[bare] = (count, token)
    # "TU" (Tỉnh ủy) and "TƯ" (Trung ương) are both real: a bare spelling that is itself in
    # use is left alone; only one that (almost) never occurs bare gets marks.
    return {bare: token for bare, (count, token) in best.items()
            if parts.get(bare, 0) * 20 <= count and bare not in KEEP_BARE}


class Corpus:
    """The training documents, counted once; the held-out documents, by class."""

    def __init__(self, corpus: Path) -> None:
        self.sequences: list[list[str]] = []
        self.administrative: Counter[str] = Counter()
        self.channel_text: list[str] = []
        self.symbol_parts: Counter[str] = Counter()
        self.capitalized: Counter[str] = Counter()
        self.forms = forms.FormCounter()
        self.variants: dict[str, str] = {}
        self.held_out: dict[str, list[str]] = {f"{part}-{c}": [] for part in ("dev", "test") for c in CLASSES}
        trained = 0
        for kind, document in documents(corpus):
            part = split_of(document)
            if part != "train":
                self.held_out[f"{part}-{kind}"].append(document)
                continue
            trained += 1
            found = list(sequences(document))
            self.sequences.extend(found)
            if kind == "administrative":
                self.administrative.update(s for sequence in found for s in sequence)
            if trained % CHANNEL_EVERY == 0:
                self.channel_text.append("\n".join(list(printable_lines(document))[:CHANNEL_PER_DOCUMENT]))
            self.symbol_parts.update(t for t in SYMBOL_PART.findall(document) if any(c.isupper() for c in t))
            self.forms.add(document)
            for line in document.splitlines():
                self.capitalized.update(capitalized_inside(line))


def spelling_variants(counts: Counter[str], administrative: Counter[str]) -> dict[str, str]:
    """Tone placements of one syllable ("hoá", "hóa") -> the one administrative text uses
    most (then all text). Restoration cannot tell a document's style from mark-free input:
    it writes the usual spelling, and the model's counts are not split between two."""
    groups: dict[str, list[str]] = {}
    for syllable in sorted(counts):
        groups.setdefault(place_tone_marks(syllable), []).append(syllable)
    variants = {}
    for spellings in groups.values():
        if len(spellings) > 1:
            best = max(spellings, key=lambda s: (administrative[s], counts[s], s))
            variants.update({s: best for s in spellings if s != best})
    return variants


def _vocabulary(corpus: Corpus) -> tuple[list[str], np.ndarray]:
    counts = Counter(s for sequence in corpus.sequences for s in sequence)
    corpus.variants = spelling_variants(counts, corpus.administrative)
    for variant, best in corpus.variants.items():
        counts[best] += counts.pop(variant)
    words = sorted(s for s, n in counts.items() if n >= MIN_VOCAB and s not in SPECIALS)
    vocab = list(SPECIALS) + words
    if len(vocab) > 1 << WORD_BITS:
        raise ValueError(f"{len(vocab)} syllables do not fit {WORD_BITS}-bit ids")
    return vocab, np.asarray([0] * len(SPECIALS) + [counts[w] for w in words], dtype=np.int64)


def _token_ids(corpus: Corpus, index: dict[str, int]) -> np.ndarray:
    unk = index[UNK]
    for variant, best in corpus.variants.items():
        index.setdefault(variant, index.get(best, unk))
    ids: list[int] = []
    for sequence in corpus.sequences:
        ids.append(index[BOS])
        ids.extend(index.get(s, unk) for s in sequence)
        ids.append(index[EOS])
    return np.asarray(ids, dtype=np.int64)


def _candidates(vocab: list[str], counts: np.ndarray) -> dict[str, np.ndarray]:
    """Mark-free spelling -> ids of the syllables spelled so, most frequent first."""
    by_fold: dict[str, list[int]] = {}
    for i in np.argsort(-counts, kind="stable").tolist():
        if vocab[i] not in SPECIALS:
            by_fold.setdefault(fold(vocab[i]), []).append(i)
    folds = sorted(by_fold)
    ids = [i for f in folds for i in by_fold[f]]
    starts = np.cumsum([0] + [len(by_fold[f]) for f in folds])
    return {"fold_text": blob(folds), "fold_start": starts.astype(np.int32),
            "fold_ids": np.asarray(ids, dtype=np.uint16)}


def channel_pairs(texts: list[str], cache_dir: Path | None, jobs: int,
                  lines: int = CHANNEL_LINES) -> list[tuple[str, str]]:
    """(garbled, true) lines from printing `texts` in the training styles and reading them
    with `-l eng`; cached by content, since the OCR takes minutes."""
    if lines <= 0:
        return []
    text = "\n".join(texts)
    key = hashlib.sha256(repr((text, lines, TRAINING_STYLES)).encode("utf-8")).hexdigest()[:16]
    cached = cache_dir / f"channel-pairs-{key}.json" if cache_dir else None
    if cached and cached.is_file():
        return [tuple(pair) for pair in json.loads(cached.read_text("utf-8"))]
    pairs = garbled_pairs(text, lines, jobs=jobs, styles=TRAINING_STYLES)
    if cached:
        cached.parent.mkdir(parents=True, exist_ok=True)
        cached.write_text(json.dumps(pairs, ensure_ascii=False), "utf-8")
    return pairs


def write_split(corpus: Corpus, split_dir: Path) -> None:
    """The held-out documents, one file per split and class (dev-statutes.txt, …)."""
    split_dir.mkdir(parents=True, exist_ok=True)
    for name, docs in corpus.held_out.items():
        (split_dir / f"{name}.txt").write_text("\n\n".join(docs) + "\n", "utf-8")


def train(corpus_dir: Path, out: Path | None, split_dir: Path | None, cache_dir: Path | None, jobs: int,
          channel_lines: int = CHANNEL_LINES, order: int = ORDER, min_top_count: int = MIN_TOP_COUNT) -> None:
    """Count the corpus, write the held-out split to `split_dir`, and the model to `out`."""
    started = time.time()
    corpus = Corpus(corpus_dir)
    if split_dir:
        write_split(corpus, split_dir)
    if out is None:
        return
    vocab, counts = _vocabulary(corpus)
    index = {s: i for i, s in enumerate(vocab)}
    tokens = _token_ids(corpus, dict(index))
    orders = estimate(tokens, len(vocab), order, index[BOS], min_top_count)
    variants_of: dict[str, list[str]] = {}
    for variant, best in corpus.variants.items():
        variants_of.setdefault(best, []).append(variant)
    counts[: len(SPECIALS)] = np.bincount(tokens, minlength=len(vocab))[: len(SPECIALS)]
    arrays: dict[str, np.ndarray] = {
        "vocab": blob(vocab),
        "counts": counts.astype(np.uint32),
        "cap_counts": np.asarray([corpus.capitalized.get(s, 0) for s in vocab], dtype=np.uint32)
        + np.asarray([sum(corpus.capitalized.get(v, 0) for v in variants_of.get(s, ())) for s in vocab],
                     dtype=np.uint32),
        "variants": blob(f"{v}\t{b}" for v, b in sorted(corpus.variants.items())),
        "logprob1": orders[0].logprob.astype(np.float32),
        "backoff1": orders[0].backoff.astype(np.float32),
        **_candidates(vocab, counts),
    }
    for n, table in enumerate(orders[1:], start=2):
        arrays[f"keys{n}"] = table.keys.astype(np.uint32 if table.keys.max() < 1 << 32 else np.uint64)
        arrays[f"logprob{n}"] = table.logprob.astype(np.float16)
        if n < order:
            arrays[f"backoff{n}"] = table.backoff.astype(np.float16)
    symbols = _symbol_table(corpus.symbol_parts)
    arrays["symbols"] = blob(f"{k}\t{v}" for k, v in sorted(symbols.items()))
    arrays["forms"] = blob(f"{k}\t{' '.join(corpus.variants.get(s, s) for s in v.split(' '))}"
                           for k, v in corpus.forms.table())
    pairs = channel_pairs(corpus.channel_text, cache_dir, jobs, channel_lines)
    arrays.update(learn_channel(pairs, vocab, counts))
    meta = {"order": order, "min_vocab": MIN_VOCAB, "min_top_count": min_top_count,
            "tokens": int(len(tokens)), "ngrams": [int(len(o.keys)) for o in orders]}
    save_arrays(out, arrays, meta)
    print(f"{out}: order {order}, {len(vocab)} syllables, n-grams {meta['ngrams']}, "
          f"{len(pairs)} OCR line pairs, from {len(tokens)} tokens; {out.stat().st_size / 1e6:.1f} MB; "
          f"{time.time() - started:.0f} s", file=sys.stderr)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("out", type=Path, nargs="?", help="the model file (none: only write the split)")
    parser.add_argument("--split-dir", type=Path)
    parser.add_argument("--cache-dir", type=Path, default=Path("build/cache"),
                        help="where the OCR of the channel's training lines is kept")
    parser.add_argument("--jobs", type=int, default=1, help="Tesseract processes for the channel's OCR")
    parser.add_argument("--channel-lines", type=int, default=CHANNEL_LINES,
                        help="lines printed and OCRed for the channel (0: no channel)")
    parser.add_argument("--order", type=int, default=ORDER)
    parser.add_argument("--min-top-count", type=int, default=MIN_TOP_COUNT)
    args = parser.parse_args()
    train(args.corpus, args.out, args.split_dir, args.cache_dir, args.jobs, args.channel_lines,
          args.order, args.min_top_count)


if __name__ == "__main__":
    main()
