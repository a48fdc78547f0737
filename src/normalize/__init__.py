"""Normalize stage: raw fields as printed -> canonical `Record` values.

`normalize_record(raw, source)` reads top to bottom, one small function per field. Every
text value is NFC with traditional tone placement ("hòa", "ủy").
"""

from __future__ import annotations

import re

from extract.body import RECIPIENTS as RECIPIENTS_PLACEHOLDER
from extract.models import RawFields, RawReference, Spanned
from ingest.models import Source
from ingest.vietnamese import fold, place_tone_marks

from normalize.dates import iso_date
from normalize.organizations import canonical_organization
from normalize.record import Deadline, Directive, Record, Reference
from normalize.symbols import clean_symbol, doc_type_from_symbol, symbol_key

__all__ = ["NORMALIZER_VERSION", "Record", "normalize_record", "symbol_key"]

NORMALIZER_VERSION = "normalize-0.1"

_SUBJECT_PREFIX = re.compile(r"^\W{0,3}(?:v\s*/\s*v|v\.v|ve\s+viec)\s*[:.]?\s*")


def clean_text(value: str | None) -> str | None:
    """Single spaces, NFC, traditional tone placement; None for empty text."""
    if value is None:
        return None
    value = re.sub(r"\s+", " ", place_tone_marks(value)).strip()
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
        doc_type=doc_type_from_symbol(symbol) or raw.doc_type or "Công văn",
        number=raw.number,
        symbol=symbol,
        issue_date=iso_date(raw.date, f"cited {raw.number}/{symbol}", warnings),
    )


def _header_warnings(raw: RawFields, record: Record) -> list[str]:
    warnings = []
    if raw.symbol is None:
        warnings.append("number and symbol not found")
    elif raw.number is None:
        warnings.append("number left blank (draft or not yet registered)")
    if raw.issue_date is None:
        warnings.append("date of issue not found")
    if record.issuer is None:
        warnings.append("issuer not found")
    if record.signer is None:
        warnings.append("signer's name not found")
    return warnings


def normalize_record(raw: RawFields, source: Source, warnings: list[str] | None = None) -> Record:
    """Turn raw extracted fields into the canonical record."""
    notes = list(warnings or []) + list(raw.warnings)
    organs = [canonical_organization(o.value) for o in raw.organs]
    recipients = [r for r in (_value(s) for s in raw.recipients) if r]
    record = Record(
        doc_type=doc_type(raw),
        number=_value(raw.number),
        symbol=clean_symbol(raw.symbol.value) if raw.symbol else None,
        issue_date=iso_date(raw.issue_date, "date of issue", notes),
        place=_value(raw.place),
        issuer=organs[-1] if organs else None,
        parent_issuer=organs[-2] if len(organs) > 1 else None,
        subject=subject_text(raw.subject),
        recipients=recipients,
        directives=[
            Directive(id=d.id, addressee=_value(d.addressee), text=_value(d.text) or "")
            for d in raw.directives
        ],
        references=[reference(r, notes) for r in raw.references],
        signer=_value(raw.signer),
        signer_title=_value(raw.signer_title),
        cc=[c for c in (_value(s) for s in raw.cc) if c],
        source=source,
        extractor_version=f"{source.ingest_version}+{raw.extractor_version}+{NORMALIZER_VERSION}",
    )
    for raw_deadline in raw.deadlines:
        due = iso_date(raw_deadline.date, "deadline", notes)
        if due is None or len(due) != 10:
            continue
        responsible = raw_deadline.responsible
        if responsible == RECIPIENTS_PLACEHOLDER:
            responsible = "; ".join(recipients) or None
        record.deadlines.append(Deadline(
            date=due,
            text=clean_text(raw_deadline.text.value) or "",
            responsible=clean_text(responsible),
            expression=clean_text(raw_deadline.expression.value) or "",
            directive_id=raw_deadline.directive_id,
        ))
    record.warnings = notes + _header_warnings(raw, record)
    return record
