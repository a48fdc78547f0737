"""The nightly inbox run: every new file in a folder stored exactly once, never lost.

    run_inbox(engine, url, options)
      refuse a layout that loops or exposes the database (`check_layout`)
      lock the inbox and the database (a second run stops at once: `Busy`)
      open a run row (a database that cannot be written stops here, inbox untouched)
      list the regular files; report links, FIFOs and devices and leave them; leave files
      still being written for the next run
      for each file, by content (sha256, read once through a descriptor opened without
      following links):
        already stored          -> record this path, file it in done/
        failed before, same     -> back to failed/ (retried when it changes, or --retry-failed)
        new                     -> process (in capped worker processes), then, if the file
                                   is still the one hashed, store it in one transaction that
                                   also records where it goes, then move it
        cannot be processed     -> record why, a note beside it, move it to failed/
        changed or gone meanwhile -> nothing stored; read again by the next run
      close the run row with its counts ("crashed" if the run itself failed)

A file leaves the inbox only after its record is committed. `kill -9` at any point leaves
the database consistent (one transaction per file, SQLite WAL) and the next run completes the
work: a file stored but not yet moved is found stored and moved; a move cut short is redone.
Every fault of one file (an OSError, a decoder's error, a name that is not UTF-8 or too long,
a worker killed by its memory or time limit) is that file's failure; the run goes on.
"""

from __future__ import annotations

import functools
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path, PurePath
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import Engine

from vanthu.ingest import InputError, MissingDependency, OcrOptions
from vanthu.ingest.limits import OutOfTime, out_of_memory, time_limit, too_long
from vanthu.knowledge.printable import printable, printable_path
from vanthu.store import (Known, Seen, StoreError, add_record, failure_of, finish_run, known_document,
                          known_unchanged, optimize, record_failure, sqlite_file, start_run, stored_document)
from .filing import (Changed, destination, failure_note, hash_regular, identity, move, note_place, remove_note,
                     write_note)
from .locking import default_state_dir, inbox_and_database_locks, inbox_lock_path
from .nofollow import Place, kind_of, lstat
from .output import document_label
from .pipeline import Processed, process_file
from .workers import Lost, run_in_workers

# Names that editors and copy tools give to files they are still writing, and the files
# desktops leave in shared folders. Files with a temporary name are reported as waiting
# (read once renamed); any other file is read, whatever its suffix, so a format vanthu
# cannot read is quarantined with the reason, not left in the inbox forever.
_PARTIAL_SUFFIXES = (".part", ".partial", ".crdownload", ".tmp", ".download", ".filepart")
_DESKTOP_FILES = {"thumbs.db", "desktop.ini"}
NOTE_SUFFIX = ".error.txt"


class LayoutError(Exception):
    """Folders or a database placed so that a run would lose data or loop; nothing was done."""


class InboxOptions(BaseModel):
    """How one inbox run behaves. `done`/`failed` default to folders inside the inbox."""

    model_config = ConfigDict(extra="forbid")

    inbox: Path
    done: Path | None = None
    failed: Path | None = None
    keep: bool = Field(False, description="Leave stored files in the inbox")
    retry_failed: bool = Field(False, description="Process files in failed/ again")
    settle: float = Field(5.0, ge=0, description="Seconds a file must be unchanged before it is read")
    follow_links: bool = Field(False, description="Read links to files inside the inbox (others are refused)")
    state_dir: Path = Field(default_factory=default_state_dir, description="Where the inbox lock lives")
    ocr: OcrOptions = Field(default_factory=OcrOptions)

    @property
    def done_dir(self) -> Path:
        return self.done or self.inbox / "done"

    @property
    def failed_dir(self) -> Path:
        return self.failed or self.inbox / "failed"


Outcome = Literal["new", "duplicate", "failed", "waiting", "gone"]


class FileResult(BaseModel):
    """What happened to one file. `path` is printable (see knowledge.printable)."""

    model_config = ConfigDict(extra="forbid")

    outcome: Outcome
    path: str
    document_id: int | None = None
    label: str | None = None
    moved_to: str | None = None
    reason: str | None = None
    pages: int = 0


