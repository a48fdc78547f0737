"""The closing of a document: the "Nơi nhận:" list (cc), the signer's title block
("KT. CHỦ TỊCH / PHÓ CHỦ TỊCH") and the signer's name.

In print these sit side by side, so text layers interleave them: the title may share the
"Nơi nhận:" line ("Nơi nhận: T/M BAN THƯỜNG VỤ"). The cc list ends with the "Lưu: …" item;
the typist's initials glued to it are printed and kept ("Lưu: VT, KGVX.ngoc251", as the
real-documents gold spells cc items: as printed).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from rapidfuzz.distance import Levenshtein

from vanthu.knowledge.fuzzy import allowed, best_match, key
from vanthu.knowledge.gazetteer import SIGNING_BODIES, SIGNING_POSITIONS
from vanthu.knowledge.doctypes import title_doc_type
from vanthu.knowledge.orthography import fold, is_capitalized, is_syllable_shaped, is_upper_text

from .cc_items import tidy_cc_item
from .lines import Layout, Line
from .models import Spanned
from .recipients import BULLET, cut_stray_bracket
from .regions import END_OF_BODY, noi_nhan_line
from .vocabulary import names_signer_title, starts_with_organ

_LABEL = re.compile(r"^\W*noi\W{0,2}\s*nhan\s*[:.]?\s*")
_LUU = re.compile(r"^\W*luu\b")
_NOISE = re.compile(r"^\W*\(?\s*(da ky|ky|ky ten|ky, ghi ro ho ten|dong dau)[^)]*\)?\W*$")
_NAME_WORD = re.compile(r"^[^\W\d_][^\W\d_]*$")
# Academic titles and degrees a university (against Nghị định 30/2020, Phụ lục I, which
# leaves them out) prints before the signer's name: "PGS.TS. Lê Thị Hồng Ánh", "ThS. …".
# The abbreviations of Luật Giáo dục đại học's học hàm (GS, PGS) and học vị (TSKH, TS, ThS),
# and of the professions' titles (BS, DS, KS, LS).
_DEGREE = re.compile(r"^\W*(?:(?:P?GS|TSKH|TS|ThS|THS|Ths|BS|DS|KS|LS)\.\s*)+")


@dataclass
class Closing:
    cc: list[Spanned] = field(default_factory=list)
    signer: Spanned | None = None
    signer_title: Spanned | None = None
    authority: list[tuple[str | None, str]] = field(default_factory=list)
    damaged_name: Spanned | None = None  # a name read with letters lost (under a seal)
    end: int = 0  # index of the first line after the closing
    warnings: list[str] = field(default_factory=list)


def _clean_item(line: Line, start: int, end: int | None = None) -> Spanned:
    span = line.span(start, end)
    value = BULLET.sub("", span.value).strip()
    return Spanned(value=value, start=span.start, end=span.end)


def _title_suffix(line: Line, begin: int = 0) -> int | None:
    """Column where an uppercase signer title glued to the cc item printed from column
    `begin` of a line begins, if any ("- Như trên; PHÓ CỤC TRƯỞNG": the title column of a
    two-column closing)."""
    words = [w for w in re.finditer(r"\S+", line.text) if w.start() >= begin]
    start = None
    for word in reversed(words[1:]):
        letters = [c for c in word.group(0) if c.isalpha()]
        if not letters or not all(c.isupper() for c in letters):
            break
        start = word.start()
    if start is None or len(line.text[start:].split()) < 2:
        return None
    # An authority mark opens the title: capitals before it are the item's ("- Lưu: VT, SNV.
    # TM. ỦY BAN NHÂN DÂN"), an office's abbreviations, which may look like a mark
    # themselves ("- Lưu: VT, KT."): a mark opens it only when a word that is no mark follows.
    marks = [m for m in _MARK_WORD.finditer(line.folded, start)
             if line.folded[m.end():].strip() and not _MARK_WORD.match(line.folded[m.end():].lstrip() + " ")]
    if marks and marks[0].start() > start:
        start = marks[0].start()
    elif not marks and _MARK_WORD.search(line.folded, start):
        return None  # office codes ("VT, KT."), not a title
    if start == words[1].start():
        # The capitals take the whole item: an item may be printed in capitals ("- BAN
        # THƯỜNG VỤ TỈNH ỦY;"), so a title starts only past the item's end, its ";" or
        # the gap between the two columns.
        ends = list(_ITEM_END.finditer(line.text, start))
        if not ends or len(line.text[ends[-1].end():].split()) < 2:
            return None
        start = ends[-1].end()
    return start if _is_title_line(line.text[start:], line.folded[start:]) else None


# Where a cc item ends inside a line: its ";", or the gap between a two-column closing's
# columns (pdftotext -layout pads between them; the words of one column are one space apart).
_ITEM_END = re.compile(r";\s+|\s{2,}")
# A bullet after an item's ";" inside a line: the next item of a list a text flattened
# onto one line ("- Như trên; - Lưu: VT."). An item's own hyphen ("Lao động - Thương
# binh") follows no ";".
_INLINE_BULLET = re.compile(r"(?<=;)\s+(?=[-+]\s)")
# An authority mark standing as a word of a line (folded): "tm.", "kt.", "t/m", "tuq.".
_MARK_WORD = re.compile(r"(?<![\w/])(?:t\s*/\s*m|tm|kt|tl|tuq|q)\s*[.:](?=\s|$)")


def _is_title_shaped(text: str) -> bool:
    """Short, in capitals, and not a document title ("QUYẾT ĐỊNH"): a line that can belong
    to a signature block."""
    return len(text.split()) <= 10 and is_upper_text(text) and not title_doc_type(text)


def _is_title_line(text: str, folded: str) -> bool:
    """A line that starts or makes a signature block: title-shaped and naming a position
    or authority ("KT. CHỦ TỊCH", "GIÁM ĐỐC"), by a title word as printed, or as a known
    position or body read through OCR slips ("GIÁM ĐÔC", "CHU TỊCH")."""
    if not _is_title_shaped(text):
        return False
    return names_signer_title(text) or best_match(text[_past_mark(folded):], _TITLES) is not None


def _glued_title(line: Line, start: int) -> list[TitleLine]:
    """The title lines a closing's title column glued to a cc line from column `start`."""
    read = read_title_line(line, start)
    return _unflattened(line, read, start) if read is not None else [TitleLine(None, line.span(start).value,
                                                                               line.span(start))]


