"""Judge a PDF page's text layer: usable Vietnamese, garbled, or absent.

Correct Vietnamese text puts a Vietnamese-only letter (ă â ê ô ơ ư đ) or a dot-below /
hook-above tone in roughly four syllables out of ten. Text OCRed with an English model
("Quyét dinh s6 749/QB-TTg"), typed without marks, or decoded with the wrong code page
("Quyáº¿t Ä‘á»‹nh") has almost none of them, or carries mojibake pairs.
"""

from __future__ import annotations

import re
import unicodedata

from .models import Triage

MIN_LETTERS = 40
MIN_VIETNAMESE_SHARE = 0.12
_SYLLABLE = re.compile(r"[^\W\d_]+")
_VIETNAMESE_ONLY = set("ăâêôơưđ")
_VIETNAMESE_TONES = {"\u0323", "\u0309"}  # dot below, hook above
# UTF-8 read as Windows-1252/Latin-1: "áº", "á»", "Ä‘", "Æ°", "Ã¡".
_MOJIBAKE = re.compile("á[º»]|Ä[‘\u0091]|Æ[°¡]|Ã[\u00a0-\u00bf]")


def is_vietnamese_marked(syllable: str) -> bool:
    """True for a syllable with a letter or tone only Vietnamese has (ư, ê, ạ, ả, đ, …)."""
    decomposed = unicodedata.normalize("NFD", syllable.lower())
    return any(c in _VIETNAMESE_TONES for c in decomposed) or any(
        c in _VIETNAMESE_ONLY for c in unicodedata.normalize("NFC", syllable.lower()))


def judge_text_layer(text: str) -> Triage:
    """'usable', 'garbled' (needs OCR or restoration) or 'absent' (too little text)."""
    letters = sum(c.isalpha() for c in text)
    if letters < MIN_LETTERS:
        return "absent"
    if len(_MOJIBAKE.findall(text)) >= 3:
        return "garbled"
    syllables = _SYLLABLE.findall(text)
    marked = sum(is_vietnamese_marked(s) for s in syllables)
    return "usable" if marked / max(1, len(syllables)) >= MIN_VIETNAMESE_SHARE else "garbled"
