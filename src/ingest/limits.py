"""What one file may cost: pixels per page, pages, bytes of text, seconds, and memory.

A 568-byte PDF can declare a 200 x 200 inch page, a 100 KB PNG can hold 100 million white
pixels, a half-megabyte PDF can hold 2,000 pages: without limits one such file stops a
nightly run or takes the machine down. The limits travel on `OcrOptions` (fields `max_*`
and `deadline`) and are checked here:

- `capped_scale`: every step that enlarges a page (PDF rendering, resampling to 300 DPI,
  reading a column again at a larger size) stays under `max_pixels`;
- `check_pages`, `check_text_size`: refused before any work is done;
- `time_limit`: a per-file deadline (SIGALRM in the process reading the file) that also
  bounds every Tesseract call (`seconds_left`);
- `limit_worker`: a process-wide memory cap (`resource.setrlimit`) for worker processes,
  so a bomb ends in MemoryError (or kills its own worker), never in the kernel's OOM killer;
- `return_freed_pages`: freed page-sized arrays go back to the system at once, so a
  process's memory is what it holds, not the most it ever held.

Defaults suit a records office: dispatches are A4 or A3 pages scanned at 200-600 DPI, a
few to a few hundred pages; see `OcrOptions` for the figures and docs/BENCHMARKS.md for the
memory they allow.
"""

from __future__ import annotations

import ctypes
import functools
import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .errors import InputError

MB = 1_000_000
# Defaults for a records office (OcrOptions and the command line take them from here).
MAX_PIXELS = 80_000_000      # an A3 scan at 600 DPI has 70 million
MAX_PAGES = 500              # a thick dossier has a few hundred
MAX_TEXT_BYTES = 10 * MB     # a long law is 1 MB
MAX_SECONDS = 1800.0         # a 300-page scan takes about 20 minutes on one core
MAX_MEMORY = 3000 * MB       # an A3 scan at 600 DPI peaks at 1.7 GB


class OutOfTime(BaseException):
    """The file's deadline passed. A BaseException, like KeyboardInterrupt, so that the
    `except Exception` of a library cannot swallow it."""


def too_long(seconds: float) -> str:
    return f"too long: not read within {seconds:g} s (the limit per file: --max-seconds)"


def out_of_memory(max_memory: int | None) -> str:
    cap = f" {max_memory / MB:.0f} MB" if max_memory else ""
    return f"out of memory: reading it needs more than the{cap} a worker may use (--max-memory-mb)"


def capped_scale(width: float, height: float, scale: float, max_pixels: int | None) -> float:
    """`scale`, lowered if needed so that a width x height image scaled by it has at most
    `max_pixels` pixels."""
    if not max_pixels or width * height * scale * scale <= max_pixels:
        return scale
    return (max_pixels / (width * height)) ** 0.5


def check_pages(path: Path | str, count: int, max_pages: int | None) -> None:
    """Refuse a file with more pages than `max_pages` before any page is read."""
    if max_pages and count > max_pages:
        raise InputError(path, f"too many pages: {count} (the limit per file is {max_pages}: --max-pages)",
                         "split the file, or raise the limit")


def check_text_size(path: Path | str, size: int, max_bytes: int | None) -> None:
    """Refuse a text file larger than `max_bytes` before it is read."""
    if max_bytes and size > max_bytes:
        raise InputError(path, f"text file too large: {size / MB:.1f} MB "
                               f"(the limit is {max_bytes / MB:g} MB: --max-text-mb)")


def seconds_left(deadline: float | None, cap: float) -> float:
    """Seconds an external call may take: `cap`, or less when the file's `deadline`
    (a `time.monotonic()` value) is nearer. Raises `OutOfTime` once it has passed."""
    if deadline is None:
        return cap
    left = deadline - time.monotonic()
    if left <= 0:
        raise OutOfTime()
    return min(cap, left)


def _raise_out_of_time(_signum, _frame) -> None:
    raise OutOfTime()


@contextmanager
def time_limit(seconds: float | None) -> Iterator[float | None]:
    """Raise `OutOfTime` in this block after `seconds`; yields the deadline
    (`time.monotonic()` value) for `seconds_left`. The alarm repeats every second until
    the block ends, in case a library catches the first one. Only the main thread of a
    POSIX process can take the alarm; elsewhere only the deadline is given (Tesseract calls
    still respect it)."""
    if not seconds:
        yield None
        return
    deadline = time.monotonic() + seconds
    if not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
        yield deadline
        return
    previous = signal.signal(signal.SIGALRM, _raise_out_of_time)
    signal.setitimer(signal.ITIMER_REAL, seconds, 1.0)
    try:
        yield deadline
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def limit_worker(max_memory: int | None) -> None:
    """Cap this process's address space at `max_memory` bytes (a worker initializer).

    Allocations past the cap fail (MemoryError in Python, a failed allocation in a C
    library, which may end the process): a bomb costs its own worker, not the machine.
    The address space bounds resident memory too, and child processes (Tesseract) inherit
    the cap. Where `resource` does not exist (Windows), nothing is capped."""
    if not max_memory:
        return
    try:
        import resource  # POSIX only: imported here so that the module loads anywhere
    except ImportError:
        return
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    cap = max_memory if hard == resource.RLIM_INFINITY else min(max_memory, hard)
    resource.setrlimit(resource.RLIMIT_AS, (cap, hard))


def c_function(name: str, use_errno: bool = False):
    """The C library's function `name` for this process (ctypes), or None where the
    platform has none by that name (`mallopt` is glibc's, `prctl` Linux's)."""
    try:
        return getattr(ctypes.CDLL(None, use_errno=use_errno), name)
    except (OSError, AttributeError, TypeError):  # no C library to open by None (Windows), or no such function
        return None


M_MMAP_THRESHOLD = -3  # mallopt(3) parameter
# Blocks from a tenth of a page of pixels up are mapped on their own (and unmapped when
# freed); smaller ones, the many crops of lines and Python's objects, stay in the heap.
MMAP_THRESHOLD = 1 << 20


@functools.cache
def return_freed_pages() -> None:
    """Have glibc's malloc map every block of MMAP_THRESHOLD bytes or more on its own, for
    this process, so that freeing it returns the memory at once.

    By default glibc raises that threshold each time a large block is freed, up to 32 MB:
    after the first page of pixels is freed, every later one comes from the heap and stays
    there, and an OCR process's resident memory became the sum of its pages' peaks (166 MB
    after one page against 120 MB with this; docs/BENCHMARKS.md). A fixed threshold also
    turns that raising off. Where malloc is not glibc's, nothing is done."""
    mallopt = c_function("mallopt")
    if mallopt is not None:  # None: not glibc (musl, macOS, Windows)
        mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD)
