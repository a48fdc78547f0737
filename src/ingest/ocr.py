"""OCR of one page image: clean it, stand it upright, read it once, put the words in order.

    clean_page -> orientation (OSD) -> deskew
    -> stamps found by their frames (and known stamp boxes from a PDF text layer) whitened
    -> one Tesseract reading of the page: words with boxes and confidences
    -> noise and digital-signature stamp lines set aside (`noise`)
    -> words in reading order, column by column (`layout`)
    -> doubtful words read again on one sheet, and the stamps, as labelled regions, in the
       same Tesseract run; names that may have lost a stacked tone read again alone (`reread`)
    -> PageText: the text, every word with its box and confidence, the regions

The page is read once: a second reading costs a second Tesseract run, and on real scans a
reading of the whole page with the stamps taken out and the words put in order beats
re-reading crops (measured: docs/BENCHMARKS.md).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

import cv2
import numpy as np
from PIL import Image
from pydantic import BaseModel, ConfigDict, Field

from vanthu.knowledge.orthography import fold

from .correct import correct_words
from .errors import MissingModel
from .layout import Segment, assemble, mean_confidence, read_words
from .lm import default_model
from .models import Box, PageWord, Region
from .noise import Known, page_judge
from .preprocess import TARGET_DPI, clean_page, deskew, pen_ink, rotate, rotate_quarter
from .recover import (INK, lines_under_frames, read_areas, read_cut_lines, read_tall_lines, tall_lines,
                      unread_areas, unread_marks)
from .reread import Logprob, second_look, tone_look
from .stamps import find_frames, whiten
from .tesseract import Word, next_line, orientation, recognize
from .text import clean_word

# Bump when preprocessing, reading order or the page result change: cached results of older
# versions are then ignored.
OCR_VERSION = "ocr-31"
# A first reading below this mean confidence makes vanthu ask OSD whether the page is upside down.
RETRY_ORIENTATION_BELOW = 80.0
MIN_OSD_CONFIDENCE = 1.5
STAMP_PAD = 12  # pixels around a stamp's frame when it is read on its own

_DOUBLED_D = re.compile("[ĐÐ]{2,}")
JUNK_CONFIDENCE = 40.0  # symbol-only "words" below this are seal or signature strokes


def _tidy_word(text: str) -> str:
    # Tesseract's vie model follows a capital Đ with look-alike Ð (U+00D0) ghosts: "ĐÐU" for
    # "ĐU"; a real double Đ ("ĐĐBQH") comes out as two U+0110 and is kept.
    text = _DOUBLED_D.sub(lambda m: "Đ" if "Ð" in m.group() else m.group(), text)
    text = text.replace("Ð", "Đ")  # Icelandic eth is never Vietnamese
    # The vie model reads some 8s as "§" ("4§68", "tháng § năm"); dispatches never print §.
    if text == "§" or re.search(r"\d§|§\d", text):
        text = text.replace("§", "8")
    # It also reads the W of "TW" (Trung ương) in a symbol as "VW" ("KH/BCĐTVW"; rendered
    # "BCĐTW" comes out so wherever it stands). No Vietnamese abbreviation holds "VW".
    if "VW" in text and not any(c.islower() for c in text):
        text = text.replace("VW", "W")
    # A printed rule (under the issuer, under the motto) that touches a word is read as an
    # underscore glued to it ("_UBND"); a dispatch's words never start or end with one.
    if any(c.isalnum() for c in text):
        text = text.strip("_")
    return text.replace("&€", "&")


def tidy_words(words: list[Word]) -> list[Word]:
    """Fix Tesseract's known character quirks; drop low-confidence words with no letter or digit."""
    out = []
    for word in words:
        if word.conf < JUNK_CONFIDENCE and not any(c.isalnum() for c in word.text):
            continue
        text = clean_word(_tidy_word(word.text))
        if text:
            out.append(word if text == word.text else replace(word, text=text))
    return out