class RunSummary(BaseModel):
    """The run's counts; `line()` is the one-line summary for cron mail."""

    model_config = ConfigDict(extra="forbid")

    run: int
    inbox: str
    new: int = 0
    duplicate: int = 0
    failed: int = 0
    waiting: int = 0
    gone: int = 0
    pages: int = 0
    seconds: float = 0.0

    def line(self) -> str:
        gone = f", {self.gone} gone before they were read" if self.gone else ""
        return (f"vanthu inbox {self.inbox}: {self.new} new, {self.duplicate} duplicate, "
                f"{self.failed} failed, {self.waiting} still being written{gone}; "
                f"{self.pages} pages in {self.seconds:.1f} s (run #{self.run})")


class RunStopped(Exception):
    """The run stopped part-way (the database failed, or an unexpected error): what was
    committed is kept, the run is marked "crashed", the other files stay for the next run."""

    def __init__(self, summary: RunSummary, cause: BaseException) -> None:
        self.summary, self.cause = summary, cause
        handled = summary.new + summary.duplicate + summary.failed
        super().__init__(f"run #{summary.run} stopped after {handled} files: {cause}; what was committed "
                         "is kept, and the files not yet handled stay in the inbox for the next run")


# --- configuration -----------------------------------------------------------------------

def _within(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def check_layout(options: InboxOptions, url: str) -> None:
    """Refuse, before anything is touched, folders that would make a run loop or lose data:
    done/ or failed/ that is a link, that is the inbox, that holds the other or the inbox; a
    database (with its journal and lock) or the state folder inside the inbox, where anyone
    who drops files could replace them and where the run itself would file them away."""
    inbox = options.inbox.resolve()
    folders = {"done": options.done_dir, "failed": options.failed_dir}
    for name, folder in folders.items():
        if folder.is_symlink():
            raise LayoutError(f"the {name} folder {printable_path(folder)} is a symbolic link; "
                              f"give a real folder (--{name})")
    done, failed = options.done_dir.resolve(), options.failed_dir.resolve()
    mistakes = [
        (done == inbox, "the done folder is the inbox itself: stored files would never leave it"),
        (failed == inbox, "the failed folder is the inbox itself: failed files would never leave it"),
        (done == failed, "the done and failed folders are the same folder"),
        (_within(done, failed), "the done folder is inside the failed folder, which is read for retries"),
        (_within(failed, done), "the failed folder is inside the done folder"),
        (_within(inbox, failed), "the inbox is inside the failed folder, which is read for retries"),
        (_within(inbox, done), "the inbox is inside the done folder"),
    ]
    for wrong, message in mistakes:
        if wrong:
            raise LayoutError(f"{message} (inbox {printable_path(options.inbox)}, done {printable_path(done)}, "
                              f"failed {printable_path(failed)}); give other --done/--failed folders")
    database = sqlite_file(url)
    if database is not None:
        for kept in (database, Path(f"{database}-wal"), Path(f"{database}-shm"), Path(f"{database}.lock")):
            if _within(kept.resolve(), inbox):
                raise LayoutError(f"the database file {printable_path(kept)} is inside the inbox "
                                  f"{printable_path(options.inbox)}: the run would file it away; put the "
                                  "database elsewhere (--db)")
    lock = inbox_lock_path(options.inbox, options.state_dir)
    if _within(lock.resolve(), inbox):
        raise LayoutError(f"the state folder {printable_path(options.state_dir)} is inside the inbox; "
                          "put it elsewhere (--state-dir)")


# --- listing -------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Candidate:
    place: Place  # where the file is, and where it is moved from
    source: Place  # where its bytes are read: the same, or a link's target inside the inbox
    size: int
    mtime_ns: int
    changed_ns: int  # the later of mtime and ctime: ctime moves on a rename or copy too
    retry: bool = False  # found in failed/

    @property
    def shown(self) -> str:
        return self.place.shown()


def _folder_id(path: Path) -> tuple[int, int] | None:
    try:
        info = os.stat(path, follow_symlinks=False)
    except OSError:
        return None
    return info.st_dev, info.st_ino


def _entries(root: Path, relative: PurePath, skip: set) -> Iterator[tuple[PurePath, os.DirEntry | OSError]]:
    """Files under root/relative (links and special files included, never followed), in
    name order; hidden folders and the `skip` folders are not entered."""
    try:
        with os.scandir(root / relative) as listing:
            entries = sorted(listing, key=lambda e: e.name)
    except OSError as err:
        yield relative, err
        return
    for entry in entries:
        here = relative / entry.name
        if entry.is_dir(follow_symlinks=False):
            if not entry.name.startswith(".") and _folder_id(Path(entry.path)) not in skip:
                yield from _entries(root, here, skip)
        else:
            yield here, entry


def _ignored(name: str, retry: bool) -> bool:
    """Never read, never reported: hidden files (and vanthu's own temporary ones), Office
    lock files, desktop files, and the notes vanthu writes in failed/."""
    return (name.startswith(".") or name.startswith("~$") or name.lower() in _DESKTOP_FILES
            or (retry and name.endswith(NOTE_SUFFIX)))


class _Listing:
    """What a walk over the inbox (and failed/) finds: candidates, and files to report."""

    def __init__(self, options: InboxOptions) -> None:
        self.options = options
        self.inbox_real = options.inbox.resolve()
        self.skip = {i for i in (_folder_id(options.done_dir), _folder_id(options.failed_dir)) if i}
        self.candidates: list[_Candidate] = []
        self.reports: list[FileResult] = []

    def walk(self, root: Path, retry: bool) -> None:
        for relative, entry in _entries(root, PurePath(), set() if retry else self.skip):
            place = Place(root, relative)
            if isinstance(entry, OSError):
                self._refuse(place, f"cannot list this folder: {entry.strerror or entry}")
            elif not _ignored(entry.name, retry):
                self._sort(place, entry, retry)

    def _refuse(self, place: Place, reason: str) -> None:
        self.reports.append(FileResult(outcome="failed", path=place.shown(), reason=reason))

    def _sort(self, place: Place, entry: os.DirEntry, retry: bool) -> None:
        if entry.name.lower().endswith(_PARTIAL_SUFFIXES):
            suffix = entry.name[entry.name.rfind("."):]
            self.reports.append(FileResult(outcome="waiting", path=place.shown(),
                                           reason=f"temporary name ({printable(suffix)}): read once it is renamed"))
            return
        try:
            info = entry.stat(follow_symlinks=False)
        except FileNotFoundError:
            return  # taken away while we looked
        if entry.is_symlink():
            self._link(place, retry)
            return
        if not entry.is_file(follow_symlinks=False):
            self._refuse(place, f"{kind_of(info.st_mode)}, not a regular file: left in place")
            return
        self._add(place, place, info, retry)

    def _link(self, place: Place, retry: bool) -> None:
        """A link is read only with --follow-links, and only when it leads to a regular
        file inside the inbox (not in done/ or failed/): never /etc/passwd, never /dev/zero."""
        refusal = "a symbolic link: left in place (links are not read"
        if not self.options.follow_links or retry:
            self._refuse(place, refusal + "; --follow-links reads links to files inside the inbox)")
            return
        target = Path(os.path.realpath(place.path))
        inside = _within(target, self.inbox_real) and not any(
            _within(target, folder.resolve()) for folder in (self.options.done_dir, self.options.failed_dir))
        info = lstat(Place(self.inbox_real, target.relative_to(self.inbox_real))) if inside else None
        if info is None or not os.path.isfile(target):
            self._refuse(place, refusal + " outside the inbox, nor links to anything but a regular file)")
            return
        self._add(place, Place(self.inbox_real, target.relative_to(self.inbox_real)), info, retry)

    def _add(self, place: Place, source: Place, info: os.stat_result, retry: bool) -> None:
        self.candidates.append(_Candidate(place, source, info.st_size, info.st_mtime_ns,
                                          max(info.st_mtime_ns, info.st_ctime_ns), retry))


def list_candidates(options: InboxOptions) -> tuple[list[_Candidate], list[FileResult]]:
    """Regular files in the inbox (and in failed/, which are only retried when asked or
    changed), and what to report about the rest (links, FIFOs, devices, temporary names)."""
    listing = _Listing(options)
    listing.walk(options.inbox, retry=False)
    if options.failed_dir.is_dir():
        listing.walk(options.failed_dir, retry=True)
    return listing.candidates, listing.reports


def _settled(candidate: _Candidate, settle: float) -> bool:
    return time.time_ns() - candidate.changed_ns >= settle * 1e9


# --- reading, in worker processes ------------------------------------------------------

@dataclass(frozen=True)
class _Unread:
    """Why a file gave no record. A bad file is quarantined; a missing program is the
    machine's fault, so the file stays in the inbox for a run that has it."""

    reason: str
    quarantine: bool = True


def _process_one(path: Path, ocr: OcrOptions) -> Processed | _Unread:
    """Run the pipeline on one file, within its time limit. This is the barrier between a
    file and the run: whatever reading this file raises is this file's failure."""
    try:
        with time_limit(ocr.max_seconds) as deadline:
            return process_file(path, ocr.model_copy(update={"deadline": deadline}))
    except OutOfTime:
        return _Unread(too_long(ocr.max_seconds))
    except MemoryError:
        return _Unread(out_of_memory(ocr.max_memory))
    except InputError as err:
        return _Unread(err.one_line().removeprefix(f"{err.path}: "))
    except MissingDependency as err:
        return _Unread(str(err), quarantine=False)
    except Exception as err:  # noqa: BLE001 - a library's failure on this file, recorded as its reason
        return _Unread(f"cannot be read ({type(err).__name__}: {err})")


def _process_all(paths: list[Path], ocr: OcrOptions) -> Iterator[tuple[Path, Processed | _Unread]]:
    """Process files in worker processes (`--jobs` of them), each worker capped in memory
    and each file in time (`vanthu.workers`): a file that kills its worker fails alone."""
    single = ocr.model_copy(update={"jobs": 1})
    work = functools.partial(_process_one, ocr=single)
    for path, result in run_in_workers(work, paths, ocr.jobs, ocr.max_seconds, ocr.max_memory):
        yield path, _Unread(result.reason) if isinstance(result, Lost) else result


# --- the run ----------------------------------------------------------------------------

@dataclass
class _Hashed:
    candidate: _Candidate
    sha256: str
    known: Known | None = None  # stored already, and seen at this path unchanged (kept files)
    identity: tuple | None = None  # the file's identity once hashed (see filing.identity)


@dataclass
class _Tally:
    results: list[FileResult] = field(default_factory=list)

    def count(self, outcome: Outcome) -> int:
        return sum(1 for r in self.results if r.outcome == outcome)


def _why(err: OSError) -> str:
    return err.strerror or str(err)


class InboxRun:
    """One run over an inbox: the steps of `run_inbox`, sharing the engine and options."""

    def __init__(self, engine: Engine, options: InboxOptions, version: str, run_id: int,
                 on_file: Callable[[FileResult], None]) -> None:
        self.engine, self.options, self.version, self.run_id = engine, options, version, run_id
        self.on_file = on_file
        self.tally = _Tally()
        self.started = time.monotonic()

    def report(self, result: FileResult) -> None:
        if result.reason:
            result = result.model_copy(update={"reason": printable(result.reason)})
        self.tally.results.append(result)
        self.on_file(result)

    def summary(self) -> RunSummary:
        tally = self.tally
        return RunSummary(
            run=self.run_id, inbox=printable_path(self.options.inbox), new=tally.count("new"),
            duplicate=tally.count("duplicate"), failed=tally.count("failed"), waiting=tally.count("waiting"),
            gone=tally.count("gone"), pages=sum(r.pages for r in tally.results),
            seconds=round(time.monotonic() - self.started, 3))

    def seen(self, item: _Hashed, moved_to: Place | None) -> Seen:
        """The file as recorded: its size and time as hashed (as listed, for a kept file
        known without reading), and where it goes."""
        c = item.candidate
        size, mtime_ns = item.identity[2:4] if item.identity else (c.size, c.mtime_ns)
        return Seen(c.shown, size, mtime_ns, moved_to.shown() if moved_to else None)

    def still_there(self, item: _Hashed, content_needed: bool = True) -> bool:
        """Whether the file is still the one hashed; if not, it is reported (changed: read
        again next run; gone: nothing to do) and nothing may be stored or moved. For a link
        (--follow-links) whose content is stored already, only the link itself must be there:
        its target may have been filed away meanwhile."""
        if item.identity is None:
            return True  # known unchanged without reading (kept files): nothing is moved
        c = item.candidate
        if c.place != c.source and lstat(c.place) is None:
            now = None
        elif c.place != c.source and not content_needed:
            return True
        else:
            now = lstat(c.source)
        if now is None:
            self.report(FileResult(outcome="gone", path=c.shown, reason="taken away before it was stored"))
            return False
        if identity(now) != item.identity:
            self.report(FileResult(outcome="waiting", path=c.shown,
                                   reason="changed while it was read: read again next run"))
            return False
        return True

    def done_target(self, item: _Hashed) -> Place | None:
        if self.options.keep and not item.candidate.retry:
            return None
        return destination(self.options.done_dir, item.candidate.place.relative, item.sha256)

    def file_done(self, item: _Hashed, target: Place | None, document_id: int) -> bool:
        """Move a stored file to done/; a failure is reported (the record is kept and the
        next run files the file). True when it went."""
        if target is None:
            return True
        try:
            move(item.candidate.place, target)
            if item.candidate.retry:
                remove_note(item.candidate.place)
        except OSError as err:
            self.report(FileResult(outcome="failed", path=item.candidate.shown, document_id=document_id,
                                   reason=f"stored as #{document_id}, but it cannot be moved to "
                                          f"{target.shown()}: {_why(err)}; it stays here and the next run files it"))
            return False
        return True

    def hash(self, candidate: _Candidate) -> _Hashed | None:
        """The file's content hash, or None when it changed while being read (still being
        written). A kept file seen before with this size and time is not read again."""
        c = candidate
        known = None if c.retry else known_unchanged(self.engine, c.shown, c.size, c.mtime_ns)
        if known:
            return _Hashed(c, known.sha256, known)
        try:
            sha, info = hash_regular(c.source)
        except Changed:
            return None
        return _Hashed(c, sha, identity=identity(info))

    def duplicate(self, item: _Hashed) -> bool:
        """File a content already stored; True when it was (or when the file went meanwhile)."""
        if item.known is None and stored_document(self.engine, item.sha256) is None:
            return False
        if not self.still_there(item, content_needed=False):
            return True
        try:
            target = self.done_target(item)
        except OSError as err:
            self.report(FileResult(outcome="failed", path=item.candidate.shown,
                                   reason=f"already stored, but it cannot be filed: {_why(err)}; left in place"))
            return True
        known = item.known if target is None else None  # kept and unchanged: nothing to record
        known = known or known_document(self.engine, item.sha256, self.seen(item, target))
        if known is None:
            return False
        if self.file_done(item, target, known.document_id):
            self.report(FileResult(outcome="duplicate", path=item.candidate.shown, document_id=known.document_id,
                                   label=document_label(known.number, known.symbol),
                                   moved_to=target.shown() if target else None))
        return True

    def quarantine(self, item: _Hashed, reason: str) -> None:
        """Record why the file failed, write the note, move it to failed/ (unless kept)."""
        if not self.still_there(item):
            return
        c = item.candidate
        keep_here = c.retry or self.options.keep
        try:
            target = c.place if keep_here else destination(self.options.failed_dir, c.place.relative, item.sha256)
        except OSError as err:
            self.report(FileResult(outcome="failed", path=c.shown,
                                   reason=f"{reason}; it cannot be moved to failed/: {_why(err)}; left in place"))
            return
        record_failure(self.engine, item.sha256, c.shown, target.shown(), printable(reason), self.run_id)
        try:
            if c.retry or not self.options.keep:
                write_note(note_place(target), failure_note(c.shown, printable(reason), item.sha256, self.version))
            if target != c.place:
                move(c.place, target)
        except OSError as err:
            self.report(FileResult(outcome="failed", path=c.shown,
                                   reason=f"{reason}; it cannot be moved to failed/: {_why(err)}; left in place"))
            return
        self.report(FileResult(outcome="failed", path=c.shown, reason=reason,
                               moved_to=None if keep_here else target.shown()))

    def store(self, item: _Hashed, processed: Processed) -> None:
        """Store a processed file and file it, if it is still the file that was hashed."""
        if not self.still_there(item):
            return
        record = processed.record
        if record.source.sha256 != item.sha256:  # read between two writes: not the content hashed
            self.report(FileResult(outcome="waiting", path=item.candidate.shown,
                                   reason="changed while it was read: read again next run"))
            return
        try:
            target = self.done_target(item)
        except OSError as err:
            self.quarantine(item, f"it cannot be filed in done/: {_why(err)}")
            return
        if record.source.path != item.candidate.shown:  # a link's target was read
            record = record.model_copy(update={"source": record.source.model_copy(
                update={"path": item.candidate.shown})})
        stored = add_record(self.engine, record, processed.document, self.seen(item, target))
        if self.file_done(item, target, stored.document_id):
            self.report(FileResult(
                outcome="new" if stored.created else "duplicate", path=item.candidate.shown,
                document_id=stored.document_id, label=document_label(record.number, record.symbol),
                moved_to=target.shown() if target else None, pages=record.source.pages if stored.created else 0))

    def triage(self, candidates: list[_Candidate]) -> list[_Hashed]:
        """Settle, hash and sort out known contents; returns the files to process."""
        todo: list[_Hashed] = []
        for candidate in candidates:
            if not _settled(candidate, self.options.settle):
                if not candidate.retry:
                    self.report(FileResult(outcome="waiting", path=candidate.shown, reason="still being written"))
                continue
            try:
                item = self.hash(candidate)
            except FileNotFoundError:
                continue  # taken away while we looked
            except OSError as err:
                self.report(FileResult(outcome="failed", path=candidate.shown,
                                       reason=f"cannot read it: {_why(err)}; left in place"))
                continue
            if item is None:
                self.report(FileResult(outcome="waiting", path=candidate.shown, reason="changed while read"))
                continue
            with self.file_fault(item):
                if self.known(item):
                    continue
                todo.append(item)
        return todo

    def known(self, item: _Hashed) -> bool:
        """File a content stored or failed before; True when there is nothing left to do."""
        if self.duplicate(item):
            return True
        failed_before = failure_of(self.engine, item.sha256)
        if failed_before and not self.options.retry_failed:
            if not item.candidate.retry:  # the same bad content dropped again
                self.quarantine(item, f"unchanged since it failed: {failed_before.reason}")
            return True
        return False

    @contextmanager
    def file_fault(self, item: _Hashed) -> Iterator[None]:
        """An OSError while handling one file (a folder that cannot be read, a disk that
        refuses a move) is that file's failure; the run goes on."""
        try:
            yield
        except OSError as err:
            self.report(FileResult(outcome="failed", path=item.candidate.shown,
                                   reason=f"cannot handle it: {_why(err)}; left in place"))

    def process(self, todo: list[_Hashed]) -> None:
        """Process each content once: a second file with the same content (dropped twice in
        one night) waits for the first, then is filed as its duplicate or fails with it."""
        first: dict[str, _Hashed] = {}
        twins: list[_Hashed] = []
        for item in todo:
            if item.sha256 in first:
                twins.append(item)
            else:
                first[item.sha256] = item
        by_path = {item.candidate.source.path: item for item in first.values()}
        reasons: dict[str, str] = {}
        for path, result in _process_all(list(by_path), self.options.ocr):
            item = by_path[path]
            with self.file_fault(item):
                if isinstance(result, Processed):
                    self.store(item, result)
                elif result.quarantine:
                    reasons[item.sha256] = result.reason
                    self.quarantine(item, result.reason)
                else:
                    reasons[item.sha256] = ""
                    self.report(FileResult(outcome="failed", path=item.candidate.shown, reason=result.reason))
        for twin in twins:
            with self.file_fault(twin):
                if twin.sha256 not in reasons:
                    self.duplicate(twin)
                elif reasons[twin.sha256]:
                    self.quarantine(twin, reasons[twin.sha256])

    def finish(self, status: str | None = None) -> RunSummary:
        summary = self.summary()
        finish_run(self.engine, self.run_id, new=summary.new, duplicate=summary.duplicate, failed=summary.failed,
                   waiting=summary.waiting, pages=summary.pages, seconds=summary.seconds, status=status)
        return summary


def run_inbox(engine: Engine, url: str, options: InboxOptions, version: str,
              on_file: Callable[[FileResult], None] = lambda result: None) -> RunSummary:
    """Process every new file of the inbox once. Raises `LayoutError` for folders placed so
    that the run would loop or lose data, `Busy` when another run holds the inbox or the
    database, `StoreError` when the database cannot be written (these three before any file
    is touched), and `RunStopped` when the run stops part-way (the run is then "crashed")."""
    check_layout(options, url)
    with inbox_and_database_locks(options.inbox, url, options.state_dir):
        run_id = start_run(engine, printable_path(options.inbox), version)
        run = InboxRun(engine, options, version, run_id, on_file)
        try:
            candidates, reports = list_candidates(options)
            for report in reports:
                run.report(report)
            run.process(run.triage(candidates))
            if run.summary().new:
                optimize(engine)
        except KeyboardInterrupt:
            _close_quietly(run, "interrupted")
            raise
        except Exception as err:
            _close_quietly(run, "crashed")
            raise RunStopped(run.summary(), err) from err
        return run.finish()


def _close_quietly(run: InboxRun, status: str) -> None:
    """Mark a run that stopped part-way; if the database cannot take even that (it is what
    failed), the next run marks it "interrupted"."""
    try:
        run.finish(status)
    except StoreError:
        pass
