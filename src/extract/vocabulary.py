"""Words of the Vietnamese administrative register that the extractors recognise.

Everything here is general to Nghị định 30/2020/NĐ-CP documents (and Party documents under
Quy định 66-QĐ/TW), not to any particular sample. Folded forms (see `vanthu.knowledge.orthography.fold`)
are used for matching so that unaccented or mis-accented text still matches. Document types
and their codes, which other stages use too, are in `vanthu.knowledge.doctypes`.
"""

from __future__ import annotations

import re

from vanthu.knowledge.gazetteer import ORGAN_TYPES
from vanthu.knowledge.orthography import fold, has_marks, nfc

# Heads that begin the name of an organization ("SỞ …", "ỦY BAN NHÂN DÂN …"), folded.
# Longer heads come first so "tinh uy" wins over the level word "tinh".
ORGAN_HEADS: tuple[str, ...] = tuple(sorted((
    "uy ban", "ubnd", "hoi dong", "hdnd", "so", "bo", "tinh uy", "thanh uy", "huyen uy",
    "quan uy", "thi uy", "dang uy", "dang bo", "chi bo", "dang doan", "ban", "cuc", "chi cuc",
    "tong cuc", "van phong", "vp", "trung tam", "cong an", "bo chi huy", "bo tu lenh",
    "kho bac", "thanh tra", "truong", "benh vien", "vien", "hoi", "lien doan", "lien minh",
    "mat tran", "tinh doan", "thanh doan", "doan", "ngan hang", "cong ty", "tap doan",
    "tong cong ty", "bao", "dai", "chinh phu", "quoc hoi", "toa an", "vien kiem sat",
    "kiem toan", "ban chap hanh", "ban thuong vu", "ban chi dao", "ban quan ly", "quy",
    "cang vu", "buu dien", "chi nhanh", "phong", "bch", "btv", "bcd", "mttq", "ubmttq",
    "ban can su", "hoc vien", "dai hoc", "vien khoa hoc", "bao hiem", "thu tuong",
    "chu tich nuoc", "van phong chu tich nuoc", "kiem toan nha nuoc", "uy ban",
), key=len, reverse=True))

# Administrative levels that continue an organ name ("… TỈNH QUẢNG NGÃI"), folded.
ADMIN_LEVELS: tuple[str, ...] = (
    "tinh", "thanh pho", "tp", "huyen", "quan", "thi xa", "thi tran", "xa", "phuong",
    "dac khu",
)


# The same heads as printed (lower case, marks and all): `ORGAN_TYPES` of the gazetteer and
# the heads above (abbreviations have no marks). Folded, the surname "Trương" is the head
# "Trường" (a school).
_PRINTED_ORGAN_HEADS: tuple[str, ...] = tuple(sorted({organ.lower() for organ in ORGAN_TYPES} | set(ORGAN_HEADS),
                                                     key=len, reverse=True))


def starts_with_organ(text: str) -> bool:
    """Whether a line starts with an organ's head word ("TRƯỜNG ĐẠI HỌC …", "SỞ TÀI CHÍNH"):
    read with its marks when it has any ("TRƯƠNG QUANG HẢI" is a name), folded when not."""
    if has_marks(text):
        return starts_with_word(nfc(text).lower(), _PRINTED_ORGAN_HEADS) is not None
    return starts_with_word(fold(text), ORGAN_HEADS) is not None


def starts_with_word(folded: str, words: tuple[str, ...]) -> str | None:
    """The first of `words` that `folded` starts with as a whole word."""
    for word in words:
        if folded.startswith(word) and (len(folded) == len(word) or not folded[len(word)].isalnum()):
            return word
    return None


MOTTO = re.compile(
    r"cong\s*hoa\s*xa\s*hoi\s*chu\s*nghia\s*viet\s*nam"
    r"|doc\s*lap\s*[-–—_.,]*\s*tu\s*do\s*[-–—_.,]*\s*hanh\s*phuc"
    r"|dang\s*cong\s*san\s*viet\s*nam"
)
SEPARATOR = re.compile(r"(?:[-_=*~.·•]\s*){3,}|-+\s*o0o\s*-+|[-_]{2,}")

# Words that open the body of a document, folded.
BODY_OPENERS = re.compile(
    r"(can cu|thuc hien|theo|trien khai|de |tiep theo|trong|nham|hien nay|xet|qua|ngay \d+|"
    r"thuc hien|sau khi|vua qua|nhan duoc|phuc dap|ubnd tinh nhan|thu tuong|chu tich|tai)\b"
)

# Words of signers' titles that may make up a signature block, as printed (lower case).
_SIGNER_TITLE_PHRASES = (
    "chủ tịch", "giám đốc", "bí thư", "trưởng", "phó", "thứ trưởng", "bộ trưởng", "chánh", "tổng", "viện trưởng",
    "thủ tướng", "cục trưởng", "chủ nhiệm", "tm", "t/m", "kt", "tl", "tuq", r"q\.", "ủy viên", "uỷ viên",
    "ban thường vụ", "hiệu trưởng", "đại diện", "người ký", "chánh văn phòng",
)
# Folded, for unaccented or mis-accented text.
SIGNER_TITLE_WORDS = re.compile(rf"\b({'|'.join(dict.fromkeys(fold(p) for p in _SIGNER_TITLE_PHRASES))})\b")
# With their marks. Folded, a name's words read as them: "Trường" (a given name) and "Trương"
# (a surname) fold as "trưởng" does, "Tống" as "tổng", so that "NGUYỄN VĂN TRƯỜNG" in
# capitals under a title was taken for a title.
_SIGNER_TITLE_WORDS_PRINTED = re.compile(rf"\b({'|'.join(_SIGNER_TITLE_PHRASES)})\b")


def names_signer_title(text: str) -> bool:
    """Whether a line holds a word of a signer's title or authority: read with its marks
    when it has any, folded when it has none (a text typed without marks)."""
    if has_marks(text):
        return bool(_SIGNER_TITLE_WORDS_PRINTED.search(nfc(text).lower()))
    return bool(SIGNER_TITLE_WORDS.search(fold(text)))