@dataclass
class _CcList:
    """What the "Nơi nhận" list's lines hold: its items, the title lines of the signature
    block printed beside them, and the signer's name where a flattened text glued the whole
    block after the last item."""

    items: list[Spanned] = field(default_factory=list)
    titles: list[TitleLine] = field(default_factory=list)
    name: Spanned | None = None
    end: int = 0  # index of the first line after the list


def _read_items(line: Line, start: int, cc: _CcList) -> None:
    """Adds to `cc` the items of a list line from column `start` (several, where a text
    flattened the list onto one line) and what is glued after them: the title column of a
    two-column closing, or a whole flattened signature block after the "Lưu" item."""
    cuts = [start] + [m.end() for m in _INLINE_BULLET.finditer(line.text, start)] + [len(line.text)]
    for begin, end in zip(cuts, cuts[1:]):
        piece = _up_to(line, end)
        suffix = _title_suffix(piece, begin)
        block = _glued_block(piece, begin) if suffix is None else None
        if block is not None:
            suffix, titles, cc.name = block
            cc.titles += titles
        elif suffix is not None:
            cc.titles += _glued_title(piece, suffix)
        cc.items.append(_clean_item(piece, begin, suffix))


def _glued_block(line: Line, begin: int) -> tuple[int, list[TitleLine], Spanned] | None:
    """Where a whole signature block that a flattened text glued after the "Lưu" item from
    column `begin` starts ("- Lưu: VT. KT. TRƯỞNG BAN PHÓ TRƯỞNG BAN Trần Văn Tống"), with
    its title lines and the name: past the item's full stop (`_end_luu`), a title chain and
    a name to the line's end."""
    if not _LUU.match(line.folded[begin:]):
        return None
    stop = re.search(r"\.\s+(?=\S)", line.text[begin:])
    if stop is None:
        return None
    at = begin + stop.end()
    both = _title_and_name(_rest_of(line, at))
    return (at, *both) if both is not None else None


