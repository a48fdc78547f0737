"""The body's structure: numbered sections, lettered points and bullets, with the unit each
section is addressed to.

Ids follow the printed numbering: "2", "2.1", "2.1.a", "II.1", "Điều 3". Bullets have no
printed number, so they take their position under their parent: "2.-1" is the first "-"
item of section 2 ("-1" when the body has no numbered sections). An unmarked paragraph
continues the item above it; paragraphs before the first item (the preamble) and after the
closing formula ("… thực hiện./.", "Chỉ thị này được phổ biến …") belong to no item.

A section's addressee is
- its heading, when the heading stands alone ("2. Sở Thông tin và Truyền thông");
- the unit before a colon ("- Sở Tài chính: chủ trì …");
- the unit that opens its sentence ("3. Ban Tuyên giáo Tỉnh ủy tham mưu …", "2. Giao Sở …
  chủ trì …"), for a section with no numbered sub-sections: an opening that introduces
  sub-sections ("1. Các cấp ủy … cần tập trung … sau:") addresses each of them in turn.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from vanthu.knowledge.entities import find_organizations, starts_with_organization_word
from vanthu.knowledge.orthography import fold, is_upper_text

from .lines import Layout, Line
from .models import RawDirective, Spanned
from .vocabulary import starts_with_word

_ROMAN = re.compile(r"^(?P<id>[IVX]{1,5})\s*[.)]\s+(?=\S)")
_ARTICLE = re.compile(r"^(?:Điều|ĐIỀU|Dieu|DIEU)\s+(?P<id>\d{1,3})\s*[.:]\s*(?=\S)")
_NUMBER = re.compile(r"^(?P<id>\d{1,2}(?:\.\d{1,2}){1,3})\.?\s+(?=\S)|^(?P<top>\d{1,2})\s*[.)]\s+(?=\S)")
_LETTER = re.compile(r"^(?P<id>[a-zđ])\s*\)\s+(?=\S)")
_BULLET = re.compile(r"^(?P<mark>[-–•+])\s*(?=\S)")
_CLOSING = re.compile(
    r"(?:chi thi|quyet dinh|cong van|ke hoach|thong bao|nghi quyet|huong dan|van ban) nay\b"
    r"|trong qua trinh (?:thuc hien|trien khai)|tren day la\b"
)
# Words that open an addressee that is not one named organization: a class of units or
# the holder of a position ("Các sở, ngành", "Thủ trưởng các cơ quan").
_GROUP_HEADS = ("cac", "thu truong", "chu tich", "giam doc", "lanh dao", "nguoi dung dau", "quy",
                "toan the", "ban giam doc", "truong cac", "co quan", "don vi")
_HEADING_LEAD = re.compile(r"^(?:doi voi|giao(?: cho)?)\s+")
# Verbs that end the unit opening a directive sentence (folded); "các tổ chức" is a noun.
TASK_VERB = re.compile(
    r"\s(?:chu tri|phoi hop|tham muu|trien khai|(?<!cac\s)to chuc|chi dao|thuc hien|pho bien|quan triet|"
    r"day manh|tang cuong|co trach nhiem|can cu|theo doi|huong dan|khan truong|nghien cuu|"
    r"bao cao|ra soat|xay dung|tiep tuc|kiem tra|dam bao|bo tri|tap trung|uu tien|lanh dao|"
    r"chiu trach nhiem|tong hop|gui|cung cap|de xuat|hoan thanh|tham gia|cap nhat|ban hanh|"
    r"can|phai|chu dong|quan tam|nghiem tuc|trinh)\b"
)
LEADS = re.compile(r"^(?:giao(?: cho)?|kinh de nghi|de nghi|yeu cau|dong thoi,?)\s+")


@dataclass
class _Item:
    id: str
    parent: str | None
    kind: str  # "roman" | "number" | "article" | "letter" | "-" | "+"
    line: Line
    rest_at: int
    lines: list[Line] = field(default_factory=list)
    children: int = 0
    numbered_children: int = 0


def _marker(line: Line) -> tuple[str, str, int] | None:
    """(kind, printed id, offset of the text after the marker) of a marked line."""
    if m := _ROMAN.match(line.text):
        return "roman", m.group("id"), m.end()
    if m := _ARTICLE.match(line.text):
        return "article", f"Điều {m.group('id')}", m.end()
    if m := _NUMBER.match(line.text):
        return "number", m.group("id") or m.group("top"), m.end()
    if m := _LETTER.match(line.text):
        return "letter", m.group("id"), m.end()
    if m := _BULLET.match(line.text):
        return ("+" if m.group("mark") == "+" else "-"), "", m.end()
    return None


class _Outline:
    """The items read so far, and where the next one hangs."""

    def __init__(self) -> None:
        self.items: list[_Item] = []
        self.by_id: dict[str, _Item] = {}
        self.roman: _Item | None = None
        self.part_start = 0  # items before this belong to an earlier part of the document

    def _last(self, kinds: tuple[str, ...]) -> _Item | None:
        return next((i for i in reversed(self.items[self.part_start:]) if i.kind in kinds), None)

    def new_part(self) -> None:
        """An unnumbered heading in capitals ("PHỤ LỤC", "QUY CHẾ …") starts a new part:
        what follows hangs under no earlier article or section."""
        self.part_start, self.roman = len(self.items), None

    def place(self, kind: str, printed: str) -> tuple[str, str | None] | None:
        """The id and parent id for a new item, or None when it hangs nowhere (preamble)."""
        if kind == "roman":
            return printed, None
        if kind == "article":
            part = f"{self.roman.id}." if self.roman else ""
            return self._unique(part + printed), self.roman.id if self.roman else None
        if kind == "number":
            # Clauses of an article ("Điều 2" / "1. …") hang under it ("Điều 2.1"), sections
            # of a part under the part ("II.1").
            top = self._last(("article", "roman"))
            base = f"{top.id}." if top else ""
            if "." in printed:
                parent = self.by_id.get(base + printed.rsplit(".", 1)[0])
                return self._unique(base + printed), parent.id if parent else None
            return self._unique(base + printed), top.id if top else None
        if kind == "letter":
            parent = self._last(("number", "article", "roman"))
            return (f"{parent.id}.{printed}", parent.id) if parent else None
        parent = self._last(("-",)) if kind == "+" else None
        parent = parent or self._last(("number", "article", "letter", "roman"))
        if parent is None and any(i.kind != "-" for i in self.items):
            return None
        siblings = (parent.children if parent else sum(1 for i in self.items if i.parent is None)) + 1
        return (f"{parent.id}.-{siblings}" if parent else f"-{siblings}"), parent.id if parent else None

    def _unique(self, wanted: str) -> str:
        """The id, or "1#2" when numbering restarts and "1" is taken (quoted articles,
        annexes): ids stay unique so that every item keeps its place in the tree."""
        if wanted not in self.by_id:
            return wanted
        count = 2
        while f"{wanted}#{count}" in self.by_id:
            count += 1
        return f"{wanted}#{count}"

    def add(self, item: _Item) -> None:
        if item.kind == "roman":
            self.roman = item
        if item.parent and (parent := self.by_id.get(item.parent)):
            parent.children += 1
            parent.numbered_children += item.kind in ("number", "article", "letter")
        self.items.append(item)
        self.by_id[item.id] = item


def _paragraph(layout: Layout, item: _Item) -> Spanned:
    """The item's first paragraph, from after its marker."""
    first = item.line
    end = first.end
    for line in item.lines[1:]:
        if layout.breaks_before(line):
            break
        end = line.end
    text = layout.text[first.start + item.rest_at : end]
    return Spanned(value=re.sub(r"\s+", " ", text).strip(), start=first.start + item.rest_at, end=end)


