"""Big batches on a Dask cluster: the files of one `vanthu ingest` spread over the worker
processes of several machines, every record written into one shared database.

    client (vanthu ingest --cluster ADDRESS)                worker (dask worker, any machine)
      expand the paths, hash each file (sha256)
      content stored already?      -> "unchanged" (its path recorded), nothing sent
      submit one task per content,  ---- FileJob ---->      stored meanwhile? -> "unchanged"
      key "vanthu-ingest-<sha256>-<database>"               read + derive (every stage)
      at most WINDOW_PER_THREAD tasks per worker thread     add_record: one transaction,
      in flight (bytes held in memory stay bounded)         exactly once (ON CONFLICT)
      print each file as it comes back  <---- FileOutcome   a file that cannot be read:
      record a file whose workers all died as failed        its failure recorded, returned

- The unit of work is one file; its content hash names the task, so a batch submitted again
  (or by a second client at the same time) while the first is running gets the running task
  instead of a second one, and a batch run again later skips what was stored.
- Input reaches the workers as the file's bytes, inside the task (`bytes`: no shared folder
  needed; the scheduler holds the bytes of the tasks in flight), or as a path every worker
  can read (`path`: a shared folder mounted at the same place everywhere).
- Each worker process opens its own database engine, once, after it started (never a
  connection pool inherited through a fork).
- A worker that dies (killed, out of memory, a crashing library) takes its task with it; the
  scheduler runs it again on another worker, up to `distributed.scheduler.allowed-failures`
  times (3 by default, a setting of the scheduler), then the task fails with `KilledWorker`
  and the client records the file as failed. A record is one transaction: a worker killed
  while writing leaves nothing of it.
- The scheduler lost (stopped, network cut): `ClusterLost`; what was committed stays, and
  running the same command again finishes the batch without duplicates.

Records are what a local run gives, value for value: the worker runs the same `derive` on the
same ingest result, and the record names the file by the path the client was given.
"""

from __future__ import annotations

import logging
import os
import socket
import tempfile
import time
from concurrent.futures import CancelledError
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Literal
from urllib.parse import urlsplit

from vanthu.ingest import InputError, MissingDependency, OcrOptions, read_bytes, sha256_of

if TYPE_CHECKING:
    from distributed import Client, Future
    from sqlalchemy import Engine

    from vanthu.ingest import IngestedText

Input = Literal["bytes", "path"]
Outcome = Literal["stored", "unchanged", "failed"]
LOCAL = "local"
# Tasks kept in flight per worker thread: one running, one waiting on the worker, so no
# worker waits for the client; the client never holds more files' bytes than that.
WINDOW_PER_THREAD = 2
MIN_WINDOW = 4
CONNECT_TIMEOUT = "10s"
REFUSAL_PROBE_SECONDS = 2.0  # one TCP connect to tell "nobody listens" from "slow to answer"
WORKERS_REFRESH = 5.0  # seconds between two looks at how many workers there are


class ClusterError(Exception):
    """The cluster cannot be used: no scheduler at that address, an address that is none."""


class ClusterLost(ClusterError):
    """The scheduler went away during the batch; what was stored stays."""


@dataclass(frozen=True)
class FileJob:
    """One file for a worker: `name` is the path as the client was given it (the record's
    `source.path`); `data` its bytes, or `location` an absolute path the worker can read."""

    name: str
    sha256: str
    data: bytes | None = None
    location: str | None = None


@dataclass(frozen=True)
class Settings:
    """What every task of a batch shares. `cache`: use the OCR cache of the worker's own
    machine (its $XDG_CACHE_HOME); `versions`: the client's stage versions, which each worker
    checks against its own, so that a batch never mixes records of two vanthu versions."""

    database: str
    options: OcrOptions
    cache: bool
    versions: str


@dataclass(frozen=True)
class FileOutcome:
    """What became of one file."""

    outcome: Outcome
    path: str
    sha256: str = ""
    document_id: int | None = None
    number: str | None = None
    symbol: str | None = None
    pages: int = 0
    reason: str | None = None  # "PATH: reason", for a failed file

    def renamed(self, path: str) -> FileOutcome:
        """The same outcome for another path of the same content."""
        return replace(self, path=path, reason=self.reason.replace(self.path, path, 1) if self.reason else None)


