"""The nightly inbox run: every new file in a folder stored exactly once, never lost.

    run_inbox(engine, url, options)
      lock the inbox and the database (a second run stops at once: `Busy`)
      open a run row (a database that cannot be written stops here, inbox untouched)
      list the files; leave those still being written for the next run
      for each file, by content (sha256):
        already stored          -> record this path, file it in done/
        failed before, same     -> back to failed/ (retried when it changes, or --retry-failed)
        new                     -> process (files in parallel), store in one transaction
                                   that also records where the file goes, then move it
        cannot be processed     -> record why, a note beside it, move it to failed/
      close the run row with its counts

A file leaves the inbox only after its record is committed. `kill -9` at any point leaves
the database consistent (one transaction per file, SQLite WAL) and the next run completes the
work: a file stored but not yet moved is found stored and moved; a move cut short is redone.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import Engine

from vanthu.ingest import InputError, MissingDependency, OcrOptions
from vanthu.store import (Known, Seen, optimize, add_record, failure_of, finish_run, known_document, known_unchanged,
                   record_failure, start_run)
from .filing import destination, failure_note, move, note_path, sha256_file, write_note
from .locking import inbox_and_database_locks
from .output import document_label
from .pipeline import Processed, process_file

# Names that editors and copy tools give to files they are still writing, and the files
# desktops leave in shared folders: never read. Any other file is, whatever its suffix, so a
# format vanthu cannot read is quarantined with the reason, not left in the inbox forever.
_PARTIAL_SUFFIXES = (".part", ".partial", ".crdownload", ".tmp", ".download", ".filepart")
_DESKTOP_FILES = {"thumbs.db", "desktop.ini"}


class InboxOptions(BaseModel):
    """How one inbox run behaves. `done`/`failed` default to folders inside the inbox."""

    model_config = ConfigDict(extra="forbid")

    inbox: Path
    done: Path | None = None
    failed: Path | None = None
    keep: bool = Field(False, description="Leave stored files in the inbox")
    retry_failed: bool = Field(False, description="Process files in failed/ again")
    settle: float = Field(5.0, ge=0, description="Seconds a file must be unchanged before it is read")
    ocr: OcrOptions = Field(default_factory=OcrOptions)

    @property
    def done_dir(self) -> Path:
        return self.done or self.inbox / "done"

    @property
    def failed_dir(self) -> Path:
        return self.failed or self.inbox / "failed"


Outcome = Literal["new", "duplicate", "failed", "waiting"]


class FileResult(BaseModel):
    """What happened to one file."""

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
    pages: int = 0
    seconds: float = 0.0

    def line(self) -> str:
        return (f"vanthu inbox {self.inbox}: {self.new} new, {self.duplicate} duplicate, "
                f"{self.failed} failed, {self.waiting} still being written; "
                f"{self.pages} pages in {self.seconds:.1f} s (run #{self.run})")


@dataclass(frozen=True)
class _Candidate:
    path: Path
    relative: Path  # to the inbox (or to failed/, for a retry)
    size: int
    mtime_ns: int
    changed_ns: int  # the later of mtime and ctime: ctime moves on a rename or copy too
    retry: bool = False  # found in failed/


@dataclass
class _Hashed:
    candidate: _Candidate
    sha256: str
    known: Known | None = None  # stored already, and seen at this path unchanged


@dataclass
class _Tally:
    results: list[FileResult] = field(default_factory=list)

    def count(self, outcome: Outcome) -> int:
        return sum(1 for r in self.results if r.outcome == outcome)


def _walk(folder: Path, skip: set[Path]) -> Iterator[Path]:
    for root, dirs, files in os.walk(folder):
        here = Path(root)
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and (here / d).resolve() not in skip)
        for name in sorted(files):
            if name.startswith(".") or name.startswith("~$") or name.endswith(".error.txt"):
                continue
            if name.lower().endswith(_PARTIAL_SUFFIXES) or name.lower() in _DESKTOP_FILES:
                continue
            yield here / name


def _candidate(path: Path, base: Path, retry: bool) -> _Candidate | None:
    try:
        info = path.stat()
    except FileNotFoundError:
        return None  # taken away while we looked
    return _Candidate(path, path.relative_to(base), info.st_size, info.st_mtime_ns,
                      max(info.st_mtime_ns, info.st_ctime_ns), retry)


def list_candidates(options: InboxOptions) -> list[_Candidate]:
    """Files in the inbox (and in failed/, which are only retried when asked or changed)."""
    skip = {options.done_dir.resolve(), options.failed_dir.resolve()}
    found = [c for p in _walk(options.inbox, skip) if (c := _candidate(p, options.inbox, False))]
    if options.failed_dir.is_dir():
        found += [c for p in _walk(options.failed_dir, set()) if (c := _candidate(p, options.failed_dir, True))]
    return found


def _settled(candidate: _Candidate, settle: float) -> bool:
    return time.time_ns() - candidate.changed_ns >= settle * 1e9


@dataclass(frozen=True)
class _Unread:
    """Why a file gave no record. A bad file is quarantined; a missing program is the
    machine's fault, so the file stays in the inbox for a run that has it."""

    reason: str
    quarantine: bool = True


