"""Canonical organization names: abbreviations written out, header capitals turned into the
official mixed case ("UBND TỈNH QUẢNG NGÃI" -> "Ủy ban nhân dân tỉnh Quảng Ngãi").

Vietnamese capitalises an organ's name by its parts: the organ type ("Ủy ban nhân dân",
"Sở"), the first syllable of each word of its specific name ("Khoa học và Công nghệ") and
every syllable of a place name after an administrative level ("tỉnh Quảng Ngãi").
"""

from __future__ import annotations

import re
from functools import lru_cache

from ingest.vietnamese import fold, has_marks, is_upper_text, place_tone_marks

# Abbreviation (as printed, folded match on a whole token) -> written-out form.
ABBREVIATIONS: dict[str, str] = {
    "ubnd": "Ủy ban nhân dân",
    "hdnd": "Hội đồng nhân dân",
    "ubmttq": "Ủy ban Mặt trận Tổ quốc",
    "mttq": "Mặt trận Tổ quốc",
    "vpub": "Văn phòng Ủy ban nhân dân",
    "vp": "Văn phòng",
    "bcd": "Ban Chỉ đạo",
    "btv": "Ban Thường vụ",
    "bch": "Ban Chấp hành",
    "tp": "thành phố",
    "tp.": "thành phố",
    "tt&tt": "Thông tin và Truyền thông",
    "tttt": "Thông tin và Truyền thông",
    "kh&cn": "Khoa học và Công nghệ",
    "khcn": "Khoa học và Công nghệ",
    "kh&dt": "Kế hoạch và Đầu tư",
    "khdt": "Kế hoạch và Đầu tư",
    "tn&mt": "Tài nguyên và Môi trường",
    "tnmt": "Tài nguyên và Môi trường",
    "gd&dt": "Giáo dục và Đào tạo",
    "gddt": "Giáo dục và Đào tạo",
    "nn&ptnt": "Nông nghiệp và Phát triển nông thôn",
    "ldtb&xh": "Lao động - Thương binh và Xã hội",
    "ld-tb&xh": "Lao động - Thương binh và Xã hội",
    "vh,tt&dl": "Văn hóa, Thể thao và Du lịch",
    "vhttdl": "Văn hóa, Thể thao và Du lịch",
    "gtvt": "Giao thông vận tải",
    "cntt": "công nghệ thông tin",
}

# Organ types whose canonical case is fixed. Longest first.
ORGAN_TYPES: tuple[str, ...] = tuple(sorted((
    "Ủy ban nhân dân", "Hội đồng nhân dân", "Ủy ban Mặt trận Tổ quốc Việt Nam",
    "Mặt trận Tổ quốc Việt Nam", "Ủy ban Mặt trận Tổ quốc", "Tỉnh ủy", "Thành ủy", "Huyện ủy",
    "Quận ủy", "Thị ủy", "Đảng ủy", "Ban Thường vụ", "Ban Chấp hành", "Ban Chỉ đạo",
    "Văn phòng", "Sở", "Bộ", "Ban", "Cục", "Chi cục", "Tổng cục", "Trung tâm", "Công an",
    "Bộ Chỉ huy Quân sự", "Kho bạc Nhà nước", "Thanh tra", "Đảng đoàn", "Ban cán sự đảng",
    "Liên đoàn Lao động", "Tỉnh đoàn", "Hội Nông dân", "Hội Liên hiệp Phụ nữ",
    "Hội Cựu chiến binh", "Ban Tuyên giáo", "Ban Tổ chức", "Ban Dân vận", "Ban Nội chính",
    "Ủy ban Kiểm tra", "Chính phủ", "Văn phòng Chính phủ", "Thủ tướng Chính phủ",
    "Ban Quản lý", "Bảo hiểm xã hội", "Đài Phát thanh và Truyền hình", "Báo",
), key=len, reverse=True))

