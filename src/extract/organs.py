"""The issuing organ block at the top left: "ỦY BAN NHÂN DÂN / TỈNH QUẢNG NGÃI", or a parent
organ above the issuer ("UBND TỈNH QUẢNG NGÃI / SỞ KHOA HỌC VÀ CÔNG NGHỆ").

Header lines are uppercase; the national motto and Party heading that a two-column layout
mixes into the same lines are cut out. A line that begins with an organ head ("SỞ", "BAN",
"ỦY BAN", …) starts a new organ; any other line continues the one above it.
"""

from __future__ import annotations

import re

from vanthu.knowledge.gazetteer import SECTORS
from vanthu.knowledge.orthography import fold
from vanthu.knowledge.words import is_word

from .lines import Line, join_spans
from .models import Spanned
from .vocabulary import MOTTO, ORGAN_HEADS, SEPARATOR, starts_with_word


def _uppercase_pieces(line: Line, stop: int) -> list[Spanned]:
    """The uppercase stretches of `line` before column `stop`, with mottos cut out."""
    cuts = [(m.start(), m.end()) for m in MOTTO.finditer(line.folded)]
    cuts += [(m.start(), m.end()) for m in SEPARATOR.finditer(line.text)]
    cuts.append((stop, len(line.text)))
    pieces, begin = [], 0
    for cut_start, cut_end in sorted(cuts):
        if cut_start > begin:
            pieces.append(line.span(begin, cut_start))
        begin = max(begin, cut_end)
    kept = []
    for piece in pieces:
        value = piece.value.strip(" -–*:;,")
        letters = [c for c in value if c.isalpha()]
        if len(letters) >= 2 and sum(c.isupper() for c in letters) / len(letters) >= 0.8:
            kept.append(Spanned(value=value, start=piece.start, end=piece.end))
    return kept


# Heads that start another organ inside one uppercase run, where a flattened header put the
# parent body and the issuer on one line ("BỘ TÀI CHÍNH TỔNG CỤC HẢI QUAN"). Short or
# ambiguous heads ("BÁO", "BAN", "TỈNH ỦY" in "BAN THƯỜNG VỤ TỈNH ỦY") never split a run.
_INNER_HEADS = ("tong cuc", "chi cuc", "cuc", "so", "uy ban", "hoi dong", "van phong", "truong", "hoc vien",
                "benh vien", "trung tam", "ban chi dao", "ban quan ly", "vu", "vien")


# Sector names, folded, in words: a head word inside one ("MÔI TRƯỜNG" of "SỞ NÔNG NGHIỆP VÀ
# MÔI TRƯỜNG") is the sector's, not a second organ's.
_SECTOR_WORDS = tuple(fold(sector).replace(",", " ").split() for sector in SECTORS)


def _in_sector(folded: list[str], i: int) -> bool:
    """Whether word `i` lies inside (not at the start of) a sector's name in `folded`."""
    for sector in _SECTOR_WORDS:
        for first in range(max(0, i - len(sector) + 1), i):
            if folded[first:first + len(sector)] == list(sector):
                return True
    return False


def _ends_sector(folded: list[str], i: int) -> bool:
    """Whether the words before word `i` end with a sector's whole name."""
    return any(i >= len(sector) and folded[i - len(sector):i] == list(sector) for sector in _SECTOR_WORDS)


