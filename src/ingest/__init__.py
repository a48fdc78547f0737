"""Ingest stage: a file on disk -> its text, with provenance (`IngestedText`).

Public API: `read_document(path)`, `sha256_of(data)`, the models in `ingest.models`,
the errors in `ingest.errors` and the orthography helpers in `vanthu.knowledge.orthography`.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from .errors import InputError, MissingDependency, MissingModel
from .lm import default_model
from .restore import RESTORE_VERSION, restore
from .filetype import sniff, unsupported_format
from .models import IngestedText, OcrOptions, PageInfo, Source
from .scanned import PageCallback, read_scanned
from .text import clean_text, decode_text
from .triage import judge_text_layer

__all__ = [
    "INGEST_VERSION",
    "IngestedText",
    "InputError",
    "MissingDependency",
    "OcrOptions",
    "PageInfo",
    "Source",
    "read_document",
    "sha256_of",
]

INGEST_VERSION = "ingest-0.2"


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


def read_document(path: Path | str, options: OcrOptions | None = None,
                  on_page: PageCallback | None = None) -> IngestedText:
    """Read one file (text, PDF or image, judged by content) and return its cleaned text.

    Raises `InputError` for a file without readable text, `MissingDependency` when OCR is
    needed and Tesseract is missing. `on_page` is called as each OCRed page finishes.
    """
    path = Path(path)
    data = _read_bytes(path)
    kind = sniff(data[:4096])
    if (other := unsupported_format(data[:16])) is not None:
        raise InputError(path, f"unsupported file type: {other}")
    if kind == "empty":
        raise InputError(path, "empty file (0 bytes)")
    if kind == "binary":
        raise InputError(path, "unsupported file type: binary data, not text, PDF, PNG, JPEG or TIFF")
    if kind != "text":
        return read_scanned(path, kind, sha256_of(data), options or OcrOptions(), INGEST_VERSION, on_page)
    text = clean_text(decode_text(data, path))
    if not text.strip():
        raise InputError(path, "file contains no text")
    source = Source(
        path=str(path), sha256=sha256_of(data), pages=1, method="text",
        ingest_version=INGEST_VERSION, per_page=[PageInfo(number=1, method="text")],
    )
    if judge_text_layer(text) == "garbled":
        return _restored(IngestedText(text=text, source=source))
    return IngestedText(text=text, source=source)


def _restored(document: IngestedText) -> IngestedText:
    """Put the diacritics back on text the triage found unaccented or garbled."""
    found = "text has few Vietnamese diacritics (unaccented, wrong-language OCR or mojibake)"
    warning = f"{found}; diacritics were restored by a language model and fields may be misread"
    try:
        text = restore(document.text, default_model)  # loaded only if a line needs it
    except MissingModel as err:
        return document.model_copy(update={"warnings": [*document.warnings, f"{found}; {err}"]})
    source = document.source.model_copy(update={
        "method": "restored", "ingest_version": f"{document.source.ingest_version}+{RESTORE_VERSION}"})
    return IngestedText(text=text, source=source, warnings=[*document.warnings, warning])
