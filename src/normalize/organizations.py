"""Canonical organization names: abbreviations written out, header capitals turned into the
official mixed case ("UBND TỈNH QUẢNG NGÃI" -> "Ủy ban nhân dân tỉnh Quảng Ngãi").

Vietnamese capitalises an organ's name by its parts: the organ type ("Ủy ban nhân dân",
"Sở"), the first syllable of each word of its specific name ("Khoa học và Công nghệ") and
every syllable of a place name after an administrative level ("tỉnh Quảng Ngãi").
"""

from __future__ import annotations

import re
from functools import lru_cache

from vanthu.knowledge import places
from vanthu.knowledge.gazetteer import ABBREVIATIONS, LEVELS, ORGAN_TYPES, SECTORS
from vanthu.knowledge.orthography import fold, has_marks, is_upper_text, place_tone_marks

# Organ types that are followed directly by a place name ("Tỉnh ủy Quảng Ngãi").
_PLACE_AFTER = {"tinh uy", "thanh uy", "huyen uy", "quan uy", "thi uy"}
_TOKEN = re.compile(r"[\w&.,-]+|\S")


def expand_abbreviations(name: str) -> str:
    """Write out abbreviations such as UBND, HĐND, TT&TT in an organization name."""
    def replace(match: re.Match[str]) -> str:
        token = match.group(0)
        return ABBREVIATIONS.get(fold(token).rstrip(",;"), token)
    return re.sub(r"[\w&.,-]*[\w&]", replace, name)


def _title(words: str) -> str:
    return " ".join(w[:1].upper() + w[1:] for w in words.split(" "))


@lru_cache(maxsize=None)
def _option_keys(option: str) -> tuple[str, str]:
    """An option's matching keys: lowercase with official tone placement, and folded."""
    return place_tone_marks(option.lower()), fold(option)


def _match_prefix(lower: str, options: tuple[str, ...], marked: bool | None = None) -> str | None:
    """The option `lower` starts with, as a whole word. Marks must agree ("quản" is not
    "quận"), unless the text has none at all (unaccented input): `marked` says whether the
    whole name has marks (a fragment of a marked name may have none: "hải quan")."""
    marked = has_marks(lower) if marked is None else marked
    text = lower if marked else fold(lower)
    for option in options:
        key = _option_keys(option)[0 if marked else 1]
        if text.startswith(key) and (len(text) == len(key) or not text[len(key)].isalnum()):
            return option
    return None


def _level(rest: str, marked: bool) -> str | None:
    """The administrative level `rest` starts with; a level of two syllables ("thành phố")
    also through a slip in its marks ("thành phó"), which one syllable ("quận"/"quản") is not."""
    if level := _match_prefix(rest, LEVELS, marked):
        return level
    words = rest.split(" ")
    for level in LEVELS:
        size = len(level.split(" "))
        if size > 1 and fold(" ".join(words[:size])) == fold(level):
            return level
    return None


MAX_PLACE_WORDS = 4  # "Bà Rịa - Vũng Tàu" is the longest name a level is followed by


def _place(level: str, following: str) -> tuple[str, int] | None:
    """The place a level is followed by, in its gazetteer spelling (`knowledge.places`), and
    how many characters of `following` it takes."""
    words = following.split(" ")
    for size in range(min(MAX_PLACE_WORDS, len(words)), 0, -1):
        printed = " ".join(words[:size])
        if canonical := places.match(printed, [level, "thành phố"] if level == "thành phố" else [level]):
            return canonical, len(printed)
    return None


def _case_rest(rest: str, marked: bool) -> str:
    """Case what follows an organ type: a sector name, then levels and place names (a place
    in the gazetteer's spelling, so OCR's "HÒ CHÍ MINH" comes out "Hồ Chí Minh")."""
    out: list[str] = []
    while rest:
        rest = rest.strip()
        if sector := _match_prefix(rest, SECTORS, marked):
            out.append(sector)
            rest = rest[len(sector):]
        elif level := _level(rest, marked):
            following = rest[len(level):].strip()
            if known := _place(level, following):
                out.append(f"{level} {known[0]}")
                rest = following[known[1]:]
                continue
            place = re.split(r"\s+(?=(?:và|của|thuộc)\s)", following, maxsplit=1)
            out.append(f"{level} {_title(place[0])}".strip())
            rest = following[len(place[0]):]
        else:
            word, _, rest = rest.partition(" ")
            out.append(word)
    return " ".join(out)


@lru_cache(maxsize=4096)
def canonical_organization(printed: str) -> str:
    """The written-out, officially cased form of an organization name."""
    name = re.sub(r"\s+", " ", place_tone_marks(printed)).strip(" .,;:-")
    expanded = expand_abbreviations(name)
    if expanded != name and len(name.split()) == 1:
        return expanded[:1].upper() + expanded[1:]  # a bare abbreviation: "VPUB"
    name = expanded
    if not is_upper_text(printed):
        return name[:1].upper() + name[1:]
    lower = name.lower()
    marked = has_marks(lower)
    organ = _match_prefix(lower, ORGAN_TYPES, marked)
    if organ is None:
        cased = _case_rest(lower, marked)
        return cased[:1].upper() + cased[1:]
    rest = lower[len(organ):].strip()
    if fold(organ).lower() in _PLACE_AFTER:
        return f"{organ} {_title(rest)}".strip()
    return f"{organ} {_case_rest(rest, marked)}".strip()
