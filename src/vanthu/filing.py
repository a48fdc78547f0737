"""Moving processed files out of the inbox without ever losing one.

A move within one filesystem is a rename (atomic). Across filesystems the file is copied to
a hidden temporary name beside its destination, flushed to disk, renamed into place, and only
then removed from the inbox: a move interrupted at any point leaves the source where it was,
and the next run repeats it (overwriting any half-written copy).
"""

from __future__ import annotations

import datetime as dt
import errno
import hashlib
import os
import shutil
from pathlib import Path


def destination(folder: Path, relative: Path, sha256: str) -> Path:
    """Where a file goes in `folder`: its path relative to the inbox, with the start of its
    content hash added when another content already has that name."""
    target = folder / relative
    if target.exists() and not _same_content(target, sha256):
        target = target.with_name(f"{target.stem}.{sha256[:12]}{target.suffix}")
    return target


def sha256_file(path: Path) -> str:
    """Hex sha256 of a file's content, read in blocks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _same_content(path: Path, sha256: str) -> bool:
    return sha256_file(path) == sha256


def _fsync_folder(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def move(source: Path, target: Path) -> None:
    """Move `source` to `target`, atomically where the filesystem allows."""
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.replace(source, target)
    except OSError as err:
        if err.errno != errno.EXDEV:
            raise
        partial = target.with_name(f".{target.name}.partial")
        shutil.copy2(source, partial)
        with partial.open("rb") as handle:
            os.fsync(handle.fileno())
        os.replace(partial, target)
        _fsync_folder(target.parent)
        source.unlink()


def write_note(path: Path, lines: dict[str, str]) -> None:
    """Write a small "key: value" text file atomically (temporary name, then rename)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_text("".join(f"{key}: {value}\n" for key, value in lines.items()), encoding="utf-8")
    os.replace(temporary, path)


def note_path(failed_file: Path) -> Path:
    """The note written beside a quarantined file."""
    return failed_file.with_name(failed_file.name + ".error.txt")


def failure_note(original: Path, reason: str, sha256: str, version: str) -> dict[str, str]:
    return {
        "file": str(original),
        "reason": reason,
        "time": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "sha256": sha256,
        "vanthu": version,
        "retry": "fix or replace the file here (it is retried when its content changes), "
                 "or run vanthu inbox with --retry-failed",
    }
