"""Where each value of a record was read: spans of the document text (from the extract stage),
and, on scanned pages, the boxes of the words that hold them.

The spans come from running the extract stage again on the stored text and page layout (no
OCR); they are kept in the cache beside the page images, per document content and
extractor version, so a document page opens without extracting again.
"""

from __future__ import annotations

import json
import os
from bisect import bisect_right
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from vanthu.extract import EXTRACTOR_VERSION, RawFields, Spanned, extract_fields
from vanthu.ingest.models import IngestedText, PageLayout

Span = tuple[int, int]


def field_spans(fields: RawFields) -> dict[str, list[Span]]:
    """The spans each reviewable field was read from (field name -> [(start, end)])."""
    def spans(*values: Spanned | None) -> list[Span]:
        return [(v.start, v.end) for v in values if v is not None and v.end > v.start]

    organs = fields.organs
    deadline_parts = [part for d in fields.deadlines for part in (d.expression, d.responsible, d.supporting)]
    return {name: found for name, found in {
        "doc_type": spans(fields.title),
        "number": spans(fields.number or fields.number_unclear),
        "symbol": spans(fields.symbol),
        "issue_date": spans(fields.issue_date.span if fields.issue_date else None),
        "place": spans(fields.place),
        "issuer": spans(organs[-1] if organs else None),
        "parent_issuer": spans(organs[-2] if len(organs) > 1 else None),
        "subject": spans(fields.subject),
        "recipients": spans(*fields.recipients),
        "signer": spans(fields.signer),
        "signer_title": spans(fields.signer_title),
        "cc": spans(*fields.cc),
        "deadlines": spans(*deadline_parts),
    }.items() if found}


def _write_json(path: Path, value) -> None:
    """Write a cache file whole or not at all (a reader never sees half of it)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".partial")
    with os.fdopen(handle, "w", encoding="utf-8") as out:
        json.dump(value, out)
    os.replace(temporary, path)


def cached_spans(ingested: IngestedText, folder: Path | None) -> dict[str, list[Span]]:
    """`field_spans` of the stored document, from `folder` (the document's cache folder)
    when an earlier look made them with this extractor."""
    cache = folder / f"spans-{EXTRACTOR_VERSION}.json" if folder else None
    if cache is not None and cache.exists():
        try:
            return {name: [tuple(span) for span in found] for name, found in json.loads(cache.read_text("utf-8")).items()}
        except (OSError, ValueError):
            pass  # a damaged cache file is made again
    spans = field_spans(extract_fields(ingested.text, ingested.pages))
    if cache is not None:
        _write_json(cache, spans)
    return spans


@dataclass(frozen=True)
class Box:
    """A highlight on a page image, in percent of the page's width and height."""

    page: int
    left: float
    top: float
    width: float
    height: float


def _percent(page: PageLayout, box: tuple[int, int, int, int]) -> tuple[float, float, float, float]:
    left, top, right, bottom = box
    return (round(100 * left / page.width, 2), round(100 * top / page.height, 2),
            round(100 * (right - left) / page.width, 2), round(100 * (bottom - top) / page.height, 2))


def _lines(words: Sequence[tuple[int, int, int, int]]) -> list[tuple[int, int, int, int]]:
    """Boxes of words in reading order merged line by line (a word that overlaps the last
    box's height goes on its line)."""
    merged: list[list[int]] = []
    for left, top, right, bottom in words:
        last = merged[-1] if merged else None
        if last and top < last[3] and bottom > last[1] and left >= last[0]:
            last[1], last[2], last[3] = min(last[1], top), max(last[2], right), max(last[3], bottom)
        else:
            merged.append([left, top, right, bottom])
    return [tuple(box) for box in merged]


class WordFinder:
    """The words of a document's pages by their offsets in the text, for finding the words
    of a span by bisection (a 10-page scan holds thousands of words)."""

    def __init__(self, pages: Sequence[PageLayout]) -> None:
        self.pages = [page for page in pages if page.width and page.height]
        self.words = [sorted((w for w in page.words if w.end > w.start), key=lambda w: w.start) for page in self.pages]
        self.ends = [[w.end for w in words] for words in self.words]

    def boxes(self, spans: Iterable[Span]) -> list[Box]:
        """The boxes, line by line, of the words that hold any of `spans`."""
        found: list[Box] = []
        for page, words, ends in zip(self.pages, self.words, self.ends):
            for start, end in spans:
                held = []
                for word in words[bisect_right(ends, start):]:
                    if word.start >= end:
                        break
                    held.append(word.box)
                found += [Box(page.number, *_percent(page, box)) for box in _lines(held)]
        return found



def region_boxes(pages: Sequence[PageLayout], kind: str) -> list[Box]:
    """The boxes of the regions of a kind ("register-stamp")."""
    return [Box(page.number, *_percent(page, region.box)) for page in pages if page.width and page.height
            for region in page.regions if region.kind == kind]


def marked_text(text: str, spans: dict[str, list[Span]]) -> list[tuple[str, str | None]]:
    """The text cut into (piece, field or None) for showing each value where it was read;
    where two spans overlap, the one that starts first (then the longer) is shown."""
    ordered = sorted(((start, end, name) for name, found in spans.items() for start, end in found),
                     key=lambda item: (item[0], -(item[1] - item[0])))
    pieces: list[tuple[str, str | None]] = []
    at = 0
    for start, end, name in ordered:
        if start < at or end > len(text):
            continue
        if start > at:
            pieces.append((text[at:start], None))
        pieces.append((text[start:end], name))
        at = end
    pieces.append((text[at:], None))
    return [piece for piece in pieces if piece[0]]
