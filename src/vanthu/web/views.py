"""Words the workbench's pages show for the store's codes (in Vietnamese)."""

from __future__ import annotations

from vanthu.store.review import FLAG_LABELS

from ..output import document_label

__all__ = ["document_label", "flag_label", "status_label"]

_STATUS = {"confirmed": "Đã xác nhận", "partial": "Đang xem", None: "Chưa xem"}


def flag_label(flag: str) -> str:
    return FLAG_LABELS.get(flag, flag)


def status_label(status: str | None) -> str:
    return _STATUS.get(status, status or "")
