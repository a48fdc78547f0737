"""Canonical organization names: abbreviations written out, header capitals turned into the
official mixed case ("UBND TỈNH QUẢNG NGÃI" -> "Ủy ban nhân dân tỉnh Quảng Ngãi").

Vietnamese capitalises an organ's name by its parts: the organ type ("Ủy ban nhân dân",
"Sở"), the first syllable of each word of its specific name ("Khoa học và Công nghệ") and
every syllable of a place name after an administrative level ("tỉnh Quảng Ngãi").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from vanthu.knowledge import places
from vanthu.knowledge.gazetteer import ABBREVIATIONS, LEVELS, ORGAN_TYPES, POSITION_ABBREVIATIONS, SECTORS
from vanthu.knowledge.orthography import fold, has_marks, is_upper_text, place_tone_marks

# Organ types that are followed directly by a place name ("Tỉnh ủy Quảng Ngãi").
_PLACE_AFTER = {"tinh uy", "thanh uy", "huyen uy", "quan uy", "thi uy"}
_TOKEN = re.compile(r"[\w&.,-]+|\S")


def expand_abbreviations(name: str) -> str:
    """Write out abbreviations such as UBND, HĐND, TT&TT, TP. in an organization name; those
    of positions (CT, PCT) only where the name begins with them."""
    leading = True

    def replace(match: re.Match[str]) -> str:
        token = match.group(0)
        folded = fold(token).rstrip(",;")
        if folded not in ABBREVIATIONS and folded.endswith("."):  # a full stop, not "TP."
            token, folded = token[:-1], folded[:-1]
            return replace_token(token, folded) + "."
        return replace_token(token, folded)

    def replace_token(token: str, folded: str) -> str:
        nonlocal leading
        leading = leading and (folded in POSITION_ABBREVIATIONS or folded == "va")
        if folded in POSITION_ABBREVIATIONS and not leading:
            return token
        return ABBREVIATIONS.get(folded, token)
    return re.sub(r"[\w&.,-]*[\w&]\.?", replace, name)


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


# Nghị định 30/2020, Phụ lục II, I.2: the two places written with a capital level, always.
_SPECIAL_CASES = {fold(name): name for name in ("Thành phố Hồ Chí Minh", "Thủ đô Hà Nội")}
MAX_PLACE_WORDS = 5  # "Bà Rịa - Vũng Tàu" (its dash a word) is the longest name a level is followed by


def _place(level: str, following: str) -> tuple[str, int] | None:
    """The place a level is followed by, in its gazetteer spelling (`knowledge.places`), and
    how many characters of `following` it takes."""
    words = following.split(" ")
    for size in range(min(MAX_PLACE_WORDS, len(words)), 0, -1):
        printed = " ".join(words[:size])
        if canonical := places.match(printed, [level, "thành phố"] if level == "thành phố" else [level]):
            return canonical, len(printed)
    return None


def _case_rest(rest: str, marked: bool, first: bool = True) -> str:
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
                named = f"{level} {known[0]}"
                out.append(_SPECIAL_CASES.get(fold(named), named))
                rest = following[known[1]:]
                continue
            place = re.split(r"\s+(?=(?:và|của|thuộc)\s)", following, maxsplit=1)
            out.append(f"{level} {_title(place[0])}".strip())
            rest = following[len(place[0]):]
        else:
            word, _, rest = rest.partition(" ")
            # The first word of a specific name is capitalized whatever it is (ND30, Phụ lục
            # II: "Tổng cục Hải quan", "Trường Đại học ..."); later ones only as a sector.
            out.append(word[:1].upper() + word[1:] if not out and first else word)
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


# "TP.", "Tp.", "T.P" before a city's name in a date line: kept as printed.
_CITY_PREFIX = re.compile(r"^(?:t\.?\s?p(?:\.|\b)|thành phố\b|tỉnh\b)\s*", re.IGNORECASE)


def canonical_place(printed: str, issuers: Sequence[str] = ()) -> str:
    """The place of a date line with the name of its province or city in the gazetteer's
    spelling, through OCR slips ("Quảng Ngãii" -> "Quảng Ngãi"); a prefix such as "TP." is
    kept as printed. A ward's or commune's name the issuer (or its parent, `issuers`) bears
    is left as printed: such a unit dates its documents at its own name ("Hải Châu" of "Ủy
    ban nhân dân phường Hải Châu", not the province "Lai Châu" one letter away); elsewhere
    a unit's name one slip from a province's is the province's ("Thanh Hòa" under "Tỉnh
    Thanh Hóa"). A name the gazetteer does not hold closely enough is left as printed."""
    name = re.sub(r"\s+", " ", printed).strip(" .,;:-")
    prefix = _CITY_PREFIX.match(name)
    head, rest = (name[:prefix.end()], name[prefix.end():]) if prefix else ("", name)
    printed_as = place_tone_marks(rest).lower()  # marks compared: "Thanh Hòa" is not "Thanh Hóa"'s
    if places.is_unit_name(rest) and any(printed_as in place_tone_marks(issuer).lower() for issuer in issuers):
        return name  # the issuing ward's or commune's own name, printed right
    canonical = places.match(rest)
    return f"{head}{canonical}" if canonical else name
