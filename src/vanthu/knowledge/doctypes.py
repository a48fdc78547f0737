"""Document types and their codes (Nghị định 30/2020/NĐ-CP, Phụ lục III; Party documents
under Quy định 66-QĐ/TW where they differ): "Quyết định" <-> "QĐ".

A leaf of shared knowledge: extraction reads titles and symbols with it, normalization
makes a symbol agree with the type, the store's queries take a type by name or code.
"""

from __future__ import annotations

import re

from .orthography import fold

# Document type name -> type code (Phụ lục III of Nghị định 30; Party codes where different).
DOC_TYPES: dict[str, tuple[str, ...]] = {
    "Nghị quyết": ("NQ",),
    "Quyết định": ("QĐ",),
    "Chỉ thị": ("CT",),
    "Quy chế": ("QC",),
    "Quy định": ("QyĐ", "QĐi"),
    "Thông cáo": ("TC",),
    "Thông báo": ("TB",),
    "Hướng dẫn": ("HD",),
    "Chương trình": ("CTr",),
    "Kế hoạch": ("KH",),
    "Phương án": ("PA",),
    "Đề án": ("ĐA",),
    "Dự án": ("DA",),
    "Báo cáo": ("BC",),
    "Biên bản": ("BB",),
    "Tờ trình": ("TTr",),
    "Hợp đồng": ("HĐ",),
    "Công điện": ("CĐ",),
    "Bản ghi nhớ": ("GN",),
    "Bản thỏa thuận": ("TTh",),
    "Giấy ủy quyền": ("GUQ",),
    "Giấy mời": ("GM",),
    "Giấy giới thiệu": ("GGT",),
    "Giấy nghỉ phép": ("GNP",),
    "Phiếu gửi": ("PG",),
    "Phiếu chuyển": ("PC",),
    "Phiếu báo": ("PB",),
    "Kết luận": ("KL",),
    "Thông tri": ("TT",),
    "Công văn": ("CV",),
    "Nghị định": ("NĐ",),
    "Thông tư": ("TT",),
    "Thông tư liên tịch": ("TTLT",),
    "Lệnh": ("L",),
    "Luật": (),
    "Pháp lệnh": (),
    "Văn bản": (),
}

# Type code (as printed, case-sensitive) -> document type. "TT" is read as Thông tư in state
# symbols ("…/2023/TT-BTC") and Thông tri in Party symbols ("…-TT/TU"); see `doc_type_for_code`.
_CODE_TO_TYPE = {code: name for name, codes in DOC_TYPES.items() for code in codes}
_CODE_TO_TYPE["TT"] = "Thông tư"
_FOLDED_CODES = {fold(code): name for code, name in _CODE_TO_TYPE.items() if len(code) > 1}

TITLE_TYPES: dict[str, str] = {fold(name): name for name in DOC_TYPES if name != "Văn bản"}


def doc_type_for_code(code: str, party_style: bool = False) -> str | None:
    """The document type a symbol's type code stands for, if it is one."""
    code = code.replace("Ð", "Đ").strip(".")
    if party_style and code == "TT":
        return "Thông tri"
    if code in _CODE_TO_TYPE:
        return _CODE_TO_TYPE[code]
    return _FOLDED_CODES.get(fold(code)) if code.isupper() else None


def title_doc_type(line: str) -> str | None:
    """The type named by a title line such as "CHỈ THỊ" or "QUYẾT ĐỊNH", else None."""
    key = re.sub(r"[^a-z ]", "", fold(line)).strip()
    key = re.sub(r"\s+", " ", key)
    return TITLE_TYPES.get(key)
