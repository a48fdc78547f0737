"""Detect what a file is from its first bytes, never from its extension."""

from __future__ import annotations

from typing import Literal

FileKind = Literal["pdf", "png", "jpeg", "tiff", "text", "binary", "empty"]

_MAGIC: tuple[tuple[bytes, FileKind], ...] = (
    (b"%PDF-", "pdf"),
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"\xff\xd8\xff", "jpeg"),
    (b"II*\x00", "tiff"),
    (b"MM\x00*", "tiff"),
)

# Byte-order marks of text encodings we decode.
TEXT_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")


def sniff(head: bytes) -> FileKind:
    """Classify a file from its first few kilobytes."""
    if not head:
        return "empty"
    for magic, kind in _MAGIC:
        if head.startswith(magic):
            return kind
    # A PDF may carry a little junk before its header.
    if b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith(TEXT_BOMS[1:]):
        return "text"  # UTF-16 has NUL bytes but is text
    if b"\x00" in head:
        return "binary"
    return "text"
