"""Dates to ISO form: full "YYYY-MM-DD", or partial "YYYY-MM"/"YYYY" when a draft leaves
the day or month blank. An impossible date is None with a warning, never a guess."""

from __future__ import annotations

import datetime as dt

from extract.models import RawDate


def iso_date(raw: RawDate | None, what: str, warnings: list[str]) -> str | None:
    """ISO form of `raw`; appends a warning naming `what` when parts are blank or invalid."""
    if raw is None or raw.year is None:
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
