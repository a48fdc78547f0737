"""Organization mentions in running text, found over the gazetteer.

Three steps, each a small function:
- `syllables`: one token per syllable, number, symbol or punctuation mark, each with its
  folded form (no marks, lowercase), so that names written with accents also match
  unaccented or mis-accented text. Whitespace is not a token.
- `gazetteer_pieces`: the pieces organization names are built from, matched on the folded
  syllables of the gazetteer (`vanthu.knowledge.gazetteer`): organ types ("Sở", "Ủy ban nhân
  dân", "UBND"), positions ("Giám đốc"), sector names ("Tài chính") and administrative
  levels ("tỉnh"). Where matches overlap, the longest wins, then the earliest (the rule of
  spaCy's EntityRuler, which did this before: importing spaCy cost every command ~1 s).
- `compose_organizations`, which joins the pieces into whole names: "Giám đốc" + "Sở" +
  "Tài chính", "Văn phòng" + "UBND" + "tỉnh", "UBND" + "các huyện, thị xã, thành phố",
  "Báo" + "Quảng Ngãi".

`find_organizations(text)` returns each name with its character span in `text`. Shared
knowledge: extraction finds names in the text with it, normalization splits lists of units.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

from .gazetteer import ABBREVIATIONS, LEVELS, ORGAN_TYPES, POSITION_ABBREVIATIONS, POSITIONS, SECTORS
from .orthography import fold


class Mention(NamedTuple):
    """An organization's name as printed, at `text[start:end]`."""

    value: str
    start: int
    end: int


class Token(NamedTuple):
    """A syllable, number or mark at `start` in the text; `norm` is its folded form."""

    text: str
    start: int
    norm: str

    @property
    def end(self) -> int:
        return self.start + len(self.text)


class Piece(NamedTuple):
    """Tokens `start`..`end` (exclusive) matched to a gazetteer entry of `label` (ORGAN,
    POSITION, SECTOR, LEVEL); `key` names an organ type ("so", "ubnd"), else ""; `sector`:
    the words also name a sector ("Công an": the organ of "Công an tỉnh", the sector of
    "Bộ Công an")."""

    label: str
    key: str
    start: int
    end: int
    sector: bool = False


class _Entry(NamedTuple):
    label: str
    key: str
    capitalised: bool  # the first word must not be in lower case ("ban" in "sở, ban, ngành" is a noun)


_TOKEN = re.compile(r"\w+(?:[&'’]\w+)*|[^\w\s]")
# Organ types that need a name after them: "Sở Tài chính", never "Sở" alone.
_NEEDS_NAME = {fold(t) for t in ("Sở", "Bộ", "Ban", "Phòng", "Cục", "Chi cục", "Văn phòng",
                                 "Trung tâm", "Báo", "Đài", "Hội", "Tổng cục", "Thanh tra",
                                 "Công an", "Đảng ủy", "Ủy ban Quốc gia", "Trường", "Bệnh viện",
                                 "Công ty", "Thường trực")}
# Organ types followed by a proper name in title case ("Báo Quảng Ngãi", "Trung tâm Hành chính công").
_TAKES_PROPER_NAME = {fold(t) for t in ("Báo", "Đài", "Trung tâm", "Hội", "Ban", "Đảng ủy",
                                        "Trường", "Bệnh viện", "Công ty", "Ban Quản lý")}
# Abbreviations of names ("UBND", "VPUB", "BCĐ"); a sector's ("TN&MT") is a sector, which
# names an organization only after an organ type ("Sở TN&MT").
_ORG_ABBREVIATIONS = [a for a, full in ABBREVIATIONS.items()
                      if full[:1].isupper() and a not in POSITION_ABBREVIATIONS and full not in SECTORS]
# Words that are two kinds of entry ("Công an") are matched as the first kind in this order.
_PRIORITY = {"ORGAN": 0, "POSITION": 1, "SECTOR": 2, "LEVEL": 3}


def syllables(text: str) -> list[Token]:
    """The tokens of `text`: every non-space character is in exactly one of them."""
    return [Token(m.group(0), m.start(), fold(m.group(0))) for m in _TOKEN.finditer(text)]


def _phrase(words: str) -> tuple[str, ...]:
    return tuple(fold(piece) for piece in _TOKEN.findall(words))


@lru_cache(maxsize=1)
def _entries() -> dict[tuple[str, ...], tuple[_Entry, ...]]:
    """Folded phrase -> its gazetteer entries, the organ first."""
    found: dict[tuple[str, ...], set[_Entry]] = {}

    def add(words: str, label: str, key: str = "", capitalised: bool = False) -> None:
        found.setdefault(_phrase(words), set()).add(_Entry(label, key, capitalised))

    for organ in ORGAN_TYPES:
        add(organ, "ORGAN", fold(organ), capitalised=True)
    for abbreviation in _ORG_ABBREVIATIONS:
        add(abbreviation, "ORGAN", abbreviation, capitalised=True)
    for position in POSITIONS:
        add(position, "POSITION", capitalised=True)
    for sector in SECTORS:
        add(sector, "SECTOR")
    for abbreviation, full in ABBREVIATIONS.items():
        if full in SECTORS:
            add(abbreviation, "SECTOR")
    for level in LEVELS + ("tp",):
        add(level, "LEVEL")
    return {phrase: tuple(sorted(entries, key=lambda e: (_PRIORITY[e.label], e.key)))
            for phrase, entries in found.items()}


