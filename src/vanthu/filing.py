"""Moving processed files out of the inbox without ever losing, overwriting or leaking one.

A move within one filesystem is a rename (atomic). Across filesystems the file is copied to
a hidden temporary name beside its destination, flushed to disk, renamed into place, and only
then removed from the inbox: a move interrupted at any point leaves the source where it was,
and the next run repeats it (replacing any half-written copy).

Every folder on the way is opened without following links (`vanthu.nofollow`): a `done/sub`
or `failed/sub` planted as a link to another folder is refused, not written through, and a
file of another content already at the destination is never replaced (the new one gets the
start of its hash in its name). Names too long for the filesystem once a hash or
".error.txt" is added are shortened (`nofollow.fit_name`).
"""

from __future__ import annotations

import datetime as dt
import errno
import os
import stat
from pathlib import PurePath

from .nofollow import NAME_MAX, Place, create_exclusive, fit_name, folder, open_regular, sha256_fd

NOTE_SUFFIX = ".error.txt"


def _same_content(dir_fd: int, name: str, sha256: str) -> bool:
    """Whether `name` in the folder is a regular file holding content `sha256`."""
    try:
        info = os.stat(name, dir_fd=dir_fd, follow_symlinks=False)
    except FileNotFoundError:
        return False
    if not stat.S_ISREG(info.st_mode):
        return False
    fd = os.open(name, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0), dir_fd=dir_fd)
    try:
        return sha256_fd(fd) == sha256
    finally:
        os.close(fd)


def _free_name(dir_fd: int, name: str, sha256: str) -> str:
    """`name`, unless another content (or a folder, or a link) has it: then `name` with
    the start of the content hash, or the whole hash."""
    stem, suffix = os.path.splitext(name)
    for candidate in (name, f"{stem}.{sha256[:12]}{suffix}", f"{stem}.{sha256}{suffix}"):
        candidate = fit_name(candidate) if len(os.fsencode(candidate)) > NAME_MAX else candidate
        try:
            os.stat(candidate, dir_fd=dir_fd, follow_symlinks=False)
        except FileNotFoundError:
            return candidate
        if _same_content(dir_fd, candidate, sha256):
            return candidate
    raise OSError(errno.EEXIST, f"no free name for {name} (three files of other contents have its names)")


def destination(root: PurePath, relative: PurePath, sha256: str) -> Place:
    """Where a file goes under `root` (done/ or failed/): its path relative to the inbox,
    the folders made as needed (never through a link), with a free name."""
    with folder(root, relative.parent, create=True) as fd:
        return Place(root, relative.with_name(_free_name(fd, relative.name, sha256)))


def _copy_across(source_fd: int, source_name: str, target_fd: int, target_name: str) -> None:
    """Copy, flush, rename into place: the target appears whole or not at all. The copy
    may read but not execute (an inbox is no place to install programs from)."""
    fd_in = os.open(source_name, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0),
                    dir_fd=source_fd)
    try:
        info = os.fstat(fd_in)
        partial = fit_name(f".{target_name}", ".partial")
        fd_out = create_exclusive(target_fd, partial, stat.S_IMODE(info.st_mode) & 0o666)
        try:
            offset = 0
            while block := os.pread(fd_in, 1 << 20, offset):
                os.write(fd_out, block)
                offset += len(block)
            os.utime(fd_out, ns=(info.st_atime_ns, info.st_mtime_ns))
            os.fsync(fd_out)
        finally:
            os.close(fd_out)
    finally:
        os.close(fd_in)
    os.rename(partial, target_name, src_dir_fd=target_fd, dst_dir_fd=target_fd)
    os.fsync(target_fd)


def move(source: Place, target: Place) -> None:
    """Move the file at `source` (a link is moved as a link, never followed) to `target`."""
    with folder(source.root, source.relative.parent, create=False, root_links=True) as source_fd, \
            folder(target.root, target.relative.parent, create=True) as target_fd:
        name, target_name = source.relative.name, target.relative.name
        try:
            os.rename(name, target_name, src_dir_fd=source_fd, dst_dir_fd=target_fd)
            return
        except OSError as err:
            if err.errno != errno.EXDEV:
                raise
        _copy_across(source_fd, name, target_fd, target_name)
        os.unlink(name, dir_fd=source_fd)


def note_place(failed_file: Place) -> Place:
    """The note written beside a quarantined file ("NAME.error.txt", the name shortened if
    it would be too long)."""
    return failed_file.sibling(fit_name(failed_file.relative.name, NOTE_SUFFIX))


def write_note(place: Place, lines: dict[str, str]) -> None:
    """Write a small "key: value" text file atomically (a new temporary file, then rename)."""
    text = "".join(f"{key}: {value}\n" for key, value in lines.items())
    with folder(place.root, place.relative.parent, create=True) as fd:
        temporary = fit_name(f".{place.relative.name}", ".tmp")
        out = create_exclusive(fd, temporary)
        try:
            os.write(out, text.encode("utf-8"))
            os.fsync(out)
        finally:
            os.close(out)
        os.rename(temporary, place.relative.name, src_dir_fd=fd, dst_dir_fd=fd)


def remove_note(failed_file: Place) -> None:
    """Remove the note of a file that left failed/ (it was stored after all)."""
    note = note_place(failed_file)
    try:
        with folder(note.root, note.relative.parent, create=False, root_links=True) as fd:
            os.unlink(note.relative.name, dir_fd=fd)
    except FileNotFoundError:
        pass


def hash_regular(place: Place) -> tuple[str, os.stat_result]:
    """The content hash of a regular file and its status once read; raises `UnsafePath`
    for anything else, and `Changed` when it changed while it was read."""
    with open_regular(place) as (fd, before):
        sha = sha256_fd(fd)
        after = os.fstat(fd)
    if identity(before) != identity(after):
        raise Changed(place.shown())
    return sha, after


class Changed(Exception):
    """The file changed while it was read (still being written)."""


def identity(info: os.stat_result) -> tuple[int, int, int, int, int]:
    """What changes when a file's content changes or another file takes its name: any write
    moves mtime and ctime (ctime cannot be set back), a rename moves ctime."""
    return info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns


def failure_note(original: str, reason: str, sha256: str, version: str) -> dict[str, str]:
    return {
        "file": original,
        "reason": reason,
        "time": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "sha256": sha256,
        "vanthu": version,
        "retry": "fix or replace the file here (it is retried when its content changes), "
                 "or run vanthu inbox with --retry-failed",
    }
