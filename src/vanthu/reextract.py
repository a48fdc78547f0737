"""`vanthu reextract`: stored records made by an older extractor, derived again from their
stored ingest result (no OCR, no file read), in batches.

A record is re-derived when a stage that makes records from text (extract, normalize) made
it at an older version than this vanthu's; one made by a newer vanthu is left alone. Each
batch is replaced in one transaction and carries the new extractor version, so a run that is
killed is simply run again: it goes on with the records still older. Fields a person
corrected (`store.protected_fields`, filled by the corrections of the workbench) keep their
values.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine

from vanthu.extract import EXTRACTOR_VERSION
from vanthu.normalize import NORMALIZER_VERSION, Record, record_organizations
from vanthu.store import (Condition, StoredDocument, documents_to_rederive, protected_fields, replace_records,
                          stored_versions)

from .pipeline import derive

# The stages whose versions decide whether a record is older: those that run on the text.
DERIVING_STAGES = (EXTRACTOR_VERSION, NORMALIZER_VERSION)
# Fields that say how a record was made, or what a person said of it, rather than what the
# document says.
_NOT_COMPARED = {"extractor_version", "reviewed"}
# Fields the record's organizations are made from: kept as corrected, they make them again.
_NAMING = {"issuer", "parent_issuer", "recipients", "cc", "deadlines"}


def _stage(part: str) -> tuple[str, tuple[int, ...]] | None:
    """"extract-0.2" -> ("extract", (0, 2)); None for a part that names no version."""
    name, _, number = part.rpartition("-")
    digits = tuple(int(n) for n in re.findall(r"\d+", number))
    return (name, digits) if name and digits else None


def is_older(stored: str, current: Sequence[str] = DERIVING_STAGES) -> bool:
    """Whether a record of extractor version `stored` ("ingest-0.2+extract-0.1+normalize-0.2")
    was made by an older extract or normalize stage than `current`, and by no newer one. A
    version naming neither stage (made some other way) counts as older."""
    made = dict(filter(None, map(_stage, stored.split("+"))))
    older = False
    for name, number in filter(None, map(_stage, current)):
        if name not in made or made[name] < number:
            older = True
        elif made[name] > number:
            return False
    return older


@dataclass(frozen=True)
class Change:
    """What re-extraction changed in one record: field -> (old value, new value); `kept` are
    fields left as a person corrected them."""

    document_id: int
    number: str | None
    symbol: str | None
    fields: dict[str, tuple[Any, Any]]
    kept: tuple[str, ...] = ()

    def summary(self) -> str:
        """"issuer: Sở A → Sở B; deadlines: 2 → 3 entries" (lists by their length)."""
        return "; ".join(f"{name}: {_shown(old, new)}" for name, (old, new) in self.fields.items())


def _shown(old: Any, new: Any) -> str:
    if isinstance(old, list) and isinstance(new, list):
        return f"{len(old)} → {len(new)} entries" if len(old) != len(new) else f"{len(new)} entries, changed"
    if isinstance(old, dict) or isinstance(new, dict):
        return "changed"
    return f"{'—' if old is None else old} → {'—' if new is None else new}"


@dataclass(frozen=True)
class Failed:
    document_id: int
    reason: str


@dataclass
class Summary:
    older: dict[str, int] = field(default_factory=dict)  # versions re-derived, with their record counts
    examined: int = 0
    changed: int = 0
    failed: int = 0


def changed_fields(old: Record, new: Record) -> dict[str, tuple[Any, Any]]:
    """The fields whose values differ, in the record's order: field -> (old, new)."""
    before, after = old.model_dump(mode="json"), new.model_dump(mode="json")
    return {name: (before.get(name), after.get(name)) for name in after
            if name not in _NOT_COMPARED and before.get(name) != after.get(name)}


def keep_fields(old: Record, new: Record, fields: Collection[str]) -> Record:
    """The new record with `fields` as they were in the old one (a person corrected or
    confirmed them), what the new extraction read recorded beside each (`reviewed[...]
    .extracted`), and the organizations made again from the names kept."""
    read = new.model_dump(mode="json")
    reviewed = {name: review.model_copy(update={"extracted": read.get(name)}) for name, review in old.reviewed.items()}
    record = new.model_copy(update={**{name: getattr(old, name) for name in fields}, "reviewed": reviewed})
    if _NAMING & set(fields):
        record.organizations = record_organizations(record)
    return record


def reextract(engine: Engine, where: Sequence[Condition] = (), batch: int = 100, dry_run: bool = False,
              on_result: Callable[[Change | Failed], None] | None = None) -> Summary:
    """Derive again every stored record of an older extractor version that matches `where`;
    `on_result` hears of each changed record and each failure. With `dry_run`, nothing is
    written."""
    summary = Summary(older={v: n for v, n in stored_versions(engine).items() if is_older(v)})
    after = 0
    while documents := documents_to_rederive(engine, list(summary.older), where, after, batch):
        after = documents[-1].document_id
        protected = protected_fields(engine, [d.document_id for d in documents])
        replaced: list[tuple[int, Record]] = []
        for document in documents:
            summary.examined += 1
            result = _rederive(document, protected.get(document.document_id, frozenset()))
            if isinstance(result, Failed):
                summary.failed += 1
            else:
                record, change = result
                replaced.append((document.document_id, record))
                summary.changed += change is not None
                result = change
            if result is not None and on_result is not None:
                on_result(result)
        if not dry_run:
            replace_records(engine, replaced)
    return summary


def _rederive(document: StoredDocument, protected: frozenset[str]) -> tuple[Record, Change | None] | Failed:
    """The new record of a stored document and what changed (None: nothing), or why not."""
    if document.problem is not None:
        return Failed(document.document_id, document.problem)
    try:
        record = derive(document.ingested).record
    except ValueError as err:  # pydantic's ValidationError too: a value the record refuses
        return Failed(document.document_id, f"cannot derive the record: {err}")
    record = keep_fields(document.record, record, protected)
    fields = changed_fields(document.record, record)
    change = Change(document.document_id, record.number, record.symbol, fields, tuple(sorted(protected)))
    return record, change if fields else None
