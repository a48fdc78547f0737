"""Per-field accuracy against gold files (`make eval`, `make eval-real`).

Header fields are compared after case, whitespace and Unicode-form normalization; lists of
strings (recipients, cc) must match item for item. The body's lists are scored as sets of
items by precision, recall and F1:
- deadlines: (date, responsible unit);
- references: (doc_type, number, symbol, issue_date);
- directives: (id, addressee) of the top-level sections;
- recipients and cc: their items.
A gold row may say more (the real-documents set, `../shared/realdocs/README.md`):
- `illegible_in_text`: fields handwritten on the page; null is right for them (abstaining
  is never wrong), and so is the true value;
- `unverified_fields`: fields not annotated carefully; they are not scored;
- `digital_signature`: the printed stamp, scored as found (and its signer and time right);
- a list a gold row does not have (the body's lists of realdocs) is not scored.
signer_title lines are compared without their separators: the samples' gold joins the lines
with a space, realdocs' gold with " / ", the line structure vanthu prints.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from vanthu.normalize import Record

HEADER_FIELDS = (
    "doc_type", "number", "symbol", "issue_date", "place", "issuer", "parent_issuer",
    "subject", "recipients", "signer", "signer_title", "cc",
)
# List field -> the keys of an item that must match.
LIST_FIELDS: dict[str, tuple[str, ...]] = {
    "deadlines": ("date", "responsible"),
    "references": ("doc_type", "number", "symbol", "issue_date"),
    "directives": ("id", "addressee"),
    "recipients": (),
    "cc": (),
}


def comparable(value: Any) -> Any:
    """Case-, whitespace- and Unicode-form-insensitive form of a gold or extracted value."""
    if isinstance(value, str):
        return re.sub(r"\s+", " ", unicodedata.normalize("NFC", value)).strip().casefold()
    if isinstance(value, list):
        return [comparable(v) for v in value]
    return value


def _lines_joined(value: Any) -> Any:
    return comparable(re.sub(r"\s+/\s+", " ", value)) if isinstance(value, str) else value


def field_matches(record: Record, gold: dict[str, Any], field: str) -> bool:
    got = getattr(record, field)
    if got is None and field in gold.get("illegible_in_text", []):
        return True
    if field == "signer_title":
        return _lines_joined(got) == _lines_joined(gold.get(field))
    return comparable(got) == comparable(gold.get(field))


def scored(gold: dict[str, Any], field: str) -> bool:
    """Whether a gold row scores this field."""
    return field in gold and field not in gold.get("unverified_fields", [])


def load_gold(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def score(records: dict[str, Record], gold: list[dict[str, Any]], fields=HEADER_FIELDS):
    """{field: (correct, total)} over the gold rows whose file has a record, plus the misses."""
    table = {field: [0, 0] for field in fields}
    misses: list[str] = []
    for row in gold:
        record = records.get(row["file"])
        for field in fields:
            if not scored(row, field):
                continue
            table[field][1] += 1
            if record is not None and field_matches(record, row, field):
                table[field][0] += 1
            else:
                got = getattr(record, field) if record is not None else "<no record>"
                misses.append(f"{row['file']} {field}: got {got!r}, want {row.get(field)!r}")
    return {f: tuple(v) for f, v in table.items()}, misses


@dataclass(frozen=True)
class ListScore:
    """Items matched, extracted and in gold, over every document."""

    matched: int
    extracted: int
    wanted: int

    @property
    def precision(self) -> float:
        return self.matched / self.extracted if self.extracted else 1.0

    @property
    def recall(self) -> float:
        return self.matched / self.wanted if self.wanted else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def _items(values: list[Any], keys: tuple[str, ...]) -> Counter:
    if not keys:  # a list of strings
        return Counter(comparable(v) for v in values)
    return Counter(tuple(comparable(v.get(k)) for k in keys) for v in values)


def score_lists(records: dict[str, Record], gold: list[dict[str, Any]], fields=LIST_FIELDS):
    """{field: ListScore} for the body's lists, plus the misses (missing and extra items)."""
    totals = {field: [0, 0, 0] for field in fields}
    misses: list[str] = []
    for row in gold:
        record = records.get(row["file"])
        data = record.model_dump() if record is not None else {}
        for field, keys in fields.items():
            if not scored(row, field):
                continue
            got, want = _items(data.get(field, []), keys), _items(row.get(field, []), keys)
            matched = got & want
            totals[field][0] += sum(matched.values())
            totals[field][1] += sum(got.values())
            totals[field][2] += sum(want.values())
            misses += [f"{row['file']} {field}: missing {item}" for item in (want - got)]
            misses += [f"{row['file']} {field}: extra {item}" for item in (got - want)]
    return {f: ListScore(*v) for f, v in totals.items()}, misses


@dataclass(frozen=True)
class SignatureScore:
    """Digital-signature stamps: found where gold has one, with the right signer and time;
    invented where gold has none."""

    wanted: int
    found: int
    right: int
    invented: int


def _signer_key(value: str | None) -> str:
    return re.sub(r"\W+", "", comparable(value or ""))


def score_signatures(records: dict[str, Record], gold: list[dict[str, Any]]) -> tuple[SignatureScore, list[str]]:
    """How the records' `digital_signature` compares with gold's (rows that score it)."""
    wanted = found = right = invented = 0
    misses = []
    for row in gold:
        if "digital_signature" not in row:
            continue
        record = records.get(row["file"])
        got = record.digital_signature if record is not None else None
        want = row["digital_signature"]
        if want is None:
            if got is not None:
                invented += 1
                misses.append(f"{row['file']} digital_signature: got {got.model_dump()}, want None")
            continue
        wanted += 1
        if got is None:
            misses.append(f"{row['file']} digital_signature: not found, want {want}")
            continue
        found += 1
        if "digital_signature" in row.get("unverified_fields", []) or (
                _signer_key(got.signer) == _signer_key(want.get("signer")) and got.time == want.get("time")):
            right += 1
        else:
            misses.append(f"{row['file']} digital_signature: got {got.signer!r} {got.time}, want {want}")
    return SignatureScore(wanted, found, right, invented), misses