def _cc_list(layout: Layout, label: Line) -> _CcList:
    """cc items and title pieces starting at the "Nơi nhận" line."""
    cc = _CcList()
    items, titles = cc.items, cc.titles
    head = _LABEL.match(label.folded)
    # Without its label (`_unlabelled_list`) the list starts at its first item.
    rest_at = head.end() if head else 0 if BULLET.match(label.text) else len(label.text)
    rest = label.text[rest_at:]
    if rest.strip():
        if BULLET.match(rest):
            _read_items(label, rest_at, cc)
        elif _is_title_line(rest, label.folded[rest_at:]):
            titles += _glued_title(label, rest_at)
    index = label.index + 1
    for line in layout.lines[label.index + 1 :]:
        if items and _LUU.match(fold(items[-1].value)):
            break
        if BULLET.match(line.text) or (not items and _LUU.match(line.folded)):
            _read_items(line, 0, cc)
        elif items and not line.is_upper and (
            line.text[:1].islower()
            or (not layout.breaks_before(line)
                and (not items[-1].value.endswith((";", "."))
                     or (_item_follows(layout, line) and not _is_name(line, None))))
        ):
            last = items[-1]
            items[-1] = Spanned(value=f"{last.value} {line.text}", start=last.start, end=line.end)
        else:
            break
        index = line.index + 1
    if items and _LUU.match(fold(items[-1].value)):
        items[-1] = _end_luu(items[-1])
    items = [cut_stray_bracket(i) for i in items]
    cleaned = [Spanned(value=_trim_item(tidy_cc_item(i.value)), start=i.start, end=i.end) for i in items]
    cc.items = [i for i in cleaned if i.value]
    cc.end = index
    return cc


MAX_WRAPPED_LINES = 3  # lines an item of a cc list may wrap onto, after its first


def _item_follows(layout: Layout, line: Line) -> bool:
    """Whether another bulleted item comes within a few lines of `line`, with no blank line
    between: `line` is then part of the list, an item wrapped after a ";" ("- VP UBND: CVP,
    các PCVP," / "Các phòng: KT, TH;" / "Trung tâm Tin học;" / "- Lưu: VT")."""
    for below in layout.lines[line.index + 1 : line.index + 1 + MAX_WRAPPED_LINES]:
        if layout.breaks_before(below) or below.is_upper and not BULLET.match(below.text):
            return False
        if BULLET.match(below.text):
            return True
    return False


_TRAILING_JUNK = re.compile(r"(?:\s+[^\w(]{1,3}|[\s;,.:'`\"+*|]+)$")


def _trim_item(value: str) -> str:
    """An item without its final ";" or "." and without marks OCR glued after it ("; ' `")."""
    value = re.sub(r"\s+", " ", value).strip()
    while (trimmed := _TRAILING_JUNK.sub("", value)) != value:
        value = trimmed
    return value


def _end_luu(item: Spanned) -> Spanned:
    """The "Lưu: …" item ends at its full stop: what follows after a space is a mark or a
    page number read beside it ("KTTH (2). 1O"); initials glued to it are printed ("KGVX.th54")."""
    end = re.search(r"\.\s+\S", item.value)
    if not end:
        return item
    dropped = len(item.value) - end.start()
    return Spanned(value=item.value[:end.start()], start=item.start, end=item.end - dropped)


