"""Ingest stage: a file on disk -> its text, with provenance (`IngestedText`).

Public API: `read_document(path)`, `sha256_of(data)`, the models in `ingest.models`,
the errors in `ingest.errors` and the orthography helpers in `ingest.vietnamese`.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from ingest.errors import InputError, MissingDependency
from ingest.filetype import sniff
from ingest.models import IngestedText, Source
from ingest.text import clean_text, decode_text

__all__ = [
    "INGEST_VERSION",
    "IngestedText",
    "InputError",
    "MissingDependency",
    "Source",
    "read_document",
    "sha256_of",
]

INGEST_VERSION = "ingest-0.1"


def sha256_of(data: bytes) -> str:
    """Hex sha256 of a file's bytes: the identity of a document's content."""
    return hashlib.sha256(data).hexdigest()


def _read_bytes(path: Path) -> bytes:
    if not path.exists():
        raise InputError(path, "no such file")
    if path.is_dir():
        raise InputError(path, "is a folder, not a file")
    try:
        return path.read_bytes()
    except OSError as err:
        raise InputError(path, f"cannot read file: {err.strerror or err}") from err


def read_document(path: Path | str) -> IngestedText:
    """Read one file and return its cleaned text; raise `InputError` when it has none."""
    path = Path(path)
    data = _read_bytes(path)
    kind = sniff(data[:4096])
    if kind == "empty":
        raise InputError(path, "empty file (0 bytes)")
    if kind == "binary":
        raise InputError(path, "binary file, not a document vanthu can read")
    if kind != "text":
        raise InputError(
            path,
            f"{kind.upper()} input is not supported yet",
            "scanned and PDF input comes with OCR support",
        )
    text = clean_text(decode_text(data, path))
    if not text.strip():
        raise InputError(path, "file contains no text")
    source = Source(
        path=str(path), sha256=sha256_of(data), pages=1, method="text",
        ingest_version=INGEST_VERSION,
    )
    return IngestedText(text=text, source=source)
