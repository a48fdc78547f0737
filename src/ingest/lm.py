"""A syllable trigram language model of Vietnamese administrative text (stupid backoff).

Trained by `ingest.lm_train` from the shared corpus and stored as one `.npz` file of sorted
integer keys and counts (`models/syllables.npz`). Syllables are lowercase NFC; numbers are
one token; punctuation ends a sequence. Scores are log10 "stupid backoff" scores (Brants et
al. 2007): fast to compute, and for ranking candidates as good as smoothed probabilities.

`candidates(folded)` lists the accented syllables seen in training whose mark-free form is
`folded`, most frequent first: what diacritic restoration chooses among.
"""

from __future__ import annotations

import functools
import math
import os
from functools import cached_property
from pathlib import Path

import numpy as np

from .errors import MissingModel
from vanthu.knowledge.orthography import fold

MODEL_FILE = "syllables.npz"
BOS, EOS, NUM = "<s>", "</s>", "<num>"
BACKOFF = math.log10(0.4)
# log10 score of a syllable the model has never seen (`sequence_logprob`): below the score of
# any known syllable (the rarest unigram scores about -7.6 with the backoff), so a reading with
# an unknown word loses to one whose words are all known, but by a bounded amount.
OOV_LOGPROB = -8.0
EDGE_PUNCT = ".,;:!?()[]\"“”'…"


def models_dir() -> Path:
    """$VANTHU_MODELS, or models/ of the source tree (editable install)."""
    env = os.environ.get("VANTHU_MODELS")
    return Path(env) if env else Path(__file__).resolve().parents[2] / "models"


def _channel(table: str) -> dict[str, list[tuple[str, float]]]:
    counts: dict[str, list[tuple[str, int]]] = {}
    for line in table.splitlines():
        garbled, true, count = line.split("\t")
        counts.setdefault(garbled, []).append((true, int(count)))
    return {g: [(t, math.log10(n / sum(c for _, c in pairs))) for t, n in sorted(pairs, key=lambda p: -p[1])]
            for g, pairs in counts.items()}


@functools.cache
def default_model() -> SyllableLM:
    """The installed model, loaded once per process."""
    return SyllableLM.load()


class SyllableLM:
    """Trigram scores over integer syllable ids; see the module docstring."""

    def __init__(self, vocab: list[str], unigrams: np.ndarray, bigram_keys: np.ndarray,
                 bigram_counts: np.ndarray, trigram_keys: np.ndarray, trigram_counts: np.ndarray,
                 symbols: dict[str, str] | None = None,
                 channel: dict[str, list[tuple[str, float]]] | None = None) -> None:
        self.vocab = vocab
        # Garbled token -> [(true syllable, log10 P(true | garbled))], learned from -l eng OCR.
        self.channel = channel or {}
        self.symbols = symbols or {}  # "QD" -> "QĐ": marked spellings of symbol parts
        self.size = len(vocab)
        self.index = {syllable: i for i, syllable in enumerate(vocab)}
        total = float(unigrams.sum())
        self.unigram = (np.log10(np.maximum(unigrams, 1) / total) + BACKOFF * 2).tolist()
        # log10 c(ab)/c(a) for each bigram, c(abc)/c(ab) for each trigram, vectorised.
        first = bigram_keys // self.size
        bigram_log = np.log10(bigram_counts / np.maximum(unigrams[first], 1)) + BACKOFF
        self.bigram = dict(zip(bigram_keys.tolist(), bigram_log.tolist()))
        context = trigram_keys // self.size
        where = np.searchsorted(bigram_keys, context)
        where = np.minimum(where, len(bigram_keys) - 1)
        context_counts = np.where(bigram_keys[where] == context, bigram_counts[where], trigram_counts)
        trigram_log = np.log10(trigram_counts / np.maximum(context_counts, 1))
        self.trigram = dict(zip(trigram_keys.tolist(), trigram_log.tolist()))
        self._unigram_counts = unigrams

    @classmethod
    def load(cls, path: Path | None = None) -> SyllableLM:
        """Load the model file (default: models/syllables.npz or $VANTHU_MODELS)."""
        path = path or models_dir() / MODEL_FILE
        if not path.is_file():
            raise MissingModel(path)
        with np.load(path, allow_pickle=False) as data:
            vocab = bytes(data["vocab"]).decode("utf-8").split("\n")
            symbols = dict(line.split("\t") for line in bytes(data["symbols"]).decode("utf-8").splitlines())
            channel = _channel(bytes(data["channel"]).decode("utf-8")) if "channel" in data else {}
            return cls(vocab, data["unigrams"].astype(np.float64), data["bigram_keys"],
                       data["bigram_counts"].astype(np.float64), data["trigram_keys"],
                       data["trigram_counts"].astype(np.float64), symbols, channel)

    def id_of(self, syllable: str) -> int | None:
        return self.index.get(syllable)

    def known(self, syllable: str) -> bool:
        """True if the model has seen `syllable` (case-insensitive, edge punctuation ignored)."""
        return self.index.get(syllable.strip(EDGE_PUNCT).lower()) is not None

    def sequence_logprob(self, syllables: list[str]) -> float:
        """log10 score of `syllables` after a sentence start (case and edge punctuation ignored).

        An unknown syllable scores OOV_LOGPROB and the context restarts after it, so two
        candidate readings of the same line, of the same length, can be compared.
        """
        bos = self.index[BOS]
        a = b = bos
        total = 0.0
        for syllable in syllables:
            word = syllable.strip(EDGE_PUNCT).lower()
            c = self.index[NUM] if word.isdigit() else self.index.get(word)
            if c is None:
                total += OOV_LOGPROB
                a = b = bos
                continue
            total += self.score(a, b, c)
            a, b = b, c
        return total

    def score(self, a: int, b: int, c: int) -> float:
        """log10 S(c | a b)."""
        size = self.size
        tri = self.trigram.get((a * size + b) * size + c)
        if tri is not None:
            return tri
        bi = self.bigram.get(b * size + c)
        if bi is not None:
            return bi
        return self.unigram[c]

    @cached_property
    def _by_fold(self) -> dict[str, list[int]]:
        table: dict[str, list[int]] = {}
        order = np.argsort(-self._unigram_counts, kind="stable")
        for i in order.tolist():
            syllable = self.vocab[i]
            if syllable in (BOS, EOS, NUM):
                continue
            table.setdefault(fold(syllable), []).append(i)
        return table

    def candidates(self, folded: str, limit: int = 12) -> list[int]:
        """Ids of known syllables whose mark-free form is `folded`, most frequent first."""
        return self._by_fold.get(folded, [])[:limit]
