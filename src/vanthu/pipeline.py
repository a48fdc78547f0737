"""The pipeline: a file on disk -> a `Record`, one stage after another.

    ingest.read_document    file -> text with provenance
    extract.extract_fields  text -> raw fields with spans
    normalize.normalize_record  raw fields -> canonical record
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from vanthu.extract import RawFields, extract_fields
from vanthu.ingest import IngestedText, InputError, MissingDependency, OcrOptions, read_document

from .batch import Batch
from vanthu.normalize import Record, normalize_record

if TYPE_CHECKING:  # the OCR stack is imported once a file needs OCR; the store by who stores
    from vanthu.ingest.scanned import PageCallback
    from vanthu.store import Known


@dataclass(frozen=True)
class Processed:
    """Everything the pipeline made from one file."""

    document: IngestedText
    fields: RawFields
    record: Record


def process_file(path: Path | str, options: OcrOptions | None = None,
                 on_page: PageCallback | None = None) -> Processed:
    """Run every stage on one file.

    Raises `InputError` for a file that has no text, `MissingDependency` when it needs OCR
    and Tesseract is not installed.
    """
    return derive(read_document(path, options, on_page))


def derive(document: IngestedText) -> Processed:
    """The record of an ingest result: what every stage after ingest makes of it (used on a
    stored ingest result, it re-derives a record without reading the file again)."""
    fields = extract_fields(document.text, document.pages)
    record = normalize_record(fields, document.source, document.warnings, register_stamps(document))
    return Processed(document, fields, record)


def register_stamps(document: IngestedText) -> list[str]:
    """The texts of the incoming-register stamps of a document: the regions OCR set apart,
    then header lines of the text that are one (a text layer, a typed copy)."""
    from vanthu.normalize.register import stamp_lines

    regions = [region.text for page in document.pages for region in page.regions if region.kind == "register-stamp"]
    return regions + stamp_lines(document.text)


# What a folder walk picks up. A file named on the command line is always read (and its
# type judged by content); inside folders, data files such as gold.jsonl are not documents.
DOCUMENT_SUFFIXES = {"", ".txt", ".md", ".docx", ".doc", ".pdf", ".png", ".jpg", ".jpeg", ".tif", ".tiff"}


def expand_paths(paths: Iterable[Path | str]) -> Iterator[Path]:
    """The files named, with folders walked recursively in a stable order.

    Inside folders, hidden files and files whose suffix is not a document's are skipped.
    """
    for path in map(Path, paths):
        if not path.is_dir():
            yield path
            continue
        for root, dirs, files in os.walk(path):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            for name in sorted(files):
                if not name.startswith(".") and Path(name).suffix.lower() in DOCUMENT_SUFFIXES:
                    yield Path(root) / name


@dataclass(frozen=True)
class Failure:
    path: str
    error: InputError | MissingDependency

    def one_line(self) -> str:
        """"PATH: reason (hint)", the line a batch prints for this file."""
        if isinstance(self.error, InputError):
            return self.error.one_line()
        return f"{self.path}: {self.error}"


@dataclass(frozen=True)
class Skipped:
    """A file whose content is already stored; nothing was extracted."""

    path: str
    known: Known


def process_many(paths: Iterable[Path | str], options: OcrOptions | None = None,
                 skip: Callable[[Path], Known | None] | None = None,
                 on_page: PageCallback | None = None) -> Iterator[Processed | Failure | Skipped]:
    """Process files with every OCR worker busy (`vanthu.batch`), yielding in input order; a
    bad file yields a `Failure` and the batch goes on.

    `skip(path)` may return the stored document with the file's content, to skip it before
    any extraction; it is called first, so unchanged scans are never OCRed again.
    """

    def ask(path: Path) -> Skipped | InputError | MissingDependency | None:
        try:
            known = skip(path) if skip else None
        except (InputError, MissingDependency) as error:
            return error
        return Skipped(str(path), known) if known else None

    for path, outcome in Batch(options or OcrOptions(), on_page).run(expand_paths(paths), ask):
        if isinstance(outcome, Skipped):
            yield outcome
        elif isinstance(outcome, (InputError, MissingDependency)):
            yield Failure(str(path), outcome)
        else:
            yield derive(outcome)
