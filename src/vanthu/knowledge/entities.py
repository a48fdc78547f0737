"""Organization mentions in running text, found by a blank spaCy `vi` pipeline.

The pipeline has three parts:
- `SyllableTokenizer`: one token per syllable, number, symbol or punctuation mark, with
  the token's NORM set to its folded form (no marks, lowercase), so that patterns written
  with accents also match unaccented or mis-accented text. Nothing is lost: the doc's text
  is the input, character for character.
- an EntityRuler over the gazetteer (`vanthu.knowledge.gazetteer`) that marks the pieces organization
  names are built from: organ types ("Sở", "Ủy ban nhân dân", "UBND"), positions
  ("Giám đốc"), sector names ("Tài chính") and administrative levels ("tỉnh").
- `compose_organizations`, which joins the pieces into whole names: "Giám đốc" + "Sở" +
  "Tài chính", "Văn phòng" + "UBND" + "tỉnh", "UBND" + "các huyện, thị xã, thành phố",
  "Báo" + "Quảng Ngãi".

`find_organizations(text)` returns each name with its character span in `text`. Shared
knowledge: extraction finds names in the text with it, normalization splits lists of units.
"""

from __future__ import annotations

import re
from functools import lru_cache

from typing import TYPE_CHECKING, NamedTuple

from .gazetteer import ABBREVIATIONS, LEVELS, ORGAN_TYPES, POSITION_ABBREVIATIONS, POSITIONS, SECTORS
from .orthography import fold



class Mention(NamedTuple):
    """An organization's name as printed, at `text[start:end]`."""

    value: str
    start: int
    end: int


if TYPE_CHECKING:  # spaCy is imported when the pipeline is first built (it takes half a second)
    from spacy.language import Language
    from spacy.tokens import Doc, Span
    from spacy.vocab import Vocab

_TOKEN = re.compile(r"\w+(?:[&'’]\w+)*|[^\w\s]")
# Organ types that need a name after them: "Sở Tài chính", never "Sở" alone.
_NEEDS_NAME = {fold(t) for t in ("Sở", "Bộ", "Ban", "Phòng", "Cục", "Chi cục", "Văn phòng",
                                 "Trung tâm", "Báo", "Đài", "Hội", "Tổng cục", "Thanh tra",
                                 "Công an", "Đảng ủy", "Ủy ban Quốc gia", "Trường", "Bệnh viện",
                                 "Công ty", "Thường trực")}
# Organ types followed by a proper name in title case ("Báo Quảng Ngãi", "Trung tâm Hành chính công").
_TAKES_PROPER_NAME = {fold(t) for t in ("Báo", "Đài", "Trung tâm", "Hội", "Ban", "Đảng ủy",
                                        "Trường", "Bệnh viện", "Công ty", "Ban Quản lý")}
_ORG_ABBREVIATIONS = [a for a, full in ABBREVIATIONS.items() if full[:1].isupper() and a not in POSITION_ABBREVIATIONS]


class SyllableTokenizer:
    """Split Vietnamese text into syllables and marks; NORM is the folded form."""

    def __init__(self, vocab: Vocab) -> None:
        self.vocab = vocab

    def __call__(self, text: str) -> Doc:
        from spacy.tokens import Doc

        words: list[str] = []
        spaces: list[bool] = []
        at = 0
        for match in _TOKEN.finditer(text):
            self._gap(text[at : match.start()], words, spaces)
            words.append(match.group(0))
            spaces.append(False)
            at = match.end()
        self._gap(text[at:], words, spaces)
        doc = Doc(self.vocab, words=words, spaces=spaces)
        for token in doc:
            token.norm_ = fold(token.text)
        return doc

    @staticmethod
    def _gap(gap: str, words: list[str], spaces: list[bool]) -> None:
        """Whitespace between tokens: one space trails the token before it (spaCy's
        convention); any other run becomes a whitespace token of its own."""
        if not gap:
            return
        if words and gap[0] == " ":
            spaces[-1] = True
            gap = gap[1:]
        if gap:
            words.append(gap)
            spaces.append(False)


def _phrase(words: str) -> list[dict]:
    return [{"NORM": fold(piece)} for piece in _TOKEN.findall(words)]


def _patterns() -> list[dict]:
    patterns: list[dict] = []
    # An organ type counts only when it is capitalised as a name is ("ban" in "sở, ban,
    # ngành" is a common noun); abbreviations are in capitals anyway.
    for organ in ORGAN_TYPES:
        tokens = _phrase(organ)
        tokens[0] = {**tokens[0], "IS_LOWER": False}
        patterns.append({"label": "ORGAN", "pattern": tokens, "id": fold(organ)})
    for abbreviation in _ORG_ABBREVIATIONS:
        tokens = _phrase(abbreviation)
        tokens[0] = {**tokens[0], "IS_LOWER": False}
        patterns.append({"label": "ORGAN", "pattern": tokens, "id": abbreviation})
    for position in POSITIONS:
        tokens = _phrase(position)
        tokens[0] = {**tokens[0], "IS_LOWER": False}
        patterns.append({"label": "POSITION", "pattern": tokens})
    for sector in SECTORS:
        patterns.append({"label": "SECTOR", "pattern": _phrase(sector)})
    for abbreviation, full in ABBREVIATIONS.items():
        if full in SECTORS:
            patterns.append({"label": "SECTOR", "pattern": _phrase(abbreviation)})
    for level in LEVELS + ("tp",):
        patterns.append({"label": "LEVEL", "pattern": _phrase(level)})
    return patterns