def _stands_alone(layout: Layout, item: _Item, paragraph: Spanned) -> bool:
    value = paragraph.value
    # A sentence that introduces sub-items ("… các nhiệm vụ sau:") is not a heading.
    if value.endswith((".", ";")) or len(value.split()) > 40 or re.search(r"\bsau\s*:$", value):
        return False
    following = [line for line in item.lines if line.start >= paragraph.end]
    return item.children > 0 or bool(following) or value.endswith(":")


_WINDOW = 240  # characters of a sentence searched for its opening unit and verb


def opens_with_unit(text: str, folded: str, lowercase: bool = False) -> bool:
    """True when `text` begins with an organization, a class of units or a position
    (capitalised, unless `lowercase`: after "Đối với" a class of units is in lowercase)."""
    if not (lowercase or text[:1].isupper()):
        return False
    if starts_with_word(folded, _GROUP_HEADS):
        return True
    if not starts_with_organization_word(text):
        return False
    organizations = find_organizations(text[:_WINDOW])
    return bool(organizations and organizations[0].start == 0)


def folded_value(layout: Layout, paragraph: Spanned) -> str:
    """The folded text of a span, whitespace-normalized like its `value` (same length)."""
    return re.sub(r"\s+", " ", layout.folded[paragraph.start : paragraph.end]).strip()


def leading_unit(text: str, folded: str) -> str | None:
    """The unit that opens `text`, up to the verb after it: "Sở Xây dựng chủ trì …" ->
    "Sở Xây dựng" (a verb inside an organization's name, "xây dựng", does not end it)."""
    if not opens_with_unit(text, folded):
        return None
    names = [(o.start, o.end) for o in find_organizations(text[:_WINDOW])]
    for verb in TASK_VERB.finditer(folded, 0, _WINDOW):
        if any(start <= verb.start() + 1 < end for start, end in names):
            continue
        value = _without_adjunct(text[: verb.start()].strip().rstrip(",;:").strip(), names)
        return value if _is_unit_phrase(value, names) else None
    return None


