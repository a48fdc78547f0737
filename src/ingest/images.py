"""Image input (PNG, JPEG, TIFF with any number of pages): frames and their resolution."""

from __future__ import annotations

import struct
import warnings
from pathlib import Path

from PIL import Image, UnidentifiedImageError

from .errors import InputError

A4_LONG_SIDE_INCHES = 11.69
# What Pillow's decoders raise on a damaged file besides OSError: a TIFF with one flipped
# byte gives "TypeError: Missing dimensions", a bad PNG chunk SyntaxError, a bad header
# struct.error, ValueError or IndexError. Each is that file's fault, never the run's.
DECODER_ERRORS = (UnidentifiedImageError, OSError, ValueError, TypeError, SyntaxError, EOFError,
                  IndexError, KeyError, ZeroDivisionError, struct.error)


def _open(path: Path, max_pixels: int) -> Image.Image:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(path)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as err:
        raise InputError(path, "image too large (possible decompression bomb)") from err
    except DECODER_ERRORS as err:
        raise InputError(path, f"unreadable image ({type(err).__name__}: {err})") from err
    try:
        _check_size(path, image, max_pixels)
    except InputError:
        image.close()
        raise
    return image


def _check_size(path: Path, image: Image.Image, max_pixels: int) -> None:
    width, height = image.size
    if width * height > max_pixels:
        raise InputError(path, f"image too large: {width}x{height} pixels, more than {max_pixels:,} "
                               "(possible decompression bomb; the limit: --max-pixels)")


def frame_count(path: Path, max_pixels: int) -> int:
    """Pages in an image file (TIFFs may hold many)."""
    with _open(path, max_pixels) as image:
        try:
            return getattr(image, "n_frames", 1)
        except DECODER_ERRORS as err:  # counting frames reads every TIFF directory
            raise InputError(path, f"unreadable image ({type(err).__name__}: {err})") from err


def _dpi(image: Image.Image) -> float:
    """The stated resolution, or one estimated from an A4 page when none is stated."""
    try:
        stated = float(image.info["dpi"][0])
    except (KeyError, IndexError, TypeError, ValueError, ZeroDivisionError):  # none, or nonsense
        stated = 0.0
    if 100 <= stated <= 1200:
        return stated
    return max(image.size) / A4_LONG_SIDE_INCHES


def load_frame(path: Path, index: int, max_pixels: int) -> tuple[Image.Image, float]:
    """Frame `index` (0-based) decoded, and its DPI."""
    with _open(path, max_pixels) as image:
        try:
            image.seek(index)
            _check_size(path, image, max_pixels)  # each page of a TIFF has its own size
            # Decoded in place, not copied: leaving the `with` closes the file and keeps the
            # pixels (a copy was one more page in memory at a worker's peak).
            image.load()
        except DECODER_ERRORS as err:
            raise InputError(path, f"unreadable image page {index + 1} ({type(err).__name__}: {err})") from err
        return image, _dpi(image)
