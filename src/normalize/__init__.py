"""Normalize stage: raw fields as printed -> canonical `Record` values.

`normalize_record(raw, source)` reads top to bottom, one small function per field. Every
text value is NFC with traditional tone placement ("hòa", "ủy").
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from vanthu.extract.models import RawDeadline, RawDirective, RawFields, RawReference, Spanned
from vanthu.ingest.models import Source
from vanthu.knowledge.orthography import fold, nfc

from .dates import due_date, iso_date
from .organizations import canonical_organization, canonical_place
from vanthu.knowledge.signatures import DigitalSignature as Stamp
from vanthu.knowledge.signatures import primary

from .record import (Authority, Deadline, DigitalSignature, Directive, Organization, Record, Reference,
                     walk_directives)
from .symbols import agree_with_type, clean_symbol, doc_type_from_symbol, symbol_key
from .register import arrival
from .respell import respell_record, respell_record_places
from .units import listed_units, organization, organizations, province_of, unit_key

__all__ = ["NORMALIZER_VERSION", "Record", "normalize_record", "record_organizations", "symbol_key", "unit_key"]

NORMALIZER_VERSION = "normalize-0.6"

_EMPHASIS = re.compile(r"\*{1,2}(?=\S)|(?<=\S)\*{1,2}")
_SUBJECT_PREFIX = re.compile(r"^\W{0,3}(?:v\s*/\s*v|v\.v|ve\s+viec)\s*[:.]?\s*")


def clean_text(value: str | None) -> str | None:
    """Single spaces, NFC; None for empty text. Tone marks stay where they were printed
    ("Tỉnh uỷ" and "Tỉnh ủy" both occur, in one list): values are kept as printed, and
    names written out (`organizations`) and keys take one placement."""
    if value is None:
        return None
    value = _EMPHASIS.sub("", value)  # markdown bold/italic marks around printed text
    value = re.sub(r"\s+", " ", nfc(value)).strip()
    return value or None


def _value(span: Spanned | None) -> str | None:
    return clean_text(span.value) if span else None


def subject_text(raw: Spanned | None) -> str | None:
    """The subject without its "V/v" / "Về việc" lead."""
    text = _value(raw)
    if text is None:
        return None
    prefix = _SUBJECT_PREFIX.match(fold(text))
    return clean_text(text[prefix.end():]) if prefix else text


def doc_type(raw: RawFields) -> str | None:
    """From the title line, else from the symbol's type code; a công văn has neither."""
    if raw.title:
        return raw.title.value
    if raw.symbol and (from_code := doc_type_from_symbol(raw.symbol.value)):
        return from_code
    if raw.symbol or (raw.subject and _SUBJECT_PREFIX.match(fold(raw.subject.value))):
        return "Công văn"
    return None


def reference(raw: RawReference, warnings: list[str]) -> Reference:
    symbol = clean_symbol(raw.symbol)
    return Reference(
        # A document cited as "Văn bản số …" whose symbol has no type code is a công văn.
        doc_type=doc_type_from_symbol(symbol) or (raw.doc_type if raw.doc_type != "Văn bản" else None) or "Công văn",
        number=raw.number,
        symbol=symbol,
        issue_date=iso_date(raw.date, f"cited {raw.number}/{symbol}", warnings),
        issuer=canonical_organization(raw.issuer.value) if raw.issuer else None,
    )


def directive_tree(raw: list[RawDirective]) -> list[Directive]:
    """The flat, document-ordered items as a tree: each item under its parent."""
    nodes = {d.id: Directive(id=d.id, addressee=_value(d.addressee), text=_value(d.text) or "") for d in raw}
    roots: list[Directive] = []
    for d in raw:
        parent = nodes.get(d.parent) if d.parent else None
        (parent.items if parent else roots).append(nodes[d.id])
    return roots


def deadline(raw: RawDeadline, recipients: list[str], issued: str | None, warnings: list[str]) -> Deadline | None:
    """The canonical deadline, or None when its date cannot be settled."""
    due = due_date(raw, issued, warnings)
    if due is None:
        return None
    responsible = _as_recipient(_value(raw.responsible), recipients)
    if responsible is None and raw.to_recipients:
        responsible = "; ".join(recipients) or None
    supporting = [_as_recipient(unit, recipients) for unit in listed_units(_value(raw.supporting) or "")]
    return Deadline(date=due, text=_value(raw.text) or "", responsible=responsible,
                    supporting=[unit for unit in supporting if unit and unit != responsible],
                    expression=_value(raw.expression) or "", kind=raw.kind, time=raw.time, recurs=raw.recurs,
                    directive_id=raw.directive_id)


