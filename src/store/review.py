"""What the workbench's review queue knows of a record without reading it: why a person
should look at it first (`review_flags`), and whether a person confirmed it (`review_status`).
Both are columns of documents, made from the record whenever it is written."""

from __future__ import annotations

import re

from vanthu.normalize.record import REVIEWABLE_FIELDS, Record

# A value the extractor abstained from (null with a warning): handwritten, not clearly
# printed, letters missing (normalize's and extract's warnings).
ABSTAINED = re.compile(r"not read|handwritten|not clearly printed|letters missing")
# A page OCR read with low confidence (the ingest stage's warning).
LOW_OCR = re.compile(r"low OCR confidence")

FLAG_LABELS = {"abstained": "Trường bỏ trống (viết tay, in mờ)", "low-ocr": "OCR kém tin cậy",
               "warnings": "Có cảnh báo", "duplicate": "Có thể trùng"}


def warning_flag(warning: str) -> str:
    """"abstained", "low-ocr" or "warnings": the kind of one record warning."""
    if ABSTAINED.search(warning):
        return "abstained"
    return "low-ocr" if LOW_OCR.search(warning) else "warnings"


def review_flags(record: Record) -> str | None:
    """Why a person should look at the record first, as space-separated flags (sorted), or
    None. Possible duplicates are found when the queue is read: they change as documents
    come in."""
    return " ".join(sorted({warning_flag(w) for w in record.warnings})) or None


def review_status(record: Record) -> str | None:
    """"confirmed" when a person confirmed or corrected every reviewable field, "partial"
    when some, None when none."""
    if not record.reviewed:
        return None
    return "confirmed" if set(REVIEWABLE_FIELDS) <= set(record.reviewed) else "partial"
