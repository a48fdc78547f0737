"""Vietnam's administrative units, before and after the 1 July 2025 reorganization.

Source: the mapping table shipped with `underthesea` (package data
`underthesea/address/data/mapping.json`, built from `vietnamadminunits` 1.0.4, effective
2025-07-01): the 63 provinces and centrally-run cities before the merger and the 34 after,
the districts, district-level towns and cities of before (district level was abolished by
the reform), and the communes and wards of before and after. Documents name both: a
dispatch of 2024 is issued by "UBND huyện Mộ Đức", one of 2025 by "UBND xã …" of a merged
province. Only the names are used here (the province-level conversion is right; the table's
district-only conversions are not used).

Names are matched through OCR slips (`fuzzy.best_match`) and returned in their canonical
spelling, by level: "tỉnh", "thành phố", "huyện", "quận", "thị xã", "xã", "phường",
"đặc khu". The file is read on first use, not at import.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable

from .fuzzy import best_match, key
from .underthesea_data import underthesea_file

# Level words as they open a unit's name in the table, and as documents print them.
LEVEL_WORDS = ("Thành phố", "Tỉnh", "Huyện", "Quận", "Thị xã", "Thị trấn", "Phường", "Xã", "Đặc khu")


def _split(full: str) -> tuple[str, str] | None:
    """("thành phố", "Hà Nội") from "Thành phố Hà Nội"."""
    for level in LEVEL_WORDS:
        if full.startswith(level + " "):
            return level.lower(), full[len(level) + 1:].strip()
    return None


@functools.cache
def _units() -> dict[str, tuple[str, ...]]:
    """Level -> canonical names of the units at that level (both periods)."""
    path = underthesea_file("address", "data", "mapping.json")
    if path is None:
        return {}
    data = json.loads(path.read_text("utf-8"))
    full_names: set[str] = set()
    for table in ("province_names", "old_province_names"):
        full_names |= {unit["name"] for unit in data[table].values()}
    for record in data["ward_mapping"]:
        full_names |= {record["old_district"], record["old_ward"], record["new_ward"]}
    by_level: dict[str, set[str]] = {}
    for full in full_names:
        if full and (parts := _split(full)):
            by_level.setdefault(parts[0], set()).add(parts[1])
    return {level: tuple(sorted(names)) for level, names in by_level.items()}


def names(level: str | None = None) -> tuple[str, ...]:
    """Canonical names of the units at `level` ("tỉnh", "huyện", …), or of every unit."""
    units = _units()
    if level is not None:
        return units.get(level.lower(), ())
    return tuple(sorted({name for group in units.values() for name in group}))


@functools.cache
def _provincial() -> tuple[str, ...]:
    """Names of provinces and centrally-run cities (before and after the merger)."""
    return tuple(sorted(set(names("tỉnh")) | set(names("thành phố"))))


@functools.cache
def _printed() -> frozenset[str]:
    """Every unit's name as the table spells it, at any level."""
    return frozenset(names())


def is_unit_name(text: str) -> bool:
    """Whether `text` is, as printed, the name of a unit at some level: a ward's or a
    commune's ("Hải Châu") is a place of its own, not a province's ("Lai Châu") misread."""
    return " ".join(text.split()) in _printed()


def match(text: str, levels: Iterable[str] | None = None) -> str | None:
    """The canonical name `text` spells (through OCR slips), among units at `levels`, else
    among provinces and cities; None when none is close enough."""
    if not key(text):
        return None
    pool: tuple[str, ...] = ()
    for level in levels or ():
        pool += names(level)
    return best_match(text, pool or _provincial())
