"""Values the ingest stage hands to the next stages."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from . import limits

Method = Literal["text", "docx", "doc", "pdf-text", "ocr", "pdf-text+ocr", "restored"]
PageMethod = Literal["text", "docx", "doc", "pdf-text", "ocr"]
Triage = Literal["usable", "garbled", "absent"]


class PageInfo(BaseModel):
    """How one page's text was obtained, and how sure vanthu is of it."""

    model_config = ConfigDict(extra="forbid")

    number: int = Field(description="1-based page number")
    method: PageMethod
    text_layer: Triage | None = Field(
        None, description="PDF text layer judged usable, garbled or absent (PDF pages only)")
    confidence: float | None = Field(None, description="Mean OCR word confidence, 0-100")
    rotation: int = Field(0, description="Degrees the page was turned clockwise to stand upright")
    skew: float = Field(0.0, description="Degrees of skew corrected")
    cached: bool = Field(False, description="OCR result taken from the cache")


Box = tuple[int, int, int, int]  # left, top, right, bottom: pixels of the upright page
Zone = Literal["flow", "left", "right"]
RegionKind = Literal["register-stamp", "signature-stamp", "stamp", "seal", "handwriting", "noise"]


class PageWord(BaseModel):
    """One word of the document text: where it stands on its page and how sure OCR is of it.

    `start`/`end` are offsets into the document text (`IngestedText.text`), so a value
    extracted from the text can be traced to the words, boxes and confidences it came from.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    text: str
    box: Box
    conf: float = Field(description="Recognition confidence 0-100 (100 for a PDF text layer)")
    start: int = 0
    end: int = 0
    zone: Zone = Field("flow", description="Read as page flow, or in the left/right column of a band")
    coloured: bool = Field(False, description="Holds pen ink (blue, violet) on a colour scan: written, not printed")


class Region(BaseModel):
    """Something on a page that is not text of the document, kept apart from it: a register
    stamp ("ĐẾN", số đến, ngày đến), a digital-signature stamp, a seal, handwriting, noise."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: RegionKind
    box: Box
    text: str = ""
    confidence: float | None = None
    source: Literal["ocr", "pdf-text", "image"] = "ocr"


class PageLayout(BaseModel):
    """A page's words in reading order, with their boxes, and the regions kept apart."""

    model_config = ConfigDict(extra="forbid")

    number: int = Field(description="1-based page number")
    width: int = Field(description="Pixels of the upright page as read (about 300 DPI)")
    height: int
    words: list[PageWord] = Field(default_factory=list)
    regions: list[Region] = Field(default_factory=list)


class Source(BaseModel):
    """How the text of a document was obtained (the record's `source` field)."""

    model_config = ConfigDict(extra="forbid")

    path: str
    sha256: str
    pages: int = 1
    method: Method = "text"
    ingest_version: str = ""
    per_page: list[PageInfo] = Field(default_factory=list)


class IngestedText(BaseModel):
    """The recovered text of one file, with its provenance and any warnings."""

    model_config = ConfigDict(extra="forbid")

    text: str
    source: Source
    warnings: list[str] = Field(default_factory=list)
    pages: list[PageLayout] = Field(
        default_factory=list, description="Word boxes and regions of OCRed pages (none for text input)")


def default_cache_dir() -> Path:
    """$XDG_CACHE_HOME/vanthu, or ~/.cache/vanthu."""
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "vanthu"


class OcrOptions(BaseModel):
    """How scanned pages are read. Passed explicitly; nothing is read from globals."""

    model_config = ConfigDict(extra="forbid")

    lang: str = "vie"
    jobs: int = Field(default_factory=lambda: os.cpu_count() or 1, ge=1)
    cache_dir: Path | None = Field(default_factory=default_cache_dir,
                                   description="None: no cache (--no-cache)")
    page_timeout: float = Field(180.0, gt=0, description="Seconds one Tesseract call may take")
    low_confidence: float = Field(70.0, description="Pages below this mean confidence get a warning")
    # Limits on what one file may cost (see ingest.limits); defaults for a records office.
    max_pixels: int = Field(
        limits.MAX_PIXELS, ge=1, description="Pixels a page may have at every step (decoded, rendered, resampled): "
        "an A3 scan at 600 DPI has 70 million; a larger image is refused, a page is drawn smaller")
    max_pages: int = Field(limits.MAX_PAGES, ge=1, description="Pages a file may have (a thick dossier has a few hundred)")
    max_text_bytes: int = Field(limits.MAX_TEXT_BYTES, ge=1, description="Bytes a text file may have (a long law is 1 MB)")
    max_seconds: float = Field(limits.MAX_SECONDS, gt=0, description="Seconds reading one file may take, OCR included "
                               "(a 300-page scan takes about 20 minutes on one core)")
    max_memory: int | None = Field(limits.MAX_MEMORY, ge=1, description="Bytes of address space a worker process "
                                   "may use (an A3 scan at 600 DPI peaks at 1.7 GB); None: no cap")
    deadline: float | None = Field(None, description="time.monotonic() by which the file being read must be "
                                   "done; set per file by the process reading it (ingest.limits.time_limit)")
