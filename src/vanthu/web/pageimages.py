"""Page images of a stored document, drawn from its file and kept in the cache.

The file is found where the database last saw it (filed away by an inbox run, or where it
was ingested) and checked against the document's sha256 before it is drawn: a file changed
or replaced since is never shown as the document. Each page is drawn upright as OCR read it
(turned and deskewed by the angles the ingest stage recorded), so word boxes fall on their
words; images are JPEG at a few widths (the page, the thumbnail), written once.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path
from threading import Lock

from PIL import Image

from vanthu.ingest.errors import InputError
from vanthu.ingest.filetype import SCANNED_KINDS, sniff
from vanthu.ingest.models import PageInfo

# Widths the workbench asks for: the page beside the record, and the thumbnails.
PAGE_WIDTH = 1000
THUMB_WIDTH = 160
WIDTHS = (PAGE_WIDTH, THUMB_WIDTH)
JPEG_QUALITY = 82
# An A4 page is 8.27 in wide: drawing at this many dots per inch per pixel of width asked,
# then resizing, gives sharp text without drawing the whole page at 300 DPI.
A4_WIDTH_INCHES = 8.27
MAX_PIXELS = 80_000_000


class NoPageImage(LookupError):
    """The document has no page images (text or Word input), or its file is gone."""


def document_folder(cache_dir: Path, sha256: str) -> Path:
    """The cache folder of a document's content."""
    return cache_dir / "workbench" / sha256[:2] / sha256


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


class PageImages:
    """Page images of stored documents, cached under `cache_dir` (shared by the threads of
    the server: a page is drawn once even when asked for twice at once)."""

    def __init__(self, cache_dir: Path) -> None:
        self.cache_dir = cache_dir
        self._files: dict[str, tuple[Path, str]] = {}  # sha256 -> (file, kind), checked once
        self._lock = Lock()

    def kind(self, sha256: str, paths: list[str]) -> str | None:
        """"pdf", "png", "jpeg" or "tiff" when the document's file is one and is found
        unchanged; None otherwise."""
        try:
            return self._file(sha256, paths)[1]
        except NoPageImage:
            return None

    def _file(self, sha256: str, paths: list[str]) -> tuple[Path, str]:
        if sha256 in self._files:
            return self._files[sha256]
        for name in paths:
            path = Path(name)
            try:
                if not path.is_file():
                    continue
                with path.open("rb") as handle:
                    kind = sniff(handle.read(64 * 1024))
                if kind in SCANNED_KINDS and _sha256(path) == sha256:
                    self._files[sha256] = (path, kind)
                    return path, kind
            except OSError:
                continue
        raise NoPageImage(f"no file of document {sha256[:12]} found unchanged ({len(paths)} places looked at)")

    def image(self, sha256: str, paths: list[str], number: int, width: int, info: PageInfo | None) -> Path:
        """The JPEG of page `number` (1-based) at `width` pixels, drawn if not cached yet."""
        if width not in WIDTHS:
            raise ValueError(f"width {width} is not one of {WIDTHS}")
        target = document_folder(self.cache_dir, sha256) / f"p{number}-w{width}.jpg"
        if target.exists():
            return target
        with self._lock:
            if target.exists():
                return target
            path, kind = self._file(sha256, paths)
            try:
                page = _draw(path, kind, number, width, info)
            except (InputError, OSError, ValueError, RuntimeError) as err:  # pypdfium2's PdfiumError: RuntimeError
                raise NoPageImage(f"page {number} of {path} cannot be drawn: {err}") from err
            target.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=target.parent, suffix=".partial")
            with os.fdopen(handle, "wb") as out:
                page.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True)
            os.replace(temporary, target)
        return target


def _draw(path: Path, kind: str, number: int, width: int, info: PageInfo | None) -> Image.Image:
    """Page `number` of a PDF or an image file, upright as read, `width` pixels wide."""
    from vanthu.ingest.images import load_frame
    from vanthu.ingest.pdf import render_page

    dpi = width / A4_WIDTH_INCHES * 1.5
    if kind == "pdf":
        image, _dpi = render_page(path, number - 1, MAX_PIXELS, dpi=dpi)
    else:
        image, _dpi = load_frame(path, number - 1, MAX_PIXELS)
    image = image.convert("RGB")
    if info is not None and info.rotation:
        image = image.rotate(-info.rotation, expand=True)  # PIL turns counter-clockwise
    if info is not None and info.skew:
        image = image.rotate(info.skew, resample=Image.BICUBIC, fillcolor=(255, 255, 255))
    height = round(image.height * width / image.width)
    return image.resize((width, height), Image.LANCZOS)
