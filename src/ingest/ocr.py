"""OCR of one page image: clean it, stand it upright, read it, put the words in reading order.

    clean_page -> orientation (OSD) -> deskew -> Tesseract words -> blocks in reading order
    -> two-column bands read again as separate column crops -> PageText

A page is turned when it is landscape (a portrait letter scanned sideways) or when the first
reading is poor; Tesseract's OSD says by how much.
"""

from __future__ import annotations

import re
from dataclasses import replace

import numpy as np
from PIL import Image
from pydantic import BaseModel, ConfigDict

from .errors import MissingModel
from .layout import Block, blocks_to_text, mean_confidence, words_to_blocks
from .preprocess import clean_page, deskew, rotate_quarter
from .limits import capped_scale
from .lm import BOS, SyllableLM, default_model
from .tesseract import Word, orientation, recognize

# Bump when preprocessing or reading order changes: cached results of older versions are
# then ignored.
OCR_VERSION = "ocr-2"
# A first reading below this mean confidence makes vanthu ask OSD whether the page is upside down.
RETRY_ORIENTATION_BELOW = 80.0
MIN_OSD_CONFIDENCE = 1.5
COLUMN_PAD = 25  # pixels around a column crop
# Column crops (header and closing, where the fields are) are read at three sizes and the
# readings vote word by word: the vie model confuses stacked marks (ổ/ố, ả/á) at one size
# and not at another, and its confidence alone does not always say which reading is right.
COLUMN_SCALES = (1.0, 4 / 3, 5 / 3)


_DOUBLED_D = re.compile("[ĐÐ]{2,}")
JUNK_CONFIDENCE = 40.0  # symbol-only "words" below this are seal or signature strokes


def _tidy_word(text: str) -> str:
    # Tesseract's vie model follows a capital Đ with look-alike Ð (U+00D0) ghosts: "ĐÐU" for
    # "ĐU"; a real double Đ ("ĐĐBQH") comes out as two U+0110 and is kept.
    text = _DOUBLED_D.sub(lambda m: "Đ" if "Ð" in m.group() else m.group(), text)
    # The vie model reads some 8s as "§" ("4§68", "tháng § năm"); dispatches never print §.
    if text == "§" or re.search(r"\d§|§\d", text):
        text = text.replace("§", "8")
    return text.replace("&€", "&")


def tidy_words(words: list[Word]) -> list[Word]:
    """Fix Tesseract's known character quirks; drop low-confidence words with no letter or digit."""
    out = []
    for word in words:
        if word.conf < JUNK_CONFIDENCE and not any(c.isalnum() for c in word.text):
            continue
        text = _tidy_word(word.text)
        out.append(word if text == word.text else replace(word, text=text))
    return out


class PageText(BaseModel):
    """The text read from one page image."""

    model_config = ConfigDict(extra="forbid")

    text: str
    confidence: float | None
    rotation: int = 0
    skew: float = 0.0


def _lines(words: list[Word]) -> list[list[Word]]:
    lines: dict[tuple[int, int, int], list[Word]] = {}
    for word in words:
        lines.setdefault(word.line, []).append(word)
    return list(lines.values())


def _texts(lines: list[list[Word]]) -> list[list[str]]:
    return [[w.text for w in line] for line in lines]


def _surest(candidates: list[list[Word]]) -> list[Word]:
    return max(candidates, key=lambda words: mean_confidence(words) or 0.0)


VOTE_WEIGHT = 1.0  # log10 units: one more reading is worth a tenfold language-model odds


def _context_score(lm: SyllableLM, words: list[str], j: int, option: str) -> float | None:
    """Trigram score of `option` at position j among `words`; None if any word is unknown."""
    ids = []
    for word in [*words[max(0, j - 2):j], option, *words[j + 1:j + 3]]:
        i = lm.id_of(word.strip(".,;:()").lower())
        if i is None:
            return None
        ids.append(i)
    bos = lm.index[BOS]
    padded = [bos] * (2 - min(j, 2)) + ids
    return sum(lm.score(*padded[k:k + 3]) for k in range(len(padded) - 2))


def _majority(options: tuple[Word, ...]) -> str:
    """The word most readings give; ties go to the most confident."""
    texts = [w.text for w in options]
    return max(options, key=lambda w: (texts.count(w.text), w.conf)).text


def _pick(options: tuple[Word, ...], words: list[str], j: int, lm: SyllableLM | None) -> str:
    """The reading of one word: most votes, then the language model, then confidence."""
    texts = [w.text for w in options]
    by_votes = _majority(options)
    if lm is None or len(set(texts)) == 1:
        return by_votes
    scores = {}
    for text in set(texts):
        context = _context_score(lm, words, j, text)
        if context is None:
            return by_votes  # numbers, symbols, unknown words: the model cannot judge
        scores[text] = context + VOTE_WEIGHT * texts.count(text)
    return max(scores, key=scores.get)


