"""Characters that must never reach a log line, a note or stored text as they are.

File names come from whoever can write into the inbox: a newline in a name forges lines in
cron mail and in failure notes, a right-to-left override (U+202E) makes "gpj.exe" read as
"exe.jpg", and bytes that are not UTF-8 cannot be written into the database at all. Names
are shown *escaped* (visible, and two names stay two names); stored text has such characters
*removed* (they carry no content).

The list is Unicode's: category Cc (C0 and C1 controls) and the bidirectional formatting
characters of UAX #9 (embeddings, overrides, isolates, implicit marks).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

# UAX #9 explicit formatting and implicit marks: LRM, RLM, ALM, LRE..RLO, LRI..PDI.
BIDI_FORMATTING = "\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_CONTROL = "\x00-\x1f\x7f-\x9f"
_UNSAFE_IN_NAMES = re.compile(f"[{_CONTROL}{BIDI_FORMATTING}]")
# Text keeps its line breaks and tabs; every other control and bidi mark goes.
_UNSAFE_IN_TEXT = re.compile(f"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f{BIDI_FORMATTING}]")
# Undecodable bytes of a file name come back from the OS as lone surrogates (PEP 383).
_SURROGATE = re.compile("[\udc80-\udcff]")


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    code = ord(char)
    if 0xDC80 <= code <= 0xDCFF:
        return f"\\x{code - 0xDC00:02x}"  # the raw byte the name holds
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: str) -> str:
    """`text` with controls, bidi formatting characters and undecodable bytes escaped
    (`\\n` -> `\\x0a`, U+202E -> `\\u202e`, byte 0xE9 -> `\\xe9`): one line, read as written."""
    return _SURROGATE.sub(_escape, _UNSAFE_IN_NAMES.sub(_escape, text))


def printable_path(path: Path | str) -> str:
    """A path as it may be shown and stored: see `printable`. Encodable as UTF-8."""
    return printable(os.fspath(path))


def strip_unsafe(text: str) -> str:
    """`text` without control characters (line breaks and tabs kept) and bidi formatting."""
    return _UNSAFE_IN_TEXT.sub("", text)
