"""Make (garbled, true) text pairs the way sample 003 was made: accented Vietnamese printed,
then OCRed with Tesseract's English model. Used by `ingest.lm_train` to learn the channel of
diacritic restoration, and by `bench/restore_eval.py` to measure it on held-out text.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from dataclasses import dataclass

from PIL import Image, ImageDraw, ImageFilter, ImageFont

from .tesseract import recognize

TERMES = Path("/usr/share/texmf/fonts/opentype/public/tex-gyre/texgyretermes-regular.otf")
DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf")
LIBERATION = Path("/usr/share/fonts/truetype/liberation/LiberationSerif-Regular.ttf")
DPI = 300
LINES_PER_PAGE = 40


@dataclass(frozen=True)
class PrintStyle:
    """How a page is printed before the English model reads it.

    `scale` < 1 renders the page that much coarser and blows it up again (the soft strokes of
    a photocopy or a 100-150 DPI scan), `blur` is a Gaussian radius in pixels at 300 DPI.
    """

    font: Path = TERMES
    points: float = 13
    scale: float = 1.0
    blur: float = 0.0


CLEAN = PrintStyle()
# The styles the channel is learned from: Times-like faces as dispatches are printed (Times
# New Roman is the rule of Nghị định 30/2020; TeX Gyre Termes and Liberation Serif stand in
# for it), clean and as coarse old scans such as sample 003.
TRAINING_STYLES = (CLEAN, PrintStyle(points=12, scale=0.5), PrintStyle(points=12, scale=0.4, blur=0.8),
                   PrintStyle(font=LIBERATION), PrintStyle(points=14, scale=0.33),
                   PrintStyle(font=DEJAVU, points=12))


def _font(style: PrintStyle) -> ImageFont.FreeTypeFont:
    path = style.font if style.font.exists() else next(p for p in (TERMES, DEJAVU) if p.exists())
    return ImageFont.truetype(str(path), round(style.points / 72 * DPI))


def _page(lines: list[str], style: PrintStyle = CLEAN) -> Image.Image:
    font = _font(style)
    page = Image.new("L", (round(8.27 * DPI), round(11.69 * DPI)), 255)
    draw = ImageDraw.Draw(page)
    y = DPI // 2
    for line in lines:
        draw.text((DPI // 2, y), line, font=font, fill=0)
        y += round(font.size * 1.5)
    if style.scale != 1.0:
        small = (round(page.width * style.scale), round(page.height * style.scale))
        page = page.resize(small, Image.BILINEAR).resize(page.size, Image.BILINEAR)
    if style.blur:
        page = page.filter(ImageFilter.GaussianBlur(style.blur))
    return page


def _ocr_page(job: tuple[list[str], PrintStyle]) -> list[tuple[str, str]]:
    """OCR one page with the English model; pair each printed line with what came back."""
    lines, style = job
    words = recognize(_page(lines, style), "eng", 6, 300)
    read: dict[tuple[int, int, int], list[str]] = {}
    for word in words:
        read.setdefault(word.line, []).append(word.text)
    got = [" ".join(ws) for ws in read.values()]
    return list(zip(got, lines)) if len(got) == len(lines) else []


def printable_lines(text: str, width: int = 75) -> Iterator[str]:
    """Lines of at most `width` characters, cut at spaces, from a text's paragraphs."""
    for paragraph in unicodedata.normalize("NFC", text).splitlines():
        current = ""
        for word in paragraph.split():
            if current and len(current) + 1 + len(word) > width:
                yield current
                current = word
            else:
                current = f"{current} {word}".strip()
        if current:
            yield current


def aligned_accuracy(words: list[str], truth: list[str]) -> float:
    """Share of `truth` words matched, with `words` aligned by edit distance: a word the OCR
    split, merged or dropped counts as an error rather than shifting every later word."""
    from rapidfuzz.distance import Levenshtein

    matched = sum(j2 - j1 for tag, _, _, j1, j2 in Levenshtein.opcodes(words, truth) if tag == "equal")
    return matched / max(1, len(truth))


def garbled_pairs(text: str, max_lines: int, jobs: int = 2,
                  styles: tuple[PrintStyle, ...] = (CLEAN,)) -> list[tuple[str, str]]:
    """(garbled, true) line pairs from printing `text` and reading it with `-l eng`; page k
    is printed in style k modulo the number of styles."""
    lines = []
    for line in printable_lines(text):
        lines.append(line)
        if len(lines) >= max_lines:
            break
    pages = [(lines[i:i + LINES_PER_PAGE], styles[(i // LINES_PER_PAGE) % len(styles)])
             for i in range(0, len(lines), LINES_PER_PAGE)]
    if jobs <= 1:
        return [pair for page in map(_ocr_page, pages) for pair in page]
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        return [pair for page in pool.map(_ocr_page, pages) for pair in page]