def _as_recipient(unit: str | None, recipients: list[str]) -> str | None:
    """A unit the text names briefly, written as the recipient it stands for ("Sở Tài
    chính" when the document is sent to "Sở Tài chính các tỉnh, thành phố …")."""
    if unit is None:
        return None
    key = fold(unit)
    fuller = [r for r in recipients if fold(r).startswith(key + " ")]
    return fuller[0] if len(fuller) == 1 else unit


def _signature(stamp: Stamp) -> DigitalSignature:
    return DigitalSignature(signer=clean_text(stamp.signer), organization=clean_text(stamp.organization),
                            email=stamp.email, time=stamp.time)


def record_organizations(record: Record) -> list[Organization]:
    """Every single body the record names, in its role."""
    province = province_of(record.issuer, record.parent_issuer)
    found: list[Organization] = []
    for role, name in (("issuer", record.issuer), ("parent_issuer", record.parent_issuer)):
        if name:
            found.append(organization(role, name, province))
    found += organizations("recipient", record.recipients, province)
    found += organizations("cc", record.cc, province)
    addressees = [d.addressee for d, _parent, _level in walk_directives(record.directives) if d.addressee]
    found += organizations("addressee", addressees, province)
    found += organizations("responsible", sorted({d.responsible for d in record.deadlines if d.responsible}), province)
    found += [organization("supporting", unit, province)
              for unit in sorted({unit for d in record.deadlines for unit in d.supporting})]
    found += [organization("cited_issuer", r.issuer, province) for r in record.references if r.issuer]
    unique: dict[tuple[str, str, str | None], Organization] = {}
    for item in found:
        unique.setdefault((item.role, item.key, item.position), item)
    return list(unique.values())


def _header_warnings(raw: RawFields, record: Record) -> list[str]:
    warnings = []
    if raw.symbol is None:
        warnings.append("number and symbol not found")
    elif raw.number_unclear is not None:
        warnings.append(f"number: handwritten or not clearly printed, not read ({raw.number_unclear.value!r})")
    elif raw.number is None:
        warnings.append("number left blank (draft or not yet registered)")
    if raw.issue_date is None:
        warnings.append("date of issue not found")
    if record.issuer is None:
        warnings.append("issuer not found")
    if record.signer is None:
        warnings.append("signer's name not found")
    return warnings


def normalize_record(raw: RawFields, source: Source, warnings: list[str] | None = None,
                     stamps: Sequence[str] = ()) -> Record:
    """Turn raw extracted fields into the canonical record; `stamps` are the texts of the
    incoming-register stamps on the document (see `register`), in page order."""
    notes = list(warnings or []) + list(raw.warnings)
    organs = [canonical_organization(o.value) for o in raw.organs]
    recipients = [r for r in (_value(s) for s in raw.recipients) if r]
    record = Record(
        doc_type=doc_type(raw),
        number=_value(raw.number),
        symbol=agree_with_type(clean_symbol(raw.symbol.value), doc_type(raw)) if raw.symbol else None,
        issue_date=iso_date(raw.issue_date, "date of issue", notes),
        place=canonical_place(place, organs) if (place := _value(raw.place)) else None,
        issuer=organs[-1] if organs else None,
        parent_issuer=organs[-2] if len(organs) > 1 else None,
        subject=subject_text(raw.subject),
        recipients=recipients,
        directives=directive_tree(raw.directives),
        references=[reference(r, notes) for r in raw.references],
        signer=_value(raw.signer),
        signer_title=_value(raw.signer_title),
        authority=[Authority(mark=mark, title=title) for mark, title in raw.authority],
        cc=[c for c in (_value(s) for s in raw.cc) if c],
        digital_signatures=[_signature(s) for s in raw.digital_signatures],
        source=source,
        extractor_version=f"{source.ingest_version}+{raw.extractor_version}+{NORMALIZER_VERSION}",
    )
    record.arrival_number, record.arrival_date = arrival(stamps)
    record.deadlines = [d for raw_deadline in raw.deadlines
                        if (d := deadline(raw_deadline, recipients, record.issue_date, notes))]
    if source.method == "restored":
        record = respell_record(record)
    if source.method in ("ocr", "pdf-text+ocr", "restored"):
        record = respell_record_places(record)
    primary_stamp = primary(raw.digital_signatures)
    record.digital_signature = _signature(primary_stamp) if primary_stamp else None
    record.organizations = record_organizations(record)
    record.warnings = notes + _header_warnings(raw, record)
    return record
