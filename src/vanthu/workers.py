"""Reading files in worker processes, so that a bad file can cost only its own worker.

Each worker is a process of its own, its address space capped (`ingest.limits.limit_worker`,
applied first thing in the worker), reading one file at a time; the parent knows which
file each worker reads and since when. So:

- a worker that dies (the kernel's or a library's doing) fails only the file it was reading,
  with a reason saying how it died;
- a worker still busy `grace` seconds past the file's time limit (stuck in C code, where the
  worker's own alarm cannot reach) is killed, and its file fails as too long;
- a new worker replaces each one lost, and the other files go on.

`concurrent.futures.ProcessPoolExecutor` can do neither of the last two: it cannot kill the
worker of one task, and after a death it fails every task in flight.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import time
import warnings
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from typing import Any, Generic, TypeVar

from vanthu.ingest.limits import c_function, limit_worker, too_long

Item = TypeVar("Item")
GRACE_SECONDS = 30.0  # past the file's own limit: time for the worker's alarm to act first
PR_SET_PDEATHSIG = 1  # prctl(2) option: the signal a process gets when its parent dies


@dataclass(frozen=True)
class Lost:
    """The worker reading a file died or was killed; why, in words."""

    reason: str


def _silence() -> None:
    """What libraries print about a damaged file (libtiff's messages on file descriptor 2,
    Pillow's warnings) is not the run's output: the file's one-line reason is."""
    warnings.simplefilter("ignore")
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)
    os.close(devnull)


def _die_with_parent(parent: int) -> None:
    """Have the kernel kill this worker when the process that started it dies, kill -9
    included (Linux; elsewhere nothing is done). An orphaned worker would keep what it
    inherited open: the run's database connections, and with them a PostgreSQL run's lock,
    so that every later run is refused as "another run is working"."""
    prctl = c_function("prctl", use_errno=True)
    if prctl is None:  # not Linux
        return
    prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # it died before the request was made
        os._exit(1)


def _serve(connection: Connection, work: Callable[[Any], Any], max_memory: int | None, parent: int) -> None:
    """A worker's life: cap its memory, then read files until told to stop."""
    _die_with_parent(parent)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    _silence()
    limit_worker(max_memory)
    while True:
        try:
            item = connection.recv()
        except EOFError:  # the parent is gone
            return
        if item is None:
            return
        connection.send(work(item))


def _death(exitcode: int | None) -> str:
    if exitcode is not None and exitcode < 0:
        try:
            how = signal.Signals(-exitcode).name
        except ValueError:
            how = f"signal {-exitcode}"
    else:
        how = f"exit status {exitcode}"
    return (f"the worker reading this file died ({how}): the file crashed a library "
            "or needed more memory than a worker may use (--max-memory-mb)")


@dataclass
class _Worker(Generic[Item]):
    process: multiprocessing.process.BaseProcess
    connection: Connection
    item: Item | None = None
    started: float = 0.0
    has_item: bool = field(default=False)

    def give(self, item: Item) -> None:
        self.connection.send(item)
        self.item, self.has_item, self.started = item, True, time.monotonic()

    def done(self) -> Item:
        item, self.item, self.has_item = self.item, None, False
        return item

    def stop(self, kill: bool) -> None:
        if kill:
            self.process.kill()
        else:
            try:
                self.connection.send(None)
            except OSError:
                pass
        self.process.join(5)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()
        self.connection.close()


def _start(work: Callable[[Item], Any], max_memory: int | None) -> _Worker:
    context = multiprocessing.get_context()
    ours, theirs = context.Pipe()
    process = context.Process(target=_serve, args=(theirs, work, max_memory, os.getpid()), daemon=True)
    process.start()
    theirs.close()
    return _Worker(process, ours)


def run_in_workers(work: Callable[[Item], Any], items: Sequence[Item], jobs: int,
                   max_seconds: float | None, max_memory: int | None,
                   grace: float = GRACE_SECONDS) -> Iterator[tuple[Item, Any]]:
    """`work(item)` for every item, in up to `jobs` worker processes; yields (item, result)
    as they finish, the result being a `Lost` for an item whose worker died or was killed.
    `work` must be picklable (a module-level function, or a partial of one)."""
    pending = deque(items)
    workers: list[_Worker] = []
    try:
        while pending or any(w.has_item for w in workers):
            while pending and len(workers) < jobs:
                workers.append(_start(work, max_memory))
            for worker in workers:
                if pending and not worker.has_item:
                    worker.give(pending.popleft())
            busy = [w for w in workers if w.has_item]
            timeout = None
            if max_seconds:
                timeout = max(0.0, min(w.started for w in busy) + max_seconds + grace - time.monotonic())
            wait([w.connection for w in busy] + [w.process.sentinel for w in busy], timeout)
            for worker in busy:
                outcome = _collect(worker, max_seconds, grace)
                if outcome is None:
                    continue
                yield worker.done(), outcome
                if isinstance(outcome, Lost):
                    workers.remove(worker)
    finally:
        for worker in workers:
            worker.stop(kill=worker.has_item)


def _collect(worker: _Worker, max_seconds: float | None, grace: float) -> Any:
    """The worker's result if it has one, a `Lost` if it died or overran (it is then
    stopped), None while it is still working."""
    if worker.connection.poll():
        try:
            return worker.connection.recv()
        except (EOFError, OSError):
            pass  # died while answering
    if not worker.process.is_alive():
        worker.process.join()
        lost = Lost(_death(worker.process.exitcode))
        worker.stop(kill=True)
        return lost
    if max_seconds and time.monotonic() > worker.started + max_seconds + grace:
        worker.stop(kill=True)
        return Lost(too_long(max_seconds))
    return None
