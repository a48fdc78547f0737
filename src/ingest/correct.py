"""Marks Tesseract misread, put right by the language model: "sô" -> "số", "Hiên" -> "Hiền".

On real scans Tesseract's vie model reads the letters of a syllable far better than its
marks: it drops the tone above a circumflex ("ế", "ổ" read "ê", "ô"), takes a hook for a
tilde, a grave for an acute. So each syllable is compared with the syllables the language
model knows that have the same letters once the marks are folded away (`lm.candidates`),
and the one that is likeliest given its neighbours and what was seen is kept:

    score(candidate) = log10 P(candidate | two syllables before) + the same for the two after
                       - channel cost of reading the candidate as what was printed

The channel cost is low for the slips seen on scans (a tone dropped over ê/ô/ơ/ư/â/ă) and
higher for others (another tone, another letter shape), and it grows with the word's
recognition confidence: a word read at 97% needs strong context to change. Case is kept as
printed; numbers, codes and words the model has no candidates for are left alone.
"""

from __future__ import annotations

import functools
import math
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from vanthu.knowledge.orthography import fold

import numpy as np

from .lm import OOV_LOGPROB, SPECIALS, SyllableLM

TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}  # grave acute tilde hook dot-below
SHAPES = {"\u0302", "\u0306", "\u031b"}  # circumflex breve horn (đ is folded apart)
# Channel costs, log10 units, for a word read at full confidence (scaled by CONFIDENCE_WEIGHT).
DROPPED_TONE = 1.0    # a tone the scan lost
DROPPED_STACKED = 0.5  # ... over a vowel that has a circumflex, breve or horn too (ề, ổ, ằ, ờ): the usual slip
OTHER_TONE = 1.5      # one tone read as another
ADDED_TONE = 2.0      # a tone read where there is none
OTHER_SHAPE = 3.0     # a circumflex, breve or horn lost or added; d read for đ
CAPITALS = 0.5        # in capitals marks are small and stacked tight: slips cost half
NAME_WEIGHT = 1.0     # log10 P(printed Capitalized | syllable): a Capitalized word is likely a name
# A Capitalized word's tone read at least this surely is not taken away: in a name the model
# prefers a commoner syllable ("Hồng Anh" over "Hồng Ánh" read at 97%) and context cannot
# tell. It may still be another tone. In running text it may be taken away: Tesseract reads
# "chỉ" for chi surely, and there the neighbours decide.
SURE_TONE = 95.0
CONFIDENCE_WEIGHT = 0.5  # how much more a sure reading costs to change: cost x (1 + w*conf)
_EDGE = ".,;:!?()[]{}\"'“”‘’«»-–…"


@dataclass(frozen=True)
class _Marks:
    tone: str | None
    shapes: frozenset[str]
    bar_d: bool


@functools.lru_cache(maxsize=65536)
def _marks(syllable: str) -> _Marks:
    decomposed = unicodedata.normalize("NFD", syllable.lower())
    tone = next((c for c in decomposed if c in TONES), None)
    return _Marks(tone, frozenset(c for c in decomposed if c in SHAPES), "đ" in syllable.lower())


def channel_cost(seen: str, candidate: str, capitals: bool = False) -> float:
    """Cost (log10, at full confidence) of printing `candidate` and reading `seen`."""
    a, b = _marks(seen), _marks(candidate)
    cost = 0.0
    if a.tone != b.tone:
        if a.tone is None:
            cost += DROPPED_STACKED if b.shapes else DROPPED_TONE
        elif b.tone is None:
            cost += ADDED_TONE
        else:
            cost += OTHER_TONE
    if a.shapes != b.shapes or a.bar_d != b.bar_d:
        cost += OTHER_SHAPE
    return cost * CAPITALS if capitals else cost


def with_case(source: str, syllable: str) -> str:
    """`syllable` written in the case pattern of `source` ("CHU" + "chủ" -> "CHỦ")."""
    if source.isupper():
        return syllable.upper()
    if source[:1].isupper():
        return syllable[:1].upper() + syllable[1:]
    return syllable


