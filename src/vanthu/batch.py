"""A batch of files read with every core busy: one pool of OCR workers shared by all files.

Reading files one by one, each with its pages in parallel, leaves cores idle: an inbox of
one-page scans uses one core, and the last pages of every file wait for the slowest. Here
the pages of all files go to one pool of `jobs` worker processes:

    start each file (main process: sniff, text layer, cache)    -> text files are done here
    submit its page jobs to the pool, keeping the pool fed       -> `ingest.scanned.ocr_job`
    finish a file as soon as all its pages are back, in input order

Results come back in the order the files were given, so output is the same whatever the
number of workers. A file whose page fails is that file's failure; a worker that dies
(killed, out of memory, a crashing library) breaks the pool: the files in flight are then
read again one at a time in a pool of their own, so only the file that kills its worker
fails, and the batch goes on with a fresh pool.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .ingest import IngestedText, InputError, MissingDependency, OcrOptions, read_document, start_document

if TYPE_CHECKING:  # the OCR stack (OpenCV, PDFium) is imported once a file needs OCR
    from .ingest.ocr import PageText
    from .ingest.scanned import PageCallback, ScanPlan

# Page jobs kept queued per worker, so a worker never waits for the main process to plan.
QUEUE_PER_WORKER = 2
WORKER_DIED = "an OCR worker process died while reading this file"

Outcome = IngestedText | InputError | MissingDependency


@dataclass
class _InFlight:
    path: Path
    plan: ScanPlan | None = None
    outcome: Outcome | object | None = None
    futures: dict[int, Future] = field(default_factory=dict)

    def ready(self) -> bool:
        return self.outcome is not None or all(f.done() for f in self.futures.values())


def _collect(item: _InFlight, on_page: PageCallback | None) -> Outcome:
    """The file's text once its pages are done, or the first page failure."""
    if item.outcome is not None:
        return item.outcome
    assert item.plan is not None
    from .ingest.scanned import finish_scan

    results: dict[int, tuple[PageText, bool]] = {}
    try:
        for index, future in sorted(item.futures.items()):
            results[index] = future.result()
            if on_page:
                on_page()
        return finish_scan(item.plan, results)
    except (InputError, MissingDependency) as err:
        return err


def _intact(item: _InFlight) -> bool:
    """Every page of the file came back before the pool broke."""
    return all(f.done() and not f.cancelled() and f.exception() is None for f in item.futures.values())


def _alone(item: _InFlight, on_page: PageCallback | None,
           initializer: Callable[[], None] | None) -> Outcome:
    """Read one file's pages in a pool of its own: if a worker dies, only this file fails."""
    assert item.plan is not None
    from .ingest.scanned import finish_scan, ocr_job

    try:
        with ProcessPoolExecutor(max_workers=1, initializer=initializer) as pool:
            futures = {job.index: pool.submit(ocr_job, job) for job in item.plan.jobs}
            results = {}
            for index, future in futures.items():
                results[index] = future.result()
                if on_page:
                    on_page()
        return finish_scan(item.plan, results)
    except BrokenProcessPool:
        return InputError(item.path, WORKER_DIED)
    except (InputError, MissingDependency) as err:
        return err


class Batch:
    """Files in, `(path, IngestedText | error)` out, in input order (see the module docstring)."""

    def __init__(self, options: OcrOptions, on_page: PageCallback | None = None,
                 initializer: Callable[[], None] | None = None) -> None:
        self.options = options
        self.on_page = on_page
        self.initializer = initializer  # run in each worker (resource limits, for one)
        self.pool: ProcessPoolExecutor | None = None

    def _pool(self) -> ProcessPoolExecutor:
        if self.pool is None:
            self.pool = ProcessPoolExecutor(max_workers=self.options.jobs, initializer=self.initializer)
        return self.pool

    def _start(self, path: Path) -> _InFlight:
        item = _InFlight(path)
        try:
            started = start_document(path, self.options)
        except (InputError, MissingDependency) as err:
            item.outcome = err
            return item
        if isinstance(started, IngestedText):
            item.outcome = started
            return item
        item.plan = started
        from .ingest.scanned import ocr_job

        pool = self._pool()
        for job in started.jobs:
            item.futures[job.index] = pool.submit(ocr_job, job)
        return item

    def _queued(self, window: deque[_InFlight]) -> int:
        return sum(1 for item in window for f in item.futures.values() if not f.done())

    def run(self, paths: Iterable[Path], skip: Callable[[Path], object] | None = None,
            ) -> Iterator[tuple[Path, Outcome | object]]:
        """Read every file, yielding each as soon as it and the files before it are done.

        `skip(path)` is asked first; whatever it returns other than None is yielded for the
        path instead of reading it (a file whose content is already stored)."""
        if self.options.jobs <= 1:
            yield from self._in_process(paths, skip)
            return
        pending = iter(paths)
        window: deque[_InFlight] = deque()
        exhausted = False
        try:
            while window or not exhausted:
                while not exhausted and (not window or self._queued(window) < QUEUE_PER_WORKER * self.options.jobs):
                    path = next(pending, None)
                    if path is None:
                        exhausted = True
                        break
                    known = skip(Path(path)) if skip else None
                    window.append(_InFlight(Path(path), outcome=known) if known is not None else self._start(Path(path)))
                if not window:
                    break
                head = window[0]
                try:
                    for future in head.futures.values():
                        future.exception()  # wait; a broken pool raises here
                except BrokenProcessPool:
                    yield from self._recover(window)
                    continue
                window.popleft()
                yield head.path, _collect(head, self.on_page)
        finally:
            self.close()

    def _in_process(self, paths: Iterable[Path], skip: Callable[[Path], object] | None,
                    ) -> Iterator[tuple[Path, Outcome | object]]:
        """One job: every page read in this process, file after file."""
        for path in map(Path, paths):
            known = skip(path) if skip else None
            if known is not None:
                yield path, known
                continue
            try:
                yield path, read_document(path, self.options, self.on_page)
            except (InputError, MissingDependency) as err:
                yield path, err

    def _recover(self, window: deque[_InFlight]) -> Iterator[tuple[Path, Outcome | object]]:
        """A worker died: read each file in flight alone, then go on with a fresh pool."""
        self.close()
        while window:
            item = window.popleft()
            if item.plan is None or _intact(item):
                yield item.path, _collect(item, self.on_page)
            else:
                yield item.path, _alone(item, self.on_page, self.initializer)

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.pool = None
