"""Poppler's pdftotext: the words of a PDF's text layer with their boxes.

Used instead of pdfminer for the text layer because it also reads the text that signing
services print in annotations (the digital-signature stamps of signed scans), which
pdfminer does not see, and because one call reads every page. Called with an argument list,
a timeout and an explicit environment; `-bbox` output is a small XHTML document of
`<page width height>` and `<word xMin yMin xMax yMax>` elements (PDF points).
"""

from __future__ import annotations

import functools
import html
import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from .errors import MissingDependency

PACKAGE = "poppler-utils"
_PAGE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', re.S)
_WORD = re.compile(r'<word xMin="([\d.-]+)" yMin="([\d.-]+)" xMax="([\d.-]+)" yMax="([\d.-]+)">(.*?)</word>', re.S)


class PdftotextFailed(Exception):
    """pdftotext ran but gave no usable output (damaged file, timeout)."""


@dataclass(frozen=True)
class LayerWord:
    text: str
    left: float
    top: float
    right: float
    bottom: float


@dataclass(frozen=True)
class LayerPage:
    width: float
    height: float
    words: tuple[LayerWord, ...]


def _env() -> dict[str, str]:
    return {key: value for key, value in os.environ.items() if key in ("PATH", "HOME", "LANG", "LC_ALL")}


@functools.cache
def probe() -> str:
    """Check that pdftotext is installed; return its version line."""
    program = shutil.which("pdftotext")
    if program is None:
        raise MissingDependency("pdftotext", PACKAGE)
    result = subprocess.run([program, "-v"], capture_output=True, text=True, timeout=30,
                            env=_env(), check=False)
    return (result.stderr or result.stdout).split("\n", 1)[0].strip()


def layer_pages(path: Path, timeout: float = 60) -> list[LayerPage]:
    """Every page's size and words (points, origin top left), annotations included."""
    probe()
    command = ["pdftotext", "-bbox", "-enc", "UTF-8", "-q", str(path), "-"]
    try:
        result = subprocess.run(command, capture_output=True, timeout=timeout, env=_env(), check=False)
    except subprocess.TimeoutExpired as err:
        raise PdftotextFailed(f"pdftotext took longer than {timeout:g} s") from err
    if result.returncode != 0:
        raise PdftotextFailed(f"pdftotext failed with exit status {result.returncode}")
    document = result.stdout.decode("utf-8", "replace")
    pages = []
    for width, height, body in _PAGE.findall(document):
        words = tuple(LayerWord(html.unescape(text), float(x0), float(y0), float(x1), float(y1))
                      for x0, y0, x1, y1, text in _WORD.findall(body) if text.strip())
        pages.append(LayerPage(float(width), float(height), words))
    return pages
