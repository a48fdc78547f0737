"""Raw fields as printed, each with its character span in the ingested text."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class Spanned(BaseModel):
    """A piece of the document text: `text[start:end]`, possibly cleaned into `value`."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    value: str
    start: int
    end: int


class RawDate(BaseModel):
    """A date as printed; a part left blank (drafts) is None."""

    model_config = ConfigDict(extra="forbid")

    day: int | None = None
    month: int | None = None
    year: int | None = None
    span: Spanned


class RawDirective(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str
    addressee: Spanned | None = None
    text: Spanned


class RawDeadline(BaseModel):
    model_config = ConfigDict(extra="forbid")

    date: RawDate
    expression: Spanned  # "trước ngày 15/10/2023"
    text: Spanned  # the task sentence
    responsible: str | None = None
    directive_id: str | None = None


class RawReference(BaseModel):
    model_config = ConfigDict(extra="forbid")

    doc_type: str | None = None  # the type word printed before the number, if any
    number: str
    symbol: str
    date: RawDate | None = None
    span: Spanned


class RawFields(BaseModel):
    """Everything the extract stage found, before normalization."""

    model_config = ConfigDict(extra="forbid")

    extractor_version: str
    number: Spanned | None = None
    symbol: Spanned | None = None
    number_line: Spanned | None = None
    place: Spanned | None = None
    issue_date: RawDate | None = None
    organs: list[Spanned] = Field(default_factory=list)  # header organs, outermost first
    title: Spanned | None = None  # "CHỈ THỊ", "QUYẾT ĐỊNH", ...
    subject: Spanned | None = None
    recipients: list[Spanned] = Field(default_factory=list)
    directives: list[RawDirective] = Field(default_factory=list)
    deadlines: list[RawDeadline] = Field(default_factory=list)
    references: list[RawReference] = Field(default_factory=list)
    signer: Spanned | None = None
    signer_title: Spanned | None = None
    cc: list[Spanned] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)
