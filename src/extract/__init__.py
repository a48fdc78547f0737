"""Extract stage: document text -> raw fields with character spans (`RawFields`).

`extract_fields(text)` reads top to bottom: lay out the lines, find the header fields, the
recipients, the body, the closing. Each step is a plain function in its own module.
"""

from __future__ import annotations

from collections.abc import Sequence

from vanthu.ingest.models import PageLayout

from .attachments import find_attachments, labelled
from .dateline import find_date_line
from .deadlines import find_deadlines
from .directives import find_directives
from .lines import Layout, split_lines
from .models import RawFields, Spanned
from .number import find_number
from .organs import find_organs
from .recipients import find_recipients
from .references import find_references
from .regions import header_lines
from . import stamps
from .signature import closing_start, completed_name, find_closing
from .words import WordIndex
from .subject import find_title, names_type, read_subject

__all__ = ["EXTRACTOR_VERSION", "RawFields", "Spanned", "extract_fields"]

EXTRACTOR_VERSION = "extract-0.17"


def _body_start(layout: Layout, header: tuple, recipients: list[Spanned]) -> int:
    """Index of the first body line: after the header and the "Kính gửi" list."""
    start = header[-1].index + 1 if header else 0
    if recipients:
        last = recipients[-1].end
        start = max(start, next((line.index + 1 for line in layout.lines if line.start <= last <= line.end), start))
    return start


def _body_end(layout: Layout, body_start: int) -> int:
    """Index of the first line after the body (the closing starts there); never inside
    the header."""
    return max(body_start, closing_start(layout, body_start))


def extract_fields(text: str, pages: Sequence[PageLayout] = ()) -> RawFields:
    """Find every field of an official document in its text; `pages` (word boxes,
    confidences and the regions set apart, for scanned input) sharpen what text alone says."""
    words = WordIndex(pages)
    signatures, layout = stamps.from_text(split_lines(text))
    header = header_lines(layout)
    fields = RawFields(extractor_version=EXTRACTOR_VERSION)
    fields.digital_signatures = [*stamps.from_regions(pages), *signatures]

    number = find_number(header, words)
    if number is not None:
        fields.number, fields.symbol = number.number, number.symbol
        fields.number_unclear = number.unclear
        fields.number_line = number.line.span()
    date_line = find_date_line(header, skip_until=number.end if number else 0, words=words)
    # Columns where header matter other than the organ begins on a line (the date, when a
    # two-column layout put it beside the organ's name).
    stops: dict[int, int] = {}
    if date_line is not None:
        fields.place, fields.issue_date = date_line.place, date_line.date
        stops[date_line.line.index] = (date_line.place or date_line.date.span).start - date_line.line.start

    title = find_title(header)
    # The organ block ends at the number line, the date line or the title, whichever is first.
    ends = [line.index for line in (number.line if number else None, title[0] if title else None,
                                    date_line.line if date_line else None) if line]
    organ_end = min(ends, default=len(header))
    fields.organs = find_organs(header[:organ_end], stops)
    if title is not None:
        fields.title = title[0].span(value=title[1])
    # The line the form puts the title and subject under, when the symbol says there is a title.
    under = None
    if number is not None and names_type(number.symbol.value):
        under = max((number.line, date_line.line) if date_line else (number.line,), key=lambda line: line.index)
    fields.subject, warnings = read_subject(layout, header, title[0] if title else None, under, words)
    fields.warnings.extend(warnings)
    fields.recipients = find_recipients(layout)

    body_start = _body_start(layout, header, fields.recipients)
    body_end = _body_end(layout, body_start)
    fields.directives = find_directives(layout, body_start, body_end)
    body_offset = layout.lines[body_start].start if body_start < len(layout.lines) else len(text)
    fields.references = find_references(layout, body_offset)
    fields.deadlines = find_deadlines(layout, fields.directives, body_start, body_end)

    closing = find_closing(layout, body_end)
    for attachment in find_attachments(layout, body_end):
        directives = labelled(find_directives(layout, attachment.start, attachment.end), attachment)
        fields.directives += directives
        fields.deadlines += find_deadlines(layout, directives, attachment.start, attachment.end)
    fields.cc, fields.signer, fields.signer_title = closing.cc, closing.signer, closing.signer_title
    fields.authority = closing.authority
    fields.warnings += closing.warnings
    damaged = closing.damaged_name
    if damaged is not None and (full := completed_name(damaged, text)) is not None:
        fields.signer = Spanned(value=full, start=damaged.start, end=damaged.end)
        fields.warnings.append(f"signer's name read with letters missing ({damaged.value!r}), "
                               f"completed from the same name elsewhere in the document")
    elif damaged is not None:
        fields.warnings.append(f"signer's name read with letters missing, not taken ({damaged.value!r})")
    return fields
