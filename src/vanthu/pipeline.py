"""The pipeline: a file on disk -> a `Record`, one stage after another.

    ingest.read_document    file -> text with provenance
    extract.extract_fields  text -> raw fields with spans
    normalize.normalize_record  raw fields -> canonical record
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from extract import RawFields, extract_fields
from ingest import IngestedText, InputError, read_document
from normalize import Record, normalize_record


@dataclass(frozen=True)
class Processed:
    """Everything the pipeline made from one file."""

    document: IngestedText
    fields: RawFields
    record: Record


def process_file(path: Path | str) -> Processed:
    """Run every stage on one file. Raises `InputError` for a file that has no text."""
    document = read_document(path)
    fields = extract_fields(document.text)
    record = normalize_record(fields, document.source, document.warnings)
    return Processed(document, fields, record)


# What a folder walk picks up. A file named on the command line is always read (and its
# type judged by content); inside folders, data files such as gold.jsonl are not documents.
DOCUMENT_SUFFIXES = {"", ".txt", ".md", ".pdf", ".png", ".jpg", ".jpeg", ".tif", ".tiff"}


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
    error: InputError


def process_many(paths: Iterable[Path | str]) -> Iterator[Processed | Failure]:
    """Process files one by one; a bad file yields a `Failure` and the batch goes on."""
    for path in expand_paths(paths):
        try:
            yield process_file(path)
        except InputError as error:
            yield Failure(str(path), error)
