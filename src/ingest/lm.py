"""The syllable language model of Vietnamese administrative text, searched in place.

Trained by `ingest.lm_train` from the shared corpus: interpolated modified Kneser-Ney over
lowercase NFC syllables, order 4 (`ingest.kneser_ney` says how the n-grams are laid out).
Numbers are one token (`<num>`), syllables seen once are `<unk>`, punctuation ends a
sequence. The file (`models/syllables.lm`, shipped in the wheel as `vanthu.models`) is a set
of sorted arrays that `ingest.arrayfile` maps into memory: loading parses nothing, every
process shares the pages, and a lookup is a binary search (`np.searchsorted`) in place.

Two ways to score:
- `advance(contexts, words)`: vectorized, for the decoder of `ingest.restore` (thousands of
  hypotheses per step);
- `sequence_logprob(syllables)`: one line, for OCR choosing between readings.

`candidates(folded)` lists the accented syllables seen in training whose mark-free form is
`folded`, most frequent first: what diacritic restoration chooses among.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Iterable
from contextlib import ExitStack
from functools import cached_property
from importlib import resources
from pathlib import Path

import numpy as np

from .arrayfile import open_arrays
from .errors import MissingModel
from .forms import FormPhrases
from .kneser_ney import WORD_BITS

MODEL_FILE = "syllables.lm"
MODEL_PACKAGE = "vanthu.models"  # models/ of the source tree, mapped into the wheel
PAD, BOS, EOS, UNK, NUM = "<pad>", "<s>", "</s>", "<unk>", "<num>"
SPECIALS = (PAD, BOS, EOS, UNK, NUM)  # ids 0..4
# Punctuation inside a sentence is a token of the model, so a word after a comma or a colon
# keeps its context ("các sở , ban , ngành", "kính gửi :"); other punctuation ends a sentence.
INNER_PUNCT = frozenset(",;:()")
# log10 score of a syllable the model has never seen (`sequence_logprob`). The rarest known
# syllable scores about -6.5 after a sentence start and about -7.5 after an unlikely context;
# a fixed -8 keeps a reading with an unknown word below one whose words are all known, by a
# bounded amount, so two readings of one line with the same number of words compare fairly.
OOV_LOGPROB = -8.0
EDGE_PUNCT = ".,;:!?()[]\"“”'…"

_resources = ExitStack()  # keeps a resource extracted from a zip alive for the process


def blob(strings: Iterable[str]) -> np.ndarray:
    """Strings joined by newlines, as bytes: how the model file stores its tables."""
    return np.frombuffer("\n".join(strings).encode("utf-8"), dtype=np.uint8)


def _lines(array: np.ndarray) -> list[str]:
    text = array.tobytes().decode("utf-8")
    return text.split("\n") if text else []


def model_path() -> Path:
    """$VANTHU_MODELS/syllables.lm, else the copy installed with the package."""
    env = os.environ.get("VANTHU_MODELS")
    if env:
        return Path(env) / MODEL_FILE
    try:
        resource = resources.files(MODEL_PACKAGE) / MODEL_FILE
    except ModuleNotFoundError:
        return Path(MODEL_PACKAGE.replace(".", "/")) / MODEL_FILE  # reported as missing
    return _resources.enter_context(resources.as_file(resource))


@functools.cache
def default_model() -> SyllableLM:
    """The installed model, loaded once per process."""
    return SyllableLM.load()


class SyllableLM:
    """See the module docstring."""

    def __init__(self, arrays: dict[str, np.ndarray], meta: dict) -> None:
        self.arrays = arrays
        self.order = int(meta["order"])
        self.vocab = _lines(arrays["vocab"])
        self.size = len(self.vocab)
        self.index = {syllable: i for i, syllable in enumerate(self.vocab)}
        self.bos, self.eos, self.unk, self.num = (self.index[s] for s in (BOS, EOS, UNK, NUM))
        self.counts = arrays["counts"]
        self.cap_counts = arrays["cap_counts"]
        # logprob[n], backoff[n] for n = 1 … order; keys[n] for n ≥ 2 (keys[1] is the id).
        self.logprob = {n: arrays[f"logprob{n}"] for n in range(1, self.order + 1)}
        self.backoff = {n: arrays[f"backoff{n}"] for n in range(1, self.order)}
        self.keys = {n: arrays[f"keys{n}"] for n in range(2, self.order + 1)}

    @classmethod
    def load(cls, path: Path | None = None) -> SyllableLM:
        """Map the model file (default: `model_path()`) into memory."""
        path = path or model_path()
        if not path.is_file():
            raise MissingModel(path)
        return cls(*open_arrays(path))

    # -- vocabulary ---------------------------------------------------------------------

    @cached_property
    def variants(self) -> dict[str, str]:
        """Other tone placements -> the spelling the model keeps ("hoá" -> "hóa")."""
        return dict(line.split("\t") for line in _lines(self.arrays["variants"]))

    def id_of(self, syllable: str) -> int | None:
        """Id of a lowercase syllable (any tone placement), None if unknown."""
        i = self.index.get(syllable)
        if i is None and syllable in self.variants:
            i = self.index.get(self.variants[syllable])
        return i

    def known(self, syllable: str) -> bool:
        """True if the model has seen `syllable` (case-insensitive, edge punctuation ignored)."""
        i = self.id_of(syllable.strip(EDGE_PUNCT).lower())
        return i is not None and i >= len(SPECIALS)

    @cached_property
    def _by_fold(self) -> dict[str, tuple[int, int]]:
        starts = self.arrays["fold_start"].tolist()
        return {f: (starts[k], starts[k + 1]) for k, f in enumerate(_lines(self.arrays["fold_text"]))}

    @cached_property
    def frequency(self) -> np.ndarray:
        """log10 of each syllable's share of the training text (its raw count)."""
        counts = np.asarray(self.counts, dtype=np.float64)
        return np.log10(np.maximum(counts, 0.5) / counts.sum())

    @cached_property
    def spellings(self) -> list[str]:
        """Every mark-free spelling of a known syllable."""
        return list(self._by_fold)

    def candidates(self, folded: str, limit: int = 12) -> list[int]:
        """Ids of known syllables whose mark-free form is `folded`, most frequent first."""
        span = self._by_fold.get(folded)
        if span is None:
            return []
        return self.arrays["fold_ids"][span[0]:min(span[1], span[0] + limit)].tolist()

    @cached_property
    def symbols(self) -> dict[str, str]:
        """"QD" -> "QĐ": marked spellings of symbol parts."""
        return dict(line.split("\t") for line in _lines(self.arrays["symbols"]))

    @cached_property
    def forms(self) -> FormPhrases:
        """Phrases of the form (header and footer lines), see `ingest.forms`."""
        return FormPhrases(tuple(line.split("\t")) for line in _lines(self.arrays["forms"]))

    # -- scores -------------------------------------------------------------------------

    def start(self, count: int, after_bos: bool = True) -> list[np.ndarray]:
        """`count` fresh contexts: after a sentence start, or empty (after an unknown word)."""
        first = np.full(count, self.bos if after_bos else -1, dtype=np.int64)
        return [first] + [np.full(count, -1, dtype=np.int64) for _ in range(self.order - 2)]

    def _find(self, n: int, context: np.ndarray, words: np.ndarray) -> np.ndarray:
        """Index of each (context, word) among order n's keys, -1 where absent."""
        keys = self.keys[n]
        found = np.full(len(words), -1, dtype=np.int64)
        valid = np.flatnonzero(context >= 0)
        if len(valid) == 0 or len(keys) == 0:
            return found
        query = ((context[valid] << WORD_BITS) | words[valid]).astype(keys.dtype)
        where = np.searchsorted(keys, query)
        where[where == len(keys)] = 0
        hit = keys[where] == query
        found[valid[hit]] = where[hit]
        return found

    def advance(self, contexts: list[np.ndarray], words: np.ndarray) -> tuple[np.ndarray, list[np.ndarray]]:
        """log10 p(word | context) for each pair, and the contexts after each word.

        `contexts[m - 1]` is the index among order m's n-grams of the last m words (-1 when
        they are not in the model, or there are fewer); order 1's index is the word id.
        """
        words = words.astype(np.int64)
        indexes = [words] + [self._find(n, contexts[n - 2], words) for n in range(2, self.order + 1)]
        score = self.logprob[1][words].astype(np.float64)
        found = np.zeros(len(words), dtype=bool)
        for n in range(self.order, 1, -1):  # the longest n-gram found gives the probability
            hit = (indexes[n - 1] >= 0) & ~found
            score[hit] = self.logprob[n][indexes[n - 1][hit]]
            found |= hit
        for m in range(1, self.order):  # ... and each longer context that missed, its backoff
            context = contexts[m - 1]
            missed = (indexes[m] < 0) & (context >= 0)
            score[missed] += self.backoff[m][context[missed]]
        return score, indexes[:-1]

    def score(self, a: int, b: int, c: int) -> float:
        """log10 p(c | a b) for three ids (the trigram interface OCR's word vote uses;
        `sequence_logprob` is the one to prefer)."""
        first = np.asarray([b])
        pair = self._find(2, np.asarray([a]), first)
        contexts = [first, pair] + [np.full(1, -1, dtype=np.int64) for _ in range(self.order - 3)]
        return float(self.advance(contexts, np.asarray([c]))[0][0])

    def state(self, contexts: list[np.ndarray]) -> np.ndarray:
        """One integer per context that tells apart exactly the contexts whose futures differ:
        the longest n-gram of the context the model has (it fixes the shorter ones)."""
        code = contexts[0].copy()
        offset = self.size
        for n in range(2, self.order):
            code = np.where(contexts[n - 1] >= 0, contexts[n - 1] + offset, code)
            offset += len(self.keys[n])
        return code

    def sequence_logprob(self, syllables: list[str]) -> float:
        """log10 probability of `syllables` after a sentence start (case and edge punctuation
        ignored; numbers are one token). An unknown syllable scores OOV_LOGPROB and is the
        `<unk>` context of the next one."""
        ids = []
        penalty = 0.0
        for syllable in syllables:
            word = syllable.strip(EDGE_PUNCT).lower()
            i = self.num if word.replace(".", "").replace(",", "").replace("/", "").isdigit() else self.id_of(word)
            if i is None or i < len(SPECIALS) and i != self.num:
                penalty += OOV_LOGPROB
                i = self.unk
            ids.append(i)
        contexts = self.start(1)
        total = penalty
        for i in ids:
            score, contexts = self.advance(contexts, np.asarray([i]))
            if i != self.unk:
                total += float(score[0])
        return total