def _is_name(line: Line, previous: Line | None) -> bool:
    """A personal name: 2-6 capitalised words. An all-caps name ("NGUYỄN VĂN A") counts only
    right under a title line, where nothing else in capitals stands."""
    words = line.text.split()
    if not 2 <= len(words) <= 6 or not all(_NAME_WORD.match(w) for w in words) or words[0][0].islower():
        return False
    if all(w[0].isupper() and w[1:].islower() for w in words if len(w) > 1):
        return True
    return (
        line.is_upper
        and previous is not None
        and _is_title_line(previous.text, previous.folded)
        and not (names_signer_title(line.text) or starts_with_organ(line.text))
        and not (title_doc_type(line.text) or _ANNEX.match(line.folded))  # an attachment's title after the block
    )


_ANNEX = re.compile(r"^phu\s+luc\b")


def _column(layout: Layout, line: Line) -> int:
    """The column where `line` starts in its printed row (its indent)."""
    return line.start - (layout.text.rfind("\n", 0, line.start) + 1)


def _cell_above(layout: Layout, line: Line) -> Line | None:
    """The nearest text above `line` in the columns it takes, as a line of its own: in a
    two-column closing as pdftotext -layout keeps it, a name under the title column has
    above it the title's last line, printed beside a cc item ("- Như trên;      PHÓ GIÁM
    ĐỐC"), not the cc line right before it ("- Lưu: VT."). Cells of a row are the runs
    between gaps of two spaces or more; what a signature leaves ("(Đã ký)") is passed over."""
    left = _column(layout, line)
    right = left + len(line.text)
    for above in reversed(layout.lines[max(0, line.index - MAX_SIGNATURE_LINES):line.index]):
        indent = _column(layout, above)
        for cell in re.finditer(r"\S+(?: \S+)*", above.text):
            if indent + cell.start() < right and indent + cell.end() > left \
                    and not _NOISE.match(above.folded[cell.start():cell.end()]):
                return _up_to(_rest_of(above, cell.start()), cell.end() - cell.start())
    return None


def _rest_of(line: Line, start: int) -> Line:
    """The line from column `start` on, as a line of its own."""
    return replace(line, text=line.text[start:], start=line.start + start, folded=line.folded[start:])


def _up_to(line: Line, end: int) -> Line:
    """The line before column `end`, as a line of its own (its columns and offsets kept)."""
    return replace(line, text=line.text[:end], folded=line.folded[:end])


def _damaged_name(line: Line) -> bool:
    """A name whose first letters were lost under a seal: "ân Hồng Hà", "ô Đức Phớc"."""
    words = line.text.split()
    return (2 <= len(words) <= 6 and all(_NAME_WORD.match(w) for w in words)
            and words[0][0].islower() and all(w[0].isupper() for w in words[1:]))


def completed_name(damaged: Spanned, text: str) -> str | None:
    """The full name a seal-damaged one stands for ("ô Đức Phớc"), when the document prints
    exactly one name elsewhere that ends the same way ("PTTg Hồ Đức Phớc" in its cc list):
    the first word's lost letters are taken from there, never guessed."""
    first, *rest = damaged.value.split()
    tail = r"\s+".join(re.escape(word) for word in rest)
    found = {m.group(0).split()[0] for m in re.finditer(rf"(?<!\w)[^\W\d_]+\s+{tail}(?!\w)", text)
             if m.start() != damaged.start}
    names = {word for word in found if word[:1].isupper() and fold(word).endswith(fold(first)) and len(word) > len(first)}
    return f"{names.pop()} {' '.join(rest)}" if len(names) == 1 else None


# "KT. CHỦ TỊCH", "T/M BAN THƯỜNG VỤ", "TUQ. BỘ TRƯỞNG": the mark of a delegated authority.
_MARK = re.compile(r"^\W*(?P<mark>t\s*/?\s*m|k\s*/?\s*t|t\s*/?\s*l|tuq|q)\s*[.:,]\s*(?P<rest>.*)$")
_MARKS = {"tm": "TM.", "kt": "KT.", "tl": "TL.", "tuq": "TUQ.", "q": "Q."}
_TITLES = SIGNING_POSITIONS + SIGNING_BODIES  # what a title line names: a position or a body


