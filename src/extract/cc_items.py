"""A "Nơi nhận" item as printed, without the slips OCR makes in the form's fixed parts.

The items themselves are free text and stay as read; what is repaired is only what the form
fixes (Nghị định 30/2020, Phụ lục I): the purpose notes in brackets, written with a handful of
abbreviations ("(để b/c)", "(b/c)", "(để t/h)"), the archive item that opens with "Lưu: VT"
(văn thư, the records office), and punctuation OCR adds or glues:

    "Thủ tướng Chính phủ (để bíc)"   -> "Thủ tướng Chính phủ (để b/c)"   ("/" read as "í")
    "PTTgCP Bùi Thanh Sơn (để b/©)"  -> "PTTgCP Bùi Thanh Sơn (để b/c)"
    "Lưu: VI, KHCN"                  -> "Lưu: VT, KHCN"
    "Thường trực HĐND. tỉnh"         -> "Thường trực HĐND tỉnh"
    "VPUB: CVP, PCVP, KTTH,KTN"      -> "VPUB: CVP, PCVP, KTTH, KTN"
    "Bộ trưởng (để báo cáo), ý"      -> "Bộ trưởng (để báo cáo)"   (a stroke of the signature)
"""

from __future__ import annotations

import re

from rapidfuzz.distance import Levenshtein

# The purpose abbreviations of cc notes: báo cáo, thực hiện, phối hợp, chỉ đạo, biết.
PURPOSES = ("b/c", "t/h", "p/h", "c/đ", "đ/b")
# Characters OCR gives for the slash and the letters of those abbreviations on real scans,
# mapped to what they stand for before comparing ("b/©", "bíc", "b/e").
_LOOKALIKES = str.maketrans({"©": "c", "e": "c", "í": "/", "ì": "/", "|": "/", "l": "/", "1": "/", "I": "/"})
_PURPOSE_NOTE = re.compile(r"\((?P<de>để\s+)?(?P<note>[^\s()]{1,4})\)")
_LUU_VT = re.compile(r"^(?P<label>Lưu\s*:\s*)V[Il1|](?=\W|$)")
_STRAY_PERIOD = re.compile(r"(?<=\w)\.(?= (?P<next>\w))|(?<= )\.(?=\w)")
_GLUED_COMMA = re.compile(r",(?=[^\W\d_])")
_TRAILING_LETTER = re.compile(r"(?<=\)),\s*\w$")


def _purpose(match: re.Match[str]) -> str:
    note = match.group("note")
    if note in PURPOSES:
        return match.group()
    seen = note.translate(_LOOKALIKES)
    near = [p for p in PURPOSES if Levenshtein.distance(seen, p.translate(_LOOKALIKES)) <= 1]
    # Only an unambiguous repair, and never of a real word ("(để biết)" is longer than 4).
    if len(near) != 1 or not re.search(r"[/©íì|]|^\w{1,2}$", note):
        return match.group()
    return f"({match.group('de') or ''}{near[0]})"


def tidy_cc_item(value: str) -> str:
    """The item with the form's fixed parts put right (see the module's docstring)."""
    value = _PURPOSE_NOTE.sub(_purpose, value)
    value = _LUU_VT.sub(lambda m: f"{m.group('label')}VT", value)
    # "HĐND. tỉnh": a full stop before a lowercase word inside an item is a speck.
    value = _STRAY_PERIOD.sub(lambda m: m.group() if (m.group("next") or "a").isupper() else "", value)
    value = _GLUED_COMMA.sub(", ", value)
    return _TRAILING_LETTER.sub("", value)
