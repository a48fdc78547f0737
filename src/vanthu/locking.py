"""Exclusive, non-blocking locks on files, released by the operating system when the process
ends (even by `kill -9`), so a crashed run never leaves a stale lock behind.

The `filelock` package does the locking on every platform (flock on POSIX, LockFileEx on
Windows); it is imported when a lock is taken, so starting the command never loads a
POSIX-only module. Lock files live where inbox writers cannot plant them: beside the
database (`archive.db.lock`), or in vanthu's state folder (one per inbox, and one per
database that is not a file) — never inside the inbox. A lock file is opened without
following a link (`O_NOFOLLOW`, filelock >= 3.20.1): a link planted at its name is refused.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

from vanthu.knowledge.printable import printable_path


class Busy(Exception):
    """Another process holds the lock."""

    def __init__(self, what: str, lock: Path | str, holder: str) -> None:
        self.what, self.lock, self.holder = what, lock, holder
        by = f" (pid {holder})" if holder else ""
        super().__init__(f"another vanthu run is working on {what}{by}; nothing was done "
                         f"(lock {printable_path(lock)})")


class LockRefused(Exception):
    """The lock file cannot be used (a link planted at its name, a folder missing)."""


def default_state_dir() -> Path:
    """$VANTHU_STATE_DIR, else $XDG_STATE_HOME/vanthu, else ~/.local/state/vanthu."""
    if os.environ.get("VANTHU_STATE_DIR"):
        return Path(os.environ["VANTHU_STATE_DIR"])
    base = os.environ.get("XDG_STATE_HOME") or Path.home() / ".local" / "state"
    return Path(base) / "vanthu"


def _holder(lock: Path) -> str:
    """The pid written in a lock file by the process holding it ("" when unreadable)."""
    try:
        fd = os.open(lock, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        return ""
    try:
        return os.read(fd, 32).decode(errors="replace").strip()
    finally:
        os.close(fd)


def _write_pid(lock: Path) -> None:
    """Say who holds the lock, for the message the next run prints (where the platform lets
    a second handle write to a locked file; the pid is only a courtesy)."""
    try:
        fd = os.open(lock, os.O_WRONLY | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return
    try:
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
    except OSError:
        pass
    finally:
        os.close(fd)


@contextmanager
def exclusive_lock(lock: Path, what: str) -> Iterator[None]:
    """Hold `lock` for the duration of the block, or raise `Busy` at once."""
    from filelock import FileLock, Timeout  # here, not at start-up: it imports fcntl

    if lock.is_symlink():
        raise LockRefused(f"lock file {printable_path(lock)} is a symbolic link; remove it "
                          "(vanthu never writes through a link)")
    holder = FileLock(lock, timeout=0, thread_local=False)
    try:
        holder.acquire()
    except Timeout:
        raise Busy(what, lock, _holder(lock)) from None
    except OSError as err:
        raise LockRefused(f"cannot take the lock {printable_path(lock)}: {err.strerror or err}") from err
    try:
        _write_pid(lock)
        yield
    finally:
        holder.release()


@contextmanager
def database_lock(url: str, state_dir: Path) -> Iterator[None]:
    """The database's lock: a file beside an SQLite database (else in the state folder); on
    PostgreSQL a lock held by the server (an advisory lock), so that runs on different
    machines sharing one database exclude each other too."""
    if url.startswith("postgresql"):
        from vanthu.store.database import shown_url
        from vanthu.store.locks import advisory_lock

        with advisory_lock(url, "inbox run") as holder:
            if holder is not None:
                raise Busy("this database", f"PostgreSQL advisory lock on {shown_url(url)}", holder)
            yield
        return
    with exclusive_lock(database_lock_path(url, state_dir), "this database"):
        yield


def database_lock_path(url: str, state_dir: Path) -> Path:
    """Where the lock for a database lives: beside an SQLite file, else in the state folder."""
    if url.startswith("sqlite:///") and "mode=memory" not in url:
        path = url.removeprefix("sqlite:///").split("?", 1)[0].removeprefix("file:")
        return Path(f"{path}.lock")
    digest = hashlib.sha256(url.encode()).hexdigest()[:16]
    return state_dir / f"database-{digest}.lock"


def inbox_lock_path(inbox: Path, state_dir: Path) -> Path:
    """Where the lock for an inbox lives: in the state folder, named after the inbox's real path."""
    digest = hashlib.sha256(os.fsencode(inbox.resolve())).hexdigest()[:16]
    return state_dir / f"inbox-{digest}.lock"


def prepare_state_dir(state_dir: Path) -> None:
    """Make the state folder (private to the user), refusing one that is a link."""
    try:
        state_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError as err:
        raise LockRefused(f"cannot make the state folder {printable_path(state_dir)}: {err.strerror or err}; "
                          "give another with --state-dir (or VANTHU_STATE_DIR)") from err
    if state_dir.is_symlink():
        raise LockRefused(f"state folder {printable_path(state_dir)} is a symbolic link")


@contextmanager
def inbox_and_database_locks(inbox: Path, url: str, state_dir: Path) -> Iterator[None]:
    """Both locks an inbox run needs: one per inbox folder, one per database."""
    prepare_state_dir(state_dir)
    with ExitStack() as stack:
        stack.enter_context(exclusive_lock(inbox_lock_path(inbox, state_dir), f"inbox {printable_path(inbox)}"))
        stack.enter_context(database_lock(url, state_dir))
        yield
