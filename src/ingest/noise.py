"""Which OCR segments are not text of the document: scanner noise, strokes, stamp lines.

Tesseract turns everything dark into "words": a signature's strokes ("00v Boy nu 00g"),
a scanner stripe ("|"), a seal's ring, a margin note, the printed lines of a
digital-signature stamp. They are told from print by three things that need no list of
any document's words:
- recognition confidence: print reads at 85-97, strokes and smudges below 60;
- the language: print is made of syllables the language model knows, of numbers and of
  symbols; noise is not;
- shape: a "word" three lines tall, or alone outside the text frame, is a mark; a line of
  print's height that starts where the print line above it starts is text, however badly
  the page reading read it (it is then read again with the other doubted words).
The printed lines of a digital-signature stamp are recognised by their labels and values
(`vanthu.knowledge.signatures`) and set aside as a group, with the short lines that wrap
its values.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from vanthu.knowledge.signatures import is_stamp_line, is_strong_stamp_line

from .layout import Geometry, Segment, mean_confidence
from .tesseract import Word

Known = Callable[[str], bool]

DOUBTFUL_CONFIDENCE = 65.0  # below this a segment must read as language to be kept
LANGUAGE_SHARE = 0.5      # ... i.e. at least this share of its tokens must be words
TALL = 3.0                # a "word" this many line heights tall is a stroke or a stripe
CLEAR_CONFIDENCE, CLEAR_SHARE = 60.0, 0.7  # what a second reading must reach to be kept
PRINT_HEIGHT = (0.6, 1.5)  # a line of print, in line heights
ALIGNED = 0.5             # left edges this close (in line heights) start the same column
_EDGES = ".,;:!?()[]{}\"'“”‘’«»-–…|_*"
_ABBREVIATION = re.compile(r"[A-ZĐ]{2,}(?:[-/&][A-ZĐa-z]{1,8})*|[A-ZĐ]{1,3}[-/&][A-ZĐa-z]{1,8}(?:[-/&][A-ZĐa-z]{1,8})*")


def _is_word(word: Word, known: Known) -> bool:
    """A token that reads as language: a known syllable, or a number or code read clearly."""
    token = word.text.strip(_EDGES)
    if not token:
        return False
    if any(c.isdigit() for c in token) or "/" in token:
        plain = sum(c.isalnum() or c in "/.-" for c in token)
        return plain >= 0.7 * len(token) and word.conf >= 50
    if known(token):
        return True
    # A code or abbreviation in capitals ("UBND", "QĐ-TTg", "KGVX"), read clearly.
    return bool(_ABBREVIATION.fullmatch(token)) and word.conf >= 60


def _counted(segment: Segment) -> list[Word]:
    """The tokens that can tell language from marks: a lone letter ("a", "n") can be
    either, so it does not count unless it is all there is."""
    counted = [w for w in segment.words if sum(c.isalnum() for c in w.text) >= 2 or any(c.isdigit() for c in w.text)]
    return counted or list(segment.words)


def language_share(segment: Segment, known: Known) -> float:
    """Share of a segment's tokens that read as language."""
    counted = _counted(segment)
    return sum(_is_word(w, known) for w in counted) / len(counted)


# The form's number line, "Số: … /QĐ-UBND": kept whatever the handwriting in its blank reads as.
_NUMBER_LINE = re.compile(r"^\W{0,3}s[oóòôốồ]\s*[:;.]?.{0,12}/\s*[\dA-ZĐ]", re.IGNORECASE)


def is_noise(segment: Segment, geometry: Geometry, known: Known) -> bool:
    """True for a segment that is a mark, not print (see the module docstring). Language
    outweighs confidence: a title read at 30% is still a title."""
    if not any(c.isalnum() for c in segment.text):  # "|", "—", "¬": strokes and rules
        return True
    if _NUMBER_LINE.match(segment.text):
        return False
    confidence = mean_confidence(segment.words) or 0.0
    share = language_share(segment, known)
    tall = max(w.height for w in segment.words) > TALL * geometry.height
    if tall and (len(segment.words) <= 2 or share < LANGUAGE_SHARE):
        return True
    if share >= LANGUAGE_SHARE:
        return False
    if confidence < DOUBTFUL_CONFIDENCE:
        return True
    # A lone short token that is no word, even read with fair confidence: "THT", "¬ xà".
    return len(segment.words) <= 2 and share == 0 and confidence < 80


def is_clear_print(segment: Segment, known: Known) -> bool:
    """A stricter test for text read a second time among graphics (under a seal, beside a
    stamp): two or more real tokens, mostly language, read with fair confidence."""
    counted = [w for w in segment.words if sum(c.isalnum() for c in w.text) >= 2]
    confidence = mean_confidence(segment.words) or 0.0
    return len(counted) >= 2 and confidence >= CLEAR_CONFIDENCE and language_share(segment, known) >= CLEAR_SHARE


def _near(a: Segment, b: Segment, height: float) -> bool:
    """Vertically adjacent (within a line and a half) and overlapping horizontally."""
    vertical = max(a.top, b.top) - min(a.bottom, b.bottom) < 1.5 * height
    horizontal = min(a.right, b.right) - max(a.left, b.left) > -height
    return vertical and horizontal


def stamp_segments(segments: list[Segment], geometry: Geometry) -> set[int]:
    """Indexes of the segments that make up printed digital-signature stamps: two or more
    stamp lines, with the short lines next to them that wrap their values."""
    core = {i for i, s in enumerate(segments) if is_stamp_line(s.text)}
    if len(core) < 2 and not any(is_strong_stamp_line(segments[i].text) for i in core):
        return set()
    group = set(core)
    grown = True
    while grown:
        grown = False
        for i, segment in enumerate(segments):
            if i in group or len(segment.words) > 6:
                continue
            if any(_near(segment, segments[j], geometry.height) for j in group):
                group.add(i)
                grown = True
    if len(group) == len(segments):  # a text layer that holds only the stamp
        return group
    # A stamp is a small block: never a body line that happens to hold an address.
    return {i for i in group if segments[i].right - segments[i].left < 0.6 * geometry.frame.width}


def continues_print(segment: Segment, above: list[Segment], geometry: Geometry) -> bool:
    """A segment of a print line's height that starts where a line of print just above it
    starts: the next line of a list or of a wrapped entry ("- VPUB: …, đơn vị," then
    "CBTH;"), whatever the page reading made of it. Marks do not line up with the text's
    left edges."""
    height = segment.bottom - segment.top
    if not PRINT_HEIGHT[0] * geometry.height <= height <= PRINT_HEIGHT[1] * geometry.height:
        return False
    return any(0 <= segment.top - line.bottom <= geometry.height
               and abs(segment.left - line.left) <= ALIGNED * geometry.height for line in above)


def page_judge(known: Known) -> Callable[[list[Segment], Geometry], dict[int, str]]:
    """A `layout.Judge` that sets aside noise and digital-signature stamp lines."""

    def judge(segments: list[Segment], geometry: Geometry) -> dict[int, str]:
        verdicts = {i: "signature-stamp" for i in stamp_segments(segments, geometry)}
        noisy = {i for i, segment in enumerate(segments) if i not in verdicts and is_noise(segment, geometry, known)}
        printed = [segment for i, segment in enumerate(segments) if i not in verdicts and i not in noisy]
        for i in noisy:
            if not (any(c.isalnum() for c in segments[i].text) and continues_print(segments[i], printed, geometry)):
                verdicts[i] = "noise"
        return verdicts

    return judge