def _past_mark(folded: str) -> int:
    """Where a title's position or body starts in a line: after its authority mark, if any."""
    mark = _MARK.match(folded)
    return mark.start("rest") if mark else 0
MAX_SIGNATURE_LINES = 12  # lines of a signature block after the cc list, at most


@dataclass(frozen=True)
class TitleLine:
    """One line of a signer's title block, read through OCR slips."""

    mark: str | None  # "TM.", "KT.", "TL.", "TUQ.", "Q."
    title: str  # canonical position or body when known, else as printed
    span: Spanned
    printed_mark: str | None = None  # the mark as printed ("T/M", "KT.")

    @property
    def text(self) -> str:
        mark = self.printed_mark or self.mark
        return f"{mark} {self.title}" if mark else self.title


def read_title_line(line: Line, start: int = 0) -> TitleLine | None:
    """The authority mark and the position or body a signature-block line names, or None
    for a line that is no title (a seal's letters, a stamp's fragment)."""
    text, folded = line.text[start:], line.folded[start:]
    if not is_upper_text(text) or title_doc_type(text) or len(text.split()) > 12:
        return None
    mark = _MARK.match(folded)
    rest = text[_past_mark(folded):]
    known = best_match(rest, _TITLES)
    if known is None and not mark and not names_signer_title(rest):
        return None
    tag = _MARKS[re.sub(r"[\s/]", "", mark.group("mark"))] if mark else None
    printed = text[:mark.start("rest")].strip().upper() if mark else None
    return TitleLine(tag, known or re.sub(r"\s+", " ", rest).strip(" .,:;"), line.span(start), printed)


@dataclass
class _Signature:
    titles: list[TitleLine] = field(default_factory=list)
    name: Spanned | None = None
    damaged_name: Spanned | None = None
    end: int = 0  # index of the line after the block


def _under_title(line: Line, above: TitleLine) -> TitleLine | None:
    """A line right under a title line that a seal left unreadable as a title but whose
    end reads as the end of the position the form puts there ("J9 ẺPHỐ@(ỦNHIỆM" under "KT.
    BỘ TRƯỞNG, CHỦ NHIỆM"; "RNU TƯỜNG" under "THỦ TƯỚNG"): kept, as printed, for
    `_with_deputies` to judge. A line every word of which is spelled as a syllable is words
    (a name in capitals, "NGUYỄN VĂN ĐỐC" under "GIÁM ĐỐC"), not a title the seal damaged."""
    words = line.text.split()
    if above.mark not in ("KT.", None) or above.title not in SIGNING_POSITIONS or _is_deputy(above.title) \
            or len(words) > 6 or not is_upper_text(line.text, 0.6) or _worded(line.text):
        return None
    return TitleLine(None, line.text.strip(), line.span()) if _ends_as(line.text, deputy(above.title)) else None


def _signature_block(layout: Layout, start: int, stop: int) -> _Signature:
    """The title lines and the name in lines[start:stop], skipping what a seal or a
    signature leaves between them."""
    lines = layout.lines
    block = _Signature(end=start)
    for line in lines[start:stop]:
        if _NOISE.match(line.folded):
            continue
        title = read_title_line(line)
        if title is None and block.titles and block.name is None and block.end == line.index:
            title = _under_title(line, block.titles[-1])
        if title is not None and block.name is None:
            block.titles += _unflattened(line, title)
            block.end = line.index + 1
            continue
        if block.name is None and (both := _title_and_name(line)) is not None:
            block.titles += both[0]
            block.name = both[1]
            block.end = line.index + 1
            break
        if block.name is None:
            degree = _DEGREE.match(line.text)
            if degree and _is_name(_rest_of(line, degree.end()), None):
                block.name = line.span(degree.end())
                block.end = line.index + 1
                break
            if _is_name(line, lines[line.index - 1] if line.index else None) \
                    or line.is_upper and _is_name(line, _cell_above(layout, line)):
                block.name = line.span()
                block.end = line.index + 1
                break
            if block.titles and _damaged_name(line):
                block.damaged_name = line.span()
                block.end = line.index + 1
                break
    return block


