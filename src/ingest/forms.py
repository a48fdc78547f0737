"""The vocabulary of the form: phrases of the header and footer lines of official documents.

A dispatch's short lines (issuer block, motto, "Số:", date line, "Kính gửi:", the signature
titles, "Nơi nhận:" and its list) have little context for an n-gram model: "TINH UY QUANG NGAI"
alone could be read many ways. They are, however, written from a small set of phrases that
recur across documents. `FormCounter` learns that set from the corpus: every run of two or
more syllables (between punctuation) of the first and last lines of a training document,
kept when it occurs in at least MIN_DOCUMENTS documents and one accented spelling has at
least DOMINANT of its uses. `FormPhrases` finds those phrases in a short line being
restored, so that restoration prefers their spelling (a bonus in the decoder, not a rule:
the language model can still overrule it).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator

from vanthu.knowledge.orthography import fold

HEAD_LINES = 10     # a document's issuer block, motto, number, date, title and "Kính gửi"
TAIL_LINES = 25     # signature titles, name, "Nơi nhận" and its list
SHORT_LINE = 14     # syllables; longer lines are prose, restored by the n-gram alone
MIN_DOCUMENTS = 3
DOMINANT = 0.9
MAX_PHRASE = 8      # syllables
_RUN = re.compile(r"[^\W\d_]+(?:[ \t-]+[^\W\d_]+)*")
_SYLLABLE = re.compile(r"[^\W\d_]+")


def phrases(line: str) -> Iterator[list[str]]:
    """Runs of 2..MAX_PHRASE lowercase syllables between punctuation and numbers."""
    for run in _RUN.findall(line.lower()):
        syllables = _SYLLABLE.findall(run)
        if 2 <= len(syllables) <= MAX_PHRASE:
            yield syllables


def form_lines(document: str) -> Iterator[str]:
    """The short lines at the head and the tail of a document."""
    lines = [line for line in document.splitlines() if line.strip()]
    zone = lines[:HEAD_LINES] + lines[HEAD_LINES:][-TAIL_LINES:]
    return (line for line in zone if len(_SYLLABLE.findall(line)) <= SHORT_LINE)


class FormCounter:
    """Counts form phrases over training documents (see the module docstring)."""

    def __init__(self) -> None:
        self.spellings: dict[str, Counter[str]] = {}
        self.documents: Counter[str] = Counter()

    def add(self, document: str) -> None:
        seen: set[str] = set()
        for line in form_lines(document):
            for syllables in phrases(line):
                accented = " ".join(syllables)
                key = fold(accented)
                self.spellings.setdefault(key, Counter())[accented] += 1
                seen.add(key)
        self.documents.update(seen)

    def table(self) -> list[tuple[str, str]]:
        """(mark-free phrase, accented phrase), sorted."""
        rows = []
        for key, spellings in sorted(self.spellings.items()):
            if self.documents[key] < MIN_DOCUMENTS:
                continue
            best, count = max(spellings.items(), key=lambda item: (item[1], item[0]))
            if count >= DOMINANT * sum(spellings.values()) and best != key:
                rows.append((key, best))
        return rows


class FormPhrases:
    """Finds learned form phrases in a run of mark-free syllables."""

    def __init__(self, rows: Iterable[tuple[str, str]]) -> None:
        self.table = dict(rows)
        self.longest = max((k.count(" ") + 1 for k in self.table), default=0)

    def spell(self, folded: list[str]) -> list[str | None]:
        """For each syllable of `folded`, the spelling a learned phrase covering it gives
        (longest phrase first, left to right), or None."""
        out: list[str | None] = [None] * len(folded)
        i = 0
        while i < len(folded):
            for length in range(min(self.longest, len(folded) - i), 1, -1):
                accented = self.table.get(" ".join(folded[i:i + length]))
                if accented is not None:
                    out[i:i + length] = accented.split(" ")
                    i += length
                    break
            else:
                i += 1
        return out
