"""Diacritic restoration: put the marks back on Vietnamese typed without them, or OCRed with a
model for another language ("Quyét dinh s6 749" -> "Quyết định số 749").

    text -> lines to restore (accented lines pass through)
         -> runs of words between punctuation; per word, candidate syllables with a channel
            score (how likely this word is printed or read for that syllable)
         -> beam search over all runs at once, one word position per step, scored by the
            Kneser-Ney model (`ingest.lm.advance`, vectorized) plus the channel scores
         -> the chosen syllables, in the original letter case, written back in place

Two modes, chosen from the text itself:
- *unaccented* (no marks at all): only marks are added; a word's candidates are the known
  syllables with the same mark-free letters. A Capitalized word inside a line adds how often
  each candidate is printed capitalized in the corpus (names: "Sở", not "số"), and a short
  line adds a bonus for the phrases of the form learned from the corpus (`ingest.forms`);
- *garbled* (some marks, the wrong ones: wrong-language OCR): every word may be misread.
  Candidates come from the garbling channel learned from `-l eng` OCR of training text
  (`ingest.channel`: "cuwdng" -> cường, "Pang" -> Đảng, "TH" -> THỦ), and from the
  mark-free letters after undoing OCR look-alikes (`s6` -> so -> số).

Accented lines, numbers, punctuation, symbols (UBND-KGVX, QĐ-TTg, TT&TT; a table learned
from the corpus adds their marks: QD -> QĐ), abbreviations in capitals (CVP, UBND) and
unknown words are copied unchanged. The model is loaded only when a line needs restoring.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable

import numpy as np
import rapidfuzz
from rapidfuzz.distance import Levenshtein

from .channel import GarbleChannel, case_kind
from .forms import SHORT_LINE as FORM_LINE
from .lm import INNER_PUNCT, SyllableLM, default_model
from .triage import is_vietnamese_marked
from vanthu.knowledge.orthography import fold, has_marks, strip_marks

RESTORE_VERSION = "restore-3"
BEAM = 8
# Words may carry OCR digits ("s6", "1anh"); a number is digits not glued to letters.
# "&" is a word's last letter when no letter follows ("x&" for xã); between letters it joins an
# abbreviation (TT&TT).
_OCR_LETTERS = "¢€¥£"
TOKEN = re.compile(r"\d+(?:[.,/]\d+)*(?![^\W\d_]|[¢€¥£])|(?:[^\W_]|[¢€¥£])(?:[^\W_]|[¢€¥£]|&(?![^\W\d_]))*"
                   r"|[^\w\s]|\n")
SYLLABLE = re.compile(r"[^\W\d_]+")
# Shares of syllables with a Vietnamese-only mark (ư, ê, ạ, ả, đ …; see ingest.triage) above
# which a document, or a line, is accented Vietnamese. The English model never prints them.
ACCENTED_DOCUMENT = 0.12
ACCENTED_LINE = 0.25
SHORT_LINE = 4  # syllables; in an accented document shorter unmarked lines are left alone
WRAPPED_LINE = 8  # syllables; a line this long not ended by punctuation may wrap to the next
# Below ACCENTED_DOCUMENT, a text in which at least this share of syllables carry marks but
# are not Vietnamese ("quyét", "hién": wrong-language OCR) is garbled, not unaccented.
# Restored text never has such syllables, so restoring it again changes nothing.
GARBLED_TEXT = 0.03
UNACCENTED_CANDIDATES = 16  # most frequent spellings of a mark-free word considered
GARBLED_CANDIDATES = 16    # from the channel's list and the word's own letters ...
EXTRA_CANDIDATES = 16      # ... and from one letter more, or near spellings
# Weights of the channel scores (log10) against the language model, tuned on the dev split.
CAPITALS_WEIGHT = 0.5   # log10 P(printed Capitalized | syllable), names inside a line
FORM_BONUS = 1.5        # a syllable of a learned form phrase, in a short line
CHANNEL_WEIGHT = 1.0    # log10 P(garbled | syllable) from the learned channel
SAME_LETTERS = -1.5     # a syllable with the word's letters after undoing look-alikes
EXTRA_LETTER = -1.5     # a letter more than a garbling the channel lists
EDIT = -2.5             # per letter edit, for a syllable spelled near the word, ...
EDIT_FLOOR = -1.5       # ... at least: the letter channel's score when that is higher
VOWEL_DROPPED = -1.0    # a syllable whose vowels the English model dropped, leaving its onset
ONSET_CANDIDATES = 24
NEAR_CANDIDATES = 4     # most frequent syllables of each near spelling
KEEP_ACCENTED = -0.3    # a known, accented syllable read as printed
# What the English model prints for Vietnamese letters inside a word.
_LOOKALIKES = str.maketrans({"6": "o", "0": "o", "1": "l", "4": "a", "9": "o", "¢": "c", "€": "e",
                             "¥": "y", "£": "e", "&": "a"})
_SYMBOL_GLUE = "/-&"
_ONSETS = frozenset("b c ch d g gh gi h k kh l m n ng ngh nh p ph qu r s t th tr v x".split())


class _Lattice:
    """The words to restore of a whole text, flat: slots (a word's place in its line and its
    candidates with channel scores) grouped into runs (words between punctuation)."""

    def __init__(self) -> None:
        self.line: list[int] = []
        self.start: list[int] = []
        self.end: list[int] = []
        self.offsets: list[int] = [0]
        self.ids: list[int] = []
        self.costs: list[float] = []
        self.run_first: list[int] = []
        self.run_length: list[int] = []
        self.closed = True  # the next slot starts a new run

    def add(self, line: int, start: int, end: int, choices: dict[int, float]) -> None:
        if self.closed:
            self.run_first.append(len(self.line))
            self.run_length.append(0)
            self.closed = False
        self.line.append(line)
        self.start.append(start)
        self.end.append(end)
        self.ids.extend(choices)
        self.costs.extend(choices.values())
        self.offsets.append(len(self.ids))
        self.run_length[-1] += 1

    def close_run(self) -> None:
        self.closed = True

    def run_open(self) -> bool:
        return not self.closed

    def run_slots(self, run: int) -> range:
        return range(self.run_first[run], self.run_first[run] + self.run_length[run])

    def bonus(self, slot: int, syllable: int, amount: float) -> None:
        """Add `amount` to the channel score of candidate `syllable` of `slot`, if it has it."""
        for k in range(self.offsets[slot], self.offsets[slot + 1]):
            if self.ids[k] == syllable:
                self.costs[k] += amount


def _with_case(template: str, syllable: str, capitals_line: bool = False, garbled: bool = False) -> str:
    letters = [c for c in template if c.isalpha()]
    if len(letters) > 1 and all(c.isupper() for c in letters):
        if garbled and not capitals_line and len(letters) == 2:
            # A marked letter read as a capital ("Bộ" -> "BO") in a line of lowercase text.
            return syllable[:1].upper() + syllable[1:]
        return syllable.upper()
    if template[:1].isupper():
        return syllable[:1].upper() + syllable[1:]
    return syllable


def _is_symbol_part(text: str, start: int, end: int) -> bool:
    """Letters glued to '/', '-' or '&' are part of a symbol or abbreviation (QĐ-TTg, TT&TT)."""
    before = text[start - 1] if start else " "
    after = text[end] if end < len(text) else " "
    return before in _SYMBOL_GLUE or after in _SYMBOL_GLUE


class _Candidates:
    """Candidate syllables and channel scores of the words of one text, cached by word."""

    def __init__(self, lm: SyllableLM, garbled: bool) -> None:
        self.lm = lm
        self.garbled = garbled
        self.channel = GarbleChannel(lm.arrays) if garbled else None
        self.cache: dict[tuple[str, bool], dict[int, float]] = {}
        self.onsets: dict[str, list[int]] | None = None

    def of(self, word: str, names: bool) -> dict[int, float]:
        """Candidates of `word`; `names`: weigh how often each is printed capitalized (a
        word inside a line of lowercase text, unaccented mode)."""
        key = (word, names)
        found = self.cache.get(key)
        if found is None:
            found = self._garbled(word) if self.garbled else self._unaccented(word)
            if names:
                found = _weigh_capitals(found, word, self.lm)
            self.cache[key] = found
        return found

    def number(self, token: str) -> dict[int, float]:
        """A number; in garbled text a short one may also be a word ("6" for ở, "14" for là)."""
        if not self.garbled or len(token) > 2 or not token.isdigit():
            return {self.lm.num: 0.0}
        key = (token, False)
        if key not in self.cache:
            self.cache[key] = {self.lm.num: 0.0, **self._listed("l", token)}
        return self.cache[key]

    def _unaccented(self, word: str) -> dict[int, float]:
        lm = self.lm
        if has_marks(word):
            known = lm.id_of(word.lower())
            return {known: 0.0} if known is not None else {}
        return {i: 0.0 for i in lm.candidates(fold(word), UNACCENTED_CANDIDATES)}

    def _garbled(self, word: str) -> dict[int, float]:
        lm = self.lm
        lower = word.lower()
        kind = case_kind(word)
        choices = self._listed(kind, word)
        letters = fold(lower.translate(_LOOKALIKES))
        for i in lm.candidates(letters):
            choices.setdefault(i, SAME_LETTERS)
        known = lm.id_of(lower)
        if known is not None and has_marks(lower):
            choices[known] = max(choices.get(known, KEEP_ACCENTED), KEEP_ACCENTED)
        # Keep the likeliest by channel and frequency: "bé" is what bé, bê, bệ, bể … and bộ
        # all print as, and bộ is the one a text means most often.
        unigram = lm.frequency
        ranked = sorted(choices.items(), key=lambda item: -(item[1] + float(unigram[item[0]])))
        best = dict(ranked[:GARBLED_CANDIDATES])
        # Beyond what the channel lists: one letter more than a listed garbling ("cuwdng",
        # "Thua"), or a spelling one or two edits away (two only for a word nothing else explains).
        if len(letters) > 2 and word.isupper() and not has_marks(word):
            return best  # capitals the channel does not explain are an abbreviation: CVP, VPTU
        extra: dict[int, float] = {}
        if letters in _ONSETS:  # only the consonants came out: "B" for Bộ, "TH" for THỦ
            for i in self._starting_with(letters):
                extra.setdefault(i, VOWEL_DROPPED)
        for k in range(len(word)) if len(word) > 1 else ():
            for i, logp in self._listed(kind, word[:k] + word[k + 1:]).items():
                extra[i] = max(extra.get(i, -99.0), logp + EXTRA_LETTER)
        for spelling, distance in self._near(letters, 1 if best else 2):
            for i in lm.candidates(spelling, NEAR_CANDIDATES):
                if i not in extra:  # scored by the learned letter channel: "Pang" is Đảng, not Bảng
                    aligned = self.channel.score(_with_case(word, lm.vocab[i]), word)
                    extra[i] = max(CHANNEL_WEIGHT * aligned, EDIT * distance + EDIT_FLOOR)
        for i in [i for i in extra if i in best]:
            best[i] = max(best[i], extra.pop(i))
        best.update(sorted(extra.items(), key=lambda item: -(item[1] + float(unigram[item[0]])))[:EXTRA_CANDIDATES])
        return best

    def _starting_with(self, onset: str) -> list[int]:
        """The ONSET_CANDIDATES most frequent syllables spelled `onset` + vowel (+ coda)."""
        if self.onsets is None:
            table: dict[str, list[int]] = {}
            counts = self.lm.counts
            for i in np.argsort(-np.asarray(counts), kind="stable").tolist():
                spelling = fold(self.lm.vocab[i])
                for cut in (1, 2, 3):
                    if spelling[:cut] in _ONSETS and len(spelling) > cut and spelling[cut] in "aeiouy":
                        table.setdefault(spelling[:cut], []).append(i)
            self.onsets = {k: v[:ONSET_CANDIDATES] for k, v in table.items()}
        return self.onsets.get(onset, [])

    def _listed(self, kind: str, word: str) -> dict[int, float]:
        """The channel's list for `word` printed in case `kind` (or in another case, if none)."""
        for k in [kind] + [other for other in "ulc" if other != kind]:
            found = self.channel.lookup(k, word)
            if found:
                return {i: CHANNEL_WEIGHT * logp for i, logp in found}
        return {}

    def _near(self, letters: str, reach: int) -> list[tuple[str, int]]:
        """Known mark-free spellings within `reach` edits of `letters` (not itself)."""
        if len(letters) < 2 or len(letters) > 9:
            return []
        found = rapidfuzz.process.extract(letters, self.lm.spellings, scorer=Levenshtein.distance,
                                          score_cutoff=reach, limit=None)
        return [(spelling, distance) for spelling, distance, _ in found if distance > 0]


