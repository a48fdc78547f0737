"""Files and folders under a root, reached without following a symbolic link.

Anyone who can write into the inbox (SFTP, NFS, rsync) can plant a link where vanthu is
about to write (`done/sub` -> `/home/vanthu/bin`) or read (`scan.pdf` -> `/etc/passwd`).
So below a root every folder is opened relative to the one above it with `O_NOFOLLOW` (the
`openat` way: a folder swapped for a link between two steps is refused, not followed), files
are opened with `O_NOFOLLOW | O_NONBLOCK` (a FIFO does not block) and must be regular, and
files vanthu creates are created with `O_EXCL` (a planted name is removed first, never
written through). Roots themselves (the inbox, done/, failed/) come from the command line;
done/ and failed/ are refused when they are links (`open_root`).

Needs `dir_fd` support (Linux, the BSDs, macOS).
"""

from __future__ import annotations

import errno
import hashlib
import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePath

from vanthu.knowledge.printable import printable_path

_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_FOLDER = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0)
_READ = os.O_RDONLY | _NOFOLLOW | getattr(os, "O_NONBLOCK", 0)
NAME_MAX = 255  # bytes in one file name (ext4, XFS, btrfs, NFS)


class UnsafePath(OSError):
    """A link, or something other than the folder or regular file expected, where vanthu
    reads or writes."""


@dataclass(frozen=True)
class Place:
    """A file `relative` to a `root` folder."""

    root: Path
    relative: PurePath

    @property
    def path(self) -> Path:
        return self.root / self.relative

    def shown(self) -> str:
        return printable_path(self.path)

    def sibling(self, name: str) -> Place:
        return Place(self.root, self.relative.with_name(name))


def _refusal(err: OSError, shown: str, is_link: bool) -> OSError:
    """The error of an open refused because of what the name is (a link, not a folder)."""
    if is_link:
        return UnsafePath(err.errno, f"{shown} is a symbolic link")
    if err.errno == errno.ENOTDIR:
        return UnsafePath(err.errno, f"{shown} is not a folder")
    return err


def _is_link(name: str | Path, dir_fd: int | None = None) -> bool:
    """Whether `name` is a symbolic link (O_NOFOLLOW reports ELOOP, or ENOTDIR together with
    O_DIRECTORY, or EMLINK on FreeBSD: asking is clearer)."""
    try:
        return stat.S_ISLNK(os.stat(name, dir_fd=dir_fd, follow_symlinks=False).st_mode)
    except OSError:
        return False


def open_root(root: Path, create: bool, links: bool = False) -> int:
    """A descriptor of the folder `root` (created with its parents if `create`). Unless
    `links`, a root that is itself a symbolic link is refused (`UnsafePath`)."""
    if create:
        root.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.mkdir(root)
        except FileExistsError:
            pass
    try:
        return os.open(root, _FOLDER | (0 if links else _NOFOLLOW))
    except OSError as err:
        raise _refusal(err, printable_path(root), _is_link(root)) from err


@contextmanager
def folder(place_root: Path, relative_folder: PurePath, create: bool, root_links: bool = False) -> Iterator[int]:
    """A descriptor of `root/relative_folder`, each step opened without following links;
    missing folders are made when `create`."""
    fd = open_root(place_root, create, root_links)
    try:
        here = place_root
        for part in relative_folder.parts:
            here = here / part
            if create:
                try:
                    os.mkdir(part, dir_fd=fd)
                except FileExistsError:
                    pass
            try:
                child = os.open(part, _FOLDER | _NOFOLLOW, dir_fd=fd)
            except OSError as err:
                raise _refusal(err, printable_path(here), _is_link(part, fd)) from err
            os.close(fd)
            fd = child
        yield fd
    finally:
        os.close(fd)


def lstat(place: Place, root_links: bool = True) -> os.stat_result | None:
    """The file's own status (a link is not followed), or None when it (or a folder on the
    way) is gone or became a link."""
    try:
        with folder(place.root, place.relative.parent, create=False, root_links=root_links) as fd:
            return os.stat(place.relative.name, dir_fd=fd, follow_symlinks=False)
    except (FileNotFoundError, UnsafePath):
        return None


@contextmanager
def open_regular(place: Place, root_links: bool = True) -> Iterator[tuple[int, os.stat_result]]:
    """The file opened for reading, and its status; `UnsafePath` unless it is a regular
    file (a link, a FIFO, a device or a socket is never opened for reading)."""
    with folder(place.root, place.relative.parent, create=False, root_links=root_links) as parent:
        try:
            fd = os.open(place.relative.name, _READ, dir_fd=parent)
        except OSError as err:
            raise _refusal(err, place.shown(), _is_link(place.relative.name, parent)) from err
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise UnsafePath(errno.EINVAL, f"{place.shown()} is not a regular file ({kind_of(info.st_mode)})")
        yield fd, info
    finally:
        os.close(fd)


def kind_of(mode: int) -> str:
    """What a non-regular file is, in words."""
    for test, name in ((stat.S_ISLNK, "a symbolic link"), (stat.S_ISFIFO, "a FIFO"), (stat.S_ISSOCK, "a socket"),
                       (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
                       (stat.S_ISDIR, "a folder")):
        if test(mode):
            return name
    return "not a regular file"


def sha256_fd(fd: int) -> str:
    """Hex sha256 of an open file's content, read from the start in blocks."""
    digest = hashlib.sha256()
    offset = 0
    while block := os.pread(fd, 1 << 20, offset):
        digest.update(block)
        offset += len(block)
    return digest.hexdigest()


def fit_name(name: str, tail: str = "") -> str:
    """`name` + `tail`, with the end of `name`'s stem replaced by a short digest when the
    whole is longer than a file name may be (the suffix and `tail` are kept)."""
    if len(os.fsencode(name + tail)) <= NAME_MAX:
        return name + tail
    stem, suffix = os.path.splitext(name)
    if len(os.fsencode(suffix)) > 16:
        stem, suffix = name, ""
    mark = "~" + hashlib.sha256(os.fsencode(name)).hexdigest()[:8]
    room = NAME_MAX - len(os.fsencode(mark + suffix + tail))
    while len(os.fsencode(stem)) > room:
        stem = stem[:-1]
    return stem + mark + suffix + tail


def create_exclusive(dir_fd: int, name: str, mode: int = 0o644) -> int:
    """A new file `name` in the folder, opened for writing. Whatever had the name (a
    leftover of a crash, a planted link) is removed first, never written through."""
    try:
        os.unlink(name, dir_fd=dir_fd)
    except FileNotFoundError:
        pass
    return os.open(name, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW | getattr(os, "O_BINARY", 0),
                   mode, dir_fd=dir_fd)
