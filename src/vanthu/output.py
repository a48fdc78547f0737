"""Rendering query results for people (tables) and for tools (CSV, JSON, iCalendar, DOT)."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from rich.console import Console
from rich.table import Table
from rich.text import Text

if TYPE_CHECKING:  # annotations only: `vanthu deadlines` need not import the other stages
    from vanthu.normalize.record import Record
    from vanthu.store import DocumentRef, DueItem, Hit

DEADLINE_COLUMNS = ("due_date", "time", "kind", "recurs", "responsible", "supporting", "doc_type", "number", "symbol",
                    "issue_date", "issuer", "task", "expression", "directive_id", "document_id", "done_on")
RECORD_COLUMNS = ("id", "doc_type", "number", "symbol", "issue_date", "place", "issuer", "parent_issuer",
                  "subject", "recipients", "signer", "signer_title", "cc", "deadlines", "references",
                  "path", "sha256", "method", "pages", "extractor_version", "warnings", "arrival_number",
                  "arrival_date", "reviewed")
VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")


def document_label(number: str | None, symbol: str | None) -> str:
    """"4868/UBND-KGVX"; "…/UBND-VP" when the number was left blank."""
    if symbol is None:
        return number or "?"
    joiner = "/"
    # Only a symbol with a "/" can be Party style ("19-CT/TU"): the others need not load the
    # vocabulary of type codes (and the stages it lives in) to be labelled.
    if "/" in symbol:
        from vanthu.normalize.symbols import is_party_style

        joiner = "-" if is_party_style(symbol) else "/"
    return f"{number or '…'}{joiner}{symbol}"


# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection);
# OWASP's advice is a ' in front, which the spreadsheet shows as text and does not display.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value, raw: bool = False):
    """A value as a CSV cell: None empty, text that a spreadsheet would run as a formula
    prefixed with ' (unless `raw`, for programs that read the file)."""
    if value is None:
        return ""
    if not raw and isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def _csv_rows(rows: Iterable[Sequence], raw: bool) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows([csv_cell(value, raw) for value in row] for row in rows)
    return buffer.getvalue()


def _csv(header: Sequence[str], rows: Iterable[Sequence], raw: bool = False) -> str:
    """CSV with a header row, UTF-8 BOM first so spreadsheet programs read Vietnamese."""
    return "\ufeff" + _csv_rows([header], raw=True) + _csv_rows(rows, raw)


def _cell(value):
    """A list as one cell, its entries joined by "; "."""
    return "; ".join(value) if isinstance(value, list) else value


def deadlines_csv(items: Sequence[DueItem], raw: bool = False) -> str:
    return _csv(DEADLINE_COLUMNS, ([_cell(item.model_dump()[c]) for c in DEADLINE_COLUMNS] for item in items), raw)


def deadlines_json(items: Sequence[DueItem]) -> str:
    return json.dumps([item.model_dump() for item in items], ensure_ascii=False, indent=2)


def deadline_uid(item: DueItem) -> str:
    """Stable across exports: the same deadline of the same document keeps its event."""
    digest = hashlib.sha256(f"{item.sha256}|{item.due_date}|{item.task}".encode()).hexdigest()[:24]
    return f"{digest}@vanthu"


def deadlines_ics(items: Sequence[DueItem], now: dt.datetime | None = None) -> bytes:
    """An iCalendar file with one event per deadline: all-day on the due date, or at the
    printed time (Vietnam time); the task, the document and the unit in the event."""
    from icalendar import Calendar, Event

    calendar = Calendar()
    calendar.add("prodid", "-//vanthu//Han xu ly van ban//VI")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "Hạn xử lý văn bản (vanthu)")
    stamp = now or dt.datetime.now(dt.timezone.utc)
    for item in items:
        event = Event()
        event.add("uid", deadline_uid(item))
        event.add("dtstamp", stamp)
        due = dt.date.fromisoformat(item.due_date)
        if item.time:
            hour, minute = map(int, item.time.split(":"))
            start = dt.datetime.combine(due, dt.time(hour, minute), tzinfo=VIETNAM)
            event.add("dtstart", start)
            event.add("dtend", start + dt.timedelta(minutes=30))
        else:
            event.add("dtstart", due)
            event.add("dtend", due + dt.timedelta(days=1))
        label = document_label(item.number, item.symbol)
        event.add("summary", f"Hạn {label}: {item.responsible or 'chưa rõ đơn vị'}")
        event.add("description", "\n".join(filter(None, [
            item.task, f"({item.expression})" if item.expression else None,
            f"Văn bản: {item.doc_type or 'Văn bản'} {label}" + (f" ngày {item.issue_date}" if item.issue_date else ""),
            f"Cơ quan ban hành: {item.issuer}" if item.issuer else None,
            f"Trích yếu: {item.subject}" if item.subject else None,
            f"Đơn vị chủ trì: {item.responsible}" if item.responsible else None,
            f"Đơn vị phối hợp: {'; '.join(item.supporting)}" if item.supporting else None,
        ])))
        if item.responsible:
            event.add("categories", [item.responsible])
        if item.recurs:
            event.add("rrule", {"freq": item.recurs.upper()})
        calendar.add_component(event)
    if hasattr(calendar, "add_missing_timezones"):
        calendar.add_missing_timezones()
    return calendar.to_ical()