class PageText(BaseModel):
    """The text read from one page image, with its words' boxes and the regions set apart.

    Word offsets (`start`, `end`) are into `text`; `scanned.finish_scan` shifts them into the
    document's text when it joins the pages.
    """

    model_config = ConfigDict(extra="forbid")

    text: str
    confidence: float | None
    rotation: int = 0
    skew: float = 0.0
    width: int = 0
    height: int = 0
    words: list[PageWord] = Field(default_factory=list)
    regions: list[Region] = Field(default_factory=list)


def _language() -> tuple[Known, Logprob]:
    """Whether a token is a known syllable, and how likely a run of syllables is: from the
    language model, or, without the model, a plain run of letters no longer than a
    Vietnamese syllable, all runs equally likely."""
    try:
        model = default_model()
    except MissingModel:
        return (lambda token: bool(re.fullmatch(r"[^\W\d_]{1,7}", token))), (lambda syllables: 0.0)
    return model.known, model.sequence_logprob


def _corrected(words: list[Word], judge) -> list[Word]:
    """The words with misread marks put right by the language model (`correct`), taken in
    reading order so each word is judged beside its true neighbours."""
    try:
        model = default_model()
    except MissingModel:
        return words
    ordered = [w for block in read_words(words, judge).blocks for line in block.lines for w in line]
    texts = correct_words([w.text for w in ordered], [w.conf for w in ordered], model)
    fixed = {id(w): replace(w, text=t) for w, t in zip(ordered, texts) if t != w.text}
    return [fixed.get(id(w), w) for w in words]


def _replaced(words: list[Word], replaced: set[int], added: list[Word]) -> list[Word]:
    """The page's words with those read again (by id) swapped for their new reading."""
    return [w for w in words if id(w) not in replaced] + tidy_words(added)


def _disputed(words: list[Word], in_columns: Sequence[bool]) -> set[int]:
    """Indexes of the column words (in reading order) whose marks the language model would
    change: a reading worth a second look whatever its confidence."""
    try:
        model = default_model()
    except MissingModel:
        return set()
    column = [i for i, inside in enumerate(in_columns) if inside]
    # Any change the model would make is a doubt, a surely read tone's too: the image decides.
    texts = correct_words([words[i].text for i in column], [words[i].conf for i in column], model, None)
    return {i for i, text in zip(column, texts) if text != words[i].text}


# Of a word's dark pixels, in pen ink: the word holds handwriting. A fifth, not a half: OCR
# glues a number written into the blank to the printed symbol after it ("1121/TB-DCT").
PEN_SHARE = 0.2


