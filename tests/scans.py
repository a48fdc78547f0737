"""Make scanned-looking pages from Vietnamese text, for OCR tests and benchmarks.

A document's text is laid out the way Nghị định 30/2020 lays out a dispatch: a two-column
header (issuer, number and subject on the left; national motto and date on the right), the
body, and a two-column closing ("Nơi nhận" on the left, signature on the right). Pages are
drawn at a chosen DPI with a serif font that covers Vietnamese, then optionally degraded the
way office scanners and copiers degrade paper: grey paper, blur, speckle, skew, JPEG
artefacts, a red seal over the signature, whole-page rotation.

`reference_text(layout)` is the ground truth a perfect OCR would read: the laid-out text,
cell by cell of the form (issuer, motto, number, place and date, body, closing left,
closing right). CER is measured against it with whitespace collapsed.

Run as a script to write a folder of renders:
    python tests/scans.py OUT_DIR [--degraded] [--rotate 90] [--dpi 300]
"""

from __future__ import annotations

import functools
import io
import re
import unicodedata
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

FONT_DIR = Path("/usr/share/texmf/fonts/opentype/public/tex-gyre")
FALLBACK_DIR = Path("/usr/share/fonts/truetype/dejavu")
A4_INCHES = (8.27, 11.69)
MARGINS_CM = {"top": 2.0, "bottom": 2.0, "left": 3.0, "right": 1.5}

_MOTTO = re.compile(r"^(CỘNG HÒA XÃ HỘI|Độc lập|ĐẢNG CỘNG SẢN)", re.IGNORECASE)
_LOWER = "a-zđàáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ"
_PLACE_WORD = f"[A-ZĐ][{_LOWER}]+"
_DATELINE = re.compile(f"{_PLACE_WORD}(?:\\s+{_PLACE_WORD})*,\\s*ngày\\b")
_KINH_GUI = re.compile(r"^Kính gửi", re.IGNORECASE)
_NOI_NHAN = re.compile(r"^Nơi nhận", re.IGNORECASE)


@dataclass
class Layout:
    """A document split into the regions a printed dispatch puts side by side."""

    header_left: list[str] = field(default_factory=list)
    header_right: list[str] = field(default_factory=list)
    body: list[str] = field(default_factory=list)
    footer_left: list[str] = field(default_factory=list)
    footer_right: list[str] = field(default_factory=list)


def _clean(text: str) -> list[str]:
    text = unicodedata.normalize("NFC", text).replace("**", "").replace("*", "")
    return [re.sub(r"\s+", " ", line).strip() for line in text.splitlines()]


def layout_from_text(text: str) -> Layout:
    """Split a document's text into header columns, body and closing columns."""
    lines = [line for line in _clean(text) if line]
    layout = Layout()
    body_start = next((i for i, line in enumerate(lines)
                       if _KINH_GUI.match(line) or len(line) > 90), len(lines))
    for line in lines[:body_start]:
        date = _DATELINE.search(line)
        if _MOTTO.match(line):
            layout.header_right.append(line)
        elif date and date.start() > 0:  # "Số: /SKHCN Quảng Ngãi, ngày …" read interleaved
            layout.header_left.append(line[: date.start()].strip())
            layout.header_right.append(line[date.start():])
        elif date:
            layout.header_right.append(line)
        else:
            layout.header_left.append(line)
    closing = next((i for i in range(len(lines) - 1, body_start - 1, -1)
                    if _NOI_NHAN.match(lines[i])), len(lines))
    layout.body = lines[body_start:closing]
    for line in lines[closing:]:
        is_list = _NOI_NHAN.match(line) or line.startswith(("-", "+"))
        (layout.footer_left if is_list else layout.footer_right).append(line)
    return layout


def reference_text(layout: Layout) -> str:
    """What a perfect OCR of the rendered pages reads, cell by cell of the form: the issuer,
    the motto, then the number (with a công văn's V/v subject) and the place and date, the
    body, the closing left column, the closing right column."""
    left, right = layout.header_left, layout.header_right
    k = next((i for i, line in enumerate(left) if re.match(r"^Số\b", line)), len(left))
    m = next((i for i, line in enumerate(right) if _DATELINE.search(line)), len(right))
    parts = left[:k] + right[:m] + left[k:] + right[m:] + layout.body
    return "\n".join(parts + layout.footer_left + layout.footer_right)