def _unflattened(line: Line, title: TitleLine, start: int = 0) -> list[TitleLine]:
    """A title line (from column `start`) that holds a whole chain, as a flattened text
    prints it ("TM. ỦY BAN NHÂN DÂN KT. CHỦ TỊCH PHÓ CHỦ TỊCH"), as the lines of that chain:
    cut before each authority mark, then a known body or position followed by a known
    position cut between them. A line that is one title comes back as it was."""
    cuts = [m.start() for m in _MARK_WORD.finditer(line.folded, start) if m.start() > start] + [len(line.text)]
    if len(cuts) == 1 and title.title in _TITLES:
        return [title]
    chain: list[TitleLine] = []
    begin = start
    for end in cuts:
        piece = _up_to(line, end)
        read = read_title_line(piece, begin)
        if read is None:
            return [title]
        chain += _two_titles(piece, begin, read) or [read]
        begin = end
    return chain


def _two_titles(line: Line, start: int, read: TitleLine) -> list[TitleLine] | None:
    """`read` (the title from `start` to the line's end) as a body or position and the
    position under it ("ỦY BAN NHÂN DÂN CHỦ TỊCH", "CHỦ TỊCH PHÓ CHỦ TỊCH"), or None."""
    if read.title in _TITLES:
        return None
    offset = start + _past_mark(line.folded[start:])
    words = list(re.finditer(r"\S+", line.text[offset:]))
    for k in range(1, len(words)):
        upper, lower = line.text[offset:offset + words[k - 1].end()], line.text[offset + words[k].start():]
        head, below = best_match(upper, _TITLES), best_match(lower, SIGNING_POSITIONS)
        if head is not None and below is not None:
            return [TitleLine(read.mark, head, line.span(start, offset + words[k - 1].end()), read.printed_mark),
                    TitleLine(None, below, line.span(offset + words[k].start()))]
    return None


def _title_and_name(line: Line) -> tuple[list[TitleLine], Spanned] | None:
    """A whole signature block on one line, as a flattened text prints it ("TM. ỦY BAN NHÂN
    DÂN CHỦ TỊCH Nguyễn Văn Quảng"): a title in capitals, then a name of 2-6 Capitalized
    words to the line's end."""
    words = list(re.finditer(r"\S+", line.text))
    cut = len(words)
    while cut > 0 and _NAME_WORD.match(words[cut - 1].group()) and is_capitalized(words[cut - 1].group()) \
            and not words[cut - 1].group().isupper():
        cut -= 1
    if not 2 <= len(words) - cut <= 6 or cut == 0:
        return None
    head = _up_to(line, words[cut - 1].end())
    title = read_title_line(head)  # not `_is_title_line`: a flattened chain is longer than a line
    return (_unflattened(head, title), line.span(words[cut].start())) if title is not None else None


def _unlabelled_list(layout: Layout, after: int) -> Line | None:
    """The first item of a cc list whose "Nơi nhận:" label OCR lost: the list is found by its
    shape, bullet lines ending with "- Lưu: …". Going up from "Lưu", an item may wrap onto
    lines without a bullet, in capitals or not ("- VP UBTP: CVP, các PCVP," / "Các phòng: …");
    a line in capitals only (the signature block beside the list) or the body's end stops it."""
    lines = layout.lines
    luu = next((line for line in lines[after:] if _LUU.match(re.sub(r"^[\W_]+", "", line.folded))
                and BULLET.match(line.text)), None)
    if luu is None:
        return None
    first = luu
    for line in reversed(lines[after:luu.index]):
        if END_OF_BODY.search(line.text) or (line.is_upper and not BULLET.match(line.text)):
            break
        if BULLET.match(line.text):
            first = line
    return first