def split_edges(word: str) -> tuple[str, str, str]:
    """Leading punctuation, the syllable, trailing punctuation."""
    core = word.strip(_EDGE)
    if not core:
        return word, "", ""
    start = word.find(core)
    return word[:start], core, word[start + len(core):]


def _capitalized_share(lm: SyllableLM, syllable: str) -> float:
    """log10 of the share of a syllable's uses printed Capitalized inside a line (a name's
    syllables: high; a common word's: low)."""
    i = lm.id_of(syllable)
    if i is None:
        return math.log10(0.5)
    return math.log10((float(lm.cap_counts[i]) + 0.5) / (float(lm.counts[i]) + 1.0))


def _id(lm: SyllableLM, word: str) -> int:
    """The model's id of a word as `SyllableLM.sequence_logprob` takes it: numbers are one
    token, an unknown syllable is `<unk>`."""
    token = word.strip(_EDGE).lower()
    if token.replace(".", "").replace(",", "").replace("/", "").isdigit():
        return lm.num
    i = lm.id_of(token)
    return lm.unk if i is None or (i < len(SPECIALS) and i != lm.num) else i


def _window_scores(lm: SyllableLM, contexts: list[np.ndarray], candidates: list[int], after: list[int]) -> np.ndarray:
    """log10 P of each candidate (ids) between the same neighbours (up to a constant shared by
    all candidates): from `contexts` (the model's state after the words before, one row), the
    model is stepped once per position for all candidates together."""
    count = len(candidates)
    contexts = [np.repeat(context, count) for context in contexts]
    ids = np.asarray(candidates)
    scores, contexts = lm.advance(contexts, ids)
    scores = np.where(ids == lm.unk, OOV_LOGPROB, scores)
    for i in after:
        step, contexts = lm.advance(contexts, np.full(count, i))
        if i != lm.unk:
            scores = scores + step
        else:
            scores = scores + OOV_LOGPROB
    return scores


class _Contexts:
    """The model's state after a few words, from the start of a window: the same one or two
    words come before many windows of a page, so each state is computed once."""

    def __init__(self, lm: SyllableLM) -> None:
        self.lm = lm
        self.known: dict[tuple[int, ...], list[np.ndarray]] = {(): lm.start(1)}

    def after(self, ids: tuple[int, ...]) -> list[np.ndarray]:
        found = self.known.get(ids)
        if found is None:
            _, found = self.lm.advance(self.after(ids[:-1]), np.asarray([ids[-1]]))
            self.known[ids] = found
        return found


