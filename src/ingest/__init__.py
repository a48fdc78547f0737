"""Ingest stage: a file on disk -> its text, with provenance (`IngestedText`).

Public API: `read_document(path)`, `sha256_of(data)`, the models in `ingest.models`,
the errors in `ingest.errors` and the orthography helpers in `vanthu.knowledge.orthography`.
"""

from __future__ import annotations

import hashlib
import os
import stat
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from .errors import InputError, MissingDependency, MissingModel
from .filetype import WORD_KINDS, encrypted_office, sniff, unsupported_format
from .limits import check_text_size
from vanthu.knowledge.printable import printable_path
from .models import IngestedText, OcrOptions, PageInfo, Source
from .text import clean_text, decode_text

if TYPE_CHECKING:
    from .scanned import PageCallback, ScanPlan

# The readers of scans (OpenCV, pdfium, pdfplumber, numpy) and the language model are imported
# when a document needs them, not with the package: `vanthu --help` and the database
# commands start without them.

__all__ = [
    "INGEST_VERSION",
    "IngestedText",
    "InputError",
    "MissingDependency",
    "OcrOptions",
    "PageInfo",
    "Source",
    "read_bytes",
    "read_document",
    "start_document",
    "sha256_of",
]

INGEST_VERSION = "ingest-0.2"


def sha256_of(data: bytes) -> str:
    """Hex sha256 of a file's bytes: the identity of a document's content."""
    return hashlib.sha256(data).hexdigest()


def read_bytes(path: Path, max_text_bytes: int | None = None) -> bytes:
    """A file's bytes; InputError naming what is wrong (no such file, a folder, not a
    regular file — a FIFO would block forever —, unreadable, or a text file larger than
    `max_text_bytes`, refused unread)."""
    if not path.exists():
        raise InputError(path, "no such file")
    if path.is_dir():
        raise InputError(path, "is a folder, not a file")
    try:
        # O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer forever.
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
        with os.fdopen(descriptor, "rb", buffering=0) as handle:
            info = os.fstat(handle.fileno())
            if not stat.S_ISREG(info.st_mode):
                raise InputError(path, "not a regular file (a FIFO, socket or device)")
            head = handle.read(4096)
            if sniff(head) == "text":
                check_text_size(path, info.st_size, max_text_bytes)
            return head + handle.read()
    except OSError as err:
        raise InputError(path, f"cannot read file: {err.strerror or err}") from err


def read_document(path: Path | str, options: OcrOptions | None = None,
                  on_page: PageCallback | None = None) -> IngestedText:
    """Read one file (text, Word, PDF or image, judged by content) and return its cleaned text.

    Raises `InputError` for a file without readable text, `MissingDependency` when OCR is
    needed and Tesseract is missing (or LibreOffice, for a .doc). `on_page` is called as each
    OCRed page finishes.
    """
    started = start_document(path, options)
    if isinstance(started, IngestedText):
        return started
    from .scanned import finish_scan, ocr_pages

    for _ in started.done:
        if on_page:
            on_page()
    jobs = started.jobs
    results = dict(zip((job.index for job in jobs), ocr_pages(jobs, started.options.jobs, on_page)))
    return finish_scan(started, results)


def start_document(path: Path | str, options: OcrOptions | None = None) -> IngestedText | ScanPlan:
    """Read a file as far as it can be read without OCR: the whole text of a text file or
    of a PDF with a good text layer, else a `ScanPlan` whose page jobs any pool of workers
    may run (`scanned.ocr_job`) before `finish_scan` makes the text.
    """
    path = Path(path)
    options = options or OcrOptions()
    data = read_bytes(path, options.max_text_bytes)
    kind = sniff(data)
    if encrypted_office(data):
        raise InputError(path, "encrypted Office document (needs a password)")
    if kind not in WORD_KINDS and (other := unsupported_format(data[:16])) is not None:
        raise InputError(path, f"unsupported file type: {other}")
    if kind == "empty":
        raise InputError(path, "empty file (0 bytes)")
    if kind == "binary":
        raise InputError(path, "unsupported file type: binary data, not text, Word, PDF, PNG, JPEG or TIFF")
    if kind in WORD_KINDS:
        from .office import doc_text, docx_text

        raw = docx_text(data, path) if kind == "docx" else doc_text(data, path)
        return _from_text(path, data, clean_text(raw), kind)
    if kind != "text":
        from .scanned import finish_scan, plan_scan

        plan = plan_scan(path, kind, sha256_of(data), options, INGEST_VERSION)
        return plan if plan.jobs else finish_scan(plan, {})
    return _from_text(path, data, clean_text(decode_text(data, path)), "text")


def _from_text(path: Path, data: bytes, text: str, method: Literal["text", "docx", "doc"]) -> IngestedText:
    """The ingest result of a file whose text was read without OCR (plain text, Word):
    restored when it has too few diacritics."""
    from .triage import judge_text_layer

    if not text.strip():
        raise InputError(path, "file contains no text")
    source = Source(
        path=printable_path(path), sha256=sha256_of(data), pages=1, method=method,
        ingest_version=INGEST_VERSION, per_page=[PageInfo(number=1, method=method)],
    )
    if judge_text_layer(text) == "garbled":
        return _restored(IngestedText(text=text, source=source))
    return IngestedText(text=text, source=source)


def _restored(document: IngestedText) -> IngestedText:
    """Put the diacritics back on text the triage found unaccented or garbled."""
    found = "text has few Vietnamese diacritics (unaccented, wrong-language OCR or mojibake)"
    warning = f"{found}; diacritics were restored by a language model and fields may be misread"
    from .lm import default_model
    from .restore import RESTORE_VERSION, restore

    try:
        text = restore(document.text, default_model)  # loaded only if a line needs it
    except MissingModel as err:
        return document.model_copy(update={"warnings": [*document.warnings, f"{found}; {err}"]})
    source = document.source.model_copy(update={
        "method": "restored", "ingest_version": f"{document.source.ingest_version}+{RESTORE_VERSION}"})
    return IngestedText(text=text, source=source, warnings=[*document.warnings, warning])
