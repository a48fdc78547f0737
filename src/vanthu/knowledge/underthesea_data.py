"""Data files shipped with the `underthesea` package (its administrative-unit table, its
word lists), found without importing it: importing underthesea loads its NLP models."""

from __future__ import annotations

import importlib.util
from pathlib import Path


def underthesea_file(*parts: str) -> Path | None:
    """The package's file at `parts` (e.g. "corpus", "data", "Viet74K.txt"), or None when
    underthesea or the file is missing."""
    spec = importlib.util.find_spec("underthesea")
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations))).joinpath(*parts)
    return path if path.is_file() else None
