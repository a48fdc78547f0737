"""Detect what a file is from its first bytes, never from its extension."""

from __future__ import annotations

from typing import Literal

FileKind = Literal["pdf", "png", "jpeg", "tiff", "text", "binary", "empty"]
SCANNED_KINDS = ("pdf", "png", "jpeg", "tiff")

_MAGIC: tuple[tuple[bytes, FileKind], ...] = (
    (b"%PDF-", "pdf"),
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"\xff\xd8\xff", "jpeg"),
    (b"II*\x00", "tiff"),
    (b"MM\x00*", "tiff"),
)

# Formats people drop into an inbox that vanthu does not read, named in the error message.
_UNSUPPORTED: tuple[tuple[bytes, str], ...] = (
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"PK\x03\x04", "ZIP archive or Word/Excel .docx/.xlsx"),
    (b"\xd0\xcf\x11\xe0", "old Word/Excel .doc/.xls"),
    (b"{\\rtf", "RTF document"),
    (b"\x1f\x8b", "gzip archive"),
)


def unsupported_format(head: bytes) -> str | None:
    """The name of a known format vanthu does not read, or None."""
    if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        return "WebP image"
    return next((name for magic, name in _UNSUPPORTED if head.startswith(magic)), None)


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
