"""Plain-text and markdown input: decode bytes and clean them into extraction-ready text.

Cleaning keeps the line structure (extraction relies on it) and only removes what carries
no content: markdown emphasis markers, trailing spaces, CR line endings, zero-width,
control and bidi formatting characters. The result is NFC.
"""

from __future__ import annotations

import re
from pathlib import Path

from .errors import InputError
from vanthu.knowledge.orthography import nfc
from vanthu.knowledge.printable import strip_unsafe

_ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_SPACES = re.compile("[\u00a0\u2007\u202f\t]")
# **bold** and __bold__ markers anywhere; single * or _ only when they hug a word
# (markdown italics), so "a * b" and "file_name" survive.
_STRONG = re.compile(r"\*\*|__")
_EMPHASIS = re.compile(r"(?<![\w*])\*(?=[^\s*])|(?<=[^\s*])\*(?![\w*])")
_TRAILING = re.compile(r"[ ]+$", re.MULTILINE)


def decode_text(data: bytes, path: Path | str) -> str:
    """Decode UTF-8 (with or without BOM) or BOM-marked UTF-16; anything else is an error."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as err:
            raise InputError(path, f"invalid UTF-16 text at byte {err.start}") from err
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise InputError(
            path,
            f"not UTF-8 text (byte 0x{data[err.start]:02x} at offset {err.start})",
            "convert it first, e.g. iconv -f WINDOWS-1258 -t UTF-8",
        ) from err


def clean_word(word: str) -> str:
    """One OCR word as text: NFC, without zero-width characters or stray spaces."""
    return nfc(_SPACES.sub("", _ZERO_WIDTH.sub("", word))).strip()


def clean_text(raw: str) -> str:
    """Normalize line endings, spaces and Unicode; drop markdown emphasis markers, control
    characters and bidi formatting characters."""
    text = raw.replace("\r\n", "\n").replace("\r", "\n")
    text = strip_unsafe(text)  # controls and bidi overrides: no content, and they mislead readers
    text = _ZERO_WIDTH.sub("", text)
    text = _SPACES.sub(" ", text)
    text = _STRONG.sub("", text)
    text = _EMPHASIS.sub("", text)
    text = _TRAILING.sub("", text)
    return nfc(text).strip("\n") + "\n"