def deadlines_table(items: Sequence[DueItem], console: Console) -> None:
    table = Table(title=f"Deadlines ({len(items)})", show_lines=False)
    table.add_column("Due", no_wrap=True)
    table.add_column("Responsible")
    table.add_column("Document", no_wrap=True)
    table.add_column("Task")
    for item in items:
        due = f"{item.due_date} {item.time}" if item.time else item.due_date
        unit = item.responsible or "—"
        if item.supporting:
            unit += f" (phối hợp: {'; '.join(item.supporting)})"
        table.add_row(due, unit, document_label(item.number, item.symbol), item.task)
    console.print(table)


def hits_table(hits: Sequence[Hit], console: Console) -> None:
    table = Table(title=f"Documents found ({len(hits)})")
    table.add_column("#", justify="right")
    table.add_column("Document", no_wrap=True)
    table.add_column("Issued", no_wrap=True)
    table.add_column("Issuer / subject")
    table.add_column("Text")
    for rank, hit in enumerate(hits, 1):
        snippet = Text(hit.snippet)
        for start, end in hit.highlights:
            snippet.stylize("bold black on yellow", start, end)
        table.add_row(str(rank), f"{hit.doc_type or ''} {document_label(hit.number, hit.symbol)}".strip(),
                      hit.issue_date or "—", f"{hit.issuer or '—'}\n{hit.subject or ''}", snippet)
    console.print(table)


def refs_table(refs: Sequence[DocumentRef], title: str, console: Console) -> None:
    table = Table(title=f"{title} ({len(refs)})")
    table.add_column("Document", no_wrap=True)
    table.add_column("Issued", no_wrap=True)
    table.add_column("Issuer")
    table.add_column("Stored", justify="right")
    for ref in refs:
        table.add_row(f"{ref.doc_type or ''} {ref.label}".strip(), ref.issue_date or "—", ref.issuer or "—",
                      f"#{ref.document_id}" if ref.document_id else "—")
    console.print(table)


def record_row(document_id: int, record: Record) -> list:
    """A record flattened for a spreadsheet: lists joined with "; "."""
    return [
        document_id, record.doc_type, record.number, record.symbol, record.issue_date, record.place,
        record.issuer, record.parent_issuer, record.subject, "; ".join(record.recipients), record.signer,
        record.signer_title, "; ".join(record.cc),
        "; ".join(f"{d.date} {d.responsible or ''}: {d.text}" for d in record.deadlines),
        "; ".join(f"{r.doc_type or ''} {document_label(r.number, r.symbol)}".strip() for r in record.references),
        record.source.path, record.source.sha256, record.source.method, record.source.pages,
        record.extractor_version, "; ".join(record.warnings), record.arrival_number, record.arrival_date,
        reviewed_cell(record),
    ]


def reviewed_cell(record: Record) -> str:
    """Which values a person confirmed or corrected: "issuer: corrected by lan 2024-05-02T…; …"."""
    return "; ".join(f"{name}: {review.status} by {review.by} {review.at}" for name, review in record.reviewed.items())


def records_csv_lines(rows: Iterable[tuple[int, Record]], raw: bool = False) -> Iterable[str]:
    """CSV of whole records, streamed line by line (BOM first); see `csv_cell` for `raw`."""
    yield _csv(RECORD_COLUMNS, [])
    for document_id, record in rows:
        yield _csv_rows([record_row(document_id, record)], raw)


def records_jsonl_lines(rows: Iterable[tuple[int, Record]]) -> Iterable[str]:
    """One JSON object per record, with its database id first."""
    for document_id, record in rows:
        yield json.dumps({"id": document_id, **record.model_dump()}, ensure_ascii=False) + "\n"
