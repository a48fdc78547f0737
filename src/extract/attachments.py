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

from vanthu.knowledge.orthography import fold

from .lines import Layout, Line
from .models import RawDirective
from .regions import END_OF_BODY, noi_nhan_line

# What a document issues to be carried out, by its type's name alone on a line, maybe
# numbered ("PHỤ LỤC II", "PHỤ LỤC 1:"). Not a Tờ trình, Báo cáo or Quyết định sent along for
# reference: their dates are another document's. Phụ lục is no document type of its own
# (Nghị định 30's list), but it is what most attachments are.
_PLAN_TYPES = ("Kế hoạch", "Chương trình", "Phương án", "Đề án", "Quy chế", "Quy định", "Hướng dẫn", "Phụ lục")
_TYPES = "|".join(sorted((re.escape(fold(t).lower()) for t in _PLAN_TYPES), key=len, reverse=True))
_TITLE = re.compile(rf"^(?P<type>{_TYPES})(?:\s+(?:[ivxlc]+|\d{{1,2}})\s*:?)?\s*$")
# "(Ban hành kèm theo Quyết định số 1627/QĐ-UBND …)", "(Kèm theo Công văn số …)".
_MARKER = re.compile(r"^\W*\(.*\bkem\s+theo\b")
# "Ban hành kèm theo Quyết định này Kế hoạch …", "… kèm theo Công văn này 02 Phụ lục": the
# body announces what is attached (so a copy that lost the "(kèm theo …)" line still says).
_ANNOUNCED = re.compile(rf"\bkem\s+theo\s+(?:\w+\s+){{1,3}}?nay\s*:?\s+(?:\d+\s+)?(?P<type>{_TYPES})\b")
# Lines after the title within which its marker is printed (the title's subject may take
# two or three lines first), and the lines a marker may wrap over.
_MARKER_WITHIN = 5
_MARKER_LINES = 3
# Not tasks: a list of administrative procedures (its "thời hạn giải quyết" is how long an
# office may take), a blank form ("…, ngày … tháng … năm …") or a set of forms.
_NOT_TASKS = re.compile(r"\bthu\s+tuc\s+hanh\s+chinh\b|\bngay\s*(?:…|\.{2,})+\s*thang\b")
# A Phụ lục of forms: "PHỤ LỤC 01 / MẪU THẺ …", "DANH MỤC MẪU BIỂU …" (a Quy định "MẪU THẺ VÀ
# VIỆC QUẢN LÝ …" is a regulation, with tasks).
_FORMS = re.compile(r"^\W*(?:danh\s+muc\s+)?(?:cac\s+)?mau\b")

_NOT_TASKS_WITHIN = 4
# What ends an attachment besides the next one: its own "Nơi nhận:", the line after its
# "./.", or a signature block's authority mark opening a line.
_SIGNING = re.compile(r"^(?:tm|kt|tl|tuq|q)\s*\.\s")


@dataclass(frozen=True)
class Attachment:
    """An attachment's body: line indexes [start, end) of the document's layout."""

    start: int
    end: int
    label: str  # prefix of its items' ids: "PL1/"


def _body_after_marker(layout: Layout, title: Line) -> int | None:
    """The line after the attachment's "(… kèm theo …)" marker (which may wrap), if any."""
    for line in layout.lines[title.index + 1: title.index + 1 + _MARKER_WITHIN]:
        if _MARKER.match(line.folded):
            for last in layout.lines[line.index: line.index + _MARKER_LINES]:
                if ")" in last.text:
                    return last.index + 1
            return line.index + 1
    return None


def _title(line: Line) -> re.Match[str] | None:
    """The attachment type `line` is the title of, if it is one."""
    return _TITLE.match(line.folded.strip()) if line.is_upper else None


def _attachment_body(layout: Layout, line: Line, title: re.Match[str], announced: set[str]) -> int | None:
    """Where the body of an attachment titled by `line` (`title`, its match) starts: after
    its "(kèm theo …)" marker, or after its title's capitals lines when the document
    announced that type."""
    body = _body_after_marker(layout, line)
    if body is None and title.group("type") in announced:
        following = layout.lines[line.index + 1: line.index + 1 + _MARKER_WITHIN]
        body = next((after.index for after in following if not after.is_upper), line.index + 1)
    if body is None:
        return None
    opening = layout.lines[line.index: body + _NOT_TASKS_WITHIN]
    if any(_NOT_TASKS.search(piece.folded) for piece in opening):
        return None
    heading = layout.lines[line.index + 1: body + 1]  # its subject, marker, first line
    if title.group("type") == "phu luc" and any(_FORMS.match(piece.folded) for piece in heading):
        return None
    return body


def _end(layout: Layout, body: int, limit: int) -> int:
    """Where an attachment's body starting at `body` ends, at most at line index `limit`."""
    closing = noi_nhan_line(layout, body)
    ends = [limit] + ([closing.index] if closing is not None else [])
    for line in layout.lines[body:limit]:
        if _SIGNING.match(line.folded) and line.is_upper:
            ends.append(line.index)
            break
        if END_OF_BODY.search(line.text):
            ends.append(line.index + 1)
            break
    return min(ends)


def find_attachments(layout: Layout, after: int) -> list[Attachment]:
    """The attachments printed from line index `after` on (the end of the document's own
    body), each up to the next one, its own closing or the end of the text."""
    before = layout.lines[after].start if after < len(layout.lines) else len(layout.text)
    announced = {m.group("type") for m in _ANNOUNCED.finditer(layout.folded, 0, before)}
    titles = [(line, title) for line in layout.lines[after:] if (title := _title(line)) is not None]
    found = []
    for n, (line, title) in enumerate(titles):
        body = _attachment_body(layout, line, title, announced)
        limit = titles[n + 1][0].index if n + 1 < len(titles) else len(layout.lines)
        if body is None or body >= limit:
            continue
        end = _end(layout, body, limit)
        if body < end:
            found.append(Attachment(start=body, end=end, label=f"PL{len(found) + 1}/"))
    return found


def labelled(directives: list[RawDirective], attachment: Attachment) -> list[RawDirective]:
    """An attachment's items with ids that say whose they are ("II.2" -> "PL1/II.2")."""
    label = attachment.label
    return [d.model_copy(update={"id": label + d.id, "parent": label + d.parent if d.parent else None})
            for d in directives]
