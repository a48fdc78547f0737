"""What a document issues with it, printed after its closing: the Kế hoạch, Quy chế or
Phụ lục that "Điều 1. Ban hành kèm theo Quyết định này …" announces.

    KẾ HOẠCH                                          <- a type's name, alone, in capitals
    Triển khai thực hiện Tổng kiểm kê tài sản công …
    (Ban hành kèm theo Quyết định số 1627/QĐ-UBND …)  <- "kèm theo", within a few lines
    I. MỤC ĐÍCH, YÊU CẦU                              <- the attachment's body
    …
    Thời gian hoàn thành: Trước ngày 15/11/2025.

The tasks and deadlines of such a plan are the document's own (an analyst asks what is due
under the Quyết định), so the body's readers run over each attachment too; its items are
numbered afresh, so their ids carry the attachment's place ("PL1/II.2").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from vanthu.knowledge.doctypes import TITLE_TYPES

from .lines import Layout, Line
from .models import RawDirective
from .regions import noi_nhan_line

# A type's name alone on its line, maybe numbered ("PHỤ LỤC II", "PHỤ LỤC 1:"). Phụ lục is
# no document type of its own (Nghị định 30's list), but it is what most attachments are.
_TYPES = "|".join(sorted((re.escape(t) for t in [*TITLE_TYPES, "phu luc"]), key=len, reverse=True))
_TITLE = re.compile(rf"^(?P<type>{_TYPES})(?:\s+(?:[ivxlc]+|\d{{1,2}})\s*:?)?\s*$")
_ATTACHED = re.compile(r"\bkem\s+theo\b")
# "Ban hành kèm theo Quyết định này Kế hoạch …", "… kèm theo Công văn này 02 Phụ lục": the
# body announces what is attached (so a copy that lost the "(kèm theo …)" line still says).
_ANNOUNCED = re.compile(rf"\bkem\s+theo\s+(?:\w+\s+){{1,3}}?nay\s*:?\s+(?:\d+\s+)?(?P<type>{_TYPES})\b")
# Lines after the title within which "(Ban hành) kèm theo …" is printed: the title may run
# over two or three lines of its subject first.
_ATTACHED_WITHIN = 5


@dataclass(frozen=True)
class Attachment:
    """An attachment's body: line indexes [start, end) of the document's layout."""

    start: int
    end: int
    label: str  # prefix of its items' ids: "PL1/"


def _attachment_title(layout: Layout, line: Line, announced: set[str]) -> int | None:
    """Where the body of an attachment titled by `line` starts: after its "kèm theo" line,
    or after its title's capitals lines when the document announced that type."""
    title = _TITLE.match(line.folded.strip()) if line.is_upper else None
    if title is None:
        return None
    following = layout.lines[line.index + 1: line.index + 1 + _ATTACHED_WITHIN]
    for after in following:
        if _ATTACHED.search(after.folded):
            return after.index + 1
    if title.group("type") in announced:
        return next((after.index for after in following if not after.is_upper), line.index + 1)
    return None


def find_attachments(layout: Layout, after: int) -> list[Attachment]:
    """The attachments printed from line index `after` on (the document's closing is
    before it), each up to the next one, its own "Nơi nhận:" or the end of the text."""
    before = layout.lines[after].start if after < len(layout.lines) else len(layout.text)
    announced = {m.group("type") for m in _ANNOUNCED.finditer(layout.folded, 0, before)}
    starts = [(line.index, body) for line in layout.lines[after:]
              if (body := _attachment_title(layout, line, announced)) is not None]
    found = []
    for n, (title, body) in enumerate(starts):
        end = starts[n + 1][0] if n + 1 < len(starts) else len(layout.lines)
        closing = noi_nhan_line(layout, body)
        if closing is not None and closing.index < end:
            end = closing.index
        if body < end:
            found.append(Attachment(start=body, end=end, label=f"PL{len(found) + 1}/"))
    return found


def labelled(directives: list[RawDirective], attachment: Attachment) -> list[RawDirective]:
    """An attachment's items with ids that say whose they are ("II.2" -> "PL1/II.2")."""
    label = attachment.label
    return [d.model_copy(update={"id": label + d.id, "parent": label + d.parent if d.parent else None})
            for d in directives]
