"""Running `vanthu inbox` as the nightly job does (a subprocess), and looking at what it left:
the database, the folders, and everything outside the inbox."""

from __future__ import annotations

import hashlib
import os
import resource
import sqlite3
import stat
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

VANTHU = str(Path(sys.executable).with_name("vanthu"))
# A run that regresses into a bomb must fail the test, not take the shared machine down.
GUARD_BYTES = 8 * 1024**3


def _guard() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (GUARD_BYTES, GUARD_BYTES))


@dataclass
class Run:
    returncode: int
    stdout: str
    stderr: str
    peak_mb: float  # the largest resident set of the run or any process it started

    def errors(self) -> list[str]:
        return [line for line in self.stderr.splitlines() if line.startswith("vanthu: error:")]

    def summary(self) -> str:
        return self.stdout.splitlines()[-1] if self.stdout else ""


def start(args: list[str], cwd: Path | None = None) -> subprocess.Popen:
    """Start vanthu; its output is collected by threads, so a long output cannot block it."""
    process = subprocess.Popen([VANTHU, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               cwd=cwd, preexec_fn=_guard)
    process.collected = {}
    for name in ("stdout", "stderr"):
        stream = getattr(process, name)
        thread = threading.Thread(target=lambda n=name, s=stream: process.collected.__setitem__(n, s.read()),
                                  daemon=True)
        thread.start()
        process.collected[f"{name}-thread"] = thread
    return process


def finish(process: subprocess.Popen, timeout: float = 300) -> Run:
    """Wait for a run (killing it after `timeout`: a run that hangs fails the test) and
    measure the peak memory of its whole tree (wait4 reports the largest reaped descendant)."""
    deadline = time.monotonic() + timeout
    while True:
        pid, status, usage = os.wait4(process.pid, os.WNOHANG)
        if pid:
            break
        if time.monotonic() > deadline:
            process.kill()
            os.wait4(process.pid, 0)
            raise AssertionError(f"vanthu did not finish within {timeout} s")
        time.sleep(0.05)
    process.returncode = os.waitstatus_to_exitcode(status)
    for name in ("stdout", "stderr"):
        process.collected[f"{name}-thread"].join(30)
    return Run(process.returncode, process.collected.get("stdout", ""), process.collected.get("stderr", ""),
               usage.ru_maxrss / 1024)


def vanthu(args: list[str], cwd: Path | None = None, timeout: float = 300) -> Run:
    return finish(start(args, cwd), timeout)


def inbox_run(inbox: Path, db: Path, *extra: str, cwd: Path | None = None, timeout: float = 300) -> Run:
    return vanthu(["inbox", str(inbox), "--db", str(db), "--settle", "0", "--jobs", "1", *extra], cwd, timeout)


def column(db: Path, query: str) -> list:
    """The first column of a query's rows."""
    with sqlite3.connect(db) as connection:
        return [row[0] for row in connection.execute(query)]


def documents_in(db: Path) -> list[str]:
    return column(db, "SELECT sha256 FROM documents")


def texts_in(db: Path) -> list[str]:
    return column(db, "SELECT text FROM documents")


def failures_in(db: Path) -> list[str]:
    return column(db, "SELECT sha256 FROM failures")


def run_statuses(db: Path) -> list[str]:
    return column(db, "SELECT status FROM runs ORDER BY id")


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def snapshot(folder: Path, skip: tuple[Path, ...] = ()) -> dict[str, tuple]:
    """Every entry under `folder` (links not followed): content hash and mode of files, the
    target of links, the kind of anything else."""
    found = {}
    for root, dirs, files in os.walk(folder):
        here = Path(root)
        dirs[:] = [d for d in dirs if here / d not in skip]
        for name in [*dirs, *files]:
            path = here / name
            if path in skip:
                continue
            info = os.lstat(path)
            if stat.S_ISLNK(info.st_mode):
                found[str(path)] = ("link", os.readlink(path))
            elif stat.S_ISREG(info.st_mode):
                found[str(path)] = ("file", sha(path.read_bytes()), stat.S_IMODE(info.st_mode))
            else:
                found[str(path)] = ("other", stat.S_IFMT(info.st_mode))
    return found


def shas_under(folder: Path) -> list[str]:
    """Content hashes of the regular files filed under `folder` (notes and hidden files aside)."""
    return sorted(sha(p.read_bytes()) for p in folder.rglob("*")
                  if p.is_file() and not p.is_symlink() and not p.name.startswith(".")
                  and not p.name.endswith(".error.txt"))


def descendants(pid: int) -> list[tuple[int, str]]:
    """(pid, command name) of every living process below `pid`."""
    parents: dict[int, list[tuple[int, str]]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            text = (entry / "stat").read_text()
        except OSError:
            continue
        name = text[text.index("(") + 1:text.rindex(")")]
        ppid = int(text[text.rindex(")") + 2:].split()[1])
        parents.setdefault(ppid, []).append((int(entry.name), name))
    found, todo = [], [pid]
    while todo:
        for child in parents.get(todo.pop(), []):
            found.append(child)
            todo.append(child[0])
    return found


def _ended(pid: int) -> bool:
    """Whether a child has exited (a zombie), without reaping it: `finish` measures it."""
    text = Path(f"/proc/{pid}/stat").read_text()
    return text[text.rindex(")") + 2] == "Z"


def wait_for_program(process: subprocess.Popen, program: str, timeout: float = 120) -> None:
    """Wait until `program` runs somewhere below `process` (e.g. Tesseract reading a page)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if any(name == program for _, name in descendants(process.pid)):
            return
        if _ended(process.pid):
            raise AssertionError(f"vanthu ended before {program} ran")
        time.sleep(0.02)
    raise AssertionError(f"{program} never ran")
