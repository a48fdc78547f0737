"""Dates to ISO form: full "YYYY-MM-DD", or partial "YYYY-MM"/"YYYY" when a draft leaves
the day or month blank. An impossible date is None with a warning, never a guess."""

from __future__ import annotations

import datetime as dt

from vanthu.extract.models import RawDate, RawDeadline


def iso_date(raw: RawDate | None, what: str, warnings: list[str]) -> str | None:
    """ISO form of `raw`; appends a warning naming `what` when parts are blank or invalid."""
    if raw is None:
        return None
    if raw.unclear:
        parts = " and ".join(raw.unclear)
        warnings.append(f"{what}: the {parts} is handwritten or not clearly printed, not read ({raw.span.value!r})")
        return None
    if raw.year is None:
        return None
    if raw.month is None:
        warnings.append(f"{what}: day and month left blank ({raw.span.value!r})")
        return f"{raw.year:04d}"
    if not 1 <= raw.month <= 12:
        warnings.append(f"{what}: impossible month in {raw.span.value!r}")
        return None
    if raw.day is None:
        warnings.append(f"{what}: day left blank ({raw.span.value!r})")
        return f"{raw.year:04d}-{raw.month:02d}"
    try:
        return dt.date(raw.year, raw.month, raw.day).isoformat()
    except ValueError:
        warnings.append(f"{what}: impossible date {raw.span.value!r}")
        return None


def _month_end(year: int, month: int) -> dt.date:
    first_of_next = dt.date(year + month // 12, month % 12 + 1, 1)
    return first_of_next - dt.timedelta(days=1)


def _monthly_from(issue: dt.date, day: int) -> dt.date:
    """The first day `day` of a month on or after `issue` (the month's last day when it is shorter)."""
    year, month = issue.year, issue.month
    while True:
        candidate = dt.date(year, month, min(day, _month_end(year, month).day))
        if candidate >= issue:
            return candidate
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


def due_date(raw: RawDeadline, issued: str | None, warnings: list[str]) -> str | None:
    """The ISO due date of a deadline: a month or quarter is due on its last day; a day
    printed without a year falls in the issue year, or the next one when it would precede
    the issue date. None (with a warning) when it cannot be settled or precedes the issue
    date (then it is not a deadline of this document)."""
    printed = raw.expression.value
    issue = dt.date.fromisoformat(issued) if issued and len(issued) == 10 else None
    date = raw.date
    try:
        if raw.recurs == "monthly":
            if issue is None:
                warnings.append(f"deadline {printed!r} repeats monthly and the date of issue is unknown")
                return None
            due = _monthly_from(issue, date.day)
        elif raw.kind in ("month", "quarter"):
            due = _month_end(date.year, date.month)
        elif date.year is None:
            if issue is None:
                warnings.append(f"deadline {printed!r} has no year and the date of issue is unknown")
                return None
            due = dt.date(issue.year, date.month, date.day)
            if due < issue:
                due = dt.date(issue.year + 1, date.month, date.day)
        else:
            due = dt.date(date.year, date.month, date.day)
    except (TypeError, ValueError):
        warnings.append(f"deadline: impossible date {printed!r}")
        return None
    if issue is not None and due < issue:
        warnings.append(f"{printed!r} is before the date of issue: not kept as a deadline")
        return None
    return due.isoformat()
