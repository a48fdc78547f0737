"""Values the ingest stage hands to the next stages."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

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
    max_pixels: int = Field(120_000_000, description="Larger page images are refused (bombs)")