def normalize_for_cer(text: str) -> str:
    """NFC with every run of whitespace collapsed to one space."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip()


def cer(hypothesis: str, reference: str) -> float:
    """Character error rate: edit distance over the reference length."""
    from rapidfuzz.distance import Levenshtein

    ref = normalize_for_cer(reference)
    return Levenshtein.distance(normalize_for_cer(hypothesis), ref) / max(1, len(ref))


# --- drawing -----------------------------------------------------------------------------

def _font(bold: bool, italic: bool, size_px: int) -> ImageFont.FreeTypeFont:
    style = {(False, False): "regular", (True, False): "bold",
             (False, True): "italic", (True, True): "bolditalic"}[(bold, italic)]
    path = FONT_DIR / f"texgyretermes-{style}.otf"
    if not path.exists():
        name = {"regular": "DejaVuSerif", "bold": "DejaVuSerif-Bold",
                "italic": "DejaVuSerif-Italic", "bolditalic": "DejaVuSerif-BoldItalic"}[style]
        path = FALLBACK_DIR / f"{name}.ttf"
    return ImageFont.truetype(str(path), size_px)


def _wrap(text: str, font: ImageFont.FreeTypeFont, width: int) -> list[str]:
    words, lines, current = text.split(), [], ""
    for word in words:
        candidate = f"{current} {word}".strip()
        if current and font.getlength(candidate) > width:
            lines.append(current)
            current = word
        else:
            current = candidate
    return lines + ([current] if current else [])


class _Canvas:
    """Pages being drawn, with a cursor that moves down and starts new pages."""

    def __init__(self, dpi: int) -> None:
        self.dpi = dpi
        self.size = (round(A4_INCHES[0] * dpi), round(A4_INCHES[1] * dpi))
        cm = dpi / 2.54
        self.left = round(MARGINS_CM["left"] * cm)
        self.right = self.size[0] - round(MARGINS_CM["right"] * cm)
        self.top = round(MARGINS_CM["top"] * cm)
        self.bottom = self.size[1] - round(MARGINS_CM["bottom"] * cm)
        self.pages: list[Image.Image] = []
        self.signature_boxes: dict[int, tuple[int, int, int, int]] = {}
        self.new_page()

    def new_page(self) -> None:
        self.page = Image.new("L", self.size, 255)
        self.draw = ImageDraw.Draw(self.page)
        self.pages.append(self.page)
        self.y = self.top

    def px(self, points: float) -> int:
        return round(points / 72 * self.dpi)

    def column(self, lines: list[str], x0: int, x1: int, y: int, *, size: float, bold_upper: bool,
               center: bool, italic: bool = False) -> int:
        """Draw lines inside [x0, x1] from y; return the y below the last line."""
        for line in lines:
            shouting = line.upper() == line and any(c.isalpha() for c in line)
            bold = bold_upper and (shouting or bool(_MOTTO.match(line)))
            font = _font(bold, italic and not bold, self.px(size))
            for piece in _wrap(line, font, x1 - x0):
                width = font.getlength(piece)
                x = x0 + (x1 - x0 - width) / 2 if center else x0
                self.draw.text((x, y), piece, font=font, fill=0)
                y += round(self.px(size) * 1.25)
        return y

    def paragraph(self, text: str, size: float) -> None:
        font = _font(False, False, self.px(size))
        step = round(self.px(size) * 1.3)
        indent = self.px(28) if not text.startswith(("-", "+")) else self.px(14)
        for i, piece in enumerate(_wrap(text, font, self.right - self.left - indent)):
            if self.y + step > self.bottom:
                self.new_page()
            x = self.left + (indent if i == 0 else 0)
            self.draw.text((x, self.y), piece, font=font, fill=0)
            self.y += step
        self.y += self.px(4)


def render_pages(layout: Layout, dpi: int = 300) -> tuple[list[Image.Image], dict]:
    """Draw the layout on A4 pages (greyscale, white paper) at `dpi`.

    Returns the pages and, by page index, the box of the signature block (for the seal).
    """
    canvas = _Canvas(dpi)
    split = canvas.left + round((canvas.right - canvas.left) * 0.42)
    gap = canvas.px(10)
    y_left = canvas.column(layout.header_left, canvas.left - gap, split - gap, canvas.top,
                           size=12, bold_upper=True, center=True)
    y_right = canvas.column(layout.header_right, split + gap, canvas.right, canvas.top,
                            size=12, bold_upper=True, center=True)
    canvas.y = max(y_left, y_right) + canvas.px(14)
    for text in layout.body:
        canvas.paragraph(text, size=13)
    needed = canvas.px(12) * 1.3 * max(len(layout.footer_left), len(layout.footer_right) + 4)
    if canvas.y + needed > canvas.bottom:
        canvas.new_page()
    top = canvas.y + canvas.px(10)
    canvas.column(layout.footer_left, canvas.left, split + gap, top, size=11, bold_upper=False,
                  center=False)
    # The signature: title, room for the seal and the hand signature, then the name.
    title, name = layout.footer_right[:-1], layout.footer_right[-1:]
    x0, x1 = split + 2 * gap, canvas.right
    y = canvas.column(title, x0, x1, top, size=13, bold_upper=True, center=True)
    y_name = y + canvas.px(60)
    canvas.column(name, x0, x1, y_name, size=13, bold_upper=True, center=True)
    canvas.signature_boxes[len(canvas.pages) - 1] = (x0, top, x1, y_name + canvas.px(18))
    return canvas.pages, canvas.signature_boxes


# --- degradation -------------------------------------------------------------------------

@dataclass(frozen=True)
class Degradation:
    """How a page is spoiled; the default spoils nothing."""

    grey_paper: bool = False
    blur: float = 0.0         # Gaussian radius in pixels at 300 DPI
    speckle: float = 0.0      # share of pixels flipped to dark specks
    skew: float = 0.0         # degrees
    jpeg_quality: int = 0     # 0 = no JPEG round trip
    seal: bool = False        # a red seal stamped over the signature
    rotate: int = 0           # 0, 90, 180, 270 (counter-clockwise)
    seed: int = 0


DEGRADED = Degradation(grey_paper=True, blur=1.0, speckle=0.002, skew=1.5, jpeg_quality=40,
                       seal=True, seed=7)


def _seal(page: Image.Image, box: tuple[int, int, int, int], dpi: int) -> Image.Image:
    """Stamp a translucent red ring seal centred on the signature box."""
    rgb = page.convert("RGB")
    overlay = Image.new("RGB", rgb.size, (255, 255, 255))
    draw = ImageDraw.Draw(overlay)
    cx, cy = (box[0] + box[2]) // 2 - dpi // 3, (box[1] + box[3]) // 2
    r = round(dpi * 0.8)
    red = (205, 40, 45)
    for width, radius in ((dpi // 30, r), (dpi // 60, r - dpi // 6)):
        draw.ellipse((cx - radius, cy - radius, cx + radius, cy + radius), outline=red, width=width)
    font = _font(True, False, dpi // 9)
    draw.text((cx, cy), "★", font=_font(True, False, dpi // 3), fill=red, anchor="mm")
    for i, char in enumerate("ỦY BAN NHÂN DÂN TỈNH * "):
        angle = np.deg2rad(200 + i * 7)
        x, y = cx + (r - dpi // 11) * np.cos(angle), cy + (r - dpi // 11) * np.sin(angle)
        draw.text((x, y), char, font=font, fill=red, anchor="mm")
    # Ink multiplies: the text under the seal stays dark.
    stamped, ink = np.asarray(rgb).copy(), np.asarray(overlay)
    for rows in _bands(stamped.shape[0]):
        stamped[rows] = (stamped[rows].astype(np.float32) * ink[rows].astype(np.float32) / 255).astype(np.uint8)
    return Image.fromarray(stamped, "RGB")


# Pixel arithmetic is done a band of rows at a time: whole-page float temporaries come to
# ~0.7 GB for an A4 page at 300 DPI, and fresh memory is what costs most on a virtual machine
# (tens of microseconds a page of memory on this one). The random generator draws in
# sequence, so bands give the same pixels as one draw over the page.
BAND_ROWS = 256


def _bands(height: int) -> list[slice]:
    return [slice(top, top + BAND_ROWS) for top in range(0, height, BAND_ROWS)]


def _grey_paper(image: Image.Image, rng: np.random.Generator) -> Image.Image:
    """The page on grey, grainy paper."""
    array = np.asarray(image).copy()
    tint = np.array([232, 228, 218], dtype=np.float32)
    for rows in _bands(array.shape[0]):
        paper = tint + rng.normal(0, 6, (*array[rows].shape[:2], 1))
        array[rows] = np.clip(array[rows].astype(np.float32) / 255 * paper, 0, 255).astype(np.uint8)
    return Image.fromarray(array, "RGB")


def _speckle(image: Image.Image, rng: np.random.Generator, share: float) -> Image.Image:
    """Dark specks on `share` of the pixels."""
    array = np.asarray(image).copy()
    mask = np.concatenate([rng.random(array[rows].shape[:2]) < share for rows in _bands(array.shape[0])])
    array[mask] = rng.integers(0, 90, (int(mask.sum()), 1))
    # A few specks grow into blots, as dust on the scanner glass does.
    speckled = Image.fromarray(array, "RGB")
    return speckled.filter(ImageFilter.MinFilter(3)) if share > 0.004 else speckled


def degrade(page: Image.Image, how: Degradation, dpi: int = 300,
            signature_box: tuple[int, int, int, int] | None = None) -> Image.Image:
    """Return a spoiled copy of a clean page (the input is not modified)."""
    rng = np.random.default_rng(how.seed)
    image = page.convert("RGB")
    if how.seal and signature_box:
        image = _seal(image, signature_box, dpi)
    if how.grey_paper:
        image = _grey_paper(image, rng)
    if how.skew:
        fill = (230, 226, 216) if how.grey_paper else (255, 255, 255)
        image = image.rotate(how.skew, resample=Image.BICUBIC, expand=True, fillcolor=fill)
    if how.blur:
        image = image.filter(ImageFilter.GaussianBlur(how.blur * dpi / 300))
    if how.speckle:
        image = _speckle(image, rng, how.speckle)
    if how.jpeg_quality:
        buffer = io.BytesIO()
        image.save(buffer, "JPEG", quality=how.jpeg_quality)
        image = Image.open(io.BytesIO(buffer.getvalue())).convert("RGB")
    if how.rotate:  # last (render_document relies on it)
        image = image.rotate(how.rotate, expand=True)
    return image


def register_stamp(page: Image.Image, lines: list[str], at: tuple[int, int], dpi: int = 300) -> Image.Image:
    """A copy of `page` with an incoming-register stamp pressed at `at` (its top left): a
    2.6 x 1.0 inch frame holding `lines` ("CÔNG VĂN ĐẾN", "Số: 2352", "Ngày: 12/4/2024")."""
    page = page.copy()
    draw = ImageDraw.Draw(page)
    x, y = at
    draw.rectangle((x, y, x + round(2.6 * dpi), y + round(1.0 * dpi)), outline=0, width=max(2, dpi // 100))
    font = _font(True, False, round(dpi * 0.13))
    for i, line in enumerate(lines):
        draw.text((x + dpi // 10, y + dpi // 12 + i * round(dpi * 0.27)), line, font=font, fill=0)
    return page


def render_document(text: str, dpi: int = 300, how: Degradation = Degradation()) -> list[Image.Image]:
    """Text -> the pages of a printed (and maybe spoiled) dispatch."""
    if how == Degradation():
        return render_pages(layout_from_text(text), dpi)[0]
    # Turning the page is the last spoiling step, so a turned render is the upright one
    # turned: the tests read one document upright and turned, and spoiling is the slow part.
    upright = _spoiled(text, dpi, replace(how, rotate=0))
    return [page.rotate(how.rotate, expand=True) if how.rotate else page.copy() for page in upright]


@functools.lru_cache(maxsize=4)
def _spoiled(text: str, dpi: int, how: Degradation) -> tuple[Image.Image, ...]:
    pages, boxes = render_pages(layout_from_text(text), dpi)
    return tuple(degrade(page, how, dpi, boxes.get(i)) for i, page in enumerate(pages))


def save_pdf(pages: list[Image.Image], path: Path, dpi: int = 300) -> Path:
    """Pages as an image-only PDF (a scanner's output)."""
    first, *rest = [page.convert("RGB") for page in pages]
    first.save(path, "PDF", resolution=dpi, save_all=True, append_images=rest)
    return path


def save_tiff(pages: list[Image.Image], path: Path, dpi: int = 300) -> Path:
    """Pages as one multi-page TIFF (a copier's output)."""
    first, *rest = pages
    first.save(path, "TIFF", dpi=(dpi, dpi), save_all=True, append_images=rest, compression="tiff_deflate")
    return path


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("samples", nargs="*", type=Path)
    parser.add_argument("--degraded", action="store_true")
    parser.add_argument("--rotate", type=int, default=0)
    parser.add_argument("--dpi", type=int, default=300)
    args = parser.parse_intermixed_args()
    args.out.mkdir(parents=True, exist_ok=True)
    base = DEGRADED if args.degraded else Degradation()
    how = Degradation(**{**base.__dict__, "rotate": args.rotate})
    for sample in args.samples:
        text = sample.read_text("utf-8")
        pages = render_document(text, args.dpi, how)
        save_pdf(pages, args.out / f"{sample.stem}.pdf", args.dpi)
        (args.out / f"{sample.stem}.ref.txt").write_text(reference_text(layout_from_text(text)), "utf-8")
        print(args.out / f"{sample.stem}.pdf", len(pages), "pages")
