"""The garbling channel of Tesseract's English model: how a Vietnamese syllable comes out.

Learned from training lines printed and read back with `-l eng` (`ingest.garble`), as a
character transducer: each letter of the true syllable comes out as a string of 0 to 3
characters ("ư" -> "w", "u", "ir"; "ờ" -> "d"; "Ủ" -> "" in capitals: "TH TƯNG CHÍNH PH";
"Đ" -> "P", "D", "B"), estimated by hard EM over the aligned word pairs, with a smoothing
prior so that unseen outputs stay possible.

For every syllable of the vocabulary, printed lowercase, Capitalized and in CAPITALS, the
transducer's most likely outputs are listed, together with the word pairs actually seen, in
one sorted table: `kind:garbled` -> [(syllable id, log10 P(garbled | syllable))]. At run
time `GarbleChannel.lookup` is a binary search in that table, in place in the memory-mapped
model: no table is built per process.
"""

from __future__ import annotations

import math
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable

import numpy as np

from vanthu.knowledge.orthography import strip_marks

EDGE_PUNCT = ".,;:!?()[]\"“”'…|"
MAX_OUT = 3           # characters one letter may come out as
EM_ROUNDS = 3
PRIOR_WEIGHT = 2.0    # pseudo-counts of the smoothing prior per letter
TOP_OUTPUTS = 8       # outputs per letter considered when listing a syllable's garblings
GARBLINGS = 24        # garblings listed per syllable and case
MIN_LOGP = -4.5       # ... down to this log10 probability
MIN_SYLLABLE_COUNT = 10  # syllables rarer than this in the corpus get no garblings listed
MIN_PAIR_COUNT = 3       # a word pair seen this often is listed as seen ...
PAIR_SMOOTHING = 2       # ... with P = seen / (times the true word was seen + 2)
OUTPUT_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789éèêáàâíìóòôúùüçñ¢€¥£°|!()[]{}/\\'`’‘\"-_~.,:;*&@#%$?"


def case_kind(word: str) -> str:
    """'u' for CAPITALS (two letters or more), 'c' for Capitalized, 'l' otherwise."""
    letters = [c for c in word if c.isalpha()]
    if len(letters) > 1 and all(c.isupper() for c in letters):
        return "u"
    return "c" if word[:1].isupper() else "l"


def _cased(syllable: str, kind: str) -> str:
    return syllable.upper() if kind == "u" else syllable[:1].upper() + syllable[1:] if kind == "c" else syllable


def _prior(letter: str, out: str) -> float:
    """P(out | letter) before any data: the letter itself, its bare form, or little else."""
    bare = strip_marks(letter)
    if out == letter:
        return 0.4
    if out in (bare, bare.swapcase(), letter.swapcase()):
        return 0.2
    if out == "":
        return 0.02
    if len(out) == 1:
        return 0.002
    if out[0] in (letter, bare, bare.swapcase()):
        return 0.002 / len(OUTPUT_CHARS) ** (len(out) - 1) * 10
    return 0.002 / len(OUTPUT_CHARS) ** (len(out) - 1)


def _pieces(garbled: str) -> list[list[str]]:
    """For each end j of `garbled`, the outputs ending there, by length (0 to MAX_OUT)."""
    return [[garbled[j - length:j] for length in range(min(MAX_OUT, j) + 1)] for j in range(len(garbled) + 1)]


def _first_row(width: int) -> list[float]:
    """The table's row before any letter: nothing read yet is certain, anything read impossible."""
    return [0.0] + [-math.inf] * width


