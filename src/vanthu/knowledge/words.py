"""Vietnamese words of more than one syllable, to tell a compound word from two words.

Source: the word list shipped with `underthesea` (package data
`underthesea/corpus/data/Viet74K.txt`, 73,901 entries, one word per line). A syllable that
names an organ ("TRƯỜNG", a school; "SỞ", a department; "VỤ", a ministry's department) is
also the last syllable of common words ("môi trường", "thị trường", "cơ sở", "dịch vụ"):
whether the two syllables before and after a break make one of those words says whether a
new organ's name may start there. The file is read on first use, not at import.
"""

from __future__ import annotations

import functools

from .orthography import nfc
from .underthesea_data import underthesea_file


@functools.cache
def _words() -> frozenset[str]:
    path = underthesea_file("corpus", "data", "Viet74K.txt")
    if path is None:
        return frozenset()
    return frozenset(nfc(line.strip()).lower() for line in path.read_text("utf-8").splitlines() if " " in line.strip())


def is_word(syllables: str) -> bool:
    """Whether `syllables` ("THỊ TRƯỜNG", any case) make one word of the list."""
    return " ".join(nfc(syllables).lower().split()) in _words()
