"""Make (garbled, true) text pairs the way sample 003 was made: accented Vietnamese printed,
then OCRed with Tesseract's English model. Used by `ingest.lm_train` to learn the channel of
diacritic restoration, and by `bench/restore_eval.py` to measure it on held-out text.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from .tesseract import recognize

FONTS = (Path("/usr/share/texmf/fonts/opentype/public/tex-gyre/texgyretermes-regular.otf"),
         Path("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"))
DPI = 300
LINES_PER_PAGE = 40


def _font() -> ImageFont.FreeTypeFont:
    path = next(p for p in FONTS if p.exists())
    return ImageFont.truetype(str(path), round(13 / 72 * DPI))


def _page(lines: list[str]) -> Image.Image:
    font = _font()
    page = Image.new("L", (round(8.27 * DPI), round(11.69 * DPI)), 255)
    draw = ImageDraw.Draw(page)
    y = DPI // 2
    for line in lines:
        draw.text((DPI // 2, y), line, font=font, fill=0)
        y += round(font.size * 1.5)
    return page


def _ocr_page(lines: list[str]) -> list[tuple[str, str]]:
    """OCR one page with the English model; pair each printed line with what came back."""
    words = recognize(_page(lines), "eng", 6, 300)
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


def garbled_pairs(text: str, max_lines: int, jobs: int = 2) -> list[tuple[str, str]]:
    """(garbled, true) line pairs from printing `text` and reading it with `-l eng`."""
    lines = []
    for line in printable_lines(text):
        lines.append(line)
        if len(lines) >= max_lines:
            break
    pages = [lines[i:i + LINES_PER_PAGE] for i in range(0, len(lines), LINES_PER_PAGE)]
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        return [pair for page in pool.map(_ocr_page, pages) for pair in page]
