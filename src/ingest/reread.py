"""A second look at the words the first reading doubts, all of them in one Tesseract call.

The page is read once; some words come back with low confidence: a number the vie model
half-recognised ("46885" for 4685), a syllable whose stacked marks it confused ("SÓ" for
SỐ). Each such word is cut out, enlarged by `SCALE` (the model confuses marks at one size
and not at another), and pasted on one "word sheet", one word per line, which Tesseract
reads once: the cost is one call on a small image, whatever the number of words.

The two readings of each word are then compared (`choose`):
- a number or code: the surer reading wins; when the two disagree and neither is sure, the
  word keeps the lower confidence, so extraction abstains rather than guess;
- a syllable: a syllable the language model knows beats one it does not; between two it
  knows, the one likelier beside its neighbours, unless the other was read far more surely.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, replace

import cv2
import numpy as np

from .tesseract import Word, recognize_pages

SCALE = 1.5             # the second reading's size against the first
NUMBER_DOUBT = 90.0     # a word with a digit read below this is read again
WORD_DOUBT = 75.0       # a word of letters in a column read below this is read again
MAX_WORDS = 24          # words re-read per page at most (bounds the cost)
SURER = 10.0            # confidence points one reading must lead by to win on confidence alone
CONTEXT = 1.0           # log10 units the language model must prefer a reading by

Logprob = Callable[[list[str]], float]
Known = Callable[[str], bool]


def _has_digit(text: str) -> bool:
    return any(c.isdigit() for c in text)


def doubtful(words: Sequence[Word], in_columns: Sequence[bool], disputed: Collection[int] = ()) -> list[int]:
    """Indexes of the words worth a second look, least sure first, at most `MAX_WORDS`: the
    words of the header's and the closing's columns, where the fields are (the number and
    symbol, the date, the issuer, the signer), read with doubt, or `disputed`: read surely
    but not as the language model would have them ("Hiên" at 94% where a name's "Hiền" or
    "Hiến" was printed: Tesseract drops a tone over a circumflex, and only the image can
    tell which one it dropped)."""
    picked = [i for i, w in enumerate(words) if in_columns[i] and (
              (_has_digit(w.text) and w.conf < NUMBER_DOUBT)
              or (sum(c.isalpha() for c in w.text) >= 2 and (w.conf < WORD_DOUBT or i in disputed)))]
    picked.sort(key=lambda i: words[i].conf)
    return sorted(picked[:MAX_WORDS])


@dataclass(frozen=True)
class Second:
    """A word's second reading."""

    text: str
    conf: float


def read_sheet(page: np.ndarray, words: Sequence[Word], lang: str, timeout: float,
               others: Sequence[np.ndarray] = ()) -> tuple[list[Second | None], list[list[Word]]]:
    """Read the given words again, enlarged, one per line of a single sheet; and `others`
    (images read as blocks of text, psm 6, as the sheet is) in the same Tesseract run:
    each word's second reading, and the words of each of `others`."""
    if not words:
        return [], recognize_pages(others, lang, 6, timeout)
    height = max(w.height for w in words)
    pad = max(2, round(0.2 * height))
    crops = []
    for w in words:
        crop = page[max(0, w.top - pad):w.bottom + pad, max(0, w.left - pad):w.right + pad]
        crops.append(cv2.resize(crop, None, fx=SCALE, fy=SCALE, interpolation=cv2.INTER_CUBIC))
    gap = round(0.8 * height * SCALE)
    width = max(c.shape[1] for c in crops) + 2 * gap
    sheet = np.full((sum(c.shape[0] + gap for c in crops) + gap, width), 255, np.uint8)
    bands, y = [], gap
    for crop in crops:
        sheet[y:y + crop.shape[0], gap:gap + crop.shape[1]] = crop
        bands.append((y, y + crop.shape[0]))
        y += crop.shape[0] + gap
    found: list[list[Word]] = [[] for _ in words]
    on_sheet, *read_others = recognize_pages([sheet, *others], lang, 6, timeout)
    for word in on_sheet:
        middle = (word.top + word.bottom) / 2
        for k, (top, bottom) in enumerate(bands):
            if top - gap / 2 <= middle <= bottom + gap / 2:
                found[k].append(word)
                break
    out: list[Second | None] = []
    for pieces in found:
        if not pieces:
            out.append(None)
            continue
        pieces.sort(key=lambda w: w.left)
        conf = min(w.conf for w in pieces)
        out.append(Second("".join(w.text for w in pieces), conf))
    return out, read_others


def choose(words: list[Word], index: int, second: Second | None, known: Known, logprob: Logprob) -> Word:
    """The better of a word's two readings (see the module docstring)."""
    first = words[index]
    if second is None or not second.text.strip() or second.text == first.text:
        return first if second is None or second.text != first.text else replace(first, conf=max(first.conf, second.conf))
    if _has_digit(first.text) or _has_digit(second.text):
        if second.conf >= first.conf + SURER:
            return replace(first, text=second.text, conf=second.conf)
        if first.conf >= second.conf + SURER:
            return first
        return replace(first, conf=min(first.conf, second.conf))  # they disagree: doubt stays
    first_known, second_known = known(first.text), known(second.text)
    if first_known != second_known:
        return first if first_known else replace(first, text=second.text, conf=second.conf)
    before = [w.text for w in words[max(0, index - 2):index]]
    after = [w.text for w in words[index + 1:index + 3]]
    gain = logprob([*before, second.text, *after]) - logprob([*before, first.text, *after])
    if gain > CONTEXT and second.conf + SURER >= first.conf:
        return replace(first, text=second.text, conf=second.conf)
    if gain < -CONTEXT and first.conf + SURER >= second.conf:
        return first
    return first if first.conf >= second.conf else replace(first, text=second.text, conf=second.conf)


def second_look(page: np.ndarray, words: list[Word], in_columns: Sequence[bool], lang: str,
                timeout: float, known: Known, logprob: Logprob, disputed: Collection[int] = (),
                others: Sequence[np.ndarray] = ()) -> tuple[list[Word], list[list[Word]]]:
    """The words (in reading order; `in_columns` says which stand in a two-column band) with
    the doubtful ones read again and settled (see the module docstring); and the words of
    `others`, images read as blocks of text in the same Tesseract run (one start of
    Tesseract less: ~0.06 s of CPU)."""
    picked = doubtful(words, in_columns, disputed)
    seconds, read_others = read_sheet(page, [words[i] for i in picked], lang, timeout, others)
    out = list(words)
    for i, second in zip(picked, seconds):
        out[i] = choose(out, i, second, known, logprob)
    return out, read_others