def _weigh_capitals(choices: dict[int, float], word: str, lm: SyllableLM) -> dict[int, float]:
    """Add log10 P(printed as `word` is, Capitalized or not | syllable): names inside a line."""
    capitalized = word[:1].isupper()
    weighed = {}
    for i, cost in choices.items():
        share = (float(lm.cap_counts[i]) + 0.5) / (float(lm.counts[i]) + 1.0)
        weighed[i] = cost + CAPITALS_WEIGHT * math.log10(share if capitalized else max(1.0 - share, 0.01))
    return weighed


def _is_abbreviation(word: str, lm: SyllableLM, capitals_line: bool) -> bool:
    """Capitals in a line of lowercase text that spell no syllable: CVP, UBND, PCVP."""
    return (not capitals_line and len(word) > 1 and word.isalpha() and word.isupper() and not has_marks(word)
            and not lm.candidates(fold(word)))


def _is_capitals_line(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and sum(c.isupper() for c in letters) > len(letters) / 2


def _add_line(lattice: _Lattice, number: int, text: str, candidates: _Candidates, joined: bool) -> None:
    """The line's words as slots of `lattice`, one run per stretch between punctuation;
    `joined`: the line goes on the previous one's sentence (a wrapped line), so its first
    words keep their context."""
    lm = candidates.lm
    capitals_line = _is_capitals_line(text)
    keep = {lm.unk: 0.0}
    sentence_start = not joined
    if not joined:
        lattice.close_run()
    first_run = len(lattice.run_first)
    for match in TOKEN.finditer(text):
        token = match.group(0)
        start, end = match.span()
        if token == "\n":
            continue
        if token[0].isdigit() and token.replace(".", "").replace(",", "").replace("/", "").isdigit():
            lattice.add(number, start, end, candidates.number(token))
        elif not token[0].isalnum() and token[0] not in _OCR_LETTERS:
            if token in INNER_PUNCT and lattice.run_open() and (punct := lm.id_of(token)) is not None:
                lattice.add(number, start, end, {punct: 0.0})
            elif token not in _SYMBOL_GLUE:
                lattice.close_run()
            if token not in _SYMBOL_GLUE:
                sentence_start = token in ".:;!?\n"
            continue
        elif _is_symbol_part(text, start, end) or _is_abbreviation(token, lm, capitals_line):
            # Kept as printed, but still context: "Bộ TT&TT" was counted as "bộ tt tt".
            known = lm.id_of(token.lower())
            lattice.add(number, start, end, keep if known is None else {known: 0.0})
        else:
            names = not candidates.garbled and not capitals_line and not sentence_start
            lattice.add(number, start, end, candidates.of(token, names) or keep)
        sentence_start = False
    if not joined and not candidates.garbled and len(SYLLABLE.findall(text)) <= FORM_LINE:
        for run in range(first_run, len(lattice.run_first)):
            _favour_forms(lattice, text, run, lm)


def _favour_forms(lattice: _Lattice, text: str, run: int, lm: SyllableLM) -> None:
    """A bonus for the spelling of a learned form phrase covering a slot of a short line."""
    slots = lattice.run_slots(run)
    spelled = lm.forms.spell([fold(text[lattice.start[k]:lattice.end[k]]) for k in slots])
    for slot, spelling in zip(slots, spelled):
        i = lm.id_of(spelling) if spelling else None
        if i is not None:
            lattice.bonus(slot, i, FORM_BONUS)


def decode(lattice: _Lattice, lm: SyllableLM, beam: int | None = None) -> np.ndarray:
    """The best candidate id of every slot: beam search over all runs at once.

    Step t extends every hypothesis of every run longer than t by each candidate of the
    run's slot t; hypotheses of a run that end in the same model state are merged (the
    future cannot tell them apart), and the `beam` best of each run are kept.
    """
    beam = beam or BEAM
    lengths = np.asarray(lattice.run_length, dtype=np.int64)
    first = np.asarray(lattice.run_first, dtype=np.int64)
    offsets = np.asarray(lattice.offsets, dtype=np.int64)
    cand_ids = np.asarray(lattice.ids, dtype=np.int64)
    cand_costs = np.asarray(lattice.costs, dtype=np.float64)
    count = len(lengths)
    chosen = np.full(len(lattice.line), lm.unk, dtype=np.int64)
    if count == 0:
        return chosen
    run_of = np.arange(count)                  # hypotheses: their run, score, model state
    score = np.zeros(count)
    contexts = lm.start(count)
    parents: list[np.ndarray] = []
    words: list[np.ndarray] = []
    final = np.zeros(count, dtype=np.int64)    # each run's best hypothesis at its last step
    for t in range(int(lengths.max())):
        active = np.flatnonzero(lengths[run_of] > t)
        run_of, score = run_of[active], score[active]
        contexts = [c[active] for c in contexts]
        slot = first[run_of] + t
        sizes = offsets[slot + 1] - offsets[slot]
        parent = np.repeat(np.arange(len(run_of)), sizes)
        within = np.arange(len(parent)) - np.repeat(np.cumsum(sizes) - sizes, sizes)
        position = offsets[slot[parent]] + within
        word = cand_ids[position]
        step, after = lm.advance([c[parent] for c in contexts], word)
        new_run = run_of[parent]
        new_score = score[parent] + step + cand_costs[position]
        keep = _best(new_run, new_score, lm.state(after), beam)
        run_of, score = new_run[keep], new_score[keep]
        contexts = [c[keep] for c in after]
        parents.append(active[parent[keep]])
        words.append(word[keep])
        ending = np.flatnonzero(lengths[run_of] == t + 1)
        if len(ending):
            eos, _ = lm.advance([c[ending] for c in contexts], np.full(len(ending), lm.eos))
            total = score[ending] + eos
            order = np.lexsort((-total, run_of[ending]))
            runs = run_of[ending][order]
            head = np.concatenate(([True], runs[1:] != runs[:-1]))
            final[runs[head]] = ending[order][head]
    current = np.full(count, -1, dtype=np.int64)
    for t in range(int(lengths.max()) - 1, -1, -1):
        ending = lengths == t + 1
        current[ending] = final[ending]
        live = np.flatnonzero(lengths > t)
        chosen[first[live] + t] = words[t][current[live]]
        current[live] = parents[t][current[live]]
    return chosen


def _best(run_of: np.ndarray, score: np.ndarray, state: np.ndarray, beam: int) -> np.ndarray:
    """Indices of the hypotheses kept: the best per (run, state), then the `beam` best per run."""
    by_score = np.argsort(-score)
    key = run_of * (int(state.max()) + 2) + state + 1
    order = by_score[np.argsort(key[by_score], kind="stable")]  # by (run, state), best first
    ordered = key[order]
    head = np.ones(len(order), dtype=bool)
    head[1:] = ordered[1:] != ordered[:-1]
    merged = order[head]
    order = merged[np.lexsort((-score[merged], run_of[merged]))]
    runs = run_of[order]
    starts = np.flatnonzero(np.concatenate(([True], runs[1:] != runs[:-1])))
    rank = np.arange(len(order)) - np.repeat(starts, np.diff(np.append(starts, len(order))))
    return order[rank < beam]


def _shares(text: str, marks: dict[str, tuple[bool, bool]]) -> tuple[float, float, int]:
    """Shares of syllables with any mark and with a Vietnamese-only mark; syllable count.
    `marks` caches both facts per syllable."""
    syllables = SYLLABLE.findall(text)
    count = max(1, len(syllables))
    marked = vietnamese = 0
    for syllable in syllables:
        facts = marks.get(syllable)
        if facts is None:
            facts = marks[syllable] = (has_marks(syllable), is_vietnamese_marked(syllable))
        marked += facts[0]
        vietnamese += facts[1]
    return marked / count, vietnamese / count, len(syllables)


def needs_restoring(line: str, accented_document: bool, marks: dict | None = None) -> bool:
    """True for a line to restore.

    In an accented document only lines without any mark qualify ("- Lưu: VT, KGVX, Nam(2b)"
    is left alone); elsewhere every line but those that read as accented Vietnamese.
    """
    marked, vietnamese, count = _shares(line, {} if marks is None else marks)
    if accented_document:
        return marked == 0 and count >= SHORT_LINE
    return vietnamese < ACCENTED_LINE


def _wraps(line: str, following: str) -> bool:
    """True if `following` goes on the sentence of `line`: a long line (of printed prose, cut
    at the margin) not ended by sentence punctuation, followed by words."""
    end = line.rstrip()
    start = following.lstrip()
    return (len(SYLLABLE.findall(line)) >= WRAPPED_LINE and not end.endswith((".", ":", ";", "!", "?"))
            and start[:1].isalpha())


def _known_marked_share(line: str, known: dict[str, bool]) -> float:
    """Share of a line's syllables that are known syllables with a Vietnamese-only mark
    ("TƯNG" has the mark but is no syllable: wrong-model OCR of THỦ TƯỚNG)."""
    syllables = SYLLABLE.findall(line)
    return sum(known[s] for s in syllables) / max(1, len(syllables))


def restore(text: str, lm: SyllableLM | Callable[[], SyllableLM] | None = None) -> str:
    """Restore the marks of lines typed without them or garbled by OCR; accented lines are
    returned as they were. `lm` is the model or a function giving it (default: the
    installed model), called only when some line needs restoring."""
    marks: dict[str, tuple[bool, bool]] = {}
    _, vietnamese, count = _shares(text, marks)
    accented = vietnamese >= ACCENTED_DOCUMENT
    lines = text.splitlines(keepends=True)
    todo = [k for k, line in enumerate(lines) if needs_restoring(line, accented, marks)]
    if not todo:
        return text
    model = lm if isinstance(lm, SyllableLM) else (lm or default_model)()
    if not accented:  # a line reads as accented only by the marks of syllables that exist
        known = {s: marks[s][1] and model.id_of(s.lower()) is not None for s in marks}
        todo = [k for k, line in enumerate(lines) if _known_marked_share(line, known) < ACCENTED_LINE]
    invalid = sum(1 for s in SYLLABLE.findall(text) if marks[s][0] and model.id_of(s.lower()) is None)
    garbled = not accented and invalid / max(1, count) >= GARBLED_TEXT
    candidates = _Candidates(model, garbled)
    lattice = _Lattice()
    for n, k in enumerate(todo):
        _add_line(lattice, k, lines[k], candidates, n > 0 and todo[n - 1] == k - 1 and _wraps(lines[k - 1], lines[k]))
    lattice.close_run()
    chosen = decode(lattice, model).tolist()
    return "".join(_rewrite(lines, lattice, chosen, model, garbled))


def _rewrite(lines: list[str], lattice: _Lattice, chosen: list[int], lm: SyllableLM, garbled: bool) -> list[str]:
    """`lines` with each slot replaced by its chosen syllable where that changes it."""
    out = list(lines)
    pieces: dict[int, list[str]] = {}
    last: dict[int, int] = {}
    written: dict[tuple[str, int, bool], str | None] = {}
    capitals: dict[int, bool] = {}
    for slot, choice in enumerate(chosen):
        number, start, end = lattice.line[slot], lattice.start[slot], lattice.end[slot]
        line = lines[number]
        word = line[start:end]
        if _is_symbol_part(line, start, end):
            replacement = None if has_marks(word) else lm.symbols.get(word)  # "QD" -> "QĐ"
        elif choice in (lm.unk, lm.num):
            continue
        else:
            if number not in capitals:
                capitals[number] = _is_capitals_line(line)
            key = (word, choice, capitals[number])
            if key not in written:
                written[key] = _replacement(word, choice, lm, garbled, capitals[number])
            replacement = written[key]
        if replacement is None:
            continue
        parts = pieces.setdefault(number, [])
        parts.append(line[last.get(number, 0):start])
        parts.append(replacement)
        last[number] = end
    for number, parts in pieces.items():
        out[number] = "".join(parts) + lines[number][last[number]:]
    return out


def _replacement(word: str, choice: int, lm: SyllableLM, garbled: bool, capitals_line: bool) -> str | None:
    """What to write over `word` for the chosen syllable, or None to keep it as printed."""
    restored = _with_case(word, lm.vocab[choice], capitals_line, garbled)
    if restored == word:
        return None
    if not garbled and strip_marks(restored) != word:
        return None  # unaccented mode only ever adds marks
    return restored