@dataclass
class Progress:
    """Counts the client shows while the batch runs."""

    total: int = 0
    stored: int = 0
    unchanged: int = 0
    failed: int = 0
    pages: int = 0
    workers: int = 0

    @property
    def done(self) -> int:
        return self.stored + self.unchanged + self.failed

    def add(self, outcome: FileOutcome) -> None:
        setattr(self, outcome.outcome, getattr(self, outcome.outcome) + 1)
        self.pages += outcome.pages

    def line(self) -> str:
        return (f"{self.done}/{self.total} files, {self.failed} failed, {self.pages} pages OCRed or read, "
                f"{self.workers} workers")


def stage_versions() -> str:
    """This vanthu's version and the versions of the stages that make records."""
    from vanthu import __version__
    from vanthu.extract import EXTRACTOR_VERSION
    from vanthu.ingest import INGEST_VERSION
    from vanthu.normalize import NORMALIZER_VERSION

    return f"vanthu-{__version__}+{INGEST_VERSION}+{EXTRACTOR_VERSION}+{NORMALIZER_VERSION}"


# --- on the worker -------------------------------------------------------------------------

_ENGINES: dict[tuple[int, str], Engine] = {}


def worker_engine(url: str) -> Engine:
    """This process's engine for `url`, opened on first use (keyed by process id too, so a
    forked child never uses its parent's connections)."""
    from vanthu.store import open_engine

    key = (os.getpid(), url)
    if key not in _ENGINES:
        _ENGINES[key] = open_engine(url)
    return _ENGINES[key]


def _read(job: FileJob, options: OcrOptions) -> IngestedText:
    """The ingest result of the job's file, naming it as the client does."""
    from vanthu.ingest import read_document

    if job.location is not None:
        document = read_document(job.location, options)
    else:
        with tempfile.TemporaryDirectory(prefix="vanthu-") as folder:
            # The file's own name: a suffix can matter to a converter (LibreOffice).
            copy = Path(folder) / (Path(job.name).name or "input")
            copy.write_bytes(job.data or b"")
            try:
                document = read_document(copy, options)
            except InputError as err:
                raise InputError(job.name, err.reason, err.hint) from err
    return document.model_copy(update={"source": document.source.model_copy(update={"path": job.name})})


def ingest_file(job: FileJob, settings: Settings) -> FileOutcome:
    """The task a worker runs for one file: read it, derive its record, store it (once)."""
    from vanthu.pipeline import derive
    from vanthu.store import add_record, known_document, record_failure

    mine = stage_versions()
    if mine != settings.versions:
        return FileOutcome("failed", job.name, job.sha256, reason=f"{job.name}: this worker runs {mine}, the "
                           f"client {settings.versions}; install the same vanthu on every machine")
    engine = worker_engine(settings.database)
    known = known_document(engine, job.sha256, job.name)  # stored since the client looked
    if known is not None:
        return FileOutcome("unchanged", job.name, job.sha256, known.document_id, known.number, known.symbol)
    from vanthu.ingest.models import default_cache_dir

    options = settings.options.model_copy(update={"jobs": 1, "cache_dir": default_cache_dir() if settings.cache else None})
    try:
        processed = derive(_read(job, options))
    except InputError as err:
        reason = err.one_line().removeprefix(f"{err.path}: ")
        record_failure(engine, job.sha256, job.name, None, reason, None)
        return FileOutcome("failed", job.name, job.sha256, reason=err.one_line())
    except MissingDependency as err:  # the machine's fault, not the file's: not recorded
        return FileOutcome("failed", job.name, job.sha256, reason=f"{job.name}: {err}")
    record = processed.record
    stored = add_record(engine, record, processed.document)
    return FileOutcome("stored" if stored.created else "unchanged", job.name, record.source.sha256,
                       stored.document_id, record.number, record.symbol, record.source.pages if stored.created else 0)


# --- on the client -------------------------------------------------------------------------


def task_key(sha256: str, database: str) -> str:
    """The task's name: the content hash, and which database it goes to (two batches into two
    databases on one cluster must not share a task)."""
    return f"vanthu-ingest-{sha256}-{sha256_of(database.encode())[:12]}"


