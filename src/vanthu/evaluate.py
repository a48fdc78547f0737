"""Per-field accuracy against a gold file (`make eval`).

Values are compared after case and whitespace normalization (and NFC), as the project's
acceptance criteria say; lists must match item for item.
"""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path
from typing import Any

from normalize import Record

HEADER_FIELDS = (
    "doc_type", "number", "symbol", "issue_date", "place", "issuer", "parent_issuer",
    "subject", "recipients", "signer", "signer_title", "cc",
)


def comparable(value: Any) -> Any:
    """Case-, whitespace- and Unicode-form-insensitive form of a gold or extracted value."""
    if isinstance(value, str):
        return re.sub(r"\s+", " ", unicodedata.normalize("NFC", value)).strip().casefold()
    if isinstance(value, list):
        return [comparable(v) for v in value]
    return value


def field_matches(record: Record, gold: dict[str, Any], field: str) -> bool:
    return comparable(getattr(record, field)) == comparable(gold.get(field))


def load_gold(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def score(records: dict[str, Record], gold: list[dict[str, Any]], fields=HEADER_FIELDS):
    """{field: (correct, total)} over the gold rows whose file has a record, plus the misses."""
    table = {field: [0, 0] for field in fields}
    misses: list[str] = []
    for row in gold:
        record = records.get(row["file"])
        for field in fields:
            table[field][1] += 1
            if record is not None and field_matches(record, row, field):
                table[field][0] += 1
            else:
                got = getattr(record, field) if record is not None else "<no record>"
                misses.append(f"{row['file']} {field}: got {got!r}, want {row.get(field)!r}")
    return {f: tuple(v) for f, v in table.items()}, misses
