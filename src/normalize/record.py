"""The record: vanthu's contract with every tool that reads its output.

Field names follow the project's schema (docs/record.schema.json, exported from here);
they map to Phụ lục VI of Nghị định 30/2020/NĐ-CP: number = CodeNumber, symbol =
CodeNotation, issue_date = IssuedDate, issuer = OrganName, subject = Subject,
signer/signer_title = SignerInfo, recipients = To, deadlines[].date = DueDate.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, JsonValue

from vanthu.ingest.models import Source


class Directive(BaseModel):
    """A numbered section, lettered point or bullet; `items` are the ones under it."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(description='Printed numbering path: "2", "2.1", "2.1.a"; bullets "2.-1"')
    addressee: str | None = Field(None, description="Unit the section is addressed to, as printed")
    text: str = Field("", description="The item's own words, without the items under it")
    items: list[Directive] = Field(default_factory=list)


class Deadline(BaseModel):
    model_config = ConfigDict(extra="forbid")

    date: str = Field(description="Due date, YYYY-MM-DD (a month or quarter: its last day)")
    text: str = Field(description="The task that carries the deadline")
    responsible: str | None = Field(None, description="Unit responsible for the task (the lead unit, đơn vị chủ trì), "
                                                      "as printed")
    supporting: list[str] = Field(
        default_factory=list, description='Units named to support the lead (đơn vị phối hợp: "phối hợp với …"), '
                                          "one per unit, as printed")
    expression: str = Field("", description='The deadline as printed: "trước ngày 15/10/2023"')
    kind: Literal["day", "month", "quarter"] = Field("day", description="What the expression names")
    time: str | None = Field(None, description='Time of day, "HH:MM", when printed')
    recurs: Literal["monthly", "yearly"] | None = Field(
        None, description="A repeating deadline; `date` is its first occurrence from the date of issue")
    directive_id: str | None = None


class Reference(BaseModel):
    model_config = ConfigDict(extra="forbid")

    doc_type: str | None = None
    number: str
    symbol: str
    issue_date: str | None = None
    issuer: str | None = Field(None, description="Issuing organ when the citation names it, written out")


def walk_directives(directives: list[Directive], parent: str | None = None, level: int = 0):
    """(directive, parent id, depth) for every item of the tree, in document order."""
    for directive in directives:
        yield directive, parent, level
        yield from walk_directives(directive.items, directive.id, level + 1)


Role = Literal["issuer", "parent_issuer", "recipient", "cc", "addressee", "responsible", "supporting",
               "cited_issuer"]


class Organization(BaseModel):
    """One body the document names, in one role. `key` identifies the body across
    documents: the canonical name, made explicit with the province where the text leaves it
    implicit ("Công an tỉnh" in a Quảng Ngãi document), folded."""

    model_config = ConfigDict(extra="forbid")

    role: Role
    printed: str = Field(description="As printed")
    name: str = Field(description="Canonical name, abbreviations written out")
    key: str = Field(description="Matching key across documents")
    position: str | None = Field(None, description='Position named with it ("Chủ tịch")')


class DigitalSignature(BaseModel):
    """A printed digital-signature stamp: who signed the file, for which body, when."""

    model_config = ConfigDict(extra="forbid")

    signer: str | None = Field(None, description='"Người ký" / "Ký bởi", or the stamp\'s name lines')
    organization: str | None = Field(None, description='"Cơ quan"')
    email: str | None = None
    time: str | None = Field(None, description="ISO 8601, with the offset when the stamp prints one")


class Authority(BaseModel):
    """One step of a signer's authority: "KT. CHỦ TỊCH" = signing for (`KT.`) the Chủ tịch."""

    model_config = ConfigDict(extra="forbid")

    mark: Literal["TM.", "KT.", "TL.", "TUQ.", "Q."] | None = Field(
        None, description="TM. on behalf of a collective, KT. deputising, TL./TUQ. by delegation, Q. acting")
    title: str = Field(description='The body or position it stands for, as printed: "ỦY BAN NHÂN DÂN", "CHỦ TỊCH"')


class FieldReview(BaseModel):
    """A person's word on one field of the record (the workbench, `vanthu serve`)."""

    model_config = ConfigDict(extra="forbid")

    status: Literal["confirmed", "corrected"] = Field(
        description="confirmed: the value read was right; corrected: a person entered the value")
    by: str = Field(description="The user who confirmed or corrected it last")
    at: str = Field(description="When, ISO 8601 (UTC)")
    extracted: JsonValue = Field(
        None, description="The value the extractor read, last time it read the document: a newer extractor's "
                          "reading is kept here, never over the person's value")


# The fields a person confirms or corrects on the workbench's document page. The others
# (organizations, authority, signatures) follow from them or from the file; organizations
# are made again from the corrected names.
REVIEWABLE_FIELDS = ("doc_type", "number", "symbol", "issue_date", "place", "issuer", "parent_issuer", "subject",
                     "recipients", "signer", "signer_title", "cc", "arrival_number", "arrival_date", "deadlines",
                     "references", "directives")


class Record(BaseModel):
    """One Vietnamese official document as a structured record."""

    model_config = ConfigDict(extra="forbid")

    doc_type: str | None = Field(None, description='"Công văn", "Chỉ thị", "Quyết định", …')
    number: str | None = Field(None, description='Number as printed ("4868"); null when left blank')
    symbol: str | None = Field(None, description='"UBND-KGVX", "CT/TU"')
    issue_date: str | None = Field(
        None, description='"YYYY-MM-DD"; "YYYY-MM" or "YYYY" when a draft leaves parts blank'
    )
    place: str | None = None
    issuer: str | None = Field(None, description="Issuing organ, written out in full")
    parent_issuer: str | None = Field(None, description="Governing body printed above the issuer")
    subject: str | None = Field(None, description='Trích yếu without "V/v" / "Về việc"')
    recipients: list[str] = Field(default_factory=list, description="One entry per addressee")
    directives: list[Directive] = Field(default_factory=list)
    deadlines: list[Deadline] = Field(default_factory=list)
    references: list[Reference] = Field(default_factory=list)
    signer: str | None = None
    signer_title: str | None = Field(
        None, description='The title lines as printed, joined by " / ": "KT. CHỦ TỊCH / PHÓ CHỦ TỊCH"')
    authority: list[Authority] = Field(
        default_factory=list, description="signer_title split into its chain; the last step is the signer's own position")
    cc: list[str] = Field(default_factory=list, description='The "Nơi nhận" list')
    digital_signature: DigitalSignature | None = Field(
        None, description="The printed digital-signature stamp that dates the file's publication (data about the "
                          "file: never the issuer, date or number)")
    digital_signatures: list[DigitalSignature] = Field(
        default_factory=list, description="Every digital-signature stamp printed on the file")
    organizations: list[Organization] = Field(
        default_factory=list, description="Every single body named, in its role, with canonical names")
    arrival_number: str | None = Field(
        None, description='Số đến: the incoming register\'s number, from the "ĐẾN" stamp (or entered by a person)')
    arrival_date: str | None = Field(None, description='Ngày đến, YYYY-MM-DD, from the same stamp')
    source: Source
    warnings: list[str] = Field(default_factory=list)
    reviewed: dict[str, FieldReview] = Field(
        default_factory=dict, description="Fields a person confirmed or corrected (field name -> who, when, and "
                                          "what the extractor read); empty for a record just extracted")
    extractor_version: str = Field("", description="Versions of the stages that made the record")
