"""The Tesseract binary: an availability probe and its calls (words with boxes, of one image
or of many in one run; orientation).

Every call gets an argument list (no shell), a timeout, and an explicit environment with
`OMP_THREAD_LIMIT=1`: Tesseract's OpenMP threads fight each other when pages already run in
parallel processes (one unthrottled page took 15 s here instead of 2 s). Images go in as an
uncompressed TIFF in an anonymous in-memory file (`_image_file`); nothing is written to disk.
"""

from __future__ import annotations

import csv
import functools
import io
import logging
import os
import re
import shutil
import struct
import subprocess
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from typing import BinaryIO

import numpy as np
from PIL import Image

from .errors import MissingDependency

log = logging.getLogger(__name__)

LANG_PACKAGES = {"vie": "tesseract-ocr-vie", "eng": "tesseract-ocr-eng", "osd": "tesseract-ocr-osd"}


class TesseractFailed(Exception):
    """Tesseract ran but did not produce a result (crash, timeout, unreadable image)."""


@dataclass(frozen=True)
class Word:
    """One recognised word with its box (pixels) and Tesseract's confidence (0-100)."""

    text: str
    left: int
    top: int
    width: int
    height: int
    conf: float
    line: tuple[int, int, int]  # Tesseract's (block, paragraph, line) numbers

    @property
    def right(self) -> int:
        return self.left + self.width

    @property
    def bottom(self) -> int:
        return self.top + self.height


def next_line(words: Sequence[Word]) -> int:
    """A line number no word has yet, for the lines of a second reading added to a page's."""
    return max((w.line[0] for w in words), default=0) + 1


def _env() -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("OMP_")}
    env["OMP_THREAD_LIMIT"] = "1"
    return env


@functools.cache
def probe(lang: str) -> str:
    """Check that tesseract and the language data are installed; return its version.

    Raises `MissingDependency` naming the Debian package to install.
    """
    program = shutil.which("tesseract")
    if program is None:
        raise MissingDependency("tesseract", "tesseract-ocr " + LANG_PACKAGES.get(lang, ""))
    result = subprocess.run([program, "--list-langs"], capture_output=True, text=True,
                            timeout=30, env=_env(), check=False)
    installed = set(result.stdout.split()) | set(result.stderr.split())
    for code in lang.split("+"):
        if code not in installed:
            raise MissingDependency(f"Tesseract language data '{code}'",
                                    LANG_PACKAGES.get(code, f"tesseract-ocr-{code}"))
    version = subprocess.run([program, "--version"], capture_output=True, text=True,
                             timeout=30, env=_env(), check=False)
    return (version.stdout or version.stderr).split("\n", 1)[0].strip()


# Tags of the one image directory of an uncompressed 8-bit grey TIFF, as (tag, type, value);
# types 3 = SHORT, 4 = LONG. Each page's pixels are one strip, its directory right after.
_TIFF_TAGS = ((256, 4, "width"), (257, 4, "height"), (258, 3, 8), (259, 3, 1), (262, 3, 1),
              (273, 4, "pixels"), (277, 3, 1), (278, 4, "height"), (279, 4, "bytes"))
_DIRECTORY_SIZE = 2 + 12 * len(_TIFF_TAGS) + 4  # entry count, entries, next directory's offset


def _directory(shape: tuple[int, ...], pixels: int, following: int) -> bytes:
    """A TIFF page's image directory: its size, where its pixels start, where the next
    page's directory starts (0 for the last page)."""
    height, width = shape
    values = {"width": width, "height": height, "bytes": width * height, "pixels": pixels}
    entries = b"".join(struct.pack("<HHII", tag, kind, 1, values.get(value, value)) if kind == 4
                       else struct.pack("<HHIHH", tag, kind, 1, value, 0) for tag, kind, value in _TIFF_TAGS)
    return struct.pack("<H", len(_TIFF_TAGS)) + entries + struct.pack("<I", following)


def _tiff(images: Sequence[Image.Image | np.ndarray]) -> list[bytes | memoryview]:
    """The images as one uncompressed TIFF, a page each, in pieces to write one after
    another: the header, then per page its pixels and its image directory. A grey array is
    written as it lies in memory, not copied: a page is 9 MB, and a worker's peak memory is
    counted in pages.

    TIFF, not Netpbm: Leptonica reads a PGM byte by byte, and of Tesseract's CPU on a page a
    tenth went into reading it (an uncompressed TIFF or BMP: the same words, measured)."""
    if len(images) == 1 and not isinstance(images[0], np.ndarray):
        buffer = io.BytesIO()
        images[0].save(buffer, "TIFF")  # uncompressed: Pillow's default
        return [buffer.getbuffer()]
    arrays = [np.ascontiguousarray(image, dtype=np.uint8) for image in images]  # crops: copied, small
    starts, directories, offset = [], [], 8
    for pixels in arrays:
        starts.append(offset)
        directories.append(offset + pixels.size + pixels.size % 2)  # on a word boundary
        offset = directories[-1] + _DIRECTORY_SIZE
    pieces: list[bytes | memoryview] = [struct.pack("<2sHI", b"II", 42, directories[0])]
    for n, pixels in enumerate(arrays):
        following = directories[n + 1] if n + 1 < len(arrays) else 0
        pieces += [memoryview(pixels).cast("B"),
                   b"\0" * (pixels.size % 2) + _directory(pixels.shape, starts[n], following)]
    return pieces


