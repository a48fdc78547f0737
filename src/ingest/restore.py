"""Diacritic restoration: put the marks back on Vietnamese typed without them, or OCRed with a
model for another language ("Quyét dinh s6 749" -> "Quyết định số 749").

    text -> tokens (words, numbers, punctuation; spans kept)
         -> per word, candidate syllables with a channel score (how likely this word is
            printed or read for that syllable)
         -> beam search over each run of words: trigram score + channel score
         -> the chosen syllables, in the original letter case, written back in place

Two modes, chosen from the text itself:
- *unaccented* (no marks at all): only marks are added; a word's candidates are the known
  syllables with the same mark-free letters, all equally likely a priori;
- *garbled* (some marks, the wrong ones: wrong-language OCR): every word may be misread.
  Candidates come from the garbling channel learned from `-l eng` OCR of training text
  (`ngudi` -> người), and from the mark-free letters after undoing OCR look-alikes
  (`s6` -> so -> số); a correctly accented known syllable is kept unless the context
  strongly disagrees.

Accented lines, numbers, punctuation, symbols (UBND-KGVX, QĐ-TTg; a table learned from the
corpus adds their marks: QD -> QĐ) and unknown words (abbreviations) are copied unchanged.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .lm import BOS, NUM, SyllableLM
from .triage import is_vietnamese_marked
from vanthu.knowledge.orthography import fold, has_marks, strip_marks

RESTORE_VERSION = "restore-2"
BEAM = 8
# Words may carry OCR digits ("s6", "1anh"); a number is digits not glued to letters.
TOKEN = re.compile(r"\d+(?:[.,/]\d+)*(?![^\W\d_])|(?:[^\W_]|[¢€¥])+|[^\w\s]|\n")
SYLLABLE = re.compile(r"[^\W\d_]+")
# Shares of syllables with a Vietnamese-only mark (ư, ê, ạ, ả, đ …; see ingest.triage) above
# which a document, or a line, is accented Vietnamese. The English model never prints them.
ACCENTED_DOCUMENT = 0.12
ACCENTED_LINE = 0.25
SHORT_LINE = 4  # syllables; in an accented document shorter unmarked lines are left alone
# Below ACCENTED_DOCUMENT, a text in which at least this share of syllables carry marks but
# are not Vietnamese ("quyét", "hién": wrong-language OCR) is garbled, not unaccented.
# Restored text never has such syllables, so restoring it again changes nothing.
GARBLED_TEXT = 0.03
# Channel scores (log10) in garbled mode.
KEEP_ACCENTED = -0.05   # a known, accented syllable read as printed
SAME_LETTERS = -1.0     # a syllable with the word's letters (after undoing look-alikes)
D_READ_AS_P = -1.5      # the English model reads a leading Đ as P or B
ONE_EDIT = -2.5         # a syllable one letter away, for a word with no other candidate
_LETTERS = "abcdeghiklmnopqrstuvxy"
# What the English model prints for Vietnamese letters inside a word.
_LOOKALIKES = str.maketrans({"6": "o", "0": "o", "1": "l", "4": "a", "¢": "c", "€": "e", "¥": "y"})


@dataclass(frozen=True)
class _Slot:
    start: int
    end: int
    text: str
    choices: tuple[int, ...]  # candidate syllable ids; () = unknown word, kept as printed
    costs: tuple[float, ...]  # channel score of each choice


def _with_case(template: str, syllable: str) -> str:
    letters = [c for c in template if c.isalpha()]
    if len(letters) > 1 and all(c.isupper() for c in letters):
        return syllable.upper()
    if template[:1].isupper():
        return syllable[:1].upper() + syllable[1:]
    return syllable


def _is_symbol_part(text: str, start: int, end: int) -> bool:
    """Letters glued to '/' or '-' are part of a document symbol (QĐ-TTg, NQ/TW)."""
    before = text[start - 1] if start else " "
    after = text[end] if end < len(text) else " "
    return before in "/-" or after in "/-"


def _unaccented_choices(word: str, lm: SyllableLM) -> dict[int, float]:
    if has_marks(word):
        known = lm.id_of(word.lower())
        return {known: 0.0} if known is not None else {}
    return {i: 0.0 for i in lm.candidates(fold(word.lower()))}


def _garbled_choices(word: str, lm: SyllableLM) -> dict[int, float]:
    lower = word.lower()
    choices: dict[int, float] = {}
    for syllable, score in lm.channel.get(lower, []):
        if (i := lm.id_of(syllable)) is not None:
            choices[i] = score
    letters = fold(lower.translate(_LOOKALIKES))
    for i in lm.candidates(letters):
        choices.setdefault(i, SAME_LETTERS)
    if letters[:1] in ("p", "b") and letters[1:2] not in ("h", ""):  # "Pang" for "Đảng"
        for i in lm.candidates("d" + letters[1:]):
            choices.setdefault(i, D_READ_AS_P)
    known = lm.id_of(lower)
    if known is not None and has_marks(lower):
        choices[known] = max(choices.get(known, KEEP_ACCENTED), KEEP_ACCENTED)
    if not choices:  # "phti", "ngii": a letter dropped, added or misread
        for key in _one_edit(fold(lower.translate(_LOOKALIKES))):
            for i in lm.candidates(key, limit=3):
                choices.setdefault(i, ONE_EDIT)
    return choices


def _one_edit(word: str) -> set[str]:
    """Letter strings one deletion, substitution, insertion or transposition from `word`."""
    if len(word) > 8:
        return set()
    cuts = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    edits = {a + b[1:] for a, b in cuts if b}
    edits |= {a + b[1] + b[0] + b[2:] for a, b in cuts if len(b) > 1}
    edits |= {a + c + b[1:] for a, b in cuts if b for c in _LETTERS}
    edits |= {a + c + b for a, b in cuts for c in _LETTERS}
    return edits - {word}


def _slots(text: str, lm: SyllableLM, garbled: bool) -> list[list[_Slot]]:
    """Runs of words between punctuation and line breaks, with their candidates."""
    runs: list[list[_Slot]] = [[]]
    for match in TOKEN.finditer(text):
        token = match.group(0)
        start, end = match.span()
        if token[0].isdigit() and token.replace(".", "").replace(",", "").replace("/", "").isdigit():
            # A lone "6" in wrong-model OCR is as often "ở" as six: the channel knows how often.
            channel = lm.channel.get(token, []) if garbled else []
            choices = {lm.id_of(t): score for t, score in channel if lm.id_of(t) is not None}
            choices = choices or {lm.index[NUM]: 0.0}
            runs[-1].append(_Slot(start, end, token, tuple(choices), tuple(choices.values())))
        elif not token[0].isalnum():
            runs.append([])
        elif _is_symbol_part(text, start, end):
            runs[-1].append(_Slot(start, end, token, (), ()))
        else:
            choices = (_garbled_choices if garbled else _unaccented_choices)(token, lm)
            runs[-1].append(_Slot(start, end, token, tuple(choices), tuple(choices.values())))
    return [run for run in runs if run]


def _decode(run: list[_Slot], lm: SyllableLM) -> list[int | None]:
    """Best candidate per slot by beam search; None where a slot has no candidate."""
    bos = lm.index[BOS]
    size, trigram, bigram, unigram = lm.size, lm.trigram, lm.bigram, lm.unigram  # the hot loop
    # A hypothesis: (score, previous id, last id, choices so far)
    beam: list[tuple[float, int, int, tuple[int | None, ...]]] = [(0.0, bos, bos, ())]
    for slot in run:
        if not slot.choices:  # an unknown word: keep it, and restart the context
            beam = [(s, bos, bos, path + (None,)) for s, _, _, path in beam[:1]]
            continue
        expanded: dict[tuple[int, int], tuple[float, int, int, tuple[int | None, ...]]] = {}
        for score, a, b, path in beam:
            context, b_row = (a * size + b) * size, b * size
            for c, cost in zip(slot.choices, slot.costs):
                step = trigram.get(context + c)
                if step is None:
                    step = bigram.get(b_row + c)
                    if step is None:
                        step = unigram[c]
                total = score + step + cost
                best = expanded.get((b, c))
                if best is None or total > best[0]:
                    expanded[(b, c)] = (total, b, c, path + (c,))
        beam = sorted(expanded.values(), key=lambda h: -h[0])[:BEAM]
    return list(beam[0][3])


def _replacement(text: str, slot: _Slot, choice: int | None, lm: SyllableLM, garbled: bool) -> str | None:
    """What to write over a slot, or None to keep it as printed."""
    if _is_symbol_part(text, slot.start, slot.end):
        return None if has_marks(slot.text) else lm.symbols.get(slot.text)  # "QD" -> "QĐ"
    if choice is None or slot.text[0].isdigit() and not garbled:
        return None
    restored = _with_case(slot.text, lm.vocab[choice])
    if restored == slot.text or choice == lm.index[NUM]:
        return None
    if not garbled and strip_marks(restored) != slot.text:
        return None  # unaccented mode only ever adds marks
    return restored


def _shares(text: str) -> tuple[float, float, int]:
    """Shares of syllables with any mark and with a Vietnamese-only mark; syllable count."""
    syllables = SYLLABLE.findall(text)
    count = max(1, len(syllables))
    return (sum(map(has_marks, syllables)) / count,
            sum(map(is_vietnamese_marked, syllables)) / count, len(syllables))


def needs_restoring(line: str, accented_document: bool) -> bool:
    """True for a line to restore.

    In an accented document only lines without any mark qualify ("- Lưu: VT, KGVX, Nam(2b)"
    is left alone); elsewhere every line but those that read as accented Vietnamese.
    """
    marked, vietnamese, count = _shares(line)
    if accented_document:
        return marked == 0 and count >= SHORT_LINE
    return vietnamese < ACCENTED_LINE


def restore(text: str, lm: SyllableLM) -> str:
    """Restore the marks of lines typed without them or garbled by OCR; accented lines are
    returned as they were."""
    _, vietnamese, count = _shares(text)
    accented = vietnamese >= ACCENTED_DOCUMENT
    invalid = sum(1 for s in SYLLABLE.findall(text) if has_marks(s) and lm.id_of(s.lower()) is None)
    garbled = not accented and invalid / max(1, count) >= GARBLED_TEXT
    return "".join(_restore_line(line, lm, garbled) if needs_restoring(line, accented) else line
                   for line in text.splitlines(keepends=True))


def _restore_line(text: str, lm: SyllableLM, garbled: bool) -> str:
    pieces: list[str] = []
    last = 0
    for run in _slots(text, lm, garbled):
        for slot, choice in zip(run, _decode(run, lm)):
            replacement = _replacement(text, slot, choice, lm, garbled)
            if replacement is None:
                continue
            pieces.append(text[last:slot.start])
            pieces.append(replacement)
            last = slot.end
    pieces.append(text[last:])
    return "".join(pieces)
