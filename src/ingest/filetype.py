"""Detect what a file is from its first bytes, never from its extension."""

from __future__ import annotations

import io
import zipfile
from typing import Literal

FileKind = Literal["pdf", "png", "jpeg", "tiff", "docx", "doc", "text", "binary", "empty"]
SCANNED_KINDS = ("pdf", "png", "jpeg", "tiff")
WORD_KINDS = ("docx", "doc")

_ZIP = b"PK\x03\x04"
# Microsoft's compound file (OLE2): Word 97-2003 keeps its text in a stream named
# "WordDocument"; an encrypted .docx is such a file holding an "EncryptedPackage".
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_WORD_STREAM = "WordDocument".encode("utf-16-le")
_ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")

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
    (_ZIP, "ZIP archive (Excel .xlsx, PowerPoint .pptx, OpenDocument or other; not a Word document)"),
    (_OLE2, "old Office file (Excel .xls, PowerPoint .ppt; not a Word document)"),
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


def encrypted_office(data: bytes) -> bool:
    """A password-protected Office document (an OLE2 file holding an encrypted package)."""
    return data.startswith(_OLE2) and _ENCRYPTED_STREAM in data


def _word(data: bytes) -> FileKind | None:
    """"docx" for a ZIP holding word/document.xml, "doc" for an OLE2 file with a WordDocument
    stream, None otherwise (the name of a stream is in the file's directory, anywhere)."""
    if data.startswith(_ZIP):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                return "docx" if "word/document.xml" in archive.namelist() else None
        except (zipfile.BadZipFile, OSError):
            return None
    if data.startswith(_OLE2) and _WORD_STREAM in data:
        return "doc"
    return None


def sniff(data: bytes) -> FileKind:
    """Classify a file from its content: the first few kilobytes, and for a ZIP or an OLE2
    file what it holds (a Word document or not)."""
    if not data:
        return "empty"
    if word := _word(data):
        return word
    head = data[:4096]
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
