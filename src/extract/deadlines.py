"""Due dates in the body, each with its task, the unit charged with it and its directive.

Forms read (on folded text, so marks may be missing):
- a day: "trước ngày 15/10/2023", "hoàn thành trước ngày …", "chậm nhất (là|vào|trong) ngày …",
  "hạn chót …", "không quá ngày …", "trước 17 giờ 00 ngày …", "trước ngày 15 tháng 11 năm 2023",
  "trước 30/6" (no year: settled against the issue date by normalize);
- a label: "Thời gian hoàn thành: 30/11/2023", "Thời hạn: trong tháng 12/2023";
- a month or a quarter: "trong tháng 12/2023", "trong Quý IV/2023" (due at its end).

Not deadlines: dates without a due word (issue dates of cited documents, events), horizons
("đến năm 2025, định hướng đến năm 2030", "trong năm 2022"), and anything the clause says
has already happened ("đã hoàn thành trước ngày …"). Month and quarter expressions count only
under a label or after a verb of completion ("hoàn thành", "báo cáo", "ban hành" …).
"""

from __future__ import annotations

import re
from bisect import bisect_right

from vanthu.knowledge.entities import find_organizations

from .directives import LEADS, TASK_VERB, folded_value, leading_unit, locate, opening_unit, opens_with_unit
from .lines import Layout
from .models import RawDate, RawDeadline, RawDirective, Spanned

_TIME = r"(?:(?P<hh>\d{1,2})\s*(?:gio|h|:)\s*(?P<mm>\d{2})?\s*(?:phut)?\s*,?\s*)"
_WEEKDAY = r"(?:(?:thu\s+(?:hai|ba|tu|nam|sau|bay)|chu\s+nhat)\s*,?\s*)"
_DAY = (
    r"(?P<d>\d{1,2})\s*(?:"
    r"[/.-]\s*(?P<m>\d{1,2})\s*[/.-]\s*(?P<y>\d{4})"
    r"|thang\s*(?P<m2>\d{1,2})(?:\s*,?\s*(?:nam|thang)\s*(?P<y2>\d{4}))?"  # "tháng 10 tháng 2025": a slip for năm
    # "15/12", "15/12 năm 2023" (its year printed after it)
    r"|/\s*(?P<m3>\d{1,2})(?:\s*,?\s*nam\s+(?P<y3>\d{4}))?(?![\d/-]|\.\d)"
    # "30-6"; but "6-8 ngày làm việc" is a count of days, not 6 August
    r"|-\s*(?P<m4>\d{1,2})(?![\d/-]|\.\d|\s*(?:ngay|thang|tuan|gio|lan)\b))(?![\d/])"
)
_DUE_WORD = (
    r"(?:truoc|cham\s+nhat(?:\s+(?:la|vao|trong|den))?|han\s+chot(?:\s+la)?|han\s+cuoi(?:\s+la)?"
    r"|hoan\s+thanh\s+trong"  # "hoàn thành trong ngày 05/10": a bare "trong ngày" may be an event's day
    r"|khong\s+qua|khong\s+muon\s+hon)"
)
# "Thời gian hoàn thành:", "Thời hạn nộp báo cáo tổng hợp:", "Thời gian thực hiện:", "Thời hạn:".
# A bare "Thời gian:" is also a meeting's time (Giấy mời): it counts only before a due word.
_LABEL = (
    r"(?:(?:thoi\s+(?:gian|han)|han)\s+(?:hoan\s+thanh|thuc\s+hien(?:\s+xong)?|gui|nop|bao\s+cao"
    r"|gui\s+bao\s+cao|gui\s+ve)(?:\s+\w+){0,5}?\s*:|thoi\s+han\s*:)"
)
_MONTH = r"thang\s*(?P<mo>\d{1,2})\s*(?:/|\s+nam\s+)\s*(?P<moy>\d{4})"
_QUARTER = r"quy\s*(?P<q>iv|i{1,3}|[1-4])\s*(?:/|,?\s*nam\s+)\s*(?P<qy>\d{4})"

