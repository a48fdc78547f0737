"""The document page's form: the record's reviewable fields as inputs, and what a person
entered turned back into record values (checked here for form, by the record's model when
applied)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from vanthu.normalize.record import REVIEWABLE_FIELDS, Deadline, Record

# Label, and how the field is entered: one line, several lines (one entry per line), a date.
FIELDS: dict[str, tuple[str, str]] = {
    "doc_type": ("Loại văn bản", "line"),
    "number": ("Số", "line"),
    "symbol": ("Ký hiệu", "line"),
    "issue_date": ("Ngày ban hành", "date"),
    "place": ("Địa danh", "line"),
    "issuer": ("Cơ quan ban hành", "line"),
    "parent_issuer": ("Cơ quan chủ quản", "line"),
    "subject": ("Trích yếu", "text"),
    "recipients": ("Kính gửi (mỗi dòng một nơi)", "lines"),
    "signer": ("Người ký", "line"),
    "signer_title": ("Chức vụ người ký", "line"),
    "cc": ("Nơi nhận (mỗi dòng một nơi)", "lines"),
    "arrival_number": ("Số đến", "line"),
    "arrival_date": ("Ngày đến", "date"),
    "deadlines": ("Hạn xử lý", "deadlines"),
}

_DATE = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2})?)?$")
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_TIME = re.compile(r"^(?:[01]\d|2[0-3]):[0-5]\d$")
MAX_DEADLINES = 200  # rows of the deadlines table a form may send


class FormError(ValueError):
    """A value entered that is not of the field's form; `field` names it."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def shown(record: Record, name: str) -> str:
    """A field's value as the form shows it."""
    value = getattr(record, name)
    if isinstance(value, list):
        return "\n".join(value)
    return value or ""


def _line(value: str) -> str | None:
    return re.sub(r"\s+", " ", value).strip() or None


def _date(name: str, value: str, partial: bool = True) -> str | None:
    value = value.strip()
    if not value:
        return None
    if not (_DATE if partial else _DAY).match(value):
        raise FormError(name, f"{FIELDS[name][0]}: ngày viết dạng NNNN-TT-NN (ví dụ 2024-04-12), không phải {value!r}")
    parts = [int(p) for p in value.split("-")] + [1, 1]
    try:
        dt.date(*parts[:3])
    except ValueError as err:
        raise FormError(name, f"{FIELDS[name][0]}: không có ngày {value}") from err
    return value


def _units(value: str) -> list[str]:
    return [unit for unit in (_line(part) for part in re.split(r"[;\n]", value)) if unit]


def _deadlines(form: Mapping[str, str], stored: list[Deadline]) -> list[dict]:
    """The deadlines table: row i edits stored deadline i (its printed expression, kind and
    section stay); a row marked for removal goes; a new row with a date and a task is added."""
    rows = []
    for i in range(min(int(form.get("dl-count", "0") or 0), MAX_DEADLINES)):
        if form.get(f"dl-{i}-remove"):
            continue
        date = _date("deadlines", form.get(f"dl-{i}-date", ""), partial=False)
        task = _line(form.get(f"dl-{i}-text", "")) or ""
        if date is None and not task:
            continue  # an empty new row
        if date is None:
            raise FormError("deadlines", f"Hạn xử lý, dòng {i + 1}: thiếu ngày")
        time = (form.get(f"dl-{i}-time") or "").strip() or None
        if time is not None and not _TIME.match(time):
            raise FormError("deadlines", f"Hạn xử lý, dòng {i + 1}: giờ viết dạng HH:MM, không phải {time!r}")
        base = stored[i].model_dump(mode="json") if i < len(stored) else {"expression": "", "kind": "day"}
        rows.append({**base, "date": date, "time": time, "text": task,
                     "responsible": _line(form.get(f"dl-{i}-responsible", "")),
                     "supporting": _units(form.get(f"dl-{i}-supporting", ""))})
    return rows


def values_from_form(form: Mapping[str, str], record: Record) -> dict[str, Any]:
    """Record values (JSON) of every reviewable field the form sent."""
    values: dict[str, Any] = {}
    for name, (_label, how) in FIELDS.items():
        if how == "deadlines":
            if "dl-count" in form:
                values[name] = _deadlines(form, record.deadlines)
            continue
        if name not in form:
            continue
        raw = form[name]
        if how == "lines":
            values[name] = [line for line in (_line(part) for part in raw.splitlines()) if line]
        elif how == "date":
            values[name] = _date(name, raw)
        else:
            values[name] = _line(raw)
    return values


@dataclass(frozen=True)
class Submitted:
    """What the form asked: values, fields confirmed, and whether to go on to the next
    document."""

    values: dict[str, Any]
    confirm: list[str]
    next_document: bool


def submitted(form: Mapping[str, str], record: Record) -> Submitted:
    """Read a posted document form. "confirm" confirms every field (and goes on); "save"
    keeps what was entered and confirms the fields ticked."""
    values = values_from_form(form, record)
    if form.get("action") == "confirm":
        return Submitted(values, list(REVIEWABLE_FIELDS), True)
    return Submitted(values, [name for name in REVIEWABLE_FIELDS if form.get(f"ok-{name}")], False)