def parse_local(address: str) -> int | None:
    """"local" -> the CPU count, "local:3" -> 3; None for a scheduler's address."""
    if address != LOCAL and not address.startswith(f"{LOCAL}:"):
        return None
    count = address.partition(":")[2]
    if count and not (count.isdigit() and int(count) >= 1):
        raise ClusterError(f"--cluster {address}: say local or local:N with N worker processes (N >= 1)")
    return int(count) if count else (os.cpu_count() or 1)


@contextmanager
def _quiet_dask_logs() -> Iterator[None]:
    """Dask's own log lines off while vanthu runs a batch: vanthu says on one line what
    failed, and why (the client's tracebacks when the scheduler goes away, the scheduler's
    lines about killed workers)."""
    loggers = [logger for name, logger in logging.Logger.manager.loggerDict.items()
               if name.split(".")[0] == "distributed" and isinstance(logger, logging.Logger)]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        for logger, level in zip(loggers, levels):
            logger.setLevel(level)


def _refuse_fast(address: str) -> None:
    """Raise ConnectionRefusedError at once when nothing listens at a tcp:// address.

    Dask's client retries a refused connection until its timeout (CONNECT_TIMEOUT): an
    operator who typed the wrong port would wait for nothing. A refusal is certain; anything
    else (no answer, a name to resolve, another protocol) is left to the client."""
    parts = urlsplit(address)
    if parts.scheme != "tcp" or not parts.hostname or parts.port is None:
        return
    try:
        socket.create_connection((parts.hostname, parts.port), timeout=REFUSAL_PROBE_SECONDS).close()
    except ConnectionRefusedError:
        raise
    except OSError:  # unresolved, unreachable or slow: the client tries, and says so
        return


@contextmanager
def connect(address: str) -> Iterator[Client]:
    """A client of the scheduler at `address` (tcp://HOST:8786), or of a LocalCluster of N
    worker processes for "local[:N]" (one thread each: OCR is CPU work), closed afterwards."""
    from distributed import Client, LocalCluster

    workers = parse_local(address)
    with _quiet_dask_logs():
        if workers is not None:
            with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None,
                              silence_logs=logging.CRITICAL) as cluster, Client(cluster) as client:
                yield client
            return
        try:
            _refuse_fast(address)
            client = Client(address, timeout=CONNECT_TIMEOUT)
        except (OSError, TimeoutError, ValueError) as err:
            raise ClusterError(f"cannot reach a Dask scheduler at {address} ({err}); start one with `dask "
                               "scheduler` and workers with `dask worker ADDRESS`") from err
        with client:
            yield client


@dataclass
class _Pending:
    """A content in flight: the first path sent, and other paths of the same content."""

    job: FileJob
    twins: list[str] = field(default_factory=list)


