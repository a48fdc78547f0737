"""PDF input: page count, the text layer in reading order, and page images for OCR.

pypdfium2 opens and renders (fast, and tells an encrypted file from a damaged one); poppler's
pdftotext reads the words of the text layer with their boxes, annotations included, so the
digital-signature stamps a signing service prints are seen too (`ingest.poppler`). The words
go through the same reading-order code as OCR words (`ingest.layout`), so a two-column
header comes out as "issuer block, then motto block" rather than interleaved line by line,
and stamp lines are set apart as regions instead of being read as the document's text.
pdfminer (through pdfplumber) only says why a file PDFium refuses is unreadable.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium
from PIL import Image

from .errors import InputError
from .layout import Geometry, PlacedWord, Segment, assemble, read_words
from .limits import capped_scale
from .models import Region
from .noise import stamp_segments
from .poppler import LayerPage, LayerWord, PdftotextFailed, layer_pages
from .tesseract import Word
from .text import clean_word

log = logging.getLogger(__name__)
RENDER_DPI = 300


def _why_unreadable(path: Path) -> InputError:
    """Ask pdfminer why PDFium refused a file: PDFium's error code is process-wide and
    sticky, so after one encrypted file every later failure reads "Incorrect password".
    pdfminer is imported here, on this rare path: it is a fifth of an OCR worker's memory."""
    import pdfplumber
    from pdfminer.pdfdocument import PDFPasswordIncorrect
    from pdfminer.pdfparser import PDFSyntaxError
    from pdfminer.psparser import PSException
    from pdfplumber.utils.exceptions import MalformedPDFException, PdfminerException

    try:
        with pdfplumber.open(str(path)) as document:
            if not document.pages:
                return InputError(path, "PDF has no pages")
    except (PdfminerException, MalformedPDFException, PDFSyntaxError, PSException,
            ValueError, KeyError, TypeError, AttributeError) as err:
        cause = err.args[0] if isinstance(err, PdfminerException) and err.args else err
        if isinstance(cause, PDFPasswordIncorrect):
            return InputError(path, "encrypted PDF (needs a password)",
                              "decrypt it first, e.g. qpdf --decrypt --password=… in.pdf out.pdf")
        return InputError(path, f"damaged PDF ({cause})")
    return InputError(path, "damaged PDF (PDFium cannot open it)")


def page_count(path: Path) -> int:
    """Pages of a PDF; `InputError` for an encrypted, damaged or empty one."""
    try:
        document = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as err:
        raise _why_unreadable(path) from err
    try:
        count = len(document)
    finally:
        document.close()
    if count == 0:
        raise InputError(path, "PDF has no pages")
    return count


@dataclass(frozen=True)
class Layer:
    """A page's text layer: its text in reading order without the digital-signature stamps
    printed in it, the stamps as regions (boxes in PDF points), and the page size in points."""

    text: str
    stamps: tuple[Region, ...] = ()
    size: tuple[float, float] = (0.0, 0.0)
    words: tuple[PlacedWord, ...] = ()  # boxes in tenths of a point, offsets into `text`


def _line_ids(words: tuple[LayerWord, ...]) -> list[Word]:
    """Layer words -> `Word`s (tenths of a point), words of one baseline sharing a line."""
    out: list[Word] = []
    line = -1
    last_top: float | None = None
    for word in sorted(words, key=lambda w: (round(w.top), w.left)):
        height = word.bottom - word.top
        if last_top is None or abs(word.top - last_top) > 0.4 * max(height, 1):
            line += 1
            last_top = word.top
        out.append(Word(text=word.text, left=round(word.left * 10), top=round(word.top * 10),
                        width=round((word.right - word.left) * 10), height=round(height * 10),
                        conf=100.0, line=(0, 0, line)))
    return out


def _stamp_judge(segments: list[Segment], geometry: Geometry) -> dict[int, str]:
    return {i: "signature-stamp" for i in stamp_segments(segments, geometry)}


def _stamp_groups(segments: list[Segment]) -> list[list[Segment]]:
    """Stamp lines grouped into stamps: lines that overlap horizontally."""
    groups: list[list[Segment]] = []
    for segment in sorted(segments, key=lambda s: (s.left, s.top)):
        for group in groups:
            left, right = min(s.left for s in group), max(s.right for s in group)
            if min(right, segment.right) - max(left, segment.left) > 0:
                group.append(segment)
                break
        else:
            groups.append([segment])
    return groups


def _layer(page: LayerPage) -> Layer:
    reading = read_words(_line_ids(page.words), _stamp_judge)
    stamps = []
    for group in _stamp_groups([segment for _, segment in reading.set_aside]):
        box = (min(s.left for s in group), min(s.top for s in group),
               max(s.right for s in group), max(s.bottom for s in group))
        lines = [s.text for s in sorted(group, key=lambda s: (s.top, s.left))]
        stamps.append(Region(kind="signature-stamp", box=tuple(round(v / 10) for v in box),
                             text="\n".join(lines), source="pdf-text"))
    text, placed = assemble(reading.blocks, clean_word)
    return Layer(text, tuple(stamps), (page.width, page.height), tuple(placed))


def text_layers(path: Path) -> list[Layer]:
    """The text layer of every page (an empty `Layer` for a page without one), with the
    digital-signature stamps printed in it set apart."""
    count = page_count(path)
    try:
        pages = layer_pages(path)
    except PdftotextFailed as err:  # OCR every page instead
        log.warning("%s: text layer unreadable (%s); OCR only", path, err)
        return [Layer("")] * count
    layers = [_layer(page) for page in pages[:count]]
    return layers + [Layer("")] * (count - len(layers))


def render_page(path: Path, index: int, max_pixels: int, dpi: int = RENDER_DPI) -> tuple[Image.Image, float]:
    """Page `index` (0-based) as an image, and the DPI it was drawn at.

    Oversized pages are drawn at a lower DPI so the image stays under `max_pixels`.
    """
    document = pdfium.PdfDocument(str(path))
    try:
        page = document[index]
        width, height = page.get_size()  # points
        scale = capped_scale(width, height, dpi / 72, max_pixels)
        # In RGB order (not PDFium's BGR): Pillow takes it as it is, a third of the CPU less.
        image = page.render(scale=scale, grayscale=False, rev_byteorder=True).to_pil()
        page.close()
    finally:
        document.close()
    return image, scale * 72
