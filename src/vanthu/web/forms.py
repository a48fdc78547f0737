"""The document page's form: the record's reviewable fields as inputs, and what a person
entered turned back into record values (checked here for form, by the record's model when
applied)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from vanthu.normalize.record import REVIEWABLE_FIELDS, Deadline, Directive, Record, walk_directives

# Label, and how the field is entered: one line, several lines (one entry per line), a date,
# or a table of rows (deadlines, cited documents, directives: see TABLES).
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
    "references": ("Văn bản dẫn chiếu", "references"),
    "directives": ("Nội dung chỉ đạo", "directives"),
}
# Fields entered as a table: each posts "<prefix>-count" and "<prefix>-<row>-<column>" inputs.
TABLES = {"deadlines": "dl", "references": "ref", "directives": "dir"}
COLUMNS = {"dl": ("date", "time", "text", "responsible", "supporting"),
           "ref": ("doc_type", "number", "symbol", "issue_date", "issuer"),
           "dir": ("id", "addressee", "text")}

_DATE = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2})?)?$")
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_TIME = re.compile(r"^(?:[01]\d|2[0-3]):[0-5]\d$")
# Rows a table may send: well above any document seen (the longest real one has 60
# directives), low enough that a forged count cannot make the server loop for long.
MAX_ROWS = 2000
# Fields a review form may post: every table full, each row with its columns and its
# "remove" box, and the record's other fields (well under 200). Starlette refuses a form of
# more than 1,000 by default, which a document with a plan attached passes (300 directives
# are 900 fields).
MAX_FORM_FIELDS = MAX_ROWS * sum(len(columns) + 1 for columns in COLUMNS.values()) + 200


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


def _rows(form: Mapping[str, str], prefix: str) -> list[tuple[int, dict[str, str]]]:
    """The rows of a table the form sent (`COLUMNS[prefix]`), as (row number, column ->
    value), without the rows marked for removal."""
    count = form.get(f"{prefix}-count", "0")
    rows = int(count) if count.isdigit() else 0
    if rows > MAX_ROWS:  # refused, not cut: saving a table cut short would delete its rows past the cut
        field = next(name for name, table in TABLES.items() if table == prefix)
        raise FormError(field, f"{FIELDS[field][0]}: {rows} dòng, quá {MAX_ROWS} dòng một bảng có thể lưu qua biểu mẫu")
    return [(i, {column: form.get(f"{prefix}-{i}-{column}", "") for column in COLUMNS[prefix]})
            for i in range(rows) if not form.get(f"{prefix}-{i}-remove")]


def _deadlines(form: Mapping[str, str], stored: list[Deadline]) -> list[dict]:
    """The deadlines table: row i edits stored deadline i (its printed expression, kind and
    section stay); a row marked for removal goes; a new row with a date and a task is added."""
    rows = []
    for i, row in _rows(form, "dl"):
        date = _date("deadlines", row["date"], partial=False)
        task = _line(row["text"]) or ""
        if date is None and not task:
            continue  # an empty new row
        if date is None:
            raise FormError("deadlines", f"Hạn xử lý, dòng {i + 1}: thiếu ngày")
        time = row["time"].strip() or None
        if time is not None and not _TIME.match(time):
            raise FormError("deadlines", f"Hạn xử lý, dòng {i + 1}: giờ viết dạng HH:MM, không phải {time!r}")
        base = stored[i].model_dump(mode="json") if i < len(stored) else {"expression": "", "kind": "day"}
        rows.append({**base, "date": date, "time": time, "text": task,
                     "responsible": _line(row["responsible"]),
                     "supporting": _units(row["supporting"])})
    return rows


def _references(form: Mapping[str, str]) -> list[dict]:
    """The cited documents' table: type, number, symbol, date and issuer of each; a row
    without number and symbol is left out when empty and refused otherwise."""
    cited = []
    for i, row in _rows(form, "ref"):
        values = {name: _line(row[name]) for name in ("doc_type", "number", "symbol", "issuer")}
        values["issue_date"] = _date("references", row["issue_date"])
        if not any(values.values()):
            continue
        if not (values["number"] and values["symbol"]):
            raise FormError("references", f"Văn bản dẫn chiếu, dòng {i + 1}: cần cả số và ký hiệu")
        cited.append(values)
    return cited


def _directives(form: Mapping[str, str]) -> list[dict]:
    """The directives' table, one row per item in document order, back into a tree by the
    numbering: an item goes under the item numbered as its numbering less its last part
    ("2.1.a" under "2.1", a bullet "2.-1" under "2", a "2.10" added at the end under "2"),
    or under the nearest such ancestor; the last item of a number when two share it. A row
    without a number is refused unless empty."""
    tree: list[dict] = []
    placed: dict[str, dict] = {}
    for i, row in _rows(form, "dir"):
        number, addressee, text = _line(row["id"]), _line(row["addressee"]), _line(row["text"])
        if not (number or addressee or text):
            continue
        if not number:
            raise FormError("directives", f"Nội dung chỉ đạo, dòng {i + 1}: thiếu số mục (ví dụ 2, 2.1, 2.1.a)")
        item = {"id": number, "addressee": addressee, "text": text or "", "items": []}
        parent, above = None, number
        while parent is None and "." in above:
            above = above.rsplit(".", 1)[0]
            parent = placed.get(above)
        (parent["items"] if parent else tree).append(item)
        placed[number] = item
    return tree


def directive_rows(directives: list[Directive]) -> list[tuple[Directive, int]]:
    """The directives' tree as the form's rows, in document order, with each item's depth."""
    return [(directive, depth) for directive, _parent, depth in walk_directives(directives)]


def values_from_form(form: Mapping[str, str], record: Record) -> dict[str, Any]:
    """Record values (JSON) of every reviewable field the form sent."""
    values: dict[str, Any] = {}
    for name, (_label, how) in FIELDS.items():
        if name in TABLES:
            if f"{TABLES[name]}-count" in form:
                values[name] = (_deadlines(form, record.deadlines) if name == "deadlines"
                                else _references(form) if name == "references" else _directives(form))
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
