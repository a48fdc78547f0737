"""Values the ingest stage hands to the next stages."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Method = Literal["text", "pdf-text", "ocr", "restored"]


class Source(BaseModel):
    """How the text of a document was obtained (the record's `source` field)."""

    model_config = ConfigDict(extra="forbid")

    path: str
    sha256: str
    pages: int = 1
    method: Method = "text"
    ingest_version: str = ""


class IngestedText(BaseModel):
    """The recovered text of one file, with its provenance and any warnings."""

    model_config = ConfigDict(extra="forbid")

    text: str
    source: Source
    warnings: list[str] = Field(default_factory=list)