def vote(readings: list[list[list[Word]]], lm: SyllableLM | None = None) -> list[str]:
    """Combine readings of the same crop (each a list of lines of words) into lines of text.

    Where the readings agree on the number of lines and of words in a line, each word is
    the one most readings give, unless the language model `lm` finds another reading's
    word far likelier in its context ("chuyển đổi số", not "chuyển đối số"); ties go to the
    most confident. Elsewhere the most confident reading of the line (or crop) is kept.
    """
    if len({len(reading) for reading in readings}) != 1:
        best = max(readings, key=lambda lines: mean_confidence([w for line in lines for w in line]) or 0.0)
        return [" ".join(w.text for w in line) for line in best]
    out = []
    for candidates in zip(*readings):
        if len({len(line) for line in candidates}) != 1:
            out.append(" ".join(w.text for w in _surest(list(candidates))))
            continue
        columns = list(zip(*candidates))
        words = [_majority(options) for options in columns]
        for j, options in enumerate(columns):
            words[j] = _pick(options, words, j, lm)
        out.append(" ".join(words))
    return out


def _read_columns(page: Image.Image, blocks: list[Block], lang: str, timeout: float,
                  lm: SyllableLM | None, max_pixels: int | None = None) -> list[Block]:
    """Read each column of a two-column band on its own, so lines cannot interleave."""
    out = []
    for block in blocks:
        if block.kind == "flow":
            out.append(block)
            continue
        left, top, right, bottom = block.box
        crop = page.crop((max(0, left - COLUMN_PAD), max(0, top - COLUMN_PAD),
                          min(page.width, right + COLUMN_PAD), min(page.height, bottom + COLUMN_PAD)))
        readings: list[list[list[Word]]] = []
        for scale in COLUMN_SCALES:
            if len(readings) == 2 and _texts(readings[0]) == _texts(readings[1]):
                break  # two sizes agree: a third reading cannot change the vote
            if capped_scale(crop.width, crop.height, scale, max_pixels) < scale:
                break  # no larger reading than the page's pixel limit allows
            sized = crop if scale == 1 else crop.resize(
                (round(crop.width * scale), round(crop.height * scale)), Image.Resampling.BICUBIC)
            readings.append(_lines(tidy_words(recognize(sized, lang, 6, timeout))))
        lines = tuple(line for line in vote(readings, lm) if line)
        out.append(Block(block.kind, lines or block.lines, block.box, block.blank_before))
    return out


def _language_model() -> SyllableLM | None:
    """The syllable model for settling disagreements, or None where it is not installed."""
    try:
        return default_model()
    except MissingModel:
        return None


def _upright(grey: np.ndarray, turn: int) -> tuple[Image.Image, float]:
    page, skew = deskew(rotate_quarter(grey, turn))
    return Image.fromarray(page, "L"), skew


def _osd_turn(grey: np.ndarray, timeout: float) -> int:
    turn, confidence = orientation(Image.fromarray(grey, "L"), timeout)
    return turn if confidence >= MIN_OSD_CONFIDENCE else 0


def ocr_image(image: Image.Image, dpi: float, lang: str = "vie", timeout: float = 180,
              max_pixels: int | None = None) -> PageText:
    """Read one page image (any mode, any DPI) into text in reading order; no image made
    on the way has more than `max_pixels` pixels."""
    grey = clean_page(image, dpi, max_pixels)
    turn = _osd_turn(grey, timeout) if grey.shape[1] > grey.shape[0] else 0
    page, skew = _upright(grey, turn)
    words: list[Word] = recognize(page, lang, 3, timeout)
    confidence = mean_confidence(words)
    if confidence is None or confidence < RETRY_ORIENTATION_BELOW:
        retry = _osd_turn(rotate_quarter(grey, turn), timeout)
        if retry:
            page2, skew2 = _upright(grey, turn + retry)
            words2 = recognize(page2, lang, 3, timeout)
            confidence2 = mean_confidence(words2)
            if confidence2 is not None and (confidence is None or confidence2 > confidence):
                page, skew, words, confidence, turn = page2, skew2, words2, confidence2, turn + retry
    blocks = _read_columns(page, words_to_blocks(tidy_words(words)), lang, timeout, _language_model(), max_pixels)
    return PageText(text=blocks_to_text(blocks), confidence=confidence,
                    rotation=turn % 360, skew=skew)
