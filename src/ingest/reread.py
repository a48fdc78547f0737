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

In the same run, the lines of the signature block (`signature_lines`: from a line in
capitals naming a signing position, in the page's right part, down to the name) are read
alone across the block's width: a seal printed over them makes the page reading lose a mark
("KT.") or a word ("PGS.TS. Lê" read "Ta" at 5%) that the line read alone shows surely.
`merge_line` keeps the page reading's words and adds or swaps only what the line's reading
saw surely where the page reading saw nothing or specks.

A seal's rings can also join the block's lines to its emblem so that the page reading takes
the whole block for a picture and reads none of it (Thông báo 536/TB-VPCP: only the name).
When a seal is found near the block or the name (`seal.find_seal`), the lines of print under
it that no word stands on are cut from the page with its rings wiped (`seal.wiped`), read in
the same run, and added when they read as a title line, the line under one, or a name.
The block's lines the seal's ring reaches are read a second time wiped, each cut from where
its own ink starts (`_crossed`): a ring joined to a name's first letters ("Tr" of "Trần")
makes both readings of the line as it is start the name at "ân"; a word whose lost first
letters the wiped reading sees is taken from it (`restore_starts`), and nothing else.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, replace

import cv2
import numpy as np

from vanthu.knowledge.fuzzy import best_match
from vanthu.knowledge.gazetteer import SIGNING_POSITIONS
from vanthu.knowledge.orthography import fold, is_capitalized

from .correct import CONFIDENCE_WEIGHT, SHAPES, TONES, channel_cost, split_edges
from .models import Box
from .recover import INK
from .seal import MM_PER_INCH, RADIUS_MM, Seal, find_seal, text_rows, wiped
from .tesseract import Word, next_line, recognize_pages

SCALE = 1.5             # the second reading's size against the first
NUMBER_DOUBT = 90.0     # a word with a digit read below this is read again
WORD_DOUBT = 75.0       # a word of letters in a column read below this is read again
MAX_WORDS = 24          # words re-read per page at most (bounds the cost)
SURER = 10.0            # confidence points one reading must lead by to win on confidence alone
CONTEXT = 1.0           # log10 units the language model must prefer a reading by

Logprob = Callable[[list[str]], float]
Known = Callable[[str], bool]
Crop = tuple[np.ndarray, tuple[int, int]]  # an image to read, and the shift from its pixels to the page's


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
    if len(core) < 2 or not core.isalpha() or not is_capitalized(core):
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
    return _bordered(page[max(0, word.top - pad):word.bottom + pad, max(0, word.left - pad):word.right + pad])


def _bordered(crop: np.ndarray) -> np.ndarray:
    """A crop to be read alone, with a white margin of `TONE_BORDER` pixels."""
    return cv2.copyMakeBorder(crop, TONE_BORDER, TONE_BORDER, TONE_BORDER, TONE_BORDER, cv2.BORDER_CONSTANT, value=255)


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


def tone_look(page: np.ndarray, words: list[Word], lang: str, timeout: float, logprob: Logprob,
              known: Known | None = None, dpi: float = 300) -> list[Word]:
    """The words (in reading order) with each name that may have lost a stacked tone
    (`tone_doubt`) read again alone and settled (`settle_tone`); given `known`, the lines of
    the signature block are read alone too and merged (`signature_lines`, `merge_line`), in
    the same Tesseract run. Where a seal is printed over the block (`seal.find_seal`), the
    block's lines the page reading left unread under it are read too, cut from the page with
    the seal's rings wiped, and added (`_seal_lines`, `_kept_unread`); and the block's lines
    the seal's disc reaches are read again wiped, for the first letters of a word its ring
    took (`_crossed`, `restore_starts`)."""
    picked = [i for i, w in enumerate(words) if tone_doubt(w.text)][:MAX_TONE_WORDS]
    block = signature_lines(words, page.shape[1]) if known is not None else []
    sealed = _sealed(page, words, block, dpi) if known is not None else None
    if not picked and not block and sealed is None:
        return words
    tone_crops = [_alone(page, words[i]) for i in picked]
    height = _height([words[i] for line in block for i in line]) if block else 1  # the block's line height
    line_crops, crossed, unread = _seal_lines(page, words, block, sealed, height)
    found = recognize_pages(tone_crops + [crop for crop, _ in line_crops] + [crop for _, (crop, _) in crossed]
                            + [crop for crop, _ in unread], lang, 7, timeout)
    out = list(words)
    for i, pieces in zip(picked, found):
        alone = Second(pieces[0].text, pieces[0].conf) if len(pieces) == 1 else None
        out[i] = settle_tone(out, i, alone, logprob)
    merged: dict[int, list[Word]] = {}
    start = len(picked)
    for line, (_, shift), pieces in zip(block, line_crops, found[start:start + len(line_crops)]):
        merged[line[0]] = merge_line([out[i] for i in line], _placed(pieces, shift, out[line[0]].line), known, logprob)
    start += len(line_crops)
    for (k, (_, shift)), pieces in zip(crossed, found[start:start + len(crossed)]):
        first = block[k][0]
        merged[first] = restore_starts(merged[first], _placed(pieces, shift, out[first].line), height, known)
    result: list[Word] = []
    skip = {i for line in block for i in line[1:]}
    for i, word in enumerate(out):
        if i in merged:
            result += merged[i]
        elif i not in skip:
            result.append(word)
    return result + _kept_unread(unread, found[start + len(crossed):], next_line(words))


# The signature block: its title lines and the signer's name, bottom right of the last page.
# A seal printed over them (black on a black-and-white scan) makes the page reading lose a
# mark ("KT.") or a word under its ring ("PGS.TS. Lê" read "Ta"); read alone as one line,
# with the page around it left out, Tesseract often sees them.
SIGNATURE_LINES = 6   # lines read alone at most: a block has 1-3 title lines and a name
SIGNATURE_REACH = 14  # line heights below its first title line a block's name may stand (the seal, the signature)
BLOCK_MARGIN = 2.0    # line heights the crops reach beyond the block's words: where a lost "KT." stands
RIGHT_HALF = 0.4      # a signature block's lines start right of this share of the page width
LOST_CONF = 80.0      # a word only the line's own reading saw is added when read this surely
SPECK_CONF = 40.0     # a block word read below this, where the line's reading sees a sure word, was strokes
_MARKED = re.compile(r"^\W*(?:t\s*/?\s*m|k\s*/?\s*t|t\s*/?\s*l|tuq|q)\s*[.:,]", re.IGNORECASE)


def _title_like(text: str) -> bool:
    """A line in capitals naming a signing position (through OCR slips: `fuzzy.best_match`),
    after an authority mark or not ("KT. THỦ TƯỚNG", "HU TƯỜNG")."""
    letters = [c for c in text if c.isalpha()]
    if len(letters) < 4 or sum(c.isupper() for c in letters) < 0.7 * len(letters):
        return False
    rest = text.split(None, 1)[1] if _MARKED.match(fold(text)) and len(text.split()) > 1 else text
    return best_match(rest, SIGNING_POSITIONS) is not None or best_match(text, SIGNING_POSITIONS) is not None


def _lines_of(words: Sequence[Word]) -> list[list[int]]:
    """Indexes of the words in runs of one line each (reading order keeps a line's words together)."""
    runs: list[list[int]] = []
    for i, word in enumerate(words):
        if runs and words[runs[-1][-1]].line == word.line:
            runs[-1].append(i)
        else:
            runs.append([i])
    return runs


def signature_lines(words: Sequence[Word], page_width: int) -> list[list[int]]:
    """The lines (word indexes) of the page's signature block: from its first title line
    (`_title_like`, in the page's right part) down to the name, top to bottom."""
    right = [run for run in _lines_of(words) if min(words[i].left for i in run) >= RIGHT_HALF * page_width]
    right.sort(key=lambda run: min(words[i].top for i in run))
    first = next((k for k, run in enumerate(right) if _title_like(" ".join(words[i].text for i in run))), None)
    if first is None:
        return []
    top = min(words[i].top for i in right[first])
    height = _height([words[i] for i in right[first]])
    return [run for run in right[first:] if min(words[i].top for i in run) <= top + SIGNATURE_REACH * height][:SIGNATURE_LINES]


def _placed(pieces: Sequence[Word], shift: tuple[int, int], line: tuple[int, int, int]) -> list[Word]:
    """Words read on a crop, moved to the page's pixels and numbered as `line`."""
    dx, dy = shift
    return [replace(w, left=w.left + dx, top=w.top + dy, line=line) for w in pieces]


def _height(words: Sequence[Word]) -> int:
    return max(1, int(np.median([w.height for w in words])))


def _band(page: np.ndarray, left: int, right: int, middle: int, height: int) -> tuple[int, int]:
    """The rows of the text line through `middle`, between `left` and `right`: where ink
    rows stop. A word's box can reach into the next line (a seal's ring joins them); the
    ring alone leaves a few inked pixels a row, the letters many."""
    ink = (page[:, max(0, left):max(left + 1, right)] < INK).sum(axis=1)
    low, high = max(0, middle - 2 * height), min(len(ink), middle + 2 * height)
    if high <= low:
        return max(0, middle - height), middle + height
    floor = INK_SHARE * ink[low:high].max()
    top, bottom = middle, middle
    while top > low and ink[top - 1] > floor:
        top -= 1
    while bottom < high and ink[bottom] > floor:
        bottom += 1
    return top, bottom


INK_SHARE = 0.1   # a row with less ink than this share of the line's fullest row is a gap


def _line_crops(page: np.ndarray, words: Sequence[Word], block: list[list[int]], height: int) -> list[Crop]:
    """Each line of the block (of line height `height`) cut out across the block's width
    (and `BLOCK_MARGIN` beyond), with a white margin; and the shift from the crop's pixels
    to the page's."""
    if not block:
        return []
    every = [words[i] for line in block for i in line]
    left = max(0, round(min(w.left for w in every) - BLOCK_MARGIN * height))
    right = min(page.shape[1], round(max(w.right for w in every) + BLOCK_MARGIN * height))
    return [_line_crop(page, [words[i] for i in line], height, left, right) for line in block]


def _line_crop(page: np.ndarray, own: Sequence[Word], height: int, left: int, right: int) -> Crop:
    """A line (its words `own`) cut out from `left` to `right`, down to where its ink
    stops, with a white margin; and the shift from the crop's pixels to the page's."""
    usual = [w for w in own if w.height < 1.3 * height] or own
    middle = int(np.median([(w.top + w.bottom) // 2 for w in usual]))
    top, bottom = _band(page, min(w.left for w in own), max(w.right for w in own), middle, height)
    pad = max(2, round(0.15 * height))
    top = max(0, top - pad)
    return _bordered(page[top:bottom + pad, left:right]), (left - TONE_BORDER, top - TONE_BORDER)


# A word of a signature block: letters, with the dots of an abbreviation ("KT.", "PGS.TS.",
# "Lê"); a word read alone of another shape ("U/CJ") is a seal's or a signature's strokes.
_WORD_SHAPE = re.compile(r"^[^\W\d_]+(?:\.[^\W\d_]+)*[.,]?$")


def _overlap(a: Word, b: Word) -> bool:
    """Whether two words (of one line) cover more than half the narrower one's width."""
    return min(a.right, b.right) - max(a.left, b.left) > 0.5 * min(a.width, b.width)


def _inked(text: str) -> bool:
    return any(c.isalnum() for c in text)


LOST_WIDTH = 0.5  # line heights: about a letter's width
LOST_LETTERS = 3  # letters a word's start may have lost ("Ngh" of "Nghĩa" at most)


def _lost_start(first: Word, alone: Word, height: float) -> str | None:
    """The letters the block reading lost at a word's start that the line's reading alone
    saw ("Tr" when "Trân" is read over "ân": a seal's ring joined to "Tr" made the page
    reading start at "â"), or None: its box must start a letter's width (`LOST_WIDTH`)
    further left, its word be letters, and after at most `LOST_LETTERS` more it must read
    what the block reading read (marks aside: those are the page reading's to keep)."""
    seen, read = fold(alone.text), fold(first.text)
    if (first.left - alone.left < LOST_WIDTH * height or not _WORD_SHAPE.match(alone.text)
            or not 0 < len(seen) - len(read) <= LOST_LETTERS or not seen.endswith(read)):
        return None
    return alone.text[:len(alone.text) - len(first.text)]


def restore_starts(line: list[Word], wiped: Sequence[Word], height: float, known: Known) -> list[Word]:
    """A block line with the first letters of a word restored from the line's reading with
    the seal's rings wiped (`_lost_start`), when the page read that word with doubt (below
    `LOST_CONF`) and the word with them is a syllable the language model knows; nothing
    else is taken from that reading: wiping also takes the ink of a letter the ring runs
    along ("Đỗ" read "ỗ"), and what it leaves of the seal may read as a letter ("ITrần")."""
    out = []
    for word in line:
        over = [a for a in wiped if _overlap(word, a)]
        lost = _lost_start(word, over[0], height) if len(over) == 1 and word.conf < LOST_CONF else None
        whole = (lost or "") + word.text
        if lost and known(whole) and not any(_overlap(other, over[0]) for other in line if other is not word):
            out.append(replace(word, text=whole, left=over[0].left, width=word.right - over[0].left,
                               conf=min(word.conf, over[0].conf)))
        else:
            out.append(word)
    return out


def merge_line(first: list[Word], alone: list[Word], known: Known, logprob: Logprob) -> list[Word]:
    """A line as the block reading gave it (`first`), bettered by its reading alone
    (`alone`, in page pixels; only its words within `BLOCK_MARGIN` line heights of the
    line's own), word by word where their boxes meet:
    - a word only the alone reading saw (in a gap of the block reading, or over its
      letterless specks) is added when read surely (`LOST_CONF`) and shaped as a word
      (`_WORD_SHAPE`): a mark the seal's ring hid, a degree;
    - one word against one: `choose`, as for a word read twice, when both are words and
      differ in more than their marks;
    - several against one: the surer side, by `SURER` points on the mean confidence.
    Words the alone reading did not see stay as they were."""
    kept = [w for w in first if _inked(w.text)]
    reach = BLOCK_MARGIN * _height(first)
    low, high = min(w.left for w in first) - reach, max(w.right for w in first) + reach
    taken = [a for a in alone if _inked(a.text) and low <= a.left and a.right <= high]
    out: list[Word] = []
    used: set[int] = set()
    for a in taken:
        under = [k for k, w in enumerate(kept) if _overlap(w, a)]
        if not under:
            if a.conf >= LOST_CONF and _WORD_SHAPE.match(a.text):
                out.append(a)
            continue
        if any(k in used for k in under):
            continue
        partners = [b for b in taken if any(_overlap(kept[k], b) for k in under)]
        used.update(under)
        if len(under) == 1 and len(partners) == 1:
            index = under[0]
            if kept[index].conf < SPECK_CONF <= LOST_CONF <= a.conf:
                out.append(a)  # the block reading made a word of the seal's strokes
            elif fold(kept[index].text) == fold(a.text) or not (_WORD_SHAPE.match(a.text) and _WORD_SHAPE.match(kept[index].text)):
                # Marks only: `settle_tone` and the corrector judge those; and a code or a
                # scribble ("ph/h") is not a word the language model can judge.
                out.append(kept[index])
            else:
                out.append(choose(kept, index, Second(a.text, a.conf), known, logprob))
            continue
        theirs = float(np.mean([b.conf for b in partners]))
        ours = float(np.mean([kept[k].conf for k in under]))
        out += partners if theirs >= ours + SURER and min(b.conf for b in partners) >= LOST_CONF \
            else [kept[k] for k in under]
    out += [w for k, w in enumerate(kept) if k not in used]
    # Letterless specks of the block reading no alone word covers stay (a closing "./.").
    out += [w for w in first if not _inked(w.text) and not any(_overlap(w, a) for a in taken)]
    out.sort(key=lambda w: w.left)
    return out


# A seal over the signature block (black on a black-and-white scan): its rings join the
# block's lines to its emblem, and Tesseract's page segmentation may read none of them.
SEAL_BAND = 2.2      # largest seal radii above and below the block (or the name) a seal is looked for
SEAL_LEFT = 0.3      # a seal's band starts at this share of the page width
SEAL_REACH = 1.5     # seal radii above and below its centre where the block's lines under it stand
SEAL_MARGIN = 1.3    # seal radii left of its centre where a line under it may start
ROW_PAD = 0.35       # line heights above and below a line's row of ink: its marks (tones, dots below)


def _name_like(text: str) -> bool:
    """2-6 Capitalized words of letters: a signer's name as printed under the block."""
    words = text.split()
    return 2 <= len(words) <= 6 and all(w.isalpha() and is_capitalized(w) for w in words)


def _sealed(page: np.ndarray, words: Sequence[Word], block: list[list[int]], dpi: float) -> tuple[Seal, Box] | None:
    """The seal over the signature block, and the band of the page it covers with the
    block's lines (left, top, right, bottom): looked for only near the block's lines, or,
    when none was read, near a name in the page's right part."""
    width = page.shape[1]
    anchor = [words[i] for line in block for i in line]
    if not anchor:
        names = [run for run in _lines_of(words) if min(words[i].left for i in run) >= RIGHT_HALF * width
                 and _name_like(" ".join(words[i].text for i in run))]
        anchor = [words[i] for i in names[-1]] if names else []
    if not anchor:
        return None
    largest = RADIUS_MM[1] * dpi / MM_PER_INCH
    top, bottom = min(w.top for w in anchor), max(w.bottom for w in anchor)
    seal = find_seal(page, dpi, (round(SEAL_LEFT * width), round(top - SEAL_BAND * largest), width,
                                 round(bottom + SEAL_BAND * largest)))
    if seal is None:
        return None
    r = seal.radius
    band = (max(0, round(seal.x - SEAL_MARGIN * r)), max(0, round(min(top, seal.y - SEAL_REACH * r))),
            width, min(page.shape[0], round(max(bottom, seal.y + SEAL_REACH * r))))
    return seal, band


def _seal_lines(page: np.ndarray, words: Sequence[Word], block: list[list[int]], sealed: tuple[Seal, Box] | None,
                height: int) -> tuple[list[Crop], list[tuple[int, Crop]], list[Crop]]:
    """The block's lines cut out to be read alone (`_line_crops`); and, when a seal is over
    the block, cut from the page with the seal's rings wiped:
    - the block's lines a ring crosses (`_crossed`), each with its index in the block;
    - the lines under it no word of the page reading stands on (`_unread_rows`).
    A line the page read is read both ways: wiped, a ring running through a mark ("KT.")
    takes the mark's ink with it; as it is, a ring joined to a letter ("Tr" of a name)
    makes Tesseract read the two as one shape."""
    crops = _line_crops(page, words, block, height)
    if sealed is None:
        return crops, [], []
    seal, (left, top, right, bottom) = sealed
    kept = page[top:bottom, left:right].copy()
    page[top:bottom, left:right] = wiped(page, seal, (left, top, right, bottom))
    try:  # the page is lent wiped for the crops, and given back as it was
        return crops, _crossed(page, words, block, seal, height), _unread_rows(page, words, seal, (left, top, right, bottom))
    finally:
        page[top:bottom, left:right] = kept


WORD_GAP = 0.6     # line heights: wider than a word space, a gap ends a line's letters leftwards
LETTER = (0.4, 2.0)  # line heights: a letter's ink is this tall at least, and this wide at most
LOOK_LEFT = 4.0    # line heights left of a line's first word its lost letters are looked for


def _line_start(page: np.ndarray, own: Sequence[Word], height: int) -> int:
    """Where a line's ink starts, left of its first word: a word whose first letters a
    seal's ring joined to its strokes is read from a later letter on ("ân" for "Trần"), and
    its box starts there. Letters left of it are shapes of a letter's size (not a
    signature's dots, not a long stroke) with gaps no wider than a word space (`WORD_GAP`);
    past a wider gap stands what the wiping left of the seal (its star, its letters)."""
    left = min(w.left for w in own)
    top, bottom = min(w.top for w in own), max(w.bottom for w in own)
    reach = max(0, round(left - LOOK_LEFT * height))
    strip = (page[top:bottom, reach:left] < INK).astype(np.uint8)
    if strip.size == 0:
        return left
    _, _, stats, _ = cv2.connectedComponentsWithStats(strip)
    shapes = sorted(((reach + x, reach + x + w) for x, _, w, h, _ in stats[1:]
                     if h >= LETTER[0] * height and w <= LETTER[1] * height), key=lambda s: -s[1])
    start = left
    for x0, x1 in shapes:
        if x1 < start - WORD_GAP * height:
            break
        start = min(start, int(x0))
    return start


def _crossed(page: np.ndarray, words: Sequence[Word], block: list[list[int]], seal: Seal,
             height: int) -> list[tuple[int, Crop]]:
    """The block's lines the seal's disc reaches (from where their ink starts), each cut
    from the (wiped) page from there (`_line_start`): further left stands what the wiping
    leaves of the seal (its star, its letters), which Tesseract would read into the first
    word."""
    if not block:
        return []
    out = []
    for k, line in enumerate(block):
        own = [words[i] for i in line]
        start = _line_start(page, own, height)
        top, right, bottom = min(w.top for w in own), max(w.right for w in own), max(w.bottom for w in own)
        near_x, near_y = min(max(seal.x, start), right), min(max(seal.y, top), bottom)
        if (near_x - seal.x) ** 2 + (near_y - seal.y) ** 2 > seal.radius ** 2:
            continue  # the ring does not reach the line
        out.append((k, _line_crop(page, own, height, start, min(page.shape[1], round(right + BLOCK_MARGIN * height)))))
    return out


def _unread_rows(page: np.ndarray, words: Sequence[Word], seal: Seal, band: Box) -> list[Crop]:
    """Lines of print in the seal's band, found by their ink right of the seal (a block's
    line reaches past it), that no word of the page reading stands on: each cut from the
    seal's margin to its ink's end, with a white margin, and its shift to page pixels."""
    left, top, right, bottom = band
    height = _height(words) if words else 1
    start = min(right - 1, round(seal.x + seal.radius + 0.2 * height))
    ink = (page[top:bottom, start:right] < INK).astype(np.uint8)
    crops = []
    for row_top, row_bottom in text_rows(ink, height):
        y0, y1 = top + row_top, top + row_bottom
        middle = (y0 + y1) // 2
        if any(w.top <= middle <= w.bottom and w.right > start for w in words):
            continue  # read by the page
        cols = np.flatnonzero(ink[row_top:row_bottom].any(axis=0))
        end = min(right, start + int(cols[-1]) + height) if len(cols) else right
        pad = max(2, round(ROW_PAD * height))
        crop = page[max(0, y0 - pad):y1 + pad, left:end]
        crops.append((_bordered(crop), (left - TONE_BORDER, max(0, y0 - pad) - TONE_BORDER)))
    return crops


def _kept_unread(unread: Sequence[Crop], found: Sequence[list[Word]], first_line: int) -> list[Word]:
    """The words of the unread lines worth adding, top to bottom, each line numbered as a
    line of its own: a line in capitals naming a signing position (`_title_like`); under
    one, a line in capitals (its deputy's, whatever the seal left of it: extraction judges
    it against the form); a name read surely (`_name_like`, every word `LOST_CONF`)."""
    out: list[Word] = []
    under_title = False
    for n, ((_, (dx, dy)), pieces) in enumerate(zip(unread, found)):
        pieces = [w for w in pieces if _inked(w.text)]
        text = " ".join(w.text for w in pieces)
        letters = [c for c in text if c.isalpha()]
        titled = bool(pieces) and _title_like(text)
        capitals = len(letters) >= 3 and sum(c.isupper() for c in letters) >= 0.6 * len(letters)
        named = bool(pieces) and _name_like(text) and min(w.conf for w in pieces) >= LOST_CONF
        if titled or (under_title and capitals) or named:
            out += _placed(pieces, (dx, dy), (first_line + n, 0, 0))
        under_title = titled
    return out