def _image_file(images: Sequence[Image.Image | np.ndarray]) -> BinaryIO:
    """An anonymous in-memory file (Linux `memfd`; elsewhere a temporary file) holding the
    images, at its start: handed to Tesseract as its standard input, which it opens again by
    name (/dev/stdin) as a file. Tesseract reads a stream given as "stdin" one character at a
    time: 0.15 s of CPU more per page than the same pixels read from a file (measured)."""
    if hasattr(os, "memfd_create"):
        file = os.fdopen(os.memfd_create("vanthu-tesseract", os.MFD_CLOEXEC), "w+b")
    else:
        file = tempfile.TemporaryFile()
    for piece in _tiff(images):
        file.write(piece)
    file.flush()
    file.seek(0)
    return file


def _run(images: Sequence[Image.Image | np.ndarray], args: list[str], timeout: float) -> str:
    # Raw pixels, not PNG: a cleaned page of grey paper takes ~0.7 s of CPU to PNG-compress
    # and no time to write raw; the DPI goes on the command line.
    command = ["tesseract", "/dev/stdin", "stdout", *args]
    with _image_file(images) as pixels, subprocess.Popen(command, stdin=pixels, stdout=subprocess.PIPE,
                                                        stderr=subprocess.PIPE, env=_env()) as process:
        try:
            out, err = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired as error:
            process.kill()
            process.communicate()
            raise TesseractFailed(f"tesseract took longer than {timeout:g} s") from error
    stderr = err.decode("utf-8", "replace").strip()
    if stderr:
        log.debug("tesseract %s: %s", " ".join(args), stderr)
    if process.returncode != 0:
        last = stderr.splitlines()[-1] if stderr else f"exit status {process.returncode}"
        raise TesseractFailed(f"tesseract failed: {last}")
    return out.decode("utf-8", "replace")


def recognize(image: Image.Image | np.ndarray, lang: str = "vie", psm: int = 3, timeout: float = 120) -> list[Word]:
    """OCR an image (a PIL image, or a grey uint8 array) and return its words in Tesseract's
    order, with boxes and confidences."""
    return recognize_pages([image], lang, psm, timeout)[0]


def recognize_pages(images: Sequence[np.ndarray], lang: str = "vie", psm: int = 3,
                    timeout: float = 120) -> list[list[Word]]:
    """OCR grey uint8 arrays in one Tesseract run, as the pages of one TIFF: each image's
    words, read exactly as `recognize` reads it alone (Tesseract reads each page on its
    own), for one start of Tesseract instead of one per image (~0.06 s of CPU each, most of
    it loading the language data)."""
    if not images:
        return []
    tsv = _run(images, ["-l", lang, "--psm", str(psm), "--dpi", "300", "tsv"], timeout)
    pages: list[list[Word]] = [[] for _ in images]
    for row in csv.DictReader(io.StringIO(tsv), delimiter="\t", quoting=csv.QUOTE_NONE):
        text = (row.get("text") or "").strip()
        if row.get("level") != "5" or not text:
            continue
        pages[int(row["page_num"]) - 1].append(Word(
            text=text, left=int(row["left"]), top=int(row["top"]), width=int(row["width"]),
            height=int(row["height"]), conf=float(row["conf"]),
            line=(int(row["block_num"]), int(row["par_num"]), int(row["line_num"])),
        ))
    return pages


_ROTATE = re.compile(r"Rotate:\s*(\d+)")
_CONFIDENCE = re.compile(r"Orientation confidence:\s*([\d.]+)")


def orientation(image: Image.Image | np.ndarray, timeout: float = 60) -> tuple[int, float]:
    """Degrees to rotate the image clockwise so text stands upright, and OSD's confidence.

    Returns (0, 0.0) when Tesseract finds too little text to tell.
    """
    try:
        out = _run([image], ["--psm", "0", "-l", "osd"], timeout)
    except TesseractFailed as err:
        log.debug("orientation not detected: %s", err)
        return 0, 0.0
    rotate, confidence = _ROTATE.search(out), _CONFIDENCE.search(out)
    if not rotate:
        return 0, 0.0
    return int(rotate.group(1)) % 360, float(confidence.group(1)) if confidence else 0.0