_DAY_DEADLINE = re.compile(
    rf"\b(?:(?P<label>{_LABEL})\s*(?:{_DUE_WORD}\s*)?|(?P<due>(?:thoi\s+gian\s*:\s*)?{_DUE_WORD})\s*)"
    rf"(?:ngay\s*)?{_TIME}?{_WEEKDAY}?(?:ngay\s*)?{_DAY}"
)
# "trước ngày 15 hằng tháng": a day of every month.
_MONTHLY_DEADLINE = re.compile(
    rf"\b(?P<due>{_DUE_WORD})\s*(?:ngay\s*)?{_TIME}?(?:ngay\s*)?(?P<rd>\d{{1,2}})\s+(?:hang|moi)\s+thang\b"
)
_EVERY_YEAR = re.compile(r"\s*(?:hang|moi)\s+nam\b")
_PERIOD_DEADLINE = re.compile(
    rf"\b(?P<label>{_LABEL}\s*)?(?P<lead>(?:cham\s+nhat\s+)?(?:ngay\s+)?trong|truoc|cham\s+nhat)?\s*"
    rf"(?:{_MONTH}|{_QUARTER})"
)
# Verbs of tasks that are due by a date.
_COMPLETION = re.compile(
    r"\b(?:hoan\s+thanh|xong|hoan\s+tat|ban\s+hanh|bao\s+cao|gui|nop|trinh|to\s+chuc|dua\s+vao"
    r"|ket\s+thuc|phe\s+duyet|hoan\s+thien|trien\s+khai|thuc\s+hien|cap\s+nhat|tong\s+ket"
    r"|tong\s+hop|cung\s+cap|de\s+xuat|co\s+y\s+kien|gop\s+y|phan\s+hoi|dang\s+ky|ra\s+soat"
    r"|chuyen|xay\s+dung|tham\s+muu|kiem\s+tra|lap|thanh\s+lap|bo\s+sung|dieu\s+chinh)\b"
)
# "Ủy ban nhân dân thành phố Hà Nội chủ trì, phối hợp với …": a sentence opening with its
# lead unit (Phụ lục IV's đơn vị chủ trì). "Thông báo", "thống nhất" are nouns as often as
# verbs ("Thông báo số 12/TB-UBND ngày …"), so only such a sentence makes them tasks.
_LEAD_VERB = re.compile(r"\s*:?\s*,?\s*(?:chu\s+tri|thong\s+bao|thong\s+nhat)\b")
_CLAUSE = re.compile(r"[,;:]\s*")
_PAST = re.compile(r"\b(?:da|vua|vua\s+qua|truoc\s+day)\s")
_RECIPIENT_WORDS = re.compile(
    r"\b(?:quy\s+(?:co\s+quan|don\s+vi|dia\s+phuong|vi)|cac\s+co\s+quan,?\s+(?:don\s+vi|dia\s+phuong)"
    r"|cac\s+don\s+vi|de\s+nghi)\b"
)
# The words that charge a unit with a task ("Giao Sở A …", "Đề nghị Sở A …").
_CHARGE_WORDS = r"(?:giao(?:\s+cho)?|de\s+nghi|yeu\s+cau|phan\s+cong)\s+"
_CHARGE = re.compile(rf"(?:^|[\s,;]){_CHARGE_WORDS}")
_CHARGE_OPENING = re.compile(_CHARGE_WORDS)  # at a clause's start (`_lead_unit`)
# "… chủ trì, phối hợp với Sở Nội vụ, …": the units that support the lead (Phụ lục IV of
# Nghị định 30/2020: đơn vị chủ trì, đơn vị phối hợp); "Sở A chủ trì, Sở B phối hợp" too.
_SUPPORT_AFTER = re.compile(r"\bphoi hop(?:\s+(?:voi|cung))?\s+")
_SUPPORT_BEFORE = re.compile(r"\bchu tri\s*,\s*")
# What ends a list of supporting units besides a verb that ends a unit (TASK_VERB): a
# purpose ("để", "nhằm"), a condition, a clause break, or a verb of the tasks units are
# asked to do together ("phối hợp với các đơn vị thẩm định hồ sơ").
_SUPPORT_END = re.compile(
    r"(?:,\s*|\s)(?:de|nham|theo|trong|tai|ve|khi|neu|tham dinh|danh gia|xu ly|giai quyet|soan thao|lap"
    r"|hoan thien|thong nhat|tuyen truyen|quan ly|doi chieu|thu thap|tiep nhan|van dong|giam sat)\s|[.;:()]")
