"""An on-disk cache of OCR results, so an unchanged page is never OCRed twice.

Keys are sha256 digests of what determines a result: the page's pixels (or a whole file's
bytes), the OCR version and the language. Values are JSON files written atomically, so a
run killed mid-write never leaves a half entry that a later run would trust.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
from pathlib import Path

from PIL import Image
from pydantic import ValidationError

from .ocr import OCR_VERSION, PageText

log = logging.getLogger(__name__)


def image_key(image: Image.Image, lang: str, masks: tuple = ()) -> str:
    """Cache key of a page image: its pixels, size and mode, with the OCR settings and the
    boxes whitened before reading."""
    digest = hashlib.sha256(f"{OCR_VERSION}|{lang}|{image.mode}|{image.size}|{masks}".encode())
    digest.update(image.tobytes())
    return digest.hexdigest()


def file_key(sha256: str, lang: str, pages: int) -> str:
    """Cache key of a whole file's OCR: its content hash with the OCR settings."""
    return hashlib.sha256(f"{OCR_VERSION}|{lang}|{pages}|file|{sha256}".encode()).hexdigest()


class OcrCache:
    """JSON entries under `folder/ocr/ab/abcdef….json`; `folder=None` caches nothing."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder / "ocr" if folder else None

    def _path(self, key: str) -> Path:
        assert self.folder is not None
        return self.folder / key[:2] / f"{key}.json"

    def get_pages(self, key: str) -> list[PageText] | None:
        if self.folder is None:
            return None
        try:
            data = json.loads(self._path(key).read_text("utf-8"))
            return [PageText.model_validate(page) for page in data]
        except FileNotFoundError:
            return None
        except (OSError, ValueError, ValidationError) as err:  # a damaged entry is a miss
            log.warning("ignoring damaged OCR cache entry %s: %s", key, err)
            return None

    def put_pages(self, key: str, pages: list[PageText]) -> None:
        if self.folder is None:
            return
        path = self._path(key)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            payload = json.dumps([page.model_dump() for page in pages], ensure_ascii=False)
            with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=path.parent,
                                             suffix=".tmp", delete=False) as handle:
                handle.write(payload)
            os.replace(handle.name, path)
        except OSError as err:  # a read-only or full cache must not fail the document
            log.warning("cannot write OCR cache %s: %s", path, err)