# Specific names of departments and ministries, in canonical case.
SECTORS: tuple[str, ...] = (
    "Thông tin và Truyền thông", "Khoa học và Công nghệ", "Kế hoạch và Đầu tư", "Tài chính",
    "Nội vụ", "Tư pháp", "Công Thương", "Xây dựng", "Giao thông vận tải", "Y tế",
    "Tài nguyên và Môi trường", "Giáo dục và Đào tạo", "Nông nghiệp và Phát triển nông thôn",
    "Nông nghiệp và Môi trường", "Lao động - Thương binh và Xã hội", "Ngoại vụ", "Du lịch",
    "Văn hóa, Thể thao và Du lịch", "Văn hóa và Thể thao", "Dân tộc và Tôn giáo", "Quốc phòng",
    "Công an", "Ngoại giao", "Dân tộc", "Kế hoạch và Đầu tư", "Thông tin và Truyền thông",
)

# Administrative levels: lowercase, and followed by a place name in title case.
LEVELS: tuple[str, ...] = ("thành phố", "thị xã", "thị trấn", "đặc khu", "tỉnh", "huyện",
                           "quận", "xã", "phường")
# Organ types that are followed directly by a place name ("Tỉnh ủy Quảng Ngãi").
_PLACE_AFTER = {"tinh uy", "thanh uy", "huyen uy", "quan uy", "thi uy"}
_TOKEN = re.compile(r"[\w&.,-]+|\S")


def expand_abbreviations(name: str) -> str:
    """Write out abbreviations such as UBND, HĐND, TT&TT in an organization name."""
    def replace(match: re.Match[str]) -> str:
        token = match.group(0)
        return ABBREVIATIONS.get(fold(token).rstrip(",;"), token)
    return re.sub(r"[\w&.,-]*[\w&]", replace, name)


def _title(words: str) -> str:
    return " ".join(w[:1].upper() + w[1:] for w in words.split(" "))


@lru_cache(maxsize=None)
def _option_keys(option: str) -> tuple[str, str]:
    """An option's matching keys: lowercase with official tone placement, and folded."""
    return place_tone_marks(option.lower()), fold(option)


def _match_prefix(lower: str, options: tuple[str, ...]) -> str | None:
    """The option `lower` starts with, as a whole word. Marks must agree ("quản" is not
    "quận"), unless the text has none at all (unaccented input)."""
    marked = has_marks(lower)
    text = lower if marked else fold(lower)
    for option in options:
        key = _option_keys(option)[0 if marked else 1]
        if text.startswith(key) and (len(text) == len(key) or not text[len(key)].isalnum()):
            return option
    return None


def _case_rest(rest: str) -> str:
    """Case what follows an organ type: a sector name, then levels and place names."""
    out: list[str] = []
    while rest:
        rest = rest.strip()
        if sector := _match_prefix(rest, SECTORS):
            out.append(sector)
            rest = rest[len(sector):]
        elif level := _match_prefix(rest, LEVELS):
            following = rest[len(level):].strip()
            place = re.split(r"\s+(?=(?:và|của|thuộc)\s)", following, maxsplit=1)
            out.append(f"{level} {_title(place[0])}".strip())
            rest = following[len(place[0]):]
        else:
            word, _, rest = rest.partition(" ")
            out.append(word)
    return " ".join(out)


@lru_cache(maxsize=4096)
def canonical_organization(printed: str) -> str:
    """The written-out, officially cased form of an organization name."""
    name = re.sub(r"\s+", " ", place_tone_marks(printed)).strip(" .,;:-")
    name = expand_abbreviations(name)
    if not is_upper_text(printed):
        return name[:1].upper() + name[1:]
    lower = name.lower()
    organ = _match_prefix(lower, ORGAN_TYPES)
    if organ is None:
        return _case_rest(lower)[:1].upper() + _case_rest(lower)[1:]
    rest = lower[len(organ):].strip()
    if fold(organ).lower() in _PLACE_AFTER:
        return f"{organ} {_title(rest)}".strip()
    return f"{organ} {_case_rest(rest)}".strip()
