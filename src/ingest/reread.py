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

`tone_look` is a look of another kind, at names. Read as part of a block (the page, or the
word sheet), Tesseract drops the tone stacked over a circumflex, breve or horn ("Hiền",
"Yến" read "Hiên", "Yên"), and in a name the language model cannot tell which tone was
dropped, or whether one was. Read alone as a single line (page segmentation mode 7), the
same word keeps its tone far more often (real scans of ../shared/realdocs: "Hiền" 97%,
"Yến" 95%, where the block reading gave "Hiên", "Yên" at 94-97%). Each Capitalized syllable
with such a vowel and no tone is read that way, all of them in one Tesseract run.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, replace

import cv2
import numpy as np

from .correct import CONFIDENCE_WEIGHT, SHAPES, TONES, channel_cost, split_edges
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


MAX_TONE_WORDS = 40  # names read alone per page at most (bounds the cost; real pages hold 0-40)
TONE_BORDER = 30     # white pixels around a word read alone: Tesseract wants a margin


def tone_doubt(text: str) -> bool:
    """A Capitalized syllable whose vowel has a circumflex, breve or horn and no tone
    ("Hiên", "Yên", "Trân"): what Tesseract reads when it drops such a tone in a name."""
    core = split_edges(text)[1]
    if len(core) < 2 or not core.isalpha() or not core[0].isupper() or not core[1:].islower():
        return False
    marks = unicodedata.normalize("NFD", core.lower())
    return any(c in SHAPES for c in marks) and not any(c in TONES for c in marks)


def _toneless(syllable: str) -> str:
    """The syllable with its tone taken off, its letters and their shapes kept ("Đường" ->
    "Đương")."""
    return unicodedata.normalize("NFC", "".join(c for c in unicodedata.normalize("NFD", syllable) if c not in TONES))


def _alone(page: np.ndarray, word: Word) -> np.ndarray:
    """A word's crop at the page's size, with a white margin, to be read as one line."""
    pad = max(2, round(0.2 * word.height))
    crop = page[max(0, word.top - pad):word.bottom + pad, max(0, word.left - pad):word.right + pad]
    return cv2.copyMakeBorder(crop, TONE_BORDER, TONE_BORDER, TONE_BORDER, TONE_BORDER,
                              cv2.BORDER_CONSTANT, value=255)


def settle_tone(words: list[Word], index: int, alone: Second | None, logprob: Logprob) -> Word:
    """A name read in the block (`words[index]`) or alone: when the two readings differ in
    their marks only, the printed syllable likelier to have given both, as the language
    model scores it beside its neighbours less the cost of each reading's slip
    (`correct.channel_cost`: a stacked tone is often dropped, a tone rarely added)."""
    first = words[index]
    lead, core, trail = split_edges(first.text)
    other = split_edges(alone.text)[1] if alone else ""
    if not other or other == core or _toneless(other) != _toneless(core):
        return first  # another word, or other letters: not the slip this look is for
    before = [w.text for w in words[max(0, index - 2):index]]
    after = [w.text for w in words[index + 1:index + 3]]

    def score(printed: str, seen: str, conf: float) -> float:
        weight = 1 + CONFIDENCE_WEIGHT * max(0.0, min(conf, 100.0)) / 100
        return logprob([*before, printed, *after]) - weight * channel_cost(seen.lower(), printed.lower())

    if score(other, core, first.conf) > score(core, other, alone.conf):
        return replace(first, text=lead + other + trail, conf=alone.conf)
    return first


def tone_look(page: np.ndarray, words: list[Word], lang: str, timeout: float, logprob: Logprob) -> list[Word]:
    """The words (in reading order) with each name that may have lost a stacked tone
    (`tone_doubt`) read again alone and settled (`settle_tone`)."""
    picked = [i for i, w in enumerate(words) if tone_doubt(w.text)][:MAX_TONE_WORDS]
    if not picked:
        return words
    found = recognize_pages([_alone(page, words[i]) for i in picked], lang, 7, timeout)
    out = list(words)
    for i, pieces in zip(picked, found):
        alone = Second(pieces[0].text, pieces[0].conf) if len(pieces) == 1 else None
        out[i] = settle_tone(out, i, alone, logprob)
    return out
