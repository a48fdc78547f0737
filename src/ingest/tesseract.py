"""The Tesseract binary: an availability probe and its calls (words with boxes, of one image
or of several small ones in one run; orientation).

Every call gets an argument list (no shell), a timeout, and an explicit environment with
`OMP_THREAD_LIMIT=1`: Tesseract's OpenMP threads fight each other when pages already run in
parallel processes (one unthrottled page took 15 s here instead of 2 s). Images go in on
stdin (one image as raw Netpbm, several as the pages of one TIFF); nothing is written to
disk.
"""

from __future__ import annotations

import csv
import functools
import io
import logging
import os
import re
import shutil
import subprocess
from dataclasses import dataclass

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


def _netpbm(image: Image.Image | np.ndarray) -> tuple[bytes, memoryview]:
    """The image as raw Netpbm: its header, and its pixels as they lie in memory (a grey
    array is sent as it is: a page is 9 MB, and a worker's peak memory is counted in pages)."""
    if isinstance(image, np.ndarray):
        pixels = np.ascontiguousarray(image, dtype=np.uint8)  # a crop of a page: copied, small
        return b"P5\n%d %d\n255\n" % (pixels.shape[1], pixels.shape[0]), memoryview(pixels).cast("B")
    buffer = io.BytesIO()
    image.save(buffer, "PPM")
    return b"", buffer.getbuffer()


def _run(image: Image.Image | np.ndarray, args: list[str], timeout: float) -> str:
    # Netpbm, not PNG: a cleaned page of grey paper takes ~0.7 s of CPU to PNG-compress and
    # no time to write raw; the DPI goes on the command line.
    return _call(*_netpbm(image), args, timeout)


def _call(header: bytes, pixels: memoryview | bytes, args: list[str], timeout: float) -> str:
    command = ["tesseract", "stdin", "stdout", *args]
    with subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          env=_env()) as process:
        try:
            process.stdin.write(header)  # a few bytes, buffered; sent before the pixels
            out, err = process.communicate(pixels, timeout=timeout)
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


def _tsv_words(tsv: str) -> list[tuple[int, Word]]:
    """The words of Tesseract's TSV output, each with its page number (from 1)."""
    words = []
    for row in csv.DictReader(io.StringIO(tsv), delimiter="\t", quoting=csv.QUOTE_NONE):
        text = (row.get("text") or "").strip()
        if row.get("level") != "5" or not text:
            continue
        words.append((int(row["page_num"]), Word(
            text=text, left=int(row["left"]), top=int(row["top"]), width=int(row["width"]),
            height=int(row["height"]), conf=float(row["conf"]),
            line=(int(row["block_num"]), int(row["par_num"]), int(row["line_num"])),
        )))
    return words


def recognize(image: Image.Image | np.ndarray, lang: str = "vie", psm: int = 3, timeout: float = 120) -> list[Word]:
    """OCR an image (a PIL image, or a grey uint8 array) and return its words in Tesseract's
    order, with boxes and confidences."""
    tsv = _run(image, ["-l", lang, "--psm", str(psm), "--dpi", "300", "tsv"], timeout)
    return [word for _, word in _tsv_words(tsv)]


def recognize_each(images: list[np.ndarray], lang: str = "vie", psm: int = 7, timeout: float = 120) -> list[list[Word]]:
    """OCR several small grey images in one Tesseract run (as the pages of one TIFF: the
    model is loaded once, and each image is read with `psm` on its own); the words of each."""
    if not images:
        return []
    buffer = io.BytesIO()
    first, *rest = (Image.fromarray(np.ascontiguousarray(image, dtype=np.uint8)) for image in images)
    first.save(buffer, "TIFF", save_all=True, append_images=rest)
    tsv = _call(b"", buffer.getbuffer(), ["-l", lang, "--psm", str(psm), "--dpi", "300", "tsv"], timeout)
    found: list[list[Word]] = [[] for _ in images]
    for page, word in _tsv_words(tsv):
        if 1 <= page <= len(images):
            found[page - 1].append(word)
    return found


_ROTATE = re.compile(r"Rotate:\s*(\d+)")
_CONFIDENCE = re.compile(r"Orientation confidence:\s*([\d.]+)")


def orientation(image: Image.Image | np.ndarray, timeout: float = 60) -> tuple[int, float]:
    """Degrees to rotate the image clockwise so text stands upright, and OSD's confidence.

    Returns (0, 0.0) when Tesseract finds too little text to tell.
    """
    try:
        out = _run(image, ["--psm", "0", "-l", "osd"], timeout)
    except TesseractFailed as err:
        log.debug("orientation not detected: %s", err)
        return 0, 0.0
    rotate, confidence = _ROTATE.search(out), _CONFIDENCE.search(out)
    if not rotate:
        return 0, 0.0
    return int(rotate.group(1)) % 360, float(confidence.group(1)) if confidence else 0.0
