"""Vietnamese orthography helpers shared by every stage.

`fold` maps text to a lowercase, mark-free form of exactly the same length, so a match
found in folded text has the same offsets in the original. `place_tone_marks` moves tone
marks to the traditional position used in official documents ("hòa", "ủy", "khỏe").
"""

from __future__ import annotations

import re
import unicodedata

# The five tone marks as combining characters: grave, acute, hook above, tilde, dot below.
TONE_MARKS = "\u0300\u0301\u0309\u0303\u0323"
_VOWELS = set("aăâeêioôơuưy")
_SHAPED_VOWELS = set("ăâêôơư")
_SYLLABLE = re.compile(r"[^\W\d_]+")


def nfc(text: str) -> str:
    """Unicode NFC, with the look-alike Ð (U+00D0) and ð folded to Vietnamese Đ/đ."""
    return unicodedata.normalize("NFC", text).replace("\u00d0", "Đ").replace("\u00f0", "đ")


def _fold_char(char: str) -> str:
    if char in "đĐÐð":
        return "d"
    base = unicodedata.normalize("NFD", char)[0]
    lower = base.lower()
    return lower if len(lower) == 1 else base


class _FoldTable(dict):
    """A `str.translate` table (code point -> folded char) filled in as characters are met,
    so folding runs at C speed once a text's characters have been seen."""

    def __missing__(self, code: int) -> str:
        folded = self[code] = _fold_char(chr(code))
        return folded


_FOLD_TABLE = _FoldTable()


def fold(text: str) -> str:
    """Lowercase and strip every diacritic; the result has the same length as `text`."""
    return text.translate(_FOLD_TABLE)


def strip_marks(text: str) -> str:
    """Remove tone and shape marks but keep letter case ("Quảng Ngãi" -> "Quang Ngai")."""
    out = []
    for char in text:
        folded = fold(char)
        out.append(folded.upper() if char != char.lower() else folded)
    return "".join(out)


def has_marks(text: str) -> bool:
    """True when the text carries any Vietnamese diacritic or đ."""
    return fold(text) != text.lower()


def _tone_target(base: str) -> int | None:
    """Index in the lowercase, tone-free syllable `base` that should carry the tone."""
    start = 0
    if base.startswith("qu") and len(base) > 2 and base[2] in _VOWELS:
        start = 2
    elif base.startswith("gi") and len(base) > 2 and base[2] in _VOWELS:
        start = 2
    while start < len(base) and base[start] not in _VOWELS:
        start += 1
    end = start
    while end < len(base) and base[end] in _VOWELS:
        end += 1
    cluster = range(start, end)
    if not cluster:
        return None
    shaped = [i for i in cluster if base[i] in _SHAPED_VOWELS]
    if shaped:
        return shaped[-1]  # "ươ" -> ơ, "uyê" -> ê
    if len(cluster) == 1:
        return start
    if end < len(base):  # a final consonant pulls the tone to the last vowel: "hoàn"
        return end - 1
    if len(cluster) == 3:
        return start + 1
    return start  # traditional style: "hòa", "thủy", "khỏe"


def _place_in_syllable(match: re.Match[str]) -> str:
    syllable = match.group(0)
    decomposed = unicodedata.normalize("NFD", syllable)
    tones = [c for c in decomposed if c in TONE_MARKS]
    if len(tones) != 1:
        return syllable
    bare = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in TONE_MARKS))
    target = _tone_target(bare.lower())
    if target is None:
        return syllable
    placed = bare[: target + 1] + tones[0] + bare[target + 1 :]
    return unicodedata.normalize("NFC", placed)


def place_tone_marks(text: str) -> str:
    """Put each syllable's tone mark where official style puts it ("hoà" -> "hòa")."""
    return _SYLLABLE.sub(_place_in_syllable, nfc(text))


def is_capitalized(word: str) -> bool:
    """A word whose first letter alone is a capital ("Hiền", "Bãi", "A"): a name's word, a
    sentence's first word."""
    return word[:1].isupper() and (len(word) == 1 or word[1:].islower())


def is_upper_text(text: str, threshold: float = 0.8) -> bool:
    """True when at least `threshold` of the letters are uppercase (a header line)."""
    letters = [c for c in text if c.isalpha()]
    if len(letters) < 2:
        return False
    return sum(c.isupper() for c in letters) / len(letters) >= threshold


# The shape of a Vietnamese syllable, folded: an initial consonant (the spellings of the
# standard orthography), one to three vowels, a final consonant or none. OCR's junk ("RNU",
# "J9", "ẺPHỐ@(ỦNHIỆM") has no such shape; a name or a word has.
_SYLLABLE_SHAPE = re.compile(r"(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnprstvx])?[aeiouy]{1,3}(?:ng|nh|ch|[cmnpt])?")


def is_syllable_shaped(word: str) -> bool:
    """Whether a word (marks and case aside) is spelled as a Vietnamese syllable can be."""
    return bool(_SYLLABLE_SHAPE.fullmatch(fold(word)))