def deputy(head: str) -> str:
    """Who signs "KT." (ký thay) for a head: the deputy of that position (Nghị định
    30/2020, Phụ lục I, mục II.7): a Bộ trưởng's is a Thứ trưởng, anyone else's the Phó."""
    if head == "BỘ TRƯỞNG":
        return "THỨ TRƯỞNG"
    return "PHÓ " + head.split(", ")[-1]


def _is_deputy(title: str) -> bool:
    """Whether a position is a deputy's: nothing of the form stands under it but the name."""
    return title.startswith("PHÓ ") or title == deputy("BỘ TRƯỞNG")


def _slipped(seen: str, word: str) -> bool:
    """Whether a word as read is `word`, through OCR slips or glued to what a seal left
    before it ("ẺPHỐ" for PHÓ, "(ỦNHIỆM" for NHIỆM)."""
    longer, shorter = max(len(seen), len(word)), min(len(seen), len(word))
    return seen.endswith(word) or Levenshtein.distance(seen, word) <= allowed(longer, shorter)


def _ends_as(printed: str, wanted: str) -> bool:
    """Whether a reading is `wanted` with its start taken by a seal's ring: its last word is
    the position's last word, and between its first and its last stand only words of the
    position or what the ring left of them ("29⁄2 RØGì\\U NHIỆM" for PHÓ CHỦ NHIỆM). A name
    in capitals ending alike ("NGUY#N THÀNH TRUNG" under CỤC TRƯỞNG) has words of its own
    between: syllables of two letters or more that no word of the position is."""
    seen, want = key(printed).split(), key(wanted).split()
    if not seen or not want or not _slipped(seen[-1], want[-1]):
        return False
    return not any(len(word) > 1 and is_syllable_shaped(word) and not any(_slipped(word, part) for part in want)
                   for word in seen[1:-1])


def _clean_position(printed: str, wanted: str) -> bool:
    return best_match(printed, [wanted]) is not None or fold(key(printed)) == fold(key(wanted))


def _worded(text: str) -> bool:
    """Whether every word of a line is spelled as a syllable can be: words, not a line OCR
    read through a seal's ring ("RNU TƯỜNG")."""
    return all(is_syllable_shaped(w.strip(".,;:")) for w in text.split())


def _head_again(printed: str, head: str) -> bool:
    """Whether the line under a title reads as the same position (`head`) with the start a
    seal took: the head's title again ("HU TƯỜNG"), or junk ending as it does ("RNU TƯỜNG").
    A line of words ending so is another position ("KHOA TRƯỞNG" under "HIỆU TRƯỞNG")."""
    return (best_match(printed, [head]) is not None or not _worded(printed)) \
        and best_match(printed, SIGNING_POSITIONS) in (None, head)


def _with_deputies(chain: list[TitleLine]) -> tuple[list[TitleLine], list[str]]:
    """The chain with the line under "KT. <HEAD>" read as the head's deputy, and warnings.

    Nghị định 30/2020 (Phụ lục I, mục II.7) puts the deputy's position under "KT. <HEAD>"
    (`deputy`): a reading of that line that spells it (through OCR slips, and where two
    positions fold alike: THỦ TRƯỞNG / THỨ TRƯỞNG) is it. A reading that only ends as it does
    (the head's position again, "HU TƯỜNG" for PHÓ THỦ TƯỚNG: a seal's ring took its first
    word) can stand for nothing else and is completed, with a warning. Two lines naming the
    same position, unmarked ("HỦ TƯỜNG" / "RNU TƯỜNG"), are that block with its mark lost
    too: the form prints a position twice in no other way."""
    out, warnings = list(chain), []
    for i in range(len(out) - 1):
        head, below = out[i], out[i + 1]
        if below.mark is not None:
            continue
        printed = below.span.value
        if head.mark == "KT.":
            wanted = deputy(head.title)
            if _clean_position(printed, wanted) or fold(below.title) == fold(wanted):
                out[i + 1] = TitleLine(None, wanted, below.span)
            elif head.title in SIGNING_POSITIONS and _ends_as(printed, wanted) and _head_again(printed, head.title):
                out[i + 1] = TitleLine(None, wanted, below.span)
                warnings.append(f"signer's title: the line under {head.text!r} read {printed.strip()!r} "
                                f"(a seal over it), taken as the deputy's title {wanted!r} the form puts there")
        elif head.mark is None and head.title in SIGNING_POSITIONS and not head.title.startswith("PHÓ ") \
                and head.title != "BỘ TRƯỞNG" and _ends_as(printed, head.title) and _head_again(printed, head.title):
            wanted = deputy(head.title)
            out[i] = TitleLine("KT.", head.title, head.span)
            out[i + 1] = TitleLine(None, wanted, below.span)
            warnings.append(f"signer's title: two lines read as {head.title!r} ({head.span.value.strip()!r}, "
                            f"{printed.strip()!r}; a seal over them): taken as 'KT. {head.title} / {wanted}', "
                            f"the one form that prints a position twice")
    return out, warnings