class ClusterBatch:
    """Files in, `FileOutcome`s out as they complete (see the module docstring)."""

    def __init__(self, client: Callable[[], Client], engine: Engine, settings: Settings, mode: Input = "bytes",
                 progress: Progress | None = None, on_progress: Callable[[Progress], None] | None = None) -> None:
        """`client` gives the cluster's client, asked for when the first file is to be sent
        (for a local cluster it starts the workers: a batch whose every file is stored
        already starts none)."""
        self._connect, self._client = client, None
        self.engine, self.settings, self.mode = engine, settings, mode
        self.progress = progress or Progress()
        self.on_progress = on_progress or (lambda progress: None)
        self.pending: dict[str, _Pending] = {}
        self.window, self.asked = MIN_WINDOW, -WORKERS_REFRESH

    @property
    def client(self) -> Client:
        """The cluster's client, connected when first needed."""
        if self._client is None:
            self._client = self._connect()
        return self._client

    def _window(self) -> int:
        """Tasks to keep in flight, from the workers there are (asked again every few
        seconds: workers may join or leave during a batch)."""
        now = time.monotonic()
        if now - self.asked >= WORKERS_REFRESH:
            threads = self.client.nthreads()
            self.progress.workers = len(threads)
            self.window = max(MIN_WINDOW, WINDOW_PER_THREAD * sum(threads.values()))
            self.asked = now
        return self.window

    def _job(self, path: Path) -> FileJob | FileOutcome:
        """What to send for a file, or its outcome when it cannot even be read here."""
        try:
            data = read_bytes(path)
        except InputError as err:
            return FileOutcome("failed", str(path), reason=err.one_line())
        if self.mode == "bytes":
            return FileJob(str(path), sha256_of(data), data=data)
        return FileJob(str(path), sha256_of(data), location=str(path.resolve()))

    def run(self, paths: Iterable[Path]) -> Iterator[FileOutcome]:
        """Send every file (each content once) and yield what became of each. Raises
        ClusterLost when the scheduler goes away. (Dask is imported once a file is sent:
        a batch whose every file is stored already needs none of it.)"""
        try:
            yield from self._run(paths)
        except (OSError, TimeoutError) as err:  # Dask's CommClosedError is an OSError
            raise ClusterLost(f"lost the Dask scheduler ({type(err).__name__}: {err})") from err

    def _run(self, paths: Iterable[Path]) -> Iterator[FileOutcome]:
        from vanthu.store import known_document

        todo = iter(paths)
        running = None  # made with the first task: it needs the client
        in_flight = 0
        exhausted = False
        while True:
            # The window (and with it the cluster) is asked for once a file is in flight.
            while not exhausted and (in_flight == 0 or in_flight < self._window()):
                path = next(todo, None)
                if path is None:
                    exhausted = True
                    break
                job = self._job(path)
                if isinstance(job, FileOutcome):
                    yield self._report(job)
                elif job.sha256 in self.pending:
                    self.pending[job.sha256].twins.append(job.name)
                elif (known := known_document(self.engine, job.sha256, job.name)) is not None:
                    yield self._report(FileOutcome("unchanged", job.name, job.sha256, known.document_id,
                                                   known.number, known.symbol))
                else:
                    self.pending[job.sha256] = _Pending(job)
                    future = self._submit(job)
                    if running is None:
                        from distributed import as_completed

                        running = as_completed([future], with_results=False)
                    else:
                        running.add(future)
                    in_flight += 1
            if in_flight == 0 or running is None:
                return
            future = next(running)
            in_flight -= 1
            yield from self._finished(future)

    def _submit(self, job: FileJob) -> Future:
        return self.client.submit(ingest_file, job, self.settings, key=task_key(job.sha256, self.settings.database))

    def _finished(self, future: Future) -> Iterator[FileOutcome]:
        from distributed.scheduler import KilledWorker

        sha = future.key.split("-")[2]
        pending = self.pending.pop(sha)
        try:
            outcome: FileOutcome = future.result()
        except KilledWorker as err:
            outcome = self._killed(pending.job, err.allowed_failures + 1)
        except CancelledError as err:  # by the client itself, when it lost the scheduler
            raise ClusterLost(f"lost the Dask scheduler ({type(err).__name__}: {err})") from err
        finally:
            future.release()
        if outcome.path != pending.job.name:  # another client's task, or a path mode rename
            outcome = self._own_path(outcome, pending.job.name)
        yield self._report(outcome)
        for twin in pending.twins:
            yield self._report(self._own_path(outcome, twin))

    def _own_path(self, outcome: FileOutcome, path: str) -> FileOutcome:
        """The outcome of another path of the same content: recorded as another file of the
        stored document, or failed for the same reason."""
        from vanthu.store import known_document

        if outcome.outcome == "failed":
            return outcome.renamed(path)
        known = known_document(self.engine, outcome.sha256, path)
        return FileOutcome("unchanged", path, outcome.sha256, known.document_id if known else outcome.document_id,
                           outcome.number, outcome.symbol)

    def _killed(self, job: FileJob, tries: int) -> FileOutcome:
        """Every worker that read this file died: recorded as failed, with the reason."""
        from vanthu.store import record_failure

        times = "once" if tries == 1 else f"{tries} times"
        reason = f"the worker reading it died, {times} (killed, out of memory or a crashing library); given up"
        record_failure(self.engine, job.sha256, job.name, None, reason, None)
        return FileOutcome("failed", job.name, job.sha256, reason=f"{job.name}: {reason}")

    def _report(self, outcome: FileOutcome) -> FileOutcome:
        self.progress.add(outcome)
        self.on_progress(self.progress)
        return outcome
