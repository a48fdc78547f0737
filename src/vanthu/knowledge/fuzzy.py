"""Matching printed names to a list of known names through OCR slips.

Names are compared folded (no marks, no case; `orthography.fold`) with a bounded edit
distance that grows with their length: one slip in a short name, about one in six letters in
a longer one. The canonical spelling of the list is returned; the printed text stays in the
span it came from.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence

from rapidfuzz.distance import Levenshtein

from .orthography import fold

SLIP_EVERY = 6  # one edit allowed per this many letters (at least one)


def key(text: str) -> str:
    """Folded letters and digits, single spaces: the form names are compared in."""
    return re.sub(r"\s+", " ", re.sub(r"[^\w\s]", " ", fold(text))).strip()


@functools.lru_cache(maxsize=64)
def _keys(names: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    return tuple((key(name), name) for name in names)


SHORTEST_SLIPPED = 4  # a name shorter than this ("Huế", or OCR's "hủ") must match exactly


def allowed(length: int, shorter: int | None = None) -> int:
    """Edits allowed between names of this many characters (the shorter of the two having
    `shorter`): none when either is very short, where one edit is a different word."""
    if shorter is not None and shorter < SHORTEST_SLIPPED:
        return 0
    return max(1, length // SLIP_EVERY)


def best_match(text: str, names: Sequence[str]) -> str | None:
    """The name of `names` that `text` spells, allowing OCR slips, or None."""
    wanted = key(text)
    if not wanted:
        return None
    best: tuple[int, str] | None = None
    for folded, name in _keys(tuple(names)):
        limit = allowed(max(len(folded), len(wanted)), min(len(folded), len(wanted)))
        distance = Levenshtein.distance(wanted, folded, score_cutoff=limit)
        if distance <= limit and (best is None or distance < best[0]):
            best = (distance, name)
            if distance == 0:
                break
    return best[1] if best else None
