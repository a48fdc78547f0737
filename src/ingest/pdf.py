"""PDF input: page count, the text layer in reading order, and page images for OCR.

pypdfium2 opens and renders (fast, and tells an encrypted file from a damaged one);
pdfplumber reads the words of the text layer with their boxes, which go through the same
reading-order code as OCR words (`ingest.layout`), so a two-column header comes out as
"issuer block, then motto block" rather than interleaved line by line.
"""

from __future__ import annotations

import logging
from pathlib import Path

import pdfplumber
import pypdfium2 as pdfium
from pdfminer.pdfdocument import PDFPasswordIncorrect
from pdfminer.pdfparser import PDFSyntaxError
from pdfminer.psparser import PSException
from pdfplumber.utils.exceptions import MalformedPDFException, PdfminerException
from PIL import Image

from .errors import InputError
from .layout import words_to_text
from .limits import capped_scale
from .tesseract import Word

log = logging.getLogger(__name__)
RENDER_DPI = 300


def _why_unreadable(path: Path) -> InputError:
    """Ask pdfminer why PDFium refused a file: PDFium's error code is process-wide and
    sticky, so after one encrypted file every later failure reads "Incorrect password"."""
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


def _line_ids(words: list[dict]) -> list[Word]:
    """pdfplumber words -> `Word`s, with words of the same baseline sharing a line number."""
    out: list[Word] = []
    line = -1
    last_top: float | None = None
    for word in sorted(words, key=lambda w: (round(w["top"]), w["x0"])):
        height = word["bottom"] - word["top"]
        if last_top is None or abs(word["top"] - last_top) > 0.4 * max(height, 1):
            line += 1
            last_top = word["top"]
        out.append(Word(text=word["text"], left=round(word["x0"] * 10), top=round(word["top"] * 10),
                        width=round((word["x1"] - word["x0"]) * 10), height=round(height * 10),
                        conf=100.0, line=(0, 0, line)))
    return out


def text_layers(path: Path) -> list[str]:
    """The text layer of every page, in reading order ("" for a page without one)."""
    try:
        with pdfplumber.open(str(path)) as pdf:
            return [words_to_text(_line_ids(page.extract_words(x_tolerance=1.5, keep_blank_chars=False)))
                    for page in pdf.pages]
    except (PdfminerException, MalformedPDFException, PDFSyntaxError, ValueError, KeyError,
            TypeError) as err:
        # pdfminer chokes on some files pdfium renders fine; OCR every page instead.
        log.warning("%s: text layer unreadable (%s); OCR only", path, err)
        return [""] * page_count(path)


def render_page(path: Path, index: int, max_pixels: int, dpi: int = RENDER_DPI) -> tuple[Image.Image, float]:
    """Page `index` (0-based) as an image, and the DPI it was drawn at.

    Oversized pages are drawn at a lower DPI so the image stays under `max_pixels`.
    """
    document = pdfium.PdfDocument(str(path))
    try:
        page = document[index]
        width, height = page.get_size()  # points
        scale = capped_scale(width, height, dpi / 72, max_pixels)
        image = page.render(scale=scale, grayscale=False).to_pil()
        page.close()
    finally:
        document.close()
    return image, scale * 72
