"""Doubtful words of the subject read again where the document restates it.

The body of a document repeats its trích yếu: a normative document's promulgation sentence
and its Điều 1 ("Bộ trưởng Bộ Công Thương ban hành Thông tư bãi bỏ …", "Điều 1. Bãi bỏ …"),
a Quyết định's Điều 1 ("Ban hành kèm theo Quyết định này Kế hoạch …"). On a scan the header's
copy may be read badly where a pen stroke or a stamp crosses it ("18/2025/1T- BCT", read at
17) while a copy in the body is read cleanly ("18/2025/TT-BCT", at 91). A stretch of the
subject takes the body's reading only when
- OCR read some word of the stretch doubtfully (below DOUBTFUL) and read the body's copy
  surely (every word at SURE or above);
- the copy lies in a passage that repeats the subject: most of the subject's words
  (MIN_MATCHED of them) in the same order, the stretch between words that agree;
- every sure copy in the document reads the stretch the same way.
Anything else is left as read: a word can be read doubtfully and still be right.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from difflib import SequenceMatcher

from vanthu.knowledge.orthography import fold

from .models import Spanned
from .words import WordIndex

# Below this a word may be misread: the misread words of real subjects read at 17-43 (a
# few right ones also read that low, which is why a sure copy must confirm a change).
DOUBTFUL = 60.0
# Print read cleanly reads at 85-97 (see words.py).
SURE = 85.0
# Share of the subject's words a passage must repeat, in order, to count as its restatement.
MIN_MATCHED = 0.6
MIN_MATCHED_WORDS = 4
# A copy's stretch may be a little longer than the subject's (a word OCR lost in a stroke).
MAX_EXTRA_WORDS = 2
# Window around a seed: the subject's length plus this many words either side.
SLACK = 8

_LINE_BREAK_HYPHEN = re.compile(r"(?<=\S-)\s*\n\s*")  # "18/2025/TT-\nBCT": one code


@dataclass(frozen=True)
class _Word:
    text: str
    start: int
    end: int
    key: str  # folded letters and digits: what two readings of the word must agree on
    conf: float | None  # None for text input: never doubtful, never sure


@dataclass(frozen=True)
class Correction:
    """A stretch of the subject (document offsets) and the body's reading of it."""

    start: int
    end: int
    printed: str
    restated: str


def _words(text: str, start: int, end: int, words: WordIndex) -> list[_Word]:
    out = []
    for match in re.finditer(r"\S+", text[start:end]):
        key = re.sub(r"[^a-z0-9]", "", fold(match.group()))
        if key:  # a dash or a speck of a stroke: no word to align
            s, e = start + match.start(), start + match.end()
            out.append(_Word(match.group(), s, e, key, words.confidence(s, e)))
    return out


def _doubtful(words: list[_Word]) -> bool:
    return any(w.conf is not None and w.conf < DOUBTFUL for w in words)


def _sure(words: list[_Word]) -> bool:
    return all(w.conf is not None and w.conf >= SURE for w in words)


def _glued(text: str, left: _Word, right: _Word) -> bool:
    """Whether two words of the body are one printed token: nothing between them, or a
    code broken after its hyphen at a line end."""
    between = text[left.end:right.start]
    return not between or (left.text.endswith("-") and "\n" in between and not between.strip())


def _seeds(subject: list[_Word], body: list[_Word]) -> list[int]:
    """Where passages repeating the subject may begin in the body: the offset of each body
    pair of words that is also a pair of the subject."""
    pairs: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i in range(len(subject) - 1):
        pairs[(subject[i].key, subject[i + 1].key)].append(i)
    starts = {j - i for j in range(len(body) - 1) for i in pairs.get((body[j].key, body[j + 1].key), ())}
    return sorted(starts)


def _same(a: str, b: str) -> bool:
    return unicodedata.normalize("NFC", a).casefold() == unicodedata.normalize("NFC", b).casefold()