def _padded(rows: list[list[int]], width: int, right: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """Lists of ids of up to `width` each as one (rows, width) array, and where it holds one
    (to the right end when `right`: the words just before a candidate)."""
    ids = np.zeros((len(rows), width), dtype=np.int64)
    held = np.zeros((len(rows), width), dtype=bool)
    for r, row in enumerate(rows):
        at = width - len(row) if right else 0
        ids[r, at:at + len(row)] = row
        held[r, at:at + len(row)] = True
    return ids, held


def _all_window_scores(lm: SyllableLM, before: list[tuple[int, ...]], candidates: list[list[int]],
                       after: list[list[int]]) -> list[np.ndarray]:
    """`_window_scores` of many windows, every candidate of every window stepped through the
    model together (one `advance` per position instead of one per position and word: the
    same numbers, each row computed as alone). A row with fewer words before or after
    keeps its state, or its score, where it has none."""
    counts = [len(c) for c in candidates]
    rows = np.repeat(np.arange(len(candidates)), counts)
    words_before, held_before = _padded([list(b) for b in before], max(map(len, before), default=0), right=True)
    words_after, held_after = _padded(after, max(map(len, after), default=0))
    contexts = lm.start(len(rows))
    for k in range(words_before.shape[1]):
        _, stepped = lm.advance(contexts, words_before[rows, k])
        held = held_before[rows, k]
        contexts = [np.where(held, new, old) for new, old in zip(stepped, contexts)]
    ids = np.asarray([i for c in candidates for i in c], dtype=np.int64)
    scores, contexts = lm.advance(contexts, ids)
    scores = np.where(ids == lm.unk, OOV_LOGPROB, scores)
    for k in range(words_after.shape[1]):
        words = words_after[rows, k]
        step, contexts = lm.advance(contexts, words)
        scores = scores + np.where(held_after[rows, k], np.where(words == lm.unk, OOV_LOGPROB, step), 0.0)
    return np.split(scores, np.cumsum(counts)[:-1]) if counts else []


@dataclass(frozen=True)
class _Choice:
    """A word the model may correct: where it is, how it was printed, what it may be."""

    index: int
    lead: str
    core: str
    trail: str
    choices: list[str]  # the word as read (lowercase) first, then the model's candidates
    weight: float


def _capitals(core: str) -> bool:
    """A word in capitals ("THỦ"), where marks are small and stacked tight."""
    return len(core) > 1 and core.isupper()


def _titled(core: str) -> bool:
    """A Capitalized word ("Hiền"), likely a name."""
    return core[:1].isupper() and not _capitals(core)


def _choices(texts: Sequence[str], confidences: Sequence[float], lm: SyllableLM,
             sure_tone: float | None) -> list[_Choice]:
    """The words with candidates other than themselves: alphabetic syllables only."""
    found = []
    for i, (text, conf) in enumerate(zip(texts, confidences)):
        lead, core, trail = split_edges(text)
        if not core or not core.isalpha():
            continue
        lowered = core.lower()
        options = [o for o in (lm.vocab[k] for k in lm.candidates(fold(core).lower())) if o != lowered]
        if _titled(core) and sure_tone is not None and conf >= sure_tone and _marks(lowered).tone is not None:
            # A name's tone read this surely was printed: it may be another, not taken away.
            options = [o for o in options if _marks(o).tone is not None]
        if options:
            found.append(_Choice(i, lead, core, trail, [lowered, *options],
                                 1 + CONFIDENCE_WEIGHT * max(0.0, min(conf, 100.0)) / 100))
    return found


def _best(lm: SyllableLM, choice: _Choice, scores: np.ndarray) -> str:
    """The choice the scores, the channel and (for a Capitalized word) names make likeliest."""
    capitals = _capitals(choice.core)
    titled = _titled(choice.core)
    scores = scores.copy()
    for k, candidate in enumerate(choice.choices):
        if k:
            scores[k] -= choice.weight * channel_cost(choice.choices[0], candidate, capitals)
        if titled:  # names: "Trần", "Hiền" are printed Capitalized far more than "Trấn", "Hiện"
            scores[k] += NAME_WEIGHT * _capitalized_share(lm, candidate)
    return choice.choices[int(np.argmax(scores))]


def correct_words(texts: Sequence[str], confidences: Sequence[float], lm: SyllableLM,
                  sure_tone: float | None = SURE_TONE) -> list[str]:
    """The words of a line (or a page, in reading order) with misread marks put right; the
    tone of a Capitalized word read at least `sure_tone` surely is not taken away (None: any
    tone may be).

    Each word is judged between the two words before it as corrected and the two after it as
    read. All words are scored at once with the words before them as read; the few whose
    words before were corrected are scored again, in order."""
    out = list(texts)
    cores = [split_edges(t)[1] for t in texts]
    ids: dict[str, int] = {}

    def id_of(word: str) -> int:
        if word not in ids:
            ids[word] = _id(lm, word)
        return ids[word]

    found = _choices(texts, confidences, lm, sure_tone)
    before = [tuple(id_of(w) for w in cores[max(0, c.index - 2):c.index]) for c in found]
    after = [[id_of(w) for w in cores[c.index + 1:c.index + 3]] for c in found]
    candidates = [[id_of(w) for w in c.choices] for c in found]
    first = _all_window_scores(lm, before, candidates, after)
    states = _Contexts(lm)
    for choice, read_before, candidate_ids, following, scores in zip(found, before, candidates, after, first):
        now_before = tuple(id_of(split_edges(w)[1]) for w in out[max(0, choice.index - 2):choice.index])
        if now_before != read_before:  # a word before it was corrected: its window changed
            scores = _window_scores(lm, states.after(now_before), candidate_ids, following)
        best = _best(lm, choice, scores)
        if best != choice.choices[0]:
            out[choice.index] = choice.lead + with_case(choice.core, best) + choice.trail
    return out


Corrector = Callable[[Sequence[str], Sequence[float]], list[str]]