class Transducer:
    """P(out | letter): the per-letter channel."""

    def __init__(self, counts: dict[str, Counter[str]] | None = None) -> None:
        self.counts: dict[str, Counter[str]] = counts or {}
        self._top: dict[str, list[tuple[str, float]]] = {}
        self._logp: dict[str, dict[str, float]] = {}  # letter -> output -> log10 P, as asked
        self._totals = {letter: sum(c.values()) for letter, c in self.counts.items()}
        self._rows_of: str | None = None  # the garbled word `score`'s rows are of
        self._pieces: list[list[str]] = []
        self._rows: dict[str, list[float]] = {}

    def logp(self, letter: str, out: str) -> float:
        known = self._logp.setdefault(letter, {})
        found = known.get(out)
        if found is None:
            found = known[out] = self._estimate(letter, out)
        return found

    def _estimate(self, letter: str, out: str) -> float:
        counts = self.counts.get(letter)
        seen = counts.get(out, 0) if counts else 0
        total = self._totals.get(letter, 0)
        return math.log10((seen + PRIOR_WEIGHT * _prior(letter, out)) / (total + PRIOR_WEIGHT))

    def align(self, true: str, garbled: str) -> tuple[float, list[tuple[str, str]]]:
        """Best split of `garbled` into one output per letter of `true`, and its log10 P.
        The table is filled a row (a letter of `true`) at a time."""
        pieces = _pieces(garbled)
        row = _first_row(len(garbled))
        back: list[list[int]] = []
        for letter in true:
            row, lengths = self._next_row(row, letter, pieces)
            back.append(lengths)
        split = []
        j = len(garbled)
        for letter, lengths in zip(true[::-1], back[::-1]):
            length = lengths[j]
            split.append((letter, garbled[j - length:j]))
            j -= length
        return row[-1], split[::-1]

    def score(self, true: str, garbled: str) -> float:
        """log10 P(garbled | true): `align`'s score without the split. Restoration asks it of
        every candidate it weighs (tens of thousands on a garbled page), mostly many
        candidates for one garbled word in a row ("thực", "thức", "thúc" … for "thuc"), so
        the rows of the last word's candidates are kept by prefix and filled only past the
        longest prefix already done. (So one Transducer is not for several threads at once:
        each restoration builds its own.)"""
        if garbled != self._rows_of:
            self._rows_of, self._pieces = garbled, _pieces(garbled)
            self._rows = {"": _first_row(len(garbled))}
        rows = self._rows
        done = len(true)
        while true[:done] not in rows:
            done -= 1
        row = rows[true[:done]]
        for end in range(done + 1, len(true) + 1):
            row = rows[true[:end]] = self._next_row(row, true[end - 1], self._pieces)[0]
        return row[-1]

    def _next_row(self, row: list[float], letter: str, pieces: list[list[str]]) -> tuple[list[float], list[int]]:
        """The table's row after `letter`: for each end j in the garbled word, the best
        log10 P of the letters so far ending there, and the length of `letter`'s output."""
        known = self._logp.setdefault(letter, {})
        new, lengths = [-math.inf] * len(row), [0] * len(row)
        for j, outputs in enumerate(pieces):
            for length, out in enumerate(outputs):
                previous = row[j - length]
                if previous == -math.inf:
                    continue
                logp = known.get(out)
                if logp is None:
                    logp = known[out] = self._estimate(letter, out)
                if previous + logp > new[j]:
                    new[j], lengths[j] = previous + logp, length
        return new, lengths

    def top_outputs(self, letter: str) -> list[tuple[str, float]]:
        """The letter's likeliest outputs with their log10 P (prior outputs included)."""
        if letter not in self._top:
            self._top[letter] = self._top_outputs(letter)
        return self._top[letter]

    def _top_outputs(self, letter: str) -> list[tuple[str, float]]:
        options = {letter, strip_marks(letter), strip_marks(letter).swapcase(), letter.swapcase(), ""}
        options |= set(self.counts.get(letter, {}))
        scored = sorted(((out, self.logp(letter, out)) for out in options), key=lambda p: (-p[1], p[0]))
        return scored[:TOP_OUTPUTS]


def word_pairs(pairs: Iterable[tuple[str, str]]) -> Counter[tuple[str, str]]:
    """(garbled word, true word) counts from line pairs whose word counts agree."""
    counts: Counter[tuple[str, str]] = Counter()
    for garbled, true in pairs:
        g_words, t_words = garbled.split(), true.split()
        if len(g_words) != len(t_words):
            continue
        for g, t in zip(g_words, t_words):
            g, t = g.strip(EDGE_PUNCT), t.strip(EDGE_PUNCT)
            if g and t.isalpha() and len(g) <= 3 * len(t) + 2:
                counts[(unicodedata.normalize("NFC", g), t)] += 1
    return counts


def train_transducer(words: Counter[tuple[str, str]]) -> Transducer:
    """Hard EM: align every pair with the current channel, count, repeat."""
    model = Transducer()
    for _ in range(EM_ROUNDS):
        counts: dict[str, Counter[str]] = defaultdict(Counter)
        for (garbled, true), n in sorted(words.items()):
            score, pieces = model.align(true, garbled)
            if score == -math.inf:
                continue
            for letter, out in pieces:
                counts[letter][out] += n
        model = Transducer(dict(counts))
    return model


def garblings(model: Transducer, word: str) -> dict[str, float]:
    """The likeliest outputs of `word` under the transducer: {output: log10 P}."""
    beam: dict[str, float] = {"": 0.0}
    for letter in word:
        grown: dict[str, float] = {}
        for prefix, p in beam.items():
            for out, q in model.top_outputs(letter):
                text = prefix + out
                score = p + q
                old = grown.get(text)
                # Different splits giving the same text add up.
                grown[text] = score if old is None else math.log10(10 ** old + 10 ** score)
        beam = dict(sorted(grown.items(), key=lambda item: (-item[1], item[0]))[:GARBLINGS * 2])
    return {text: p for text, p in sorted(beam.items(), key=lambda item: (-item[1], item[0]))[:GARBLINGS]
            if p >= MIN_LOGP and text}