def _process_one(path: Path, ocr: OcrOptions) -> Processed | _Unread:
    """Run the pipeline on one file."""
    try:
        return process_file(path, ocr)
    except InputError as err:
        return _Unread(err.one_line().removeprefix(f"{err.path}: "))
    except MissingDependency as err:
        return _Unread(str(err), quarantine=False)


def _process_all(paths: list[Path], ocr: OcrOptions) -> Iterator[tuple[Path, Processed | _Unread]]:
    """Process files, several at once when there are several and more than one job: each
    worker reads one file with one OCR process. A worker that dies (a file that crashes a
    library) fails only its file: the rest go on, each in a worker of its own."""
    if len(paths) <= 1 or ocr.jobs <= 1:
        for path in paths:
            yield path, _process_one(path, ocr)
        return
    single = ocr.model_copy(update={"jobs": 1})
    pending = list(paths)
    with ProcessPoolExecutor(max_workers=ocr.jobs) as pool:
        futures = [(path, pool.submit(_process_one, path, single)) for path in paths]
        try:
            for path, future in futures:
                yield path, future.result()
                pending.remove(path)
        except BrokenProcessPool:
            pass
    for path in pending:
        with ProcessPoolExecutor(max_workers=1) as alone:
            try:
                yield path, alone.submit(_process_one, path, single).result()
            except BrokenProcessPool:
                yield path, _Unread("the worker reading this file died (the file crashed a library)")


