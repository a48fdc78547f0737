"""Diacritic restoration: put the marks back on Vietnamese typed or decoded without them.

    text -> tokens (syllables, numbers, punctuation; spans kept)
         -> per syllable, the candidates the language model knows for its mark-free form
         -> beam search over each run of syllables with trigram scores
         -> the chosen syllables, in the original letter case, written back in place

Only syllables without any mark are restored: a syllable that carries marks is taken as
written (it constrains its neighbours instead). Everything that is not a syllable (numbers,
punctuation, symbols such as UBND-KGVX, line breaks) is copied unchanged, and so is any
all-uppercase token of 2-6 letters that is not a known syllable (an abbreviation).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.lm import BOS, NUM, SyllableLM
from ingest.vietnamese import fold, has_marks, strip_marks

RESTORE_VERSION = "restore-1"
BEAM = 8
TOKEN = re.compile(r"[^\W\d_]+|\d+(?:[.,/]\d+)*|[^\w\s]|\n")


@dataclass(frozen=True)
class _Slot:
    start: int
    end: int
    text: str
    choices: tuple[int, ...]  # candidate syllable ids; one id = fixed; () = unknown word


def _with_case(template: str, syllable: str) -> str:
    if template.isupper() and len(template) > 1:
        return syllable.upper()
    if template[:1].isupper():
        return syllable[:1].upper() + syllable[1:]
    return syllable


def _is_symbol_part(text: str, start: int, end: int) -> bool:
    """Letters glued to '/', '-' or a digit are part of a document symbol (QĐ-TTg, NQ/TW)."""
    before = text[start - 1] if start else " "
    after = text[end] if end < len(text) else " "
    return before in "/-" or after in "/-" or before.isdigit() or after.isdigit()


def _slots(text: str, lm: SyllableLM) -> list[list[_Slot]]:
    """Runs of syllables between punctuation and line breaks, with their candidates."""
    runs: list[list[_Slot]] = [[]]
    for match in TOKEN.finditer(text):
        token = match.group(0)
        if token[0].isdigit():
            runs[-1].append(_Slot(match.start(), match.end(), token, (lm.index[NUM],)))
            continue
        if not token[0].isalpha():
            runs.append([])
            continue
        lower = token.lower()
        if has_marks(token) or _is_symbol_part(text, match.start(), match.end()):
            known = lm.id_of(lower)
            choices = (known,) if known is not None else ()
        else:
            choices = tuple(lm.candidates(fold(lower)))
        runs[-1].append(_Slot(match.start(), match.end(), token, choices))
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
            for c in slot.choices:
                step = trigram.get(context + c)
                if step is None:
                    step = bigram.get(b_row + c)
                    if step is None:
                        step = unigram[c]
                total = score + step
                best = expanded.get((b, c))
                if best is None or total > best[0]:
                    expanded[(b, c)] = (total, b, c, path + (c,))
        beam = sorted(expanded.values(), key=lambda h: -h[0])[:BEAM]
    return list(beam[0][3])


def _replacement(text: str, slot: _Slot, choice: int | None, lm: SyllableLM) -> str | None:
    """What to write over a slot, or None to keep it as printed."""
    if slot.text[0].isdigit() or has_marks(slot.text):
        return None
    if _is_symbol_part(text, slot.start, slot.end):
        marked = lm.symbols.get(slot.text)  # exact case: "QD" -> "QĐ", never "Qd"
        return marked
    if choice is None:
        return None
    restored = _with_case(slot.text, lm.vocab[choice])
    # Only marks are ever added; a token whose letters would change case stays as it is.
    return restored if strip_marks(restored) == slot.text and restored != slot.text else None


SYLLABLE = re.compile(r"[^\W\d_]+")
# A line with this share of marked syllables is accented text: it is left as written.
ACCENTED_LINE = 0.25
SHORT_LINE = 4  # syllables; shorter lines are judged by the whole document


def _marked_share(text: str) -> tuple[float, int]:
    syllables = SYLLABLE.findall(text)
    return sum(map(has_marks, syllables)) / max(1, len(syllables)), len(syllables)


def needs_restoring(line: str, document_share: float) -> bool:
    """True for a line that looks typed without marks.

    In an accented document only lines without any mark qualify ("- Lưu: VT, KGVX, Nam(2b)"
    is left alone); elsewhere lines with few marks do too (wrong-model OCR keeps some).
    """
    share, count = _marked_share(line)
    if count < SHORT_LINE:
        return share == 0 and document_share < ACCENTED_LINE / 2
    if document_share >= ACCENTED_LINE:
        return share == 0
    return share < ACCENTED_LINE


def restore(text: str, lm: SyllableLM) -> str:
    """Restore the marks of lines typed without them; accented lines are returned as they were."""
    document_share, _ = _marked_share(text)
    return "".join(_restore_line(line, lm) if needs_restoring(line, document_share) else line
                   for line in text.splitlines(keepends=True))


def _restore_line(text: str, lm: SyllableLM) -> str:
    pieces: list[str] = []
    last = 0
    for run in _slots(text, lm):
        for slot, choice in zip(run, _decode(run, lm)):
            replacement = _replacement(text, slot, choice, lm)
            if replacement is None:
                continue
            pieces.append(text[last:slot.start])
            pieces.append(replacement)
            last = slot.end
    pieces.append(text[last:])
    return "".join(pieces)