def learn_channel(pairs: list[tuple[str, str]], vocab: list[str], counts: np.ndarray) -> dict[str, np.ndarray]:
    """The channel table (see the module docstring) as arrays for the model file."""
    words = word_pairs(pairs)
    model = train_transducer(words)
    index = {s: i for i, s in enumerate(vocab)}
    table: dict[str, dict[int, float]] = defaultdict(dict)
    for i, syllable in enumerate(vocab):
        if counts[i] < MIN_SYLLABLE_COUNT or not syllable.isalpha():
            continue
        for kind in "lcu":
            for text, p in garblings(model, _cased(syllable, kind)).items():
                # Outputs differing only in case ("Quang", "QUang") are one key: their P adds up.
                key = f"{kind}:{text.lower()}"
                old = table[key].get(i)
                table[key][i] = p if old is None else math.log10(10 ** old + 10 ** p)
    # Word pairs seen often enough count as they were seen.
    seen_true = Counter()
    for (g, t), n in words.items():
        seen_true[t] += n
    for (g, t), n in sorted(words.items()):
        i = index.get(t.lower())
        if i is None or n < MIN_PAIR_COUNT:
            continue
        key = f"{case_kind(t)}:{g.lower()}"
        p = math.log10(n / (seen_true[t] + PAIR_SMOOTHING))
        table[key][i] = max(table[key].get(i, -99.0), p)
    keys = sorted(table, key=lambda k: k.encode("utf-8"))
    encoded = [k.encode("utf-8") for k in keys]
    key_start = np.cumsum([0] + [len(k) for k in encoded]).astype(np.int64)
    value_start = np.cumsum([0] + [len(table[k]) for k in keys]).astype(np.int64)
    ids, logps = [], []
    for k in keys:
        for i, p in sorted(table[k].items(), key=lambda item: (-item[1], item[0])):
            ids.append(i)
            logps.append(p)
    letters = sorted(model.counts)
    transducer = "\n".join(f"{letter}\t{out}\t{n}" for letter in letters
                           for out, n in sorted(model.counts[letter].items()))
    return {"channel_keys": np.frombuffer(b"".join(encoded), dtype=np.uint8),
            "channel_key_start": key_start, "channel_value_start": value_start,
            "channel_ids": np.asarray(ids, dtype=np.uint16),
            "channel_logp": np.asarray(logps, dtype=np.float32),
            "channel_transducer": np.frombuffer(transducer.encode("utf-8"), dtype=np.uint8)}


class GarbleChannel:
    """Binary search in the channel table of a memory-mapped model."""

    def __init__(self, arrays: dict[str, np.ndarray]) -> None:
        self.keys = arrays["channel_keys"]
        self.key_start = arrays["channel_key_start"]
        self.value_start = arrays["channel_value_start"]
        self.ids = arrays["channel_ids"]
        self.logp = arrays["channel_logp"]
        self.size = len(self.key_start) - 1
        self._arrays = arrays
        self._transducer: Transducer | None = None

    def score(self, true: str, garbled: str) -> float:
        """log10 P(garbled | true) under the letter transducer (any pair, not only listed ones)."""
        if self._transducer is None:
            counts: dict[str, Counter[str]] = defaultdict(Counter)
            for line in self._arrays["channel_transducer"].tobytes().decode("utf-8").split("\n"):
                letter, out, n = line.split("\t")
                counts[letter][out] = int(n)
            self._transducer = Transducer(dict(counts))
        return self._transducer.score(true, garbled)

    def _key(self, k: int) -> bytes:
        return self.keys[self.key_start[k]:self.key_start[k + 1]].tobytes()

    def lookup(self, kind: str, garbled: str) -> list[tuple[int, float]]:
        """[(syllable id, log10 P(garbled | syllable))] for a word of case `kind`."""
        wanted = f"{kind}:{garbled.lower()}".encode("utf-8")
        lo, hi = 0, self.size
        while lo < hi:
            mid = (lo + hi) // 2
            if self._key(mid) < wanted:
                lo = mid + 1
            else:
                hi = mid
        if lo == self.size or self._key(lo) != wanted:
            return []
        start, end = int(self.value_start[lo]), int(self.value_start[lo + 1])
        return list(zip(self.ids[start:end].tolist(), self.logp[start:end].tolist()))