def _in_pen(page: np.ndarray, pen: np.ndarray | None, word: Word) -> bool:
    """Whether a fair part of a word's ink is pen ink (blue or violet on a colour scan)."""
    if pen is None:
        return False
    top, left = max(0, word.top), max(0, word.left)
    dark = page[top:word.bottom:2, left:word.right:2] < INK  # `pen` has every second pixel
    written = pen[top // 2:top // 2 + dark.shape[0], left // 2:left // 2 + dark.shape[1]] > 127
    if written.shape != dark.shape:
        return False
    inked = int(dark.sum())
    return inked > 0 and int((dark & written).sum()) > PEN_SHARE * inked


def _upright(grey: np.ndarray, turn: int) -> tuple[np.ndarray, float]:
    return deskew(rotate_quarter(grey, turn))


def _osd_turn(grey: np.ndarray, timeout: float) -> int:
    turn, confidence = orientation(grey, timeout)
    return turn if confidence >= MIN_OSD_CONFIDENCE else 0


def _box(words: Sequence[Word]) -> Box:
    return (min(w.left for w in words), min(w.top for w in words),
            max(w.right for w in words), max(w.bottom for w in words))


def _region(kind: str, segments: list[Segment]) -> Region:
    words = [w for s in segments for w in s.words]
    lines = [s.text for s in sorted(segments, key=lambda s: (s.top, s.left))]
    return Region(kind=kind, box=_box(words), text="\n".join(lines), confidence=mean_confidence(words))


def _stamp_kind(text: str) -> str:
    """A register stamp says "ĐẾN" (arrived) with its số đến / ngày đến; other boxes are marks."""
    folded = fold(text)
    return "register-stamp" if re.search(r"\bden\b|\bngay\b.*\d|\bso\b.*\d", folded) else "stamp"


def _stamp_crop(page: np.ndarray, box: Box) -> np.ndarray:
    """A stamp's frame and a margin around it, to be read on its own (psm 6)."""
    left, top, right, bottom = box
    return page[max(0, top - STAMP_PAD):bottom + STAMP_PAD, max(0, left - STAMP_PAD):right + STAMP_PAD]


def _stamp_region(box: Box, read: list[Word]) -> Region:
    """A stamp read on its own, as a labelled region."""
    words = tidy_words(read)
    lines: dict[tuple[int, int, int], list[str]] = {}
    for word in words:
        lines.setdefault(word.line, []).append(word.text)
    text = "\n".join(" ".join(line) for line in lines.values())
    return Region(kind=_stamp_kind(text), box=box, text=text, confidence=mean_confidence(words))


def _first_reading(grey: np.ndarray, dpi: float, masks: list[Box], lang: str, timeout: float):
    """Turn the page upright, whiten stamps, and read it once (twice when OSD finds the
    first reading was of a page standing the wrong way)."""
    turn = _osd_turn(grey, timeout) if grey.shape[1] > grey.shape[0] else 0
    page, skew = _upright(grey, turn)
    frames = [f.box for f in find_frames(page, dpi)]
    words = recognize(whiten(page, frames + (masks if not turn else [])), lang, 3, timeout)
    confidence = mean_confidence(words)
    # A page of which nothing at all was read (a blank back, a seal's bleed) is not asked
    # about: OSD judges the way up from text, and a page upside down reads as garbage, not
    # as nothing. (On the real batch of docs/BENCHMARKS.md it was the one OSD call, ~2 s.)
    if confidence is not None and confidence < RETRY_ORIENTATION_BELOW:
        retry = _osd_turn(rotate_quarter(grey, turn), timeout)
        if retry:
            page2, skew2 = _upright(grey, turn + retry)
            frames2 = [f.box for f in find_frames(page2, dpi)]
            words2 = recognize(whiten(page2, frames2), lang, 3, timeout)
            confidence2 = mean_confidence(words2)
            if confidence2 is not None and confidence2 > confidence:
                return page2, skew2, turn + retry, frames2, words2, confidence2
    return page, skew, turn, frames, words, confidence


def ocr_image(image: Image.Image | np.ndarray, dpi: float, lang: str = "vie", timeout: float = 180,
              masks: Sequence[Box] = (), max_pixels: int | None = None,
              pen: np.ndarray | None = None) -> PageText:
    """Read one page image (any mode, any DPI) into text in reading order; no image made on
    the way has more than `max_pixels` pixels.

    `masks` are boxes (pixels of `image` as given) whose content is already known, such as
    digital-signature stamps from a PDF text layer: they are whitened before reading. `pen`
    is the page's pen ink (`preprocess.pen_ink`, of the colour page when `image` is its grey
    copy; by default taken from `image`): words written in it are marked `coloured`.
    A grey uint8 array is taken over, not copied: the cleaning overwrites it. `image` is
    let go once cleaned: a caller that hands over its only reference keeps one page of
    pixels through the reading, not two.
    """
    if pen is None and isinstance(image, Image.Image):
        pen = pen_ink(image)
    width = image.shape[1] if isinstance(image, np.ndarray) else image.width
    grey = clean_page(image, dpi, max_pixels)
    scale = grey.shape[1] / width
    del image
    scaled = [tuple(round(v * scale) for v in box) for box in masks]
    page_dpi = (dpi or TARGET_DPI) * scale
    page, skew, turn, frames, words, confidence = _first_reading(grey, page_dpi, scaled, lang, timeout)
    del grey  # the upright page replaces it: one page of pixels held through the rest, not two
    if pen is not None:  # turned as the page was, then on the page's every second pixel
        pen = rotate(rotate_quarter(pen, turn), skew, background=0)
        pen = cv2.resize(pen, ((page.shape[1] + 1) // 2, (page.shape[0] + 1) // 2), interpolation=cv2.INTER_NEAREST)
    known, logprob = _language()
    judge = page_judge(known)
    words = tidy_words(words)
    reading = read_words(words, judge)
    # Print the page segmentation skipped: read those areas alone.
    set_apart = frames + list(scaled) + [(s.left, s.top, s.right, s.bottom) for _, s in reading.set_aside]
    missed = unread_areas(page, words, set_apart, reading.geometry)
    if missed:
        words += tidy_words(read_areas(page, missed, reading.geometry, known, lang, timeout, next_line(words)))
    blocks = read_words(words, judge).blocks if missed else reading.blocks  # laid out again if words came
    # Lines a stamp's frame cut short (its whitening took their end): read again, unwhitened.
    cut = lines_under_frames(blocks, frames, reading.geometry.height)
    if cut:
        words = _replaced(words, *read_cut_lines(page, cut, known, lang, timeout, next_line(words)))
        blocks = read_words(words, judge).blocks
    # Two close lines read as one tall line (one of them lost): read again as a block.
    tall = tall_lines(blocks, reading.geometry.height)
    if tall:
        words = _replaced(words, *read_tall_lines(page, tall, words, known, lang, timeout, next_line(words)))
        blocks = read_words(words, judge).blocks
    # The words the reading doubts, read again on one sheet and settled; then order the page.
    kept = [w for block in blocks for line in block.lines for w in line]
    in_columns = [block.kind != "flow" for block in blocks for line in block.lines for _ in line]
    # The stamps are read in the same Tesseract run as the doubted words.
    looked, stamps = second_look(page, kept, in_columns, lang, timeout, known, logprob, _disputed(kept, in_columns),
                                 [_stamp_crop(page, box) for box in frames])
    # Names that may have lost a stacked tone, and the signature block's lines, read again
    # alone (one more Tesseract run); the block's lines may gain or lose words.
    alone = tone_look(page, looked, lang, timeout, logprob, known, page_dpi)
    gone = {id(w) for w in kept} - {id(w) for w in alone}
    words = [w for w in words if id(w) not in gone]
    staying = {id(w) for w in words}
    # A second reading has the same quirks as the first ("QĐÐ"): tidied the same way.
    words += [replace(w, text=clean_word(_tidy_word(w.text)) or w.text) for w in alone if id(w) not in staying]
    reading = read_words(_corrected(words, judge), judge)
    text, placed = assemble(reading.blocks)
    regions = [_stamp_region(box, read) for box, read in zip(frames, stamps)]
    by_kind: dict[str, list[Segment]] = {}
    for kind, segment in reading.set_aside:
        by_kind.setdefault(kind, []).append(segment)
    if "signature-stamp" in by_kind:
        regions.append(_region("signature-stamp", by_kind["signature-stamp"]))
    regions += [_region("noise", [segment]) for segment in by_kind.get("noise", [])]
    covered = [*frames, *scaled, *(r.box for r in regions)]
    kept_words = [p.word for p in placed]
    regions += [Region(kind="handwriting", box=box)
                for box in unread_marks(page, kept_words, covered, reading.geometry)]
    kept = [p.word for p in placed]
    return PageText(
        text=text, confidence=mean_confidence(kept) if kept else confidence,
        rotation=turn % 360, skew=skew, width=int(page.shape[1]), height=int(page.shape[0]),
        words=[PageWord(text=text[p.start:p.end],
                        box=(p.word.left, p.word.top, p.word.right, p.word.bottom),
                        conf=p.word.conf, start=p.start, end=p.end, zone=p.zone,
                        coloured=_in_pen(page, pen, p.word)) for p in placed],
        regions=regions,
    )
