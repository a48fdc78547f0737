"""Rendering query results for people (tables) and for tools (CSV, JSON)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence

from rich.console import Console
from rich.table import Table
from normalize.symbols import is_party_style
from store import DueItem

DEADLINE_COLUMNS = ("due_date", "responsible", "number", "symbol", "issuer", "task", "expression",
                    "document_id")


def document_label(number: str | None, symbol: str | None) -> str:
    """"4868/UBND-KGVX"; "…/UBND-VP" when the number was left blank."""
    if symbol is None:
        return number or "?"
    joiner = "-" if is_party_style(symbol) else "/"
    return f"{number or '…'}{joiner}{symbol}"


def deadlines_csv(items: Sequence[DueItem]) -> str:
    """CSV with a header row, UTF-8 BOM first so spreadsheet programs read Vietnamese."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(DEADLINE_COLUMNS)
    for item in items:
        row = item.model_dump()
        writer.writerow(["" if row[c] is None else row[c] for c in DEADLINE_COLUMNS])
    return "\ufeff" + buffer.getvalue()


def deadlines_json(items: Sequence[DueItem]) -> str:
    return json.dumps([item.model_dump() for item in items], ensure_ascii=False, indent=2)


def deadlines_table(items: Sequence[DueItem], console: Console) -> None:
    table = Table(title=f"Deadlines ({len(items)})", show_lines=False)
    table.add_column("Due", no_wrap=True)
    table.add_column("Responsible")
    table.add_column("Document", no_wrap=True)
    table.add_column("Task")
    for item in items:
        table.add_row(item.due_date, item.responsible or "—",
                      document_label(item.number, item.symbol), item.task)
    console.print(table)