# Words that open an adverbial phrase after the unit, before its verb ("Bộ Tài chính trên
# cơ sở tổng hợp … đề xuất"): the phrase is not part of the unit's name.
_ADJUNCT = re.compile(r"^\W*(?:tren co so|can cu|theo|sau khi|truoc khi|khi)\b")


def _without_adjunct(value: str, names: list[tuple[int, int]]) -> str:
    """`value` without an adverbial phrase after its last organization."""
    ends = [end for _start, end in names if end <= len(value)]
    if ends and _ADJUNCT.match(fold(value[max(ends):])):
        return value[:max(ends)].rstrip(" ,")
    return value


def _is_unit_phrase(value: str, names: list[tuple[int, int]]) -> bool:
    """A plausible subject: no parenthesis or sentence break, and little beyond its last
    organization ("Sở Tài chính và các đơn vị liên quan"), or short when it names none."""
    if not value or "(" in value or re.search(r"[.!?]\s", value):
        return False
    inside = [end for _start, end in names if end <= len(value)]
    tail = value[max(inside):] if inside else value
    return len(re.findall(r"\w+", tail)) <= (12 if inside else 16)


def opening_unit(layout: Layout, paragraph: Spanned) -> Spanned | None:
    """The unit that opens a directive sentence ("Giao Sở Tài chính chủ trì …"), up to its verb."""
    folded = folded_value(layout, paragraph)
    lead = LEADS.match(folded)
    offset = lead.end() if lead else 0
    value = leading_unit(paragraph.value[offset:], folded[offset:])
    return locate(layout, paragraph, value) if value else None


def locate(layout: Layout, paragraph: Spanned, value: str) -> Spanned:
    """The span of `value`, a whitespace-normalized piece of `paragraph`, in the document."""
    pattern = r"\s+".join(re.escape(word) for word in value.split())
    match = re.compile(pattern).search(layout.text, paragraph.start, paragraph.end)
    if match is None:
        return Spanned(value=value, start=paragraph.start, end=paragraph.end)
    return Spanned(value=value, start=match.start(), end=match.end())


def _addressee(layout: Layout, item: _Item) -> Spanned | None:
    paragraph = _paragraph(layout, item)
    if not paragraph.value:
        return None
    folded = folded_value(layout, paragraph)
    lead = _HEADING_LEAD.match(folded)
    at = lead.end() if lead else 0
    heading = paragraph.value[at:]
    # An all-capitals heading ("II. CÁC GIẢI PHÁP …") names a part, not an addressee.
    if opens_with_unit(heading, folded[at:], lowercase=bool(lead)) and not is_upper_text(heading):
        if _stands_alone(layout, item, paragraph):
            unit = locate(layout, paragraph, heading.rstrip(":").strip())
            # "Đối với các sở, ngành:" names "Các sở, ngành".
            return unit.model_copy(update={"value": unit.value[:1].upper() + unit.value[1:]})
        colon = heading.find(":")
        if 0 < colon and len(heading[:colon].split()) <= 12 and not TASK_VERB.search(folded[at:at + colon]):
            return locate(layout, paragraph, heading[:colon].strip())
    if item.numbered_children:
        return None
    return opening_unit(layout, paragraph)


def _is_closing(layout: Layout, line: Line, outline: _Outline) -> bool:
    return bool(outline.items) and (
        line.text.rstrip().endswith("/.") or bool(_CLOSING.match(line.folded))
    ) and layout.breaks_before(line)


def find_directives(layout: Layout, start: int, end: int) -> list[RawDirective]:
    """Every numbered section, point and bullet of the body lines [start, end)."""
    outline = _Outline()
    current: _Item | None = None
    for line in layout.lines[start:end]:
        marker = _marker(line)
        if marker is None:
            if current is not None and _is_closing(layout, line, outline):
                break
            if outline.items and line.is_upper and layout.breaks_before(line) and len(line.text.split()) <= 12:
                outline.new_part()
                current = None
                continue
            if current is not None:
                current.lines.append(line)
            continue
        kind, printed, rest_at = marker
        placed = outline.place(kind, printed)
        if placed is None:
            current = None  # a preamble bullet: its lines belong to no item
            continue
        current = _Item(id=placed[0], parent=placed[1], kind=kind, line=line, rest_at=rest_at, lines=[line])
        outline.add(current)
    return [_directive(layout, item) for item in outline.items]


def _directive(layout: Layout, item: _Item) -> RawDirective:
    start = item.line.start + item.rest_at
    end = item.lines[-1].end
    text = Spanned(value=re.sub(r"\s+", " ", layout.text[start:end]).strip(), start=start, end=end)
    addressee = _addressee(layout, item)
    return RawDirective(id=item.id, parent=item.parent, addressee=addressee, text=text)