_SUPPORT_WINDOW = 300  # characters of a sentence searched for the list
_LABEL_ONLY = re.compile(rf"^\W*(?:{_LABEL}|thoi\s+(?:gian|han)(?:\s+hoan\s+thanh)?|hoan\s+thanh)?\W*$")
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
_ITEM_NUMBER = re.compile(r"(?:\d{1,2}(?:\.\d{1,2})*\s*[.)]|[a-zđ]\s*\)|[IVX]{1,5}\.)\s+")


class _Sentences:
    """Where the body's sentences begin, found once and looked up by bisection. A boundary
    is end punctuation, a bullet, or a paragraph break (a run of the document's paragraph
    gap in blank lines; a single newline only wraps a line)."""

    def __init__(self, layout: Layout, lo: int, hi: int) -> None:
        blank_run = r"\n(?:[ \t]*\n){%d,}" % layout.paragraph_gap
        pattern = re.compile(rf"(?:[.;!?]\s+|\n\s*[-+•]\s*|{blank_run}\s*)(?=[^\s.;:!?])")
        text = layout.text
        starts = [lo] + [m.end() for m in pattern.finditer(text, lo, hi) if not self._ellipsis_within(text, m)]
        self.starts = [self._skip_marks(text, s, hi) for s in starts]
        self.folded = layout.folded

    @staticmethod
    def _ellipsis_within(text: str, boundary: re.Match[str]) -> bool:
        """"…, hotline... trước ngày 10/10": an ellipsis followed by a lowercase word (not an
        item letter) leaves a list open, inside its sentence."""
        at = boundary.start()
        return (text[max(0, at - 2):at + 1] == "..." and text[boundary.end()].islower()
                and not _ITEM_NUMBER.match(text, boundary.end()))  # "… v.v...\nb) Sở Nội vụ …": the next item

    @staticmethod
    def _skip_marks(text: str, at: int, hi: int) -> int:
        """Past bullets and item numbers ("- ", "2.1. ", "a) "): a task starts after them."""
        while at < hi and text[at] in "-+•* \t\n":
            at += 1
        number = _ITEM_NUMBER.match(text, at, hi)
        return number.end() if number else at

    def start(self, at: int) -> int:
        """The start of the sentence holding offset `at`."""
        return self.starts[max(0, bisect_right(self.starts, at) - 1)]

    def task(self, match: re.Match[str], at: int, hi: int) -> tuple[int, int]:
        """The task that a deadline expression starting at `at` belongs to, as (start, end):
        - its sentence up to the expression ("… gửi Sở Tài chính trước ngày 15/10/2023");
        - when the sentence is only a label ("Thời gian hoàn thành: 30/11/2023"), the
          sentence before it too;
        - when the expression opens its sentence ("Chậm nhất ngày 15/10, các đơn vị gửi …"),
          the rest of that sentence."""
        index = max(0, bisect_right(self.starts, at) - 1)
        start = self.starts[index]
        before = self.folded[start:at]
        labelled = match.groupdict().get("label") or re.match(r"\W*thoi\s+gian", self.folded[at:match.end()])
        if not before.strip() and not labelled:
            end = max(match.end(), self.starts[index + 1] if index + 1 < len(self.starts) else hi)
            while end > match.end() and self.folded[end - 1] in " \t\n.;":
                end -= 1
            return at, end
        if index > 0 and _LABEL_ONLY.match(before):
            return self.starts[index - 1], match.end()
        return start, match.end()


def _raw_day(match: re.Match[str], span: Spanned) -> RawDate:
    group = match.group
    month = group("m") or group("m2") or group("m3") or group("m4")
    year = group("y") or group("y2") or group("y3")
    return RawDate(day=int(group("d")), month=int(month), year=int(year) if year else None, span=span)


def _spanned(layout: Layout, start: int, end: int) -> Spanned:
    return Spanned(value=re.sub(r"\s+", " ", layout.text[start:end]).strip(), start=start, end=end)


def _clause_before(folded: str, lo: int, at: int) -> str:
    """The clause that leads up to offset `at` (back to the last , ; : . or `lo`)."""
    return folded[max([lo] + [folded.rfind(mark, lo, at) + 1 for mark in ",;:."]) : at]


def _asks_action(before: str) -> bool:
    """True when the words before a date ask for something to be done by then ("gửi báo
    cáo trước ngày …"), not when they describe a state or an event ("được cấp phép trước
    ngày …", "phát sinh trước ngày …")."""
    verbs = list(_COMPLETION.finditer(before[-120:]))
    if not verbs:
        return False
    return not re.search(r"\b(?:duoc|da|bi)\s+$", before[-120:][: verbs[-1].start()])