@lru_cache(maxsize=1)
def _longest_phrase() -> int:
    return max(map(len, _entries()))


def gazetteer_pieces(tokens: list[Token]) -> dict[int, Piece]:
    """Non-overlapping gazetteer matches by their first token: the longest match wins, then
    the earliest; a capitalised entry does not match a word in lower case."""
    entries, longest = _entries(), _longest_phrase()
    norms = [token.norm for token in tokens]
    matches: list[Piece] = []
    for start, token in enumerate(tokens):
        for size in range(1, min(longest, len(tokens) - start) + 1):
            found = entries.get(tuple(norms[start : start + size]), ())
            sector = any(entry.label == "SECTOR" for entry in found)
            for entry in found:
                if not (entry.capitalised and token.text.islower()):
                    matches.append(Piece(entry.label, entry.key, start, start + size, sector))
                    break  # one entry per span: the first in priority that applies
    matches.sort(key=lambda piece: (piece.start - piece.end, piece.start))
    taken: set[int] = set()
    pieces: dict[int, Piece] = {}
    for piece in matches:
        span = range(piece.start, piece.end)
        if taken.isdisjoint(span):
            pieces[piece.start] = piece
            taken.update(span)
    return pieces


def _is_name_word(token: Token) -> bool:
    return token.text.isalpha() and (token.text.istitle() or token.text.isupper())


def _level_run(tokens: list[Token], at: int, levels: dict[int, Piece]) -> int:
    """End of "tỉnh Quảng Ngãi" / "các huyện, thị xã, thành phố" starting at token `at`."""
    if at < len(tokens) and tokens[at].norm == "cac" and at + 1 in levels:
        end = levels[at + 1].end
        while end + 1 < len(tokens) and tokens[end].text == "," and end + 1 in levels:
            end = levels[end + 1].end
        return end
    if at not in levels:
        return at
    end = levels[at].end
    while end < len(tokens) and _is_name_word(tokens[end]) and end - levels[at].end < 4:
        end += 1
    return end


def compose_organizations(tokens: list[Token], pieces: dict[int, Piece]) -> list[tuple[int, int]]:
    """Join gazetteer pieces into whole organization names: (first token, end token) each."""
    levels = {s: piece for s, piece in pieces.items() if piece.label == "LEVEL"}
    found: list[tuple[int, int]] = []
    at = 0
    while at < len(tokens):
        piece = pieces.get(at)
        if piece is None or piece.label not in ("ORGAN", "POSITION"):
            at += 1
            continue
        start, end, named = piece.start, piece.end, piece.label == "ORGAN" and piece.key not in _NEEDS_NAME
        last_organ = piece.key if piece.label == "ORGAN" else ""
        while end in pieces and pieces[end].label in ("ORGAN", "SECTOR"):
            named = named or pieces[end].sector or pieces[end].key not in _NEEDS_NAME
            last_organ = pieces[end].key or last_organ
            end = pieces[end].end
        after = _level_run(tokens, end, levels)
        if after > end:
            named, end = True, after
        elif last_organ in _TAKES_PROPER_NAME:
            while end < len(tokens) and _is_name_word(tokens[end]) and end not in pieces:
                named, end = True, end + 1
        if named and (piece.label == "ORGAN" or end > piece.end):
            found.append((start, end))
        at = max(end, at + 1)
    return found


@lru_cache(maxsize=1)
def _first_words() -> frozenset[str]:
    """Folded first tokens of every organ type, abbreviation and position."""
    return frozenset(phrase[0] for phrase, entries in _entries().items()
                     if any(entry.label in ("ORGAN", "POSITION") for entry in entries))


def starts_with_organization_word(text: str) -> bool:
    """A cheap test: does `text` begin with a word that can begin an organization's name?"""
    first = _TOKEN.match(text.lstrip())
    return first is not None and fold(first.group(0)) in _first_words()


@lru_cache(maxsize=4096)
def find_organizations(text: str) -> tuple[Mention, ...]:
    """Organization names (with a leading position, if any) mentioned in `text`, with
    their spans in `text`. A name may run over a line break ("Ban Thường vụ\nTỉnh ủy")."""
    tokens = syllables(text)
    names = compose_organizations(tokens, gazetteer_pieces(tokens))
    return tuple(Mention(_printed(text, tokens[first].start, tokens[last - 1].end), tokens[first].start,
                         tokens[last - 1].end) for first, last in names)


def _printed(text: str, start: int, end: int) -> str:
    """The name as printed, each run of whitespace inside it one space (a name broken over
    two lines reads as one)."""
    return " ".join(text[start:end].split())