def _passage_corrections(text: str, subject: list[_Word], copy: list[_Word]) -> list[Correction]:
    """The corrections one passage of the body supports, or none when it does not repeat
    the subject."""
    matcher = SequenceMatcher(None, [w.key for w in subject], [w.key for w in copy], autojunk=False)
    blocks = [b for b in matcher.get_matching_blocks() if b.size]
    matched = sum(b.size for b in blocks)
    if matched < max(MIN_MATCHED_WORDS, MIN_MATCHED * len(subject)):
        return []
    pair = {b.a + k: b.b + k for b in blocks for k in range(b.size)}
    out = []
    first, last = blocks[0].a, blocks[-1].a + blocks[-1].size
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if i1 < first or i2 > last or tag in ("insert", "delete"):
            # Only stretches between words that agree, which both copies print: a word the
            # restatement leaves out ("của" in "một số điều Luật …") is rephrasing, not a reading.
            continue
        # Words that agree but for their marks ("trần" / "trấn") are weighed one by one.
        stretches = ([(i1 + k, i1 + k + 1, j1 + k, j1 + k + 1) for k in range(i2 - i1)] if tag == "equal"
                     else [(i1, i2, j1, j2)])
        for a1, a2, b1, b2 in stretches:
            printed, restated = subject[a1:a2], copy[b1:b2]
            if not (_doubtful(printed) and _sure(restated)) or len(restated) > len(printed) + MAX_EXTRA_WORDS:
                continue
            # Take in the neighbours the body prints glued to the stretch ("TT-" + "BCT").
            while a2 < len(subject) and pair.get(a2) == b2 and _glued(text, copy[b2 - 1], copy[b2]):
                a2, b2 = a2 + 1, b2 + 1
            while a1 > 0 and b1 > 0 and pair.get(a1 - 1) == b1 - 1 and _glued(text, copy[b1 - 1], copy[b1]):
                a1, b1 = a1 - 1, b1 - 1
            reading = _LINE_BREAK_HYPHEN.sub("", text[copy[b1].start:copy[b2 - 1].end]) if b2 > b1 else ""
            reading = re.sub(r"\s+", " ", reading)
            printed_text = text[subject[a1].start:subject[a2 - 1].end]
            if not _same(printed_text, reading):
                out.append(Correction(subject[a1].start, subject[a2 - 1].end, printed_text, reading))
    return out


def restated_corrections(text: str, subject: Spanned, words: WordIndex) -> list[Correction]:
    """The stretches of `subject` that the document's sure restatements read otherwise."""
    printed = _words(text, subject.start, subject.end, words)
    if not _doubtful(printed):
        return []
    body = _words(text, subject.end, len(text), words)
    found: dict[tuple[int, int], set[str]] = defaultdict(set)
    for seed in _seeds(printed, body):
        window = body[max(0, seed - SLACK): max(0, seed + len(printed) + SLACK)]
        for correction in _passage_corrections(text, printed, window):
            found[(correction.start, correction.end)].add(correction.restated)
    agreed = {span: readings.pop() for span, readings in found.items() if len(readings) == 1}
    # Two passages that cut the stretch differently: neither is taken.
    return [Correction(s, e, text[s:e], reading) for (s, e), reading in sorted(agreed.items())
            if not any((s, e) != (s2, e2) and s2 < e and s < e2 for s2, e2 in found)]


def corrected_subject(text: str, subject: Spanned, words: WordIndex) -> tuple[Spanned, list[Correction]]:
    """The subject with its doubtful stretches read from the document's restatements, and
    the corrections made."""
    value, made = subject.value, []
    for c in restated_corrections(text, subject, words):
        printed = re.sub(r"\s+", " ", c.printed)
        if value.count(printed) == 1:  # the value joins the subject's lines with spaces
            value = value.replace(printed, c.restated)
            made.append(c)
    return Spanned(value=value, start=subject.start, end=subject.end), made


def unconfirmed(text: str, subject: Spanned, words: WordIndex, corrections: list[Correction]) -> list[str]:
    """The subject's words read doubtfully that no correction replaced."""
    return [w.text for w in _words(text, subject.start, subject.end, words)
            if w.conf is not None and w.conf < DOUBTFUL and not any(c.start <= w.start < c.end for c in corrections)]