def _is_due(layout: Layout, match: re.Match[str], sentence_at: int) -> bool:
    """A label or an unambiguous due word ("chậm nhất", "hạn chót") makes any date due; plain
    "trước" (before) and "trong" (within a month) need a task asked in the same sentence, or
    a sentence that names its lead unit."""
    groups = match.groupdict()
    if groups.get("label"):
        return True
    word = groups["due"] if "due" in groups else groups.get("lead")
    if not word:
        return False
    if not re.fullmatch(r"truoc|(?:ngay\s+)?trong", word):
        return True
    return _asks_action(layout.folded[sentence_at : match.start()]) or bool(_lead_unit(layout, sentence_at, match.start()))


def _lead_unit(layout: Layout, start: int, end: int) -> tuple[int, int] | None:
    """(start, end) of the lead unit a clause of the sentence [start, end) opens with: an
    organization, the whole of its subject, followed by "chủ trì", "thông báo" or "thống
    nhất" ("Giao Sở A chủ trì, …", "Sở A: chủ trì …"). "Các đề tài do Sở A chủ trì" names no
    lead unit (the organization is not where its clause starts)."""
    folded = layout.folded
    for at in [start] + [m.end() for m in _CLAUSE.finditer(folded, start, end)]:
        charge = _CHARGE_OPENING.match(folded, at, end)
        at = charge.end() if charge else at
        names = find_organizations(layout.text[at:end])
        if names and names[0].start == 0 and _LEAD_VERB.match(folded, at + names[0].end):
            return at, at + names[0].end
    return None


def _period_date(match: re.Match[str], span: Spanned) -> tuple[RawDate, str]:
    if match.group("mo"):
        return RawDate(month=int(match.group("mo")), year=int(match.group("moy")), span=span), "month"
    quarter = match.group("q")
    quarter_number = _ROMAN.get(quarter) or int(quarter)
    return RawDate(month=quarter_number * 3, year=int(match.group("qy")), span=span), "quarter"


def _charged_unit(layout: Layout, sentence: Spanned) -> tuple[Spanned | None, bool]:
    """The unit a task sentence charges ("Giao Sở Tài chính chủ trì …", "Sở Tài chính chủ
    trì …"), and whether it asks the recipients themselves ("Đề nghị Quý cơ quan …")."""
    folded = folded_value(layout, sentence)
    text = sentence.value
    for charge in _CHARGE.finditer(folded):
        after = charge.end()
        if _RECIPIENT_WORDS.match(folded, after):
            return None, True
        if value := leading_unit(text[after:], folded[after:]):
            return locate(layout, sentence, value), False
    if LEADS.match(folded) is None:
        unit = opening_unit(layout, sentence)
        if unit is not None:
            return unit, False
    return None, False


def _unit_list(text: str, folded: str) -> int:
    """Where a list of units opening `text` ends: at the first verb outside an organization's
    name, a purpose or a clause break (0: `text` opens with no unit)."""
    if not opens_with_unit(text, folded, lowercase=True):
        return 0
    names = [(o.start, o.end) for o in find_organizations(text[:_SUPPORT_WINDOW])]
    ends = [m.start() for m in TASK_VERB.finditer(folded, 0, _SUPPORT_WINDOW)
            if not any(start <= m.start() + 1 < end for start, end in names)]
    ends += [m.start() for m in _SUPPORT_END.finditer(folded, 0, _SUPPORT_WINDOW)
             if not any(start <= m.start() + 1 < end for start, end in names)]
    return min(ends, default=min(len(text), _SUPPORT_WINDOW))


def supporting_units(layout: Layout, sentence: Spanned) -> Spanned | None:
    """The printed list of units that support the lead in a task sentence: "Giao Sở A chủ
    trì, phối hợp với Sở B, UBND các huyện …" -> "Sở B, UBND các huyện"; "Sở A chủ trì, Sở
    B và Sở C phối hợp …" -> "Sở B và Sở C"."""
    folded = folded_value(layout, sentence)
    text = sentence.value
    for match in _SUPPORT_AFTER.finditer(folded):
        end = match.end() + _unit_list(text[match.end():], folded[match.end():])
        value = text[match.end():end].strip(" ,")
        if value:
            return locate(layout, sentence, value)
    for match in _SUPPORT_BEFORE.finditer(folded):
        after = match.end()
        end = after + _unit_list(text[after:], folded[after:])
        if end > after and _SUPPORT_AFTER.match(folded, end + 1):
            return locate(layout, sentence, text[after:end].strip(" ,"))
    return None