def _split_run(piece: Spanned) -> list[Spanned]:
    """An uppercase run cut where a second organ's head begins after a whole organ name:
    never inside a sector's name, and never at a one-syllable head that ends a word with
    the syllable before it (`words.is_word`: "THỊ TRƯỜNG", "CƠ SỞ", "PHỤC VỤ") or that
    nothing follows (a two-syllable head such as "VĂN PHÒNG" may stand alone under its
    parent)."""
    words = list(re.finditer(r"\S+", piece.value))
    folded = [fold(w.group()).strip(",.;:") for w in words]
    for i in range(2, len(words)):
        head = next((h for h in _INNER_HEADS if folded[i:i + len(h.split())] == h.split()), None)
        if head is None or folded[i - 1] in ("va", "cua", "thuoc", "-"):
            continue
        if (len(head.split()) == 1 and i + 1 >= len(words)) or _in_sector(folded, i):
            continue
        if len(head.split()) == 1 and not _ends_sector(folded, i) \
                and is_word(f"{words[i - 1].group()} {words[i].group()}"):
            continue  # the head ends a word: "THỊ TRƯỜNG", "CƠ SỞ", "PHỤC VỤ" (not after a
            # whole sector: "BỘ CÔNG THƯƠNG TRƯỜNG …", though "thương trường" is a word)
        if not _starts_organ(" ".join(folded[:i])):
            continue
        cut = words[i].start()
        first = Spanned(value=piece.value[:cut].strip(), start=piece.start, end=piece.start + cut)
        second = Spanned(value=piece.value[cut:].strip(), start=piece.start + cut, end=piece.end)
        return [first, *_split_run(second)]
    return [piece]


# Heads of a ministry's own units, which start a line of the organ block under the ministry
# ("BỘ NỘI VỤ / VỤ CHÍNH QUYỀN ĐỊA PHƯƠNG"), and only a line: inside a run the syllables end
# other words ("TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG"), as in running text ("vụ việc", "ủy viên").
_LINE_HEADS = tuple(sorted(ORGAN_HEADS + ("vu", "vien"), key=len, reverse=True))


def _starts_organ(folded: str, heads: tuple[str, ...] = ORGAN_HEADS) -> bool:
    # "TỈNH ỦY …" starts an organ; "TỈNH QUẢNG NGÃI" (no head) continues the one above.
    return starts_with_word(folded, heads) is not None


MAX_LEADING_STAMPS = 3
_NUMBER_LINE = re.compile(r"^\W{0,3}so\s*[:;.]")
# Structural headings that are uppercase but never an organ: "MỤC 4.", "PHỤ LỤC II", "II. …".
_HEADING = re.compile(r"^(?:muc|chuong|phu luc|phan|dieu|[ivx]+\s*[.)]|[a-z]\s*[.)]|\d+\s*[.)])(?:\s|$)")


def find_organs(lines: tuple[Line, ...], stops: dict[int, int]) -> list[Spanned]:
    """Organs printed at the top of `lines`, outermost first. `stops` maps a line index to
    the column where header matter that is not the organ (the date) begins on that line.
    The block ends at the first line with neither an organ piece nor a motto; a stamp or two
    above it (register or e-signature stamps) is passed over."""
    organs: list[list[Spanned]] = []
    for line in lines:
        pieces = _uppercase_pieces(line, stops.get(line.index, len(line.text)))
        header_matter = MOTTO.search(line.folded) or SEPARATOR.search(line.text) or line.index in stops
        if not pieces and not header_matter and (organs or line.index >= MAX_LEADING_STAMPS):
            break
        if any(_HEADING.match(fold(piece.value)) for piece in pieces):
            break
        if _NUMBER_LINE.match(line.folded):  # "Số: …": the organ block is above it
            break
        for n, piece in enumerate(part for whole in pieces for part in _split_run(whole)):
            if not organs or _starts_organ(re.sub(r"^\W+", "", fold(piece.value)), _LINE_HEADS if n == 0 else ORGAN_HEADS):
                organs.append([piece])
            else:
                organs[-1].append(piece)
    # A leading group that names no organ, above one that does, is a mark or a stamp's
    # fragment read in the margin ("THT" from a handwritten note): not the issuer.
    while len(organs) > 1 and not _starts_organ(re.sub(r"^\W+", "", fold(organs[0][0].value))):
        organs.pop(0)
    return [joined for group in organs if (joined := join_spans(group))]