class InboxRun:
    """One run over an inbox: the steps of `run_inbox`, sharing the engine and options."""

    def __init__(self, engine: Engine, options: InboxOptions, version: str, run_id: int,
                 on_file: Callable[[FileResult], None]) -> None:
        self.engine, self.options, self.version, self.run_id = engine, options, version, run_id
        self.on_file = on_file
        self.tally = _Tally()

    def report(self, result: FileResult) -> None:
        self.tally.results.append(result)
        self.on_file(result)

    def seen(self, item: _Hashed, moved_to: Path | None) -> Seen:
        c = item.candidate
        return Seen(str(c.path), c.size, c.mtime_ns, str(moved_to) if moved_to else None)

    def done_target(self, item: _Hashed) -> Path | None:
        if self.options.keep and not item.candidate.retry:
            return None
        return destination(self.options.done_dir, item.candidate.relative, item.sha256)

    def file_done(self, item: _Hashed, target: Path | None) -> None:
        if target is None:
            return
        move(item.candidate.path, target)
        if item.candidate.retry:
            note_path(item.candidate.path).unlink(missing_ok=True)

    def hash(self, candidate: _Candidate) -> _Hashed | None:
        """The file's content hash, or None when it changed while being read (still being written)."""
        c = candidate
        known = known_unchanged(self.engine, str(c.path), c.size, c.mtime_ns)
        if known:
            return _Hashed(c, known.sha256, known)
        sha = sha256_file(c.path)
        after = c.path.stat()
        if (after.st_size, after.st_mtime_ns) != (c.size, c.mtime_ns):
            return None
        return _Hashed(c, sha)

    def duplicate(self, item: _Hashed) -> bool:
        """File a content already stored; True when it was."""
        target = self.done_target(item)
        known = item.known if target is None else None  # kept and unchanged: nothing to record
        known = known or known_document(self.engine, item.sha256, self.seen(item, target))
        if known is None:
            return False
        self.file_done(item, target)
        self.report(FileResult(outcome="duplicate", path=str(item.candidate.path), document_id=known.document_id,
                               label=document_label(known.number, known.symbol),
                               moved_to=str(target) if target else None))
        return True

    def quarantine(self, item: _Hashed, reason: str) -> None:
        """Record why the file failed, write the note, move it to failed/ (unless kept)."""
        c = item.candidate
        keep_here = c.retry or self.options.keep
        target = c.path if keep_here else destination(self.options.failed_dir, c.relative, item.sha256)
        record_failure(self.engine, item.sha256, str(c.path), str(target), reason, self.run_id)
        if c.retry or not self.options.keep:
            write_note(note_path(target), failure_note(c.path, reason, item.sha256, self.version))
        if target != c.path:
            move(c.path, target)
        self.report(FileResult(outcome="failed", path=str(c.path), reason=reason,
                               moved_to=None if keep_here else str(target)))

    def store(self, item: _Hashed, processed: Processed) -> None:
        target = self.done_target(item)
        stored = add_record(self.engine, processed.record, processed.document, self.seen(item, target))
        self.file_done(item, target)
        record = processed.record
        self.report(FileResult(
            outcome="new" if stored.created else "duplicate", path=str(item.candidate.path),
            document_id=stored.document_id, label=document_label(record.number, record.symbol),
            moved_to=str(target) if target else None, pages=record.source.pages if stored.created else 0))

    def triage(self, candidates: list[_Candidate]) -> list[_Hashed]:
        """Settle, hash and sort out known contents; returns the files to process."""
        todo: list[_Hashed] = []
        for candidate in candidates:
            if not _settled(candidate, self.options.settle):
                if not candidate.retry:
                    self.report(FileResult(outcome="waiting", path=str(candidate.path), reason="still being written"))
                continue
            try:
                item = self.hash(candidate)
            except FileNotFoundError:
                continue  # taken away while we looked
            except OSError as err:
                self.report(FileResult(outcome="failed", path=str(candidate.path),
                                       reason=f"cannot read file: {err.strerror or err}"))
                continue
            if item is None:
                self.report(FileResult(outcome="waiting", path=str(candidate.path), reason="changed while read"))
                continue
            if self.duplicate(item):
                continue
            failed_before = failure_of(self.engine, item.sha256)
            if failed_before and not self.options.retry_failed:
                if not candidate.retry:  # the same bad content dropped again
                    self.quarantine(item, f"unchanged since it failed: {failed_before.reason}")
                continue
            todo.append(item)
        return todo

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
        by_path = {item.candidate.path: item for item in first.values()}
        reasons: dict[str, str] = {}
        for path, result in _process_all(list(by_path), self.options.ocr):
            item = by_path[path]
            if isinstance(result, Processed):
                self.store(item, result)
            elif result.quarantine:
                reasons[item.sha256] = result.reason
                self.quarantine(item, result.reason)
            else:
                reasons[item.sha256] = ""
                self.report(FileResult(outcome="failed", path=str(path), reason=result.reason))
        for twin in twins:
            if twin.sha256 not in reasons:
                self.duplicate(twin)
            elif reasons[twin.sha256]:
                self.quarantine(twin, reasons[twin.sha256])


def run_inbox(engine: Engine, url: str, options: InboxOptions, version: str,
              on_file: Callable[[FileResult], None] = lambda result: None) -> RunSummary:
    """Process every new file of the inbox once. Raises `Busy` when another run holds the
    inbox or the database, `StoreError` when the database cannot be written (before any
    file is touched)."""
    started = time.monotonic()
    with inbox_and_database_locks(options.inbox, url):
        run_id = start_run(engine, str(options.inbox), version)
        run = InboxRun(engine, options, version, run_id, on_file)
        run.process(run.triage(list_candidates(options)))
        tally = run.tally
        summary = RunSummary(
            run=run_id, inbox=str(options.inbox), new=tally.count("new"), duplicate=tally.count("duplicate"),
            failed=tally.count("failed"), waiting=tally.count("waiting"),
            pages=sum(r.pages for r in tally.results), seconds=round(time.monotonic() - started, 3))
        if summary.new:
            optimize(engine)
        finish_run(engine, run_id, new=summary.new, duplicate=summary.duplicate, failed=summary.failed,
                   waiting=summary.waiting, pages=summary.pages, seconds=summary.seconds)
    return summary