def _mentions_recipients(layout: Layout, sentence: Spanned) -> bool:
    return bool(_RECIPIENT_WORDS.search(layout.folded, sentence.start, sentence.end))


def _owner(directives: list[RawDirective], at: int) -> RawDirective | None:
    """The innermost item whose own text holds offset `at`."""
    return next((d for d in reversed(directives) if d.text.start <= at <= d.text.end), None)


def _addressee_of(directives: list[RawDirective], owner: RawDirective | None) -> Spanned | None:
    by_id = {d.id: d for d in directives}
    while owner is not None:
        if owner.addressee is not None:
            return owner.addressee
        owner = by_id.get(owner.parent) if owner.parent else None
    return None


def _matches(layout: Layout, lo: int, hi: int, sentences: _Sentences):
    """(match, kind) for every deadline expression in [lo, hi), in document order."""
    folded = layout.folded
    found = []
    for pattern, kind in ((_DAY_DEADLINE, "day"), (_MONTHLY_DEADLINE, "monthly"), (_PERIOD_DEADLINE, "period")):
        for match in pattern.finditer(folded, lo, hi):
            if any(m.start() < match.end() and match.start() < m.end() for m, _ in found):
                continue
            if _is_due(layout, match, sentences.start(match.start())):
                found.append((match, kind))
    return sorted(found, key=lambda pair: pair[0].start())


def find_deadlines(
    layout: Layout, directives: list[RawDirective], start: int, end: int
) -> list[RawDeadline]:
    """Every due date in the body lines [start, end), with its task, unit and directive."""
    if start >= len(layout.lines) or start >= end:
        return []
    lo, hi = layout.lines[start].start, layout.lines[end - 1].end
    sentences = _Sentences(layout, lo, hi)
    deadlines: list[RawDeadline] = []
    for match, kind in _matches(layout, lo, hi, sentences):
        at = match.start() + len(match.group(0)) - len(match.group(0).lstrip())
        if _PAST.search(_clause_before(layout.folded, lo, at)):
            continue
        expression = _spanned(layout, at, match.end())
        recurs = None
        if kind == "period":
            date, kind_name = _period_date(match, expression)
        elif kind == "monthly":
            date, kind_name, recurs = RawDate(day=int(match.group("rd")), span=expression), "day", "monthly"
        else:
            date, kind_name = _raw_day(match, expression), "day"
            every_year = _EVERY_YEAR.match(layout.folded, match.end())
            if date.year is None and every_year:  # "trước ngày 15/12 hằng năm"
                recurs, expression = "yearly", _spanned(layout, at, every_year.end())
        time = None
        if kind != "period" and match.group("hh"):
            time = f"{int(match.group('hh')):02d}:{match.group('mm') or '00'}"
        task_start, task_end = sentences.task(match, at, hi)
        sentence = _spanned(layout, task_start, task_end)
        unit, to_recipients = _charged_unit(layout, sentence)
        if unit is None and not to_recipients and sentence.value[:1].islower():
            # "…; đồng thời hướng dẫn …, hoàn thành trong Quý I/2024": the clause after a
            # semicolon goes on with the subject of the one before.
            before = sentences.start(sentence.start - 1)
            unit, to_recipients = _charged_unit(layout, _spanned(layout, before, sentence.start))
        if unit is None and not to_recipients and (lead := _lead_unit(layout, sentence.start, at)):
            unit = _spanned(layout, *lead)  # "Căn cứ …, Sở Tài chính chủ trì, … trước ngày …"
        owner = _owner(directives, at)
        if unit is None and not to_recipients:
            unit = _addressee_of(directives, owner)
        if unit is None and not to_recipients:
            to_recipients = _mentions_recipients(layout, sentence)
        deadlines.append(RawDeadline(
            date=date, kind=kind_name, time=time, recurs=recurs, expression=expression, text=sentence,
            responsible=unit, supporting=supporting_units(layout, sentence),
            to_recipients=to_recipients and unit is None,
            directive_id=owner.id if owner else None,
        ))
    return deadlines