def _is_name_word(token) -> bool:
    return token.is_alpha and (token.is_title or token.is_upper) and len(token.text) > 0


def _level_run(doc: Doc, at: int, levels: dict[int, Span]) -> int:
    """End of "tỉnh Quảng Ngãi" / "các huyện, thị xã, thành phố" starting at token `at`."""
    if at < len(doc) and doc[at].norm_ == "cac" and at + 1 in levels:
        end = levels[at + 1].end
        while end + 1 < len(doc) and doc[end].text == "," and end + 1 in levels:
            end = levels[end + 1].end
        return end
    if at not in levels:
        return at
    end = levels[at].end
    while end < len(doc) and _is_name_word(doc[end]) and end - levels[at].end < 4:
        end += 1
    return end


def compose_organizations(doc: Doc) -> Doc:
    """Join gazetteer pieces into whole organization names (label ORG); a pipeline component."""
    from spacy.tokens import Span

    pieces = {span.start: span for span in doc.ents}
    levels = {s: span for s, span in pieces.items() if span.label_ == "LEVEL"}
    found: list[Span] = []
    at = 0
    while at < len(doc):
        piece = pieces.get(at)
        if piece is None or piece.label_ not in ("ORGAN", "POSITION"):
            at += 1
            continue
        start, end, named = piece.start, piece.end, piece.label_ == "ORGAN" and piece.ent_id_ not in _NEEDS_NAME
        last_organ = piece.ent_id_ if piece.label_ == "ORGAN" else ""
        while end in pieces and pieces[end].label_ in ("ORGAN", "SECTOR"):
            named = named or pieces[end].label_ == "SECTOR" or pieces[end].ent_id_ not in _NEEDS_NAME
            last_organ = pieces[end].ent_id_ or last_organ
            end = pieces[end].end
        after = _level_run(doc, end, levels)
        if after > end:
            named, end = True, after
        elif last_organ in _TAKES_PROPER_NAME:
            while end < len(doc) and _is_name_word(doc[end]) and end not in pieces:
                named, end = True, end + 1
        if named and (piece.label_ == "ORGAN" or end > piece.end):
            found.append(Span(doc, start, end, label="ORG"))
        at = max(end, at + 1)
    doc.ents = found
    return doc


@lru_cache(maxsize=1)
def organization_pipeline() -> Language:
    """The blank `vi` pipeline with the gazetteer ruler; built once per process."""
    import spacy
    from spacy.language import Language

    if "compose_organizations" not in Language.factories:
        Language.component("compose_organizations", func=compose_organizations)
    nlp = spacy.blank("vi", config={"nlp": {"tokenizer": {"use_pyvi": False}}})
    nlp.tokenizer = SyllableTokenizer(nlp.vocab)
    ruler = nlp.add_pipe("entity_ruler", config={"phrase_matcher_attr": "NORM"})
    ruler.add_patterns(_patterns())
    nlp.add_pipe("compose_organizations")
    return nlp


@lru_cache(maxsize=1)
def _first_words() -> frozenset[str]:
    """Folded first tokens of every organ type, abbreviation and position."""
    return frozenset(p["pattern"][0]["NORM"] for p in _patterns() if p["label"] in ("ORGAN", "POSITION"))


def starts_with_organization_word(text: str) -> bool:
    """A cheap test: does `text` begin with a word that can begin an organization's name?"""
    first = _TOKEN.match(text.lstrip())
    return first is not None and fold(first.group(0)) in _first_words()


@lru_cache(maxsize=4096)
def find_organizations(text: str) -> tuple[Mention, ...]:
    """Organization names (with a leading position, if any) mentioned in `text`, with
    their spans in `text`. A name may run over a line break ("Ban Thường vụ\nTỉnh ủy")."""
    collapsed, origin = _collapse_whitespace(text)
    doc = organization_pipeline()(collapsed)
    return tuple(Mention(ent.text, origin[ent.start_char], origin[ent.end_char - 1] + 1)
                 for ent in doc.ents)


def _collapse_whitespace(text: str) -> tuple[str, list[int]]:
    """`text` with each whitespace run as one space, and each kept character's offset in `text`."""
    kept: list[str] = []
    origin: list[int] = []
    for match in re.finditer(r"\s+|\S+", text):
        if match.group(0)[0].isspace():
            kept.append(" ")
            origin.append(match.start())
        else:
            kept.append(match.group(0))
            origin.extend(range(match.start(), match.end()))
    return "".join(kept), origin
