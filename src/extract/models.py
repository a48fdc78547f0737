"""Raw fields as printed, each with its character span in the ingested text."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from vanthu.knowledge.signatures import DigitalSignature


class Spanned(BaseModel):
    """A piece of the document text: `text[start:end]`, possibly cleaned into `value`."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    value: str
    start: int
    end: int


class RawDate(BaseModel):
    """A date as printed; a part left blank (drafts) is None, and so is a part printed but
    not clearly (handwritten on a scan), which `unclear` then names."""

    model_config = ConfigDict(extra="forbid")

    day: int | None = None
    month: int | None = None
    year: int | None = None
    span: Spanned
    unclear: tuple[str, ...] = ()  # "day", "month": written in but not clearly read


class RawDirective(BaseModel):
    """One numbered section, lettered point or bullet of the body, in document order."""

    model_config = ConfigDict(extra="forbid")

    id: str  # the printed numbering path: "2", "2.1", "2.1.a"; bullets "2.-1"
    parent: str | None = None
    addressee: Spanned | None = None
    text: Spanned  # the item's own words, from after its marker to the next item


DeadlineKind = Literal["day", "month", "quarter"]


class RawDeadline(BaseModel):
    """A due date as printed. A day without a year ("trước 30/6") has `date.year` None;
    month and quarter deadlines carry the month or quarter in `date` and say so in `kind`."""

    model_config = ConfigDict(extra="forbid")

    date: RawDate
    kind: DeadlineKind = "day"
    time: str | None = None  # "17:00" from "trước 17 giờ 00 ngày …"
    recurs: Literal["monthly", "yearly"] | None = None  # "ngày 15 hằng tháng", "15/12 hằng năm"
    expression: Spanned  # "trước ngày 15/10/2023", as printed
    text: Spanned  # the task that carries the deadline
    responsible: Spanned | None = None  # the unit charged (the lead), where the text names it
    supporting: Spanned | None = None  # the units named to support it ("phối hợp với …"), as printed
    to_recipients: bool = False  # the task is asked of the document's recipients
    directive_id: str | None = None


class RawReference(BaseModel):
    model_config = ConfigDict(extra="forbid")

    doc_type: str | None = None  # the type word printed before the number, if any
    number: str
    symbol: str
    date: RawDate | None = None
    issuer: Spanned | None = None  # "của Ban Thường vụ Tỉnh ủy"
    span: Spanned


class RawFields(BaseModel):
    """Everything the extract stage found, before normalization."""

    model_config = ConfigDict(extra="forbid")

    extractor_version: str
    number: Spanned | None = None
    number_unclear: Spanned | None = None  # a number printed but not clearly (handwritten)
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
    authority: list[tuple[str | None, str]] = Field(default_factory=list)  # (mark, position or body)
    cc: list[Spanned] = Field(default_factory=list)
    digital_signatures: list[DigitalSignature] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)
