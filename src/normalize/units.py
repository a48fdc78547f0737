"""Lists of addressees -> single units with canonical names and cross-document keys.

A printed entry can hold several units or none:
- "Sở Tài chính, Sở Kế hoạch và Đầu tư" is two units; "UBND các huyện, thị xã, thành phố" one;
- "CT, PCT UBND tỉnh" is the Chủ tịch and the Phó Chủ tịch of the UBND tỉnh;
- "VPUB: CVP, PCVP, CBTH" is the Văn phòng UBND (its internal desks are not units);
- "Thường trực Tỉnh ủy (Để báo cáo)" drops its purpose;
- "Như trên" (the recipients again) and "Lưu: VT, KGVX" (the archive copies) are none.
"""

from __future__ import annotations

import re

from vanthu.knowledge.entities import find_organizations
from vanthu.knowledge.gazetteer import ABBREVIATIONS, POSITIONS
from vanthu.knowledge.orthography import fold

from .organizations import canonical_organization, expand_abbreviations
from .record import Organization, Role

_PURPOSE = re.compile(
    r"\s*\(\s*(?:de\s+)?(?:bao\s+cao|b/c|biet|t/h|thuc\s+hien|phoi\s+hop|p/h|chi\s+dao|theo\s+doi|"
    r"dang\s+tai|tham\s+gia|huong\s+dan|kiem\s+tra|ch[iỉ]\s+dao|thay\s+b/c)[^)]*\)"
)
_NOT_UNITS = re.compile(r"^\W*(?:luu|nhu\s+tren|nhu\s+kinh\s+gui)\b")
_POSITION_CODES = re.compile(r"^(?P<codes>(?:[A-ZĐ]{2,4}\s*,\s*)+[A-ZĐ]{2,4})\s+(?P<organ>\S.*)$")
_JOINERS = re.compile(r"^\s*(?:,|và|;)\s*$")
_POSITION_KEYS = sorted(((fold(p), p) for p in POSITIONS), key=lambda pair: len(pair[0]), reverse=True)
# Positions that are themselves the issuing authority, never split from their body.
_WHOLE_AUTHORITIES = {fold(n) for n in ("Thủ tướng Chính phủ", "Chủ tịch nước")}
_PROVINCE = re.compile(r"(?:\btỉnh|Tỉnh ủy|\bthành phố|Thành ủy)\s+(?P<name>[A-ZĐ][^\s,;]*(?:\s+[A-ZĐ][^\s,;]*)*)$")


def _drop_purpose(entry: str) -> str:
    folded = fold(entry)
    spans = [(m.start(), m.end()) for m in _PURPOSE.finditer(folded)]
    for start, end in reversed(spans):
        entry = entry[:start] + entry[end:]
    return entry.strip(" ,;.")


def _distributed_positions(entry: str) -> list[str] | None:
    """"CT, PCT UBND tỉnh" -> ["Chủ tịch UBND tỉnh", "Phó Chủ tịch UBND tỉnh"]."""
    match = _POSITION_CODES.match(entry)
    if match is None:
        return None
    codes = [c.strip() for c in match.group("codes").split(",")]
    full = [ABBREVIATIONS.get(fold(c)) for c in codes]
    if not all(f and fold(f) in dict(_POSITION_KEYS) for f in full):
        return None
    return [f"{f} {match.group('organ')}" for f in full]


def _split_organizations(part: str) -> list[str]:
    """Split "Sở A, Sở B và Sở C" into its organizations when nothing else stands between them."""
    organizations = find_organizations(part)
    if len(organizations) < 2 or organizations[0].start != 0 or organizations[-1].end != len(part):
        return [part]
    between = [part[a.end:b.start] for a, b in zip(organizations, organizations[1:])]
    if not all(_JOINERS.match(gap) for gap in between):
        return [part]
    return [o.value for o in organizations]


def single_units(entry: str) -> list[str]:
    """The single units one printed list entry names, as printed."""
    entry = re.sub(r"\s+", " ", _drop_purpose(entry)).strip()
    if not entry or _NOT_UNITS.match(fold(entry)):
        return []
    head, colon, _rest = entry.partition(":")
    if colon and find_organizations(head.strip()):
        entry = head.strip()
    if distributed := _distributed_positions(entry):
        return distributed
    units: list[str] = []
    for part in re.split(r"\s*;\s*", entry):
        if part:
            units.extend(_split_organizations(part.strip(" ,.")))
    return [u for u in units if u]


def _piece(text: str) -> str:
    """A piece of a list without the joiners around it ("và", commas), capitalised."""
    text = re.sub(r"^(?:\s|,|;|và\b)+|(?:\s|,|;|\bvà)+$", "", text)
    return text[:1].upper() + text[1:]


def listed_units(printed: str) -> list[str]:
    """The units a printed list names, each as printed: "Sở Nội vụ, UBND các huyện, thị xã,
    thành phố và các sở, ngành liên quan" -> ["Sở Nội vụ", "UBND các huyện, thị xã, thành
    phố", "Các sở, ngành liên quan"]. An organization's name is never cut (its commas belong
    to it); what stands between two names, or after the last, is a class of units."""
    printed = re.sub(r"\s+", " ", printed).strip()
    units: list[str] = []
    at = 0
    for found in find_organizations(printed):
        if found.start < at:
            continue
        units.append(_piece(printed[at:found.start]))
        units.append(found.value)
        at = found.end
    units.append(_piece(printed[at:]))
    return [unit for unit in units if unit]


def province_of(*names: str | None) -> str | None:
    """The province (or centrally-run city) a provincial body's name ends with."""
    for name in names:
        if name and (match := _PROVINCE.search(name)):
            return match.group("name")
    return None


def _split_position(name: str) -> tuple[str | None, str]:
    folded = fold(name)
    if folded in _WHOLE_AUTHORITIES:
        return None, name
    for key, position in _POSITION_KEYS:
        if folded.startswith(key + " ") and len(name) > len(key) + 1:
            return position, name[len(key) + 1 :]
    return None, name


def qualified_name(name: str, province: str | None) -> str:
    """The name with its province when the text leaves it implicit: "Công an tỉnh" ->
    "Công an tỉnh Quảng Ngãi", "Sở Tài chính" -> "Sở Tài chính tỉnh Quảng Ngãi"."""
    if province is None or province_of(name):
        return name
    if re.search(r"(?:\btỉnh|Tỉnh ủy)$", name):
        return f"{name} {province}"
    if re.match(r"^(?:Sở|Văn phòng Ủy ban nhân dân|Ban Quản lý|Công an|Thường trực)\b", name):
        return f"{name} tỉnh {province}"
    return name


def organization_key(name: str) -> str:
    """Accent-, case- and punctuation-insensitive key of a canonical name."""
    return re.sub(r"[^\w&]+", " ", fold(name)).strip()


def unit_key(printed: str) -> str:
    """The key a unit is matched by, as printed or as typed: abbreviations written out,
    then folded ("So TTTT" and "Sở TT&TT" -> "so thong tin va truyen thong")."""
    return organization_key(expand_abbreviations(printed))


def organization(role: Role, printed: str, province: str | None) -> Organization:
    """One unit in one role, with its canonical name and key."""
    position, body = _split_position(canonical_organization(printed))
    name = canonical_organization(body) if position else body
    return Organization(role=role, printed=printed, name=name, position=position,
                        key=organization_key(qualified_name(name, province)))


def organizations(role: Role, entries: list[str], province: str | None) -> list[Organization]:
    """Every single unit of `entries` in `role`."""
    return [organization(role, unit, province) for entry in entries for unit in single_units(entry)]
