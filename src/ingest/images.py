"""Image input (PNG, JPEG, TIFF with any number of pages): frames and their resolution."""

from __future__ import annotations

import warnings
from pathlib import Path

from PIL import Image, UnidentifiedImageError

from .errors import InputError

A4_LONG_SIDE_INCHES = 11.69


def _open(path: Path, max_pixels: int) -> Image.Image:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(path)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as err:
        raise InputError(path, "image too large (possible decompression bomb)") from err
    except (UnidentifiedImageError, OSError, ValueError) as err:
        raise InputError(path, f"unreadable image ({err})") from err
    width, height = image.size
    if width * height > max_pixels:
        image.close()
        raise InputError(path, f"image too large: {width}x{height} pixels (possible decompression bomb)")
    return image


def frame_count(path: Path, max_pixels: int) -> int:
    """Pages in an image file (TIFFs may hold many)."""
    with _open(path, max_pixels) as image:
        return getattr(image, "n_frames", 1)


def _dpi(image: Image.Image) -> float:
    """The stated resolution, or one estimated from an A4 page when none is stated."""
    stated = image.info.get("dpi")
    if stated and 100 <= float(stated[0]) <= 1200:
        return float(stated[0])
    return max(image.size) / A4_LONG_SIDE_INCHES


def load_frame(path: Path, index: int, max_pixels: int) -> tuple[Image.Image, float]:
    """Frame `index` (0-based) decoded, and its DPI."""
    with _open(path, max_pixels) as image:
        try:
            image.seek(index)
            frame = image.copy()
            frame.load()
        except (OSError, EOFError, ValueError) as err:
            raise InputError(path, f"unreadable image page {index + 1} ({err})") from err
        return frame, _dpi(image)
