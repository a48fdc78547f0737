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


def correct_words(texts: Sequence[str], confidences: Sequence[float], lm: SyllableLM,
                  sure_tone: float | None = SURE_TONE) -> list[str]:
    """The words of a line (or a page, in reading order) with misread marks put right; the
    tone of a Capitalized word read at least `sure_tone` surely is not taken away (None: any
    tone may be)."""
    out = list(texts)
    cores = [split_edges(t)[1] for t in texts]
    ids: dict[str, int] = {}

    def id_of(word: str) -> int:
        if word not in ids:
            ids[word] = _id(lm, word)
        return ids[word]

    states = _Contexts(lm)
    for i, (text, conf) in enumerate(zip(texts, confidences)):
        lead, core, trail = split_edges(text)
        if not core or not core.isalpha():
            continue
        lowered = core.lower()
        options = [lm.vocab[k] for k in lm.candidates(fold(core).lower())]
        options = [o for o in options if o != lowered]
        capitals = len(core) > 1 and core.isupper()
        titled = core[:1].isupper() and not capitals
        if titled and sure_tone is not None and conf >= sure_tone and _marks(lowered).tone is not None:
            # A name's tone read this surely was printed: it may be another, not taken away.
            options = [o for o in options if _marks(o).tone is not None]
        if not options:
            continue
        before = [split_edges(w)[1] for w in out[max(0, i - 2):i]]
        after = cores[i + 1:i + 3]
        weight = 1 + CONFIDENCE_WEIGHT * max(0.0, min(conf, 100.0)) / 100
        choices = [lowered, *options]
        scores = _window_scores(lm, states.after(tuple(id_of(w) for w in before)), [id_of(c) for c in choices],
                                [id_of(w) for w in after])
        for k, candidate in enumerate(choices):
            if k:
                scores[k] -= weight * channel_cost(lowered, candidate, capitals)
            if titled:  # names: "Trần", "Hiền" are printed Capitalized far more than "Trấn", "Hiện"
                scores[k] += NAME_WEIGHT * _capitalized_share(lm, candidate)
        best = choices[int(np.argmax(scores))]
        if best != lowered:
            out[i] = lead + with_case(core, best) + trail
    return out


Corrector = Callable[[Sequence[str], Sequence[float]], list[str]]
