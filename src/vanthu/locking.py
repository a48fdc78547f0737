"""Exclusive, non-blocking locks on files, released by the kernel when the process ends
(even by `kill -9`), so a crashed run never leaves a stale lock behind."""

from __future__ import annotations

import fcntl
import hashlib
import os
import tempfile
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path


class Busy(Exception):
    """Another process holds the lock."""

    def __init__(self, what: str, lock: Path | str, holder: str) -> None:
        self.what, self.lock, self.holder = what, lock, holder
        by = f" (pid {holder})" if holder else ""
        super().__init__(f"another vanthu run is working on {what}{by}; nothing was done (lock {lock})")


@contextmanager
def exclusive_lock(lock: Path, what: str) -> Iterator[None]:
    """Hold `lock` for the duration of the block, or raise `Busy` at once."""
    fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise Busy(what, lock, os.pread(fd, 32, 0).decode(errors="replace").strip()) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock


@contextmanager
def database_lock(url: str) -> Iterator[None]:
    """The database's lock: a file beside an SQLite database; on PostgreSQL a lock held by the
    server (an advisory lock), so that runs on different machines sharing one database
    exclude each other too; else a file in the temp folder."""
    if url.startswith("postgresql"):
        from vanthu.store.database import shown_url
        from vanthu.store.locks import advisory_lock

        with advisory_lock(url, "inbox run") as holder:
            if holder is not None:
                raise Busy("this database", f"PostgreSQL advisory lock on {shown_url(url)}", holder)
            yield
        return
    with exclusive_lock(database_lock_path(url), "this database"):
        yield


def database_lock_path(url: str) -> Path:
    """Where the lock for a database lives: beside an SQLite file, else in the temp folder."""
    if url.startswith("sqlite:///") and "mode=memory" not in url:
        path = url.removeprefix("sqlite:///").split("?", 1)[0].removeprefix("file:")
        return Path(f"{path}.lock")
    digest = hashlib.sha1(url.encode()).hexdigest()[:16]
    return Path(tempfile.gettempdir()) / f"vanthu-db-{digest}.lock"


@contextmanager
def inbox_and_database_locks(inbox: Path, url: str) -> Iterator[None]:
    """Both locks an inbox run needs: one per inbox folder, one per database."""
    with ExitStack() as stack:
        stack.enter_context(exclusive_lock(inbox / ".vanthu-inbox.lock", f"inbox {inbox}"))
        stack.enter_context(database_lock(url))
        yield