# An authority mark the reading could not make out: a short token closed by a full stop
# before the position ("(lý. .HIỆU: TRƯỞNG": a "KT." added by hand). The title is then not
# known, whatever the position: null and a warning, not a title without its mark.
_UNREAD_MARK = re.compile(r"^\W*[^\W\d_]{1,3}\W*\.\W")


def _unread_mark(line: TitleLine) -> bool:
    """A title line opening with a mark-like token that reads as no mark ("(lý."); a mark
    read in any case ("Kt." in a title glued to the cc list) is a mark."""
    printed = line.span.value.strip()
    return line.mark is None and bool(_UNREAD_MARK.match(printed)) and not is_upper_text(printed.split()[0], 1.0) \
        and not _MARK.match(fold(printed))


def closing_start(layout: Layout, body_start: int) -> int:
    """Index of the first line of the document's own closing: its first "Nơi nhận" after
    the body starts (an annex or an attached draft may carry a closing of its own), or the
    end of the body ("… ./.") just before it."""
    label = noi_nhan_line(layout, body_start)
    ends = [line.index + 1 for line in layout.lines[body_start:(label.index if label else None)]
            if END_OF_BODY.search(line.text)]
    if ends:
        return ends[-1]
    if label is not None:
        return label.index
    return max(body_start, len(layout.lines) - 8)



def find_closing(layout: Layout, body_end: int) -> Closing:
    """cc list, signer title and signer name; `body_end` is the first line index past the body."""
    closing = Closing()
    lines = layout.lines
    label = noi_nhan_line(layout, body_end) or _unlabelled_list(layout, body_end)
    cc = _cc_list(layout, label) if label is not None else _CcList(end=body_end)
    closing.cc, titles, after_cc = cc.items, cc.titles, cc.end
    # The signature block: after the cc list (the right column read after the left), or
    # between the body and the cc list (text that put it first).
    block = _signature_block(layout, after_cc, min(len(lines), after_cc + MAX_SIGNATURE_LINES))
    if not block.titles and block.name is None and label is not None and cc.name is None:
        block = _signature_block(layout, body_end, label.index + 1)
    chain, closing.warnings = _with_deputies(titles + block.titles)  # titles glued to cc lines first
    unread = [t for t in chain if _unread_mark(t)]
    if unread:
        closing.warnings.append(f"signer's title: an authority mark not readable ({unread[0].span.value.strip()!r}), "
                                f"title not taken")
        chain = []
    if chain:
        first, last = chain[0].span, chain[-1].span
        closing.signer_title = Spanned(value=" / ".join(t.text for t in chain), start=first.start, end=last.end)
        closing.authority = [(t.mark, t.title) for t in chain]
    closing.signer = block.name or cc.name
    closing.damaged_name = block.damaged_name
    closing.end = max(block.end, after_cc)
    return closing
