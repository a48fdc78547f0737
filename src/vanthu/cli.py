"""The `vanthu` command: a thin layer over the pipeline and the store.

Every command that takes several files treats them as a batch: a bad file is reported on
one line ("vanthu: error: PATH: reason"), the others are processed, and the exit status
is 1. Exit status 2 means the command could not start (bad usage, database unreachable).

Each command imports what it uses when it runs: `vanthu --help` and the database queries
start without OCR, PDF, language-model or web libraries (tests/test_startup.py).
"""

from __future__ import annotations

import functools
import json
import sys
import traceback
from collections.abc import Iterator
from contextlib import ExitStack, closing, contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import click

from vanthu.knowledge.printable import printable
from vanthu.store import BUSY_TIMEOUT_MS, DEFAULT_DB, StoreError
from . import __version__
from .exceptions import ExitCode
from .locking import default_state_dir
from .serve import DEFAULT_TIME_LIMIT_MS

if TYPE_CHECKING:
    from rich.console import Console

    from vanthu.ingest import OcrOptions
    from vanthu.normalize.record import Record
    from vanthu.store import Known
    from .inbox import FileResult

db_option = click.option(
    "--db", "db", envvar="VANTHU_DB", default=DEFAULT_DB, show_default=True,
    help="Database: a file path (SQLite) or an SQLAlchemy URL. Also read from VANTHU_DB.",
)


lock_wait_option = click.option(
    "--lock-wait", type=click.FloatRange(min=0), envvar="VANTHU_LOCK_WAIT", default=BUSY_TIMEOUT_MS / 1000,
    show_default=True,
    help="Seconds to wait for another process's write lock on an SQLite database before giving up "
         "(a long re-extraction, an analyst's import). Also read from VANTHU_LOCK_WAIT.",
)


def fail(message: str) -> None:
    """One line on stderr, whatever the message holds (a file name with a newline cannot
    forge a second line)."""
    click.echo(f"vanthu: error: {printable(message)}", err=True)


def ocr_options(command):
    """--jobs, --no-cache and the per-file limits, turned into an `OcrOptions` passed as
    `options`. Each limit can also be set in the environment (VANTHU_MAX_PAGES, …)."""
    @click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
                  help="OCR worker processes (default: the number of CPUs).")
    @click.option("--no-cache", is_flag=True,
                  help="Do not read or write the OCR cache ($XDG_CACHE_HOME/vanthu, or ~/.cache/vanthu).")
    # Defaults are OcrOptions' (ingest.limits); given here only as text, so that `--help`
    # needs no stage imported.
    @click.option("--max-pixels", type=click.IntRange(min=1), envvar="VANTHU_MAX_PIXELS", show_default="80000000",
                  help="Pixels a page may have at every step (decoded, rendered, resampled for OCR).")
    @click.option("--max-pages", type=click.IntRange(min=1), envvar="VANTHU_MAX_PAGES", show_default="500",
                  help="Pages a file may have.")
    @click.option("--max-text-mb", type=click.FloatRange(min=0, min_open=True), envvar="VANTHU_MAX_TEXT_MB",
                  show_default="10", help="Megabytes a text file may have.")
    @functools.wraps(command)
    def wrapper(*args, jobs: int | None, no_cache: bool, max_pixels: int | None, max_pages: int | None,
                max_text_mb: float | None, **kwargs):
        from vanthu.ingest import OcrOptions
        from vanthu.ingest.limits import MB

        given = {"jobs": jobs, "max_pixels": max_pixels, "max_pages": max_pages,
                 "max_text_bytes": round(max_text_mb * MB) if max_text_mb else None}
        options = OcrOptions(**{key: value for key, value in given.items() if value is not None},
                             **({"cache_dir": None} if no_cache else {}))
        return command(*args, options=options, **kwargs)
    return wrapper


def cluster_options(command):
    """--cluster and --cluster-input: where a batch runs (`vanthu.cluster`), passed as
    `cluster` (None: this machine's process pool) and `cluster_input`."""
    @click.option("--cluster", envvar="VANTHU_CLUSTER", metavar="ADDRESS",
                  help="Run the batch on a Dask cluster: a scheduler's address (tcp://HOST:8786), or local[:N] "
                       "for a cluster of N worker processes on this machine. Also read from VANTHU_CLUSTER. "
                       "The workers write into the database themselves: PostgreSQL, or SQLite with local only.")
    @click.option("--cluster-input", type=click.Choice(["bytes", "path"]), default="bytes", show_default=True,
                  help="bytes: each file's content is sent to a worker; path: workers read the file at its "
                       "absolute path (a folder shared by every machine, mounted at the same place).")
    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        return command(*args, **kwargs)
    return wrapper


@contextmanager
def cluster_progress(enabled: bool) -> Iterator:
    """A progress line on stderr (files done, failed, pages, workers), when stderr is a
    terminal; yields the callback `ClusterBatch` calls after each file."""
    if not (enabled and sys.stderr.isatty()):
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    progress = Progress(TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn(),
                        console=Console(stderr=True), transient=True)
    with progress:
        task = progress.add_task("starting the cluster", total=None)
        yield lambda counts: progress.update(task, description=counts.line(), completed=counts.done,
                                             total=counts.total)


@contextmanager
def page_progress(enabled: bool) -> Iterator:
    """A progress line on stderr counting OCRed pages, when stderr is a terminal."""
    if not (enabled and sys.stderr.isatty()):
        yield None
        return
    from rich.console import Console
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    progress = Progress(SpinnerColumn(), TextColumn("OCR {task.completed} pages"), TimeElapsedColumn(),
                        console=Console(stderr=True), transient=True)
    with progress:
        task = progress.add_task("ocr", total=None)
        yield lambda: progress.advance(task)


@contextmanager
def one_file_errors() -> Iterator[None]:
    """For commands on one file: a bad file exits 1, a missing program 2, each with one line."""
    from vanthu.ingest import InputError, MissingDependency

    try:
        yield
    except InputError as err:
        fail(err.one_line())
        sys.exit(ExitCode.FILES_FAILED)
    except MissingDependency as err:
        fail(str(err))
        sys.exit(ExitCode.CANNOT_START)


def open_db(target: str, lock_wait: float | None = None):
    """The database's engine (created, or upgraded with a line on stderr, as needed); exit
    status 2 with the reason when it cannot be used. `lock_wait`: see `--lock-wait`."""
    from vanthu.store import open_engine

    try:
        return open_engine(target, on_upgrade=lambda upgrade: click.echo(f"vanthu: {upgrade.line()}", err=True),
                           lock_wait=lock_wait)
    except StoreError as err:
        fail(str(err))
        sys.exit(ExitCode.CANNOT_START)


@contextmanager
def reading_db(target: str) -> Iterator:
    """What a command that only reads queries: the SQLite file itself when it is already at
    this vanthu's schema (no SQLAlchemy imported: `vanthu deadlines` answers in a fifth of a
    second), otherwise the engine of `open_db` (which creates or upgrades the database)."""
    from vanthu.store import open_current_sqlite

    connection = open_current_sqlite(target)
    if connection is None:
        yield open_db(target)
        return
    with closing(connection):
        yield connection


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="vanthu")
def main() -> None:
    """Turn Vietnamese official documents into structured records kept in SQLite.

    \b
    Typical use:
      vanthu extract dispatch.txt --json     # print the record, store nothing
      vanthu ingest inbox/                   # store every document under inbox/
      vanthu inbox /srv/inbox                # the nightly run: exactly once, files filed away
      vanthu deadlines --upcoming 7          # what is due this week, and by whom
      vanthu search "chuyen doi so"          # full text, marks optional
      vanthu cites 13-NQ/TU                  # who implements or answers a document
      vanthu show 4868/UBND-KGVX             # one stored record
      vanthu reextract                       # records of an older extractor, derived again
      vanthu serve                           # the database in a browser
    """


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="One JSON record per line (JSON Lines).")
@ocr_options
def extract(files: tuple[Path, ...], as_json: bool, options: OcrOptions) -> None:
    """Print the record of each FILE (text, PDF, PNG, JPEG, TIFF; folders are walked).

    Nothing is stored."""
    from .pipeline import Failure, process_many

    failed = 0
    with page_progress(True) as on_page:
        for result in process_many(files, options, on_page=on_page):
            if isinstance(result, Failure):
                fail(result.one_line())
                failed += 1
                continue
            record = result.record
            click.echo(record.model_dump_json() if as_json else record.model_dump_json(indent=2))
    sys.exit(ExitCode.FILES_FAILED if failed else ExitCode.OK)


@main.command()
@click.argument("file", type=click.Path(path_type=Path))
@ocr_options
def text(file: Path, options: OcrOptions) -> None:
    """Print the text recovered from FILE (OCR for scans, the text layer for PDFs)."""
    from vanthu.ingest import read_document

    with one_file_errors(), page_progress(True) as on_page:
        document = read_document(file, options, on_page)
    click.echo(document.text, nl=False)
    for warning in document.warnings:
        click.echo(f"vanthu: warning: {file}: {warning}", err=True)


@main.command(name="restore")
@click.argument("source", default="-", type=click.File("r", encoding="utf-8-sig"))
def restore_command(source) -> None:
    """Put Vietnamese diacritics back on text typed without them (FILE, or - for stdin).

    Lines that are already accented, numbers, punctuation and symbols pass through unchanged
    (the model is not even loaded when nothing needs restoring)."""
    from vanthu.ingest.errors import MissingModel
    from vanthu.ingest.restore import restore

    text = source.read()
    try:
        restored = restore(text)
    except MissingModel as err:
        fail(str(err))
        sys.exit(ExitCode.CANNOT_START)
    click.echo(restored, nl=False)


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@db_option
@lock_wait_option
@click.option("--quiet", "-q", is_flag=True, help="Print only the summary line.")
@ocr_options
@cluster_options
def ingest(paths: tuple[Path, ...], db: str, lock_wait: float, quiet: bool, options: OcrOptions, cluster: str | None,
           cluster_input: str) -> None:
    """Store the records of the files under PATHS; unchanged files are never stored twice.

    A file whose content is already stored is skipped before any extraction or OCR. With
    --cluster, the files are read on the workers of a Dask cluster (exit status 4 when the
    scheduler is lost part-way: run the command again to finish the batch)."""
    from vanthu.ingest import sha256_of
    from vanthu.store import known_document, optimize

    from .pipeline import process_many

    engine = open_db(db, lock_wait)
    if cluster:
        counts = _ingest_on_cluster(engine, paths, db, quiet, options, cluster, cluster_input)
        stored, unchanged, failed = counts.stored, counts.unchanged, counts.failed
    else:
        stored = unchanged = failed = 0

        def already_stored(path: Path) -> Known | None:
            try:
                digest = sha256_of(path.read_bytes())
            except OSError:
                return None  # reading it again reports the reason
            return known_document(engine, digest, str(path))

        try:
            with page_progress(not quiet) as on_page:
                for result in process_many(paths, options, skip=already_stored, on_page=on_page):
                    outcome = _store(engine, result, quiet)
                    stored += outcome == "stored"
                    unchanged += outcome == "unchanged"
                    failed += outcome == "failed"
        except StoreError as err:  # recording a known file's path failed: no later file would fare better
            fail(f"{err} ({_shown(db)}); stopped after {stored + unchanged + failed} files, {stored} stored")
            sys.exit(ExitCode.CANNOT_START)
    if stored:
        optimize(engine)
    click.echo(f"{stored + unchanged + failed} files: {stored} stored, {unchanged} unchanged, "
               f"{failed} failed ({_shown(db)})")
    sys.exit(ExitCode.FILES_FAILED if failed else ExitCode.OK)


def _shown(db: str) -> str:
    """The database as messages name it (a URL's password hidden)."""
    from vanthu.store import shown_url

    return shown_url(db)


def _ingest_on_cluster(engine, paths: tuple[Path, ...], db: str, quiet: bool, options: OcrOptions, cluster: str,
                       cluster_input: str):
    """`vanthu ingest --cluster`: the files read and stored by the workers of a Dask cluster,
    each printed as it comes back; the counts (`cluster.Progress`)."""
    from vanthu.store import database_url

    from .cluster import ClusterBatch, ClusterError, ClusterLost, Progress, Settings, connect, parse_local, stage_versions
    from .pipeline import expand_paths

    try:
        remote = parse_local(cluster) is None
    except ClusterError as err:
        raise click.BadParameter(str(err), param_hint="--cluster") from err
    if remote and engine.dialect.name == "sqlite":
        fail(f"workers on other machines cannot write into the SQLite file {db}: give a PostgreSQL database "
             "(--db postgresql+psycopg://USER:PASSWORD@HOST/NAME), or use --cluster local")
        sys.exit(ExitCode.CANNOT_START)
    settings = Settings(database_url(db), options.model_copy(update={"cache_dir": None}),
                        cache=options.cache_dir is not None, versions=stage_versions())
    files = list(expand_paths(paths))
    counts = Progress(total=len(files))
    try:
        with cluster_progress(not quiet) as on_progress, ExitStack() as stack:
            # A scheduler elsewhere is reached at once (a wrong address is said before any
            # file is read); a local cluster's workers are started once a file needs them.
            client = stack.enter_context(connect(cluster)) if remote else None
            opened = (lambda: client) if remote else (lambda: stack.enter_context(connect(cluster)))
            for outcome in ClusterBatch(opened, engine, settings, cluster_input, counts, on_progress).run(files):
                if outcome.outcome == "failed":
                    fail(outcome.reason or outcome.path)
                elif not quiet:
                    click.echo(stored_line(outcome.outcome, outcome.document_id, outcome.number, outcome.symbol,
                                           outcome.path))
    except ClusterLost as err:
        fail(f"{err}; {counts.done} of {counts.total} files were done and what was stored stays: run the same "
             "command again to finish the batch")
        sys.exit(ExitCode.CRASHED)
    except ClusterError as err:
        fail(str(err))
        sys.exit(ExitCode.CANNOT_START)
    return counts


def stored_line(state: str, document_id: int | None, number: str | None, symbol: str | None, path: str) -> str:
    """The line `ingest` prints for a file stored or found stored."""
    from .output import document_label

    return f"{state:<9} #{document_id:<5} {document_label(number, symbol):<28} {path}"


def _store(engine, result, quiet: bool) -> str:
    """Store one pipeline result; print its line; return "stored", "unchanged" or "failed"."""
    from vanthu.store import add_record

    from .pipeline import Failure, Skipped

    if isinstance(result, Failure):
        fail(result.one_line())
        return "failed"
    if isinstance(result, Skipped):
        known = result.known
        if not quiet:
            click.echo(stored_line("unchanged", known.document_id, known.number, known.symbol, result.path))
        return "unchanged"
    try:
        outcome = add_record(engine, result.record, result.document)
    except StoreError as err:
        fail(f"{result.record.source.path}: {err}")
        return "failed"
    state = "stored" if outcome.created else "unchanged"
    if not quiet:
        click.echo(stored_line(state, outcome.document_id, result.record.number, result.record.symbol,
                               result.record.source.path))
    if outcome.created:
        _warn_registered_twice(engine, outcome.document_id, result.record.source.path)
    return state


MAX_NAMED = 3  # stored registrations a warning names; a batch of many copies would print each, every time


def _warn_registered_twice(engine, document_id: int, path: str) -> None:
    """A warning on stderr when another stored document has the same number, symbol, issuer
    and year: the same document registered twice (a second scan, a copy by another route)."""
    from vanthu.store import same_registrations

    others = same_registrations(engine, document_id)
    if others:
        named = ", ".join(f"#{other.document_id} ({other.path})" for other in others[:MAX_NAMED])
        if len(others) > MAX_NAMED:
            named += f" and {len(others) - MAX_NAMED} more"
        click.echo(f"vanthu: warning: {printable(path)}: same number, symbol, issuer and year as {printable(named)}: "
                   "registered twice?", err=True)



ISO_DATE = click.DateTime(["%Y-%m-%d"])


def _iso(value) -> str | None:
    return value.date().isoformat() if value else None


def _console() -> Console:
    from rich.console import Console

    return Console(width=None if sys.stdout.isatty() else 160)


def _check_output(output: Path | None, db: str | None = None) -> None:
    """Refuse, before anything is written, an output file in a missing folder or that is
    the database being read (or its journal or lock): `-o archive.db` must not truncate it."""
    if output is None:
        return
    if not output.parent.is_dir():
        fail(f"cannot write {output}: folder {output.parent} does not exist")
        sys.exit(ExitCode.CANNOT_START)
    from vanthu.store import database_url, sqlite_file

    database = sqlite_file(database_url(db)) if db else None
    if database is None:
        return
    for kept in (database, Path(f"{database}-wal"), Path(f"{database}-shm"), Path(f"{database}.lock")):
        if output.resolve() == kept.resolve():
            fail(f"refusing to write {output}: it is the database being read ({db}); choose another file")
            sys.exit(ExitCode.CANNOT_START)


def _write_out(output: Path | None, content: str | bytes) -> None:
    """Write to a file (checked first with `_check_output`), or to standard output."""
    if output is None:
        click.echo(content, nl=False)
        return
    try:
        output.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    except OSError as err:
        fail(f"cannot write {output}: {err.strerror or err}")
        sys.exit(ExitCode.CANNOT_START)


output_option = click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path),
                             help="Write to this file instead of standard output.")
raw_option = click.option("--raw", is_flag=True,
                          help="CSV cells exactly as stored. By default a cell starting with = + - @ tab or CR "
                               "gets a ' in front, so a spreadsheet shows it instead of running it as a formula.")
# Limits a query can take without its numbers overflowing SQLite or the calendar.
MAX_LIMIT = 1_000_000_000
MAX_DAYS_AHEAD = 36_500  # a hundred years


@main.command(name="deadlines")
@db_option
@click.option("--from", "date_from", type=ISO_DATE, help="Due on or after (YYYY-MM-DD).")
@click.option("--to", "date_to", type=ISO_DATE, help="Due on or before (YYYY-MM-DD).")
@click.option("--overdue", is_flag=True, help="Due before today.")
@click.option("--upcoming", type=click.IntRange(min=0, max=MAX_DAYS_AHEAD), metavar="DAYS",
              help="Due from today to DAYS days ahead.")
@click.option("--today", type=ISO_DATE, help="Take this day as today (reports for another day).")
@click.option("--responsible", help='Unit responsible, as the lead or a supporting unit; accents, case and '
                                    'abbreviations do not matter ("So TTTT").')
@click.option("--issuer", help="Issuing organ, matched the same way.")
@click.option("--type", "doc_type", help='Document type: "Công văn", "cong van", "QĐ", "KH", …')
@click.option("--status", type=click.Choice(["open", "done", "all"]), default="open", show_default=True,
              help="open: not marked done on the workbench's deadlines board; done: marked done.")
@click.option("--sort", type=click.Choice(["due", "responsible", "issued", "document"]), default="due",
              show_default=True)
@click.option("--desc", is_flag=True, help="Reverse the order.")
@click.option("--limit", type=click.IntRange(min=1, max=MAX_LIMIT))
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json", "ics"]), default="table",
              show_default=True, help="csv: UTF-8 with BOM (Excel); ics: one calendar event per deadline.")
@output_option
@raw_option
def deadlines_command(db: str, date_from, date_to, overdue: bool, upcoming: int | None, today,
                      responsible: str | None, issuer: str | None, doc_type: str | None, status: str, sort: str,
                      desc: bool, limit: int | None, fmt: str, output: Path | None, raw: bool) -> None:
    """List deadlines with the units responsible (the lead, and those supporting it) and the
    document, earliest first. --responsible finds a unit either way."""
    from vanthu.store import DeadlineFilter, deadlines

    from .output import deadlines_csv, deadlines_ics, deadlines_json, deadlines_table

    _check_output(output, db)
    where = DeadlineFilter(date_from=_iso(date_from), date_to=_iso(date_to), overdue=overdue, upcoming=upcoming,
                           responsible=responsible, issuer=issuer, doc_type=doc_type, status=status, sort=sort,
                           descending=desc, limit=limit, **({"today": today.date()} if today else {}))
    with reading_db(db) as source:
        items = deadlines(source, where)
    if fmt == "csv":
        _write_out(output, deadlines_csv(items, raw))
    elif fmt == "json":
        _write_out(output, deadlines_json(items) + "\n")
    elif fmt == "ics":
        _write_out(output, deadlines_ics(items))
    else:
        deadlines_table(items, _console())


@main.command(name="search")
@click.argument("query")
@db_option
@click.option("--from", "date_from", type=ISO_DATE, help="Issued on or after (YYYY-MM-DD).")
@click.option("--to", "date_to", type=ISO_DATE, help="Issued on or before (YYYY-MM-DD).")
@click.option("--issuer", help="Issuing organ (accents, case and abbreviations do not matter).")
@click.option("--limit", type=click.IntRange(min=1, max=MAX_LIMIT), default=20, show_default=True)
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
def search_command(query: str, db: str, date_from, date_to, issuer: str | None, limit: int, fmt: str) -> None:
    """Full-text search of document text, best match first: typed without marks, "chuyen doi
    so" finds "chuyển đổi số". Words must all occur; "quote" a phrase; end a word with * for
    a prefix."""
    from vanthu.store import search

    from .output import hits_table

    try:
        hits = search(open_db(db), query, _iso(date_from), _iso(date_to), issuer, limit)
    except StoreError as err:
        fail(str(err))
        sys.exit(ExitCode.CANNOT_START)
    if fmt == "json":
        click.echo(json.dumps([hit.model_dump() for hit in hits], ensure_ascii=False, indent=2))
    else:
        hits_table(hits, _console())


@main.command(name="cites")
@click.argument("key")
@db_option
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
def cites_command(key: str, db: str, fmt: str) -> None:
    """Stored documents that cite KEY ("13-NQ/TU", "1690/QĐ-TTg", or a symbol alone)."""
    from vanthu.store import citing

    _print_refs(citing(open_db(db), key), f"Documents citing {key}", fmt)


@main.command(name="cited-by")
@click.argument("key")
@db_option
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
def cited_by_command(key: str, db: str, fmt: str) -> None:
    """What the stored document KEY (an id or number/symbol) cites; "Stored" gives the id of
    each cited document the database holds."""
    from vanthu.store import cited_by

    _print_refs(cited_by(open_db(db), key), f"Cited by {key}", fmt)


def _print_refs(refs, title: str, fmt: str) -> None:
    from .output import refs_table

    if fmt == "json":
        click.echo(json.dumps([ref.model_dump() for ref in refs], ensure_ascii=False, indent=2))
    else:
        refs_table(refs, title, _console())


@main.command(name="citations")
@db_option
@click.option("--format", "fmt", type=click.Choice(["json", "dot"]), default="json", show_default=True,
              help="dot: Graphviz (dot -Tsvg citations.dot > citations.svg).")
@output_option
def citations_command(db: str, fmt: str, output: Path | None) -> None:
    """The citation graph: an edge from each document to every document it cites."""
    from vanthu.store import citation_graph

    _check_output(output, db)
    graph = citation_graph(open_db(db))
    _write_out(output, graph.to_dot() if fmt == "dot" else graph.to_json() + "\n")


@main.command(name="export")
@db_option
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv"]), default="jsonl", show_default=True,
              help="jsonl: whole records, one per line; csv: one row per record, lists joined by '; '.")
@output_option
@raw_option
def export_command(db: str, fmt: str, output: Path | None, raw: bool) -> None:
    """Every stored record, in id order."""
    from vanthu.store import all_records

    from .output import records_csv_lines, records_jsonl_lines

    _check_output(output, db)
    records = all_records(open_db(db))
    lines = records_csv_lines(records, raw) if fmt == "csv" else records_jsonl_lines(records)
    if output is None:
        for line in lines:
            click.echo(line, nl=False)
        return
    try:
        with output.open("w", encoding="utf-8", newline="") as handle:
            handle.writelines(lines)
    except OSError as err:
        fail(f"cannot write {output}: {err.strerror or err}")
        sys.exit(ExitCode.CANNOT_START)


@main.command(name="serve")
@db_option
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on. Any but the loopback needs users (vanthu user add).")
@click.option("--port", type=click.IntRange(0, 65535), default=8001, show_default=True)
@click.option("--allow-sql", is_flag=True,
              help="Let visitors of /datasette/ run SQL of their own (off: only tables and the ready-made queries).")
@click.option("--time-limit-ms", type=click.IntRange(min=1, max=600_000), default=DEFAULT_TIME_LIMIT_MS,
              show_default=True, help="Time one Datasette query may take.")
@click.option("--secret-key", envvar="VANTHU_SECRET_KEY", metavar="KEY", show_envvar=True,
              help="Key signing the session cookies (default: a new one each start, which logs everyone out).")
def serve_command(db: str, host: str, port: int, allow_sql: bool, time_limit_ms: int, secret_key: str | None) -> None:
    """The archivist's workbench in a browser, in Vietnamese: the review queue, each document
    beside its pages with every value editable, the deadlines board; Datasette under
    /datasette/ (SQLite files only; on PostgreSQL the workbench alone). Ctrl-C (or SIGTERM)
    stops it.

    \b
    Safe by default: it listens on 127.0.0.1 only, unless --host names another address, which
    it refuses while the database has no users. Once users exist, every page needs a login."""
    from .serve import Refused, serve

    open_db(db)  # upgraded, with the line that says so
    try:
        sys.exit(serve(db, host, port, allow_sql, time_limit_ms, secret_key))
    except Refused as err:
        fail(f"{err}; not started")
        sys.exit(ExitCode.CANNOT_START)


@main.group(name="user")
def user_group() -> None:
    """People who may use the workbench (vanthu serve): names and argon2-hashed passwords, kept
    in the database."""


@user_group.command(name="add")
@click.argument("name")
@db_option
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input (one line).")
def user_add(name: str, db: str, password_stdin: bool) -> None:
    """Add user NAME (or set a new password for NAME). The password is asked twice."""
    from vanthu.store import add_user, check_new_user

    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        check_new_user(name, password)
    except ValueError as err:
        fail(str(err))
        sys.exit(ExitCode.CANNOT_START)
    engine = open_db(db)
    try:
        add_user(engine, name, password)
    except StoreError as err:
        fail(str(err))
        sys.exit(ExitCode.CANNOT_START)
    click.echo(f"user {name} can log in to the workbench ({db})")


@user_group.command(name="list")
@db_option
def user_list(db: str) -> None:
    """List the users' names."""
    from vanthu.store import user_names

    for name in user_names(open_db(db)):
        click.echo(name)


@user_group.command(name="remove")
@click.argument("name")
@db_option
def user_remove(name: str, db: str) -> None:
    """Remove user NAME (their sessions end at their next request)."""
    from vanthu.store import remove_user

    if not remove_user(open_db(db), name):
        fail(f"no user {name!r} in {db}")
        sys.exit(ExitCode.FILES_FAILED)
    click.echo(f"user {name} removed ({db})")


@main.command()
@click.argument("key")
@db_option
@click.option("--json", "as_json", is_flag=True, help="Print the record as JSON.")
def show(key: str, db: str, as_json: bool) -> None:
    """Show stored records by ID or by NUMBER/SYMBOL ("4868/UBND-KGVX", "19-CT/TU")."""
    from vanthu.store import find_documents

    records = find_documents(open_db(db), key)
    if not records:
        fail(f"no document {key!r} in {db}")
        sys.exit(ExitCode.FILES_FAILED)
    for record in records:
        click.echo(record.model_dump_json(indent=2) if as_json else describe(record))


def describe(record: Record) -> str:
    """A readable, labelled view of a record; a value a person confirmed or corrected is
    marked with ✓, who and when."""
    from .output import document_label

    def seen(*fields: str) -> str:
        marks = []
        for name in fields:
            review = record.reviewed.get(name)
            if review is not None:
                verb = "sửa" if review.status == "corrected" else "xác nhận"
                marks.append(f"✓ {verb}: {review.by}, {review.at}")
        return f"  [{'; '.join(dict.fromkeys(marks))}]" if marks else ""

    lines = [
        f"{record.doc_type or 'Văn bản'} {document_label(record.number, record.symbol)}"
        + seen("doc_type", "number", "symbol"),
        f"  Ngày ban hành: {record.issue_date or '—'}  ({record.place or '—'})" + seen("issue_date", "place"),
        f"  Cơ quan ban hành: {record.issuer or '—'}"
        + (f"  (thuộc {record.parent_issuer})" if record.parent_issuer else "") + seen("issuer", "parent_issuer"),
        f"  Trích yếu: {record.subject or '—'}" + seen("subject"),
        f"  Kính gửi: {'; '.join(record.recipients) or '—'}" + seen("recipients"),
        f"  Người ký: {record.signer or '—'}" + (f" ({record.signer_title})" if record.signer_title else "")
        + seen("signer", "signer_title"),
    ]
    if record.arrival_number or record.arrival_date or "arrival_number" in record.reviewed:
        lines.append(f"  Số đến: {record.arrival_number or '—'}  Ngày đến: {record.arrival_date or '—'}"
                     + seen("arrival_number", "arrival_date"))
    for deadline in record.deadlines:
        supporting = f" (phối hợp: {'; '.join(deadline.supporting)})" if deadline.supporting else ""
        lines.append(f"  Hạn {deadline.date}: {deadline.responsible or '—'}{supporting}: {deadline.text}")
    if record.deadlines and "deadlines" in record.reviewed:
        lines[-1] += seen("deadlines")
    for ref in record.references:
        lines.append(f"  Căn cứ: {ref.doc_type or ''} {document_label(ref.number, ref.symbol)}"
                     f" ({ref.issue_date or '—'})")
    if record.references and "references" in record.reviewed:
        lines[-1] += seen("references")
    if record.directives or "directives" in record.reviewed:
        from vanthu.normalize.record import walk_directives

        items = sum(1 for _ in walk_directives(record.directives))
        lines.append(f"  Nội dung chỉ đạo: {items} mục" + seen("directives"))
    lines.append(f"  Nơi nhận: {'; '.join(record.cc) or '—'}" + seen("cc"))
    lines += [f"  ! {warning}" for warning in record.warnings]
    lines.append(f"  Nguồn: {record.source.path} ({record.source.method}, sha256 {record.source.sha256[:12]})")
    return "\n".join(lines)


@main.command(name="eval")
@click.argument("gold", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dir", "folder", type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="Folder holding the gold files' documents (default: each gold file's folder).")
@click.option("--misses", is_flag=True, help="List every mismatch.")
@ocr_options
def evaluate(gold: tuple[Path, ...], folder: Path | None, misses: bool, options: OcrOptions) -> None:
    """Per-field accuracy of extraction against gold JSONL files (see `vanthu.evaluate`)."""
    from .evaluate import HEADER_FIELDS, load_gold, score, score_lists, score_signatures
    from .pipeline import Failure, process_many

    rows, paths = [], {}
    for gold_file in gold:
        for row in load_gold(gold_file):
            if len(gold) > 1:  # rows of several sets: name each by its set
                row = {**row, "file": f"{gold_file.parent.name}/{row['file']}"}
                paths[str((folder or gold_file.parent.parent) / row["file"])] = row["file"]
            else:
                paths[str((folder or gold_file.parent) / row["file"])] = row["file"]
            rows.append(row)
    records = {}
    for result in process_many(list(paths), options):
        if isinstance(result, Failure):  # scored as a miss on every field
            fail(result.one_line())
        else:
            records[paths[result.record.source.path]] = result.record
    table, missed = score(records, rows, HEADER_FIELDS)
    width = max(map(len, table))
    click.echo(f"{'field':<{width}}  correct  accuracy")
    for field, (correct, total) in table.items():
        if total:
            click.echo(f"{field:<{width}}  {correct:>3}/{total:<3}  {correct / total:8.1%}")
    all_correct = sum(c for c, _ in table.values())
    all_total = sum(t for _, t in table.values())
    click.echo(f"{'all':<{width}}  {all_correct:>3}/{all_total:<3}  {all_correct / all_total:8.1%}")
    lists, list_missed = score_lists(records, rows)
    click.echo(f"\n{'list field':<{width}}  matched  extracted  gold  precision  recall      F1")
    for field, result in lists.items():
        if result.extracted or result.wanted:
            click.echo(f"{field:<{width}}  {result.matched:>7}  {result.extracted:>9}  {result.wanted:>4}"
                       f"  {result.precision:9.1%}  {result.recall:6.1%}  {result.f1:6.3f}")
    signatures, signature_missed = score_signatures(records, rows)
    if signatures.wanted or signatures.invented:
        click.echo(f"\ndigital signatures: {signatures.found}/{signatures.wanted} found, "
                   f"{signatures.right} with the right signer and time, {signatures.invented} invented")
    if misses:
        click.echo("\n".join(missed + list_missed + signature_missed))


@main.command()
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@db_option
@lock_wait_option
@click.option("--done", type=click.Path(file_okay=False, path_type=Path),
              help="Where stored files go (default: FOLDER/done).")
@click.option("--failed", type=click.Path(file_okay=False, path_type=Path),
              help="Where files that fail go, each with a note (default: FOLDER/failed).")
@click.option("--keep", is_flag=True, help="Leave stored files in the inbox.")
@click.option("--retry-failed", is_flag=True, help="Process the files in the failed folder again.")
@click.option("--settle", type=click.FloatRange(min=0), default=5.0, show_default=True,
              help="Seconds a file must be unchanged before it is read (files still being copied wait).")
@click.option("--follow-links", is_flag=True,
              help="Read symbolic links that lead to files inside FOLDER (other links are reported and left).")
@click.option("--state-dir", type=click.Path(file_okay=False, path_type=Path), envvar="VANTHU_STATE_DIR",
              default=default_state_dir, show_default="$XDG_STATE_HOME/vanthu",
              help="Where the inbox's lock lives (never inside FOLDER).")
@click.option("--max-seconds", type=click.FloatRange(min=0, min_open=True), envvar="VANTHU_MAX_SECONDS",
              show_default="1800",
              help="Seconds reading one file may take; a file that takes longer fails as too long.")
@click.option("--max-memory-mb", type=click.IntRange(min=0), envvar="VANTHU_MAX_MEMORY_MB",
              show_default="3000",
              help="Memory (address space) each worker process may use; 0: no cap. A file that needs "
                   "more fails alone.")
@click.option("--quiet", "-q", is_flag=True, help="Print only the summary line (errors still go to stderr).")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as one JSON object.")
@ocr_options
def inbox(folder: Path, db: str, lock_wait: float, done: Path | None, failed: Path | None, keep: bool, retry_failed: bool,
          settle: float, follow_links: bool, state_dir: Path, max_seconds: float | None, max_memory_mb: int | None,
          quiet: bool,
          as_json: bool, options: OcrOptions) -> None:
    """Store every new file under FOLDER exactly once, then file it in done/ (or failed/).

    \b
    Safe to run unattended (cron, systemd timer): files are known by content, so a renamed
    or re-dropped file is never stored twice; a file leaves FOLDER only after its record is
    committed; a run killed at any point is completed by the next one; two runs never work
    on the same inbox or database at once (the second exits with status 3). Only regular
    files are read: links, FIFOs and devices are reported and left. Each file is read in a
    worker process capped in memory and time, so a file that is a bomb fails alone.
    Exit status: 0 all stored, 1 some files failed, 2 could not start, 3 another run is
    busy, 4 the run stopped part-way (what was committed is kept)."""
    from vanthu.store import database_url

    from .inbox import InboxOptions, LayoutError, RunStopped, check_layout, run_inbox
    from .locking import Busy, LockRefused

    from vanthu.ingest.limits import MB

    if max_seconds is not None:
        options = options.model_copy(update={"max_seconds": max_seconds})
    if max_memory_mb is not None:  # 0: no cap
        options = options.model_copy(update={"max_memory": max_memory_mb * MB or None})
    settings = InboxOptions(inbox=folder, done=done, failed=failed, keep=keep, retry_failed=retry_failed,
                            settle=settle, follow_links=follow_links, state_dir=state_dir, ocr=options)
    try:
        check_layout(settings, database_url(db))  # before the database is opened (or made) anywhere
    except LayoutError as err:
        fail(f"{err}; nothing was done")
        sys.exit(ExitCode.CANNOT_START)
    engine = open_db(db, lock_wait)

    def on_file(result: FileResult) -> None:
        if result.outcome == "failed":
            fail(f"{result.path}: {result.reason}")
            return
        if not (quiet or as_json):
            click.echo(inbox_line(result))
        if result.outcome == "new" and result.document_id:
            _warn_registered_twice(engine, result.document_id, result.path)

    try:
        summary = run_inbox(engine, database_url(db), settings, __version__, on_file)
    except Busy as err:
        fail(str(err))
        sys.exit(ExitCode.BUSY)
    except (LayoutError, LockRefused) as err:
        fail(f"{err}; nothing was done")
        sys.exit(ExitCode.CANNOT_START)
    except StoreError as err:
        fail(f"{err}; the inbox was left untouched")
        sys.exit(ExitCode.CANNOT_START)
    except RunStopped as err:
        if not isinstance(err.cause, (StoreError, OSError)):  # not foreseen: the details are for a bug report
            traceback.print_exception(err.cause, file=sys.stderr)
        fail(str(err))
        sys.exit(ExitCode.CRASHED)
    except Exception as err:  # noqa: BLE001 - reported, and an exit status systemd does not count as success
        traceback.print_exc(file=sys.stderr)
        fail(f"the inbox run crashed ({type(err).__name__}: {err})")
        sys.exit(ExitCode.CRASHED)
    status = ExitCode.FILES_FAILED if summary.failed else ExitCode.OK
    if as_json:
        click.echo(json.dumps({**summary.model_dump(), "exit_status": int(status)}, ensure_ascii=False))
    else:
        click.echo(summary.line())
    sys.exit(status)


def inbox_line(result: FileResult) -> str:
    """One line per file of an inbox run."""
    if result.outcome in ("waiting", "gone"):
        return f"{result.outcome:<9} {'':<34} {result.path} ({result.reason})"
    state = "stored   " if result.outcome == "new" else "duplicate"
    number = f"#{result.document_id}" if result.document_id else ""
    return f"{state} {number:<6} {result.label or '':<27} {result.path}"


@main.command()
@db_option
@click.option("--limit", type=click.IntRange(min=1, max=MAX_LIMIT), default=20, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="One JSON object per run.")
def runs(db: str, limit: int, as_json: bool) -> None:
    """List the latest inbox runs, newest first."""
    from vanthu.store import list_runs

    items = list_runs(open_db(db), limit)
    if as_json:
        for item in items:
            click.echo(item.model_dump_json())
        return
    click.echo(f"{'run':>4}  {'started':<25}  {'status':<12} {'new':>5} {'dup':>5} {'failed':>6} "
               f"{'wait':>5} {'pages':>5} {'seconds':>8}  inbox")
    for r in items:
        click.echo(f"{r.id:>4}  {r.started_at:<25}  {r.status:<12} {r.files_new:>5} {r.files_duplicate:>5} "
                   f"{r.files_failed:>6} {r.files_waiting:>5} {r.pages:>5} {r.seconds:>8.1f}  {r.inbox}")


@main.command(name="stats")
@db_option
@click.option("--json", "as_json", is_flag=True, help='{"documents": N, "pages": N, "deadlines": N, "failed_files": N}')
def stats_command(db: str, as_json: bool) -> None:
    """What the database holds: documents (unique contents), pages, deadlines, failed files."""
    from vanthu.store import stats

    counts = stats(open_db(db))
    if as_json:
        click.echo(counts.model_dump_json())
    else:
        click.echo(f"{counts.documents} documents, {counts.pages} pages, {counts.deadlines} deadlines, "
                   f"{counts.failed_files} failed files ({db})")


@main.command()
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--output", "-o", type=click.Path(dir_okay=False, writable=True, path_type=Path),
              help="Write the page here (default: standard output).")
@ocr_options
def review(file: Path, output: Path | None, options: OcrOptions) -> None:
    """An HTML page with FILE's text, every extracted value highlighted, and its record."""
    from .pipeline import process_file
    from .review import review_html

    _check_output(output)
    with one_file_errors():
        processed = process_file(file, options)
    page = review_html(processed.document.text, processed.fields, processed.record)
    if output is None:
        click.echo(page, nl=False)
    else:
        _write_out(output, page)
        click.echo(f"review page for {file}: {output}")


@main.command(name="reextract")
@db_option
@click.option("--where", "conditions", multiple=True, metavar="CONDITION",
              help="Only documents where COLUMN OP VALUE (OP: = != < <= > >= ~ for contains), e.g. "
                   "'issue_date>=2023-01-01', 'method=ocr', 'issuer~so tai chinh'; repeat to combine.")
@click.option("--batch", type=click.IntRange(min=1), default=100, show_default=True,
              help="Records replaced per transaction.")
@click.option("--dry-run", is_flag=True, help="Report what would change; write nothing.")
@click.option("--quiet", "-q", is_flag=True, help="Print only the summary line.")
def reextract_command(db: str, conditions: tuple[str, ...], batch: int, dry_run: bool, quiet: bool) -> None:
    """Derive again the records an older extractor made, from the text and ingest result
    stored with them (no OCR, the files are not read), and print what changed.

    \b
    Records are replaced batch by batch: a run that is stopped is finished by running it
    again. Records made by this extractor or a newer one are left alone."""
    from vanthu.store import Condition

    from .output import document_label
    from .reextract import Change, reextract

    try:
        where = [Condition.parse(condition) for condition in conditions]
    except ValueError as err:
        raise click.BadParameter(str(err), param_hint="--where") from err
    engine = open_db(db)

    def on_result(result) -> None:
        if not isinstance(result, Change):
            fail(f"document #{result.document_id}: {result.reason}")
        elif not quiet:
            label = document_label(result.number, result.symbol)
            kept = f" (kept as corrected: {', '.join(result.kept)})" if result.kept else ""
            click.echo(f"changed   #{result.document_id:<5} {label:<28} {result.summary()}{kept}")

    try:
        summary = reextract(engine, where, batch, dry_run, on_result)
    except StoreError as err:
        fail(str(err))
        sys.exit(ExitCode.CANNOT_START)
    older = ", ".join(f"{version}: {count}" for version, count in sorted(summary.older.items())) or "none"
    verb = "would change" if dry_run else "changed"
    click.echo(f"{summary.examined} records re-extracted{' (dry run)' if dry_run else ''}: {summary.changed} {verb}, "
               f"{summary.examined - summary.changed - summary.failed} unchanged, {summary.failed} failed "
               f"(older versions: {older}; {db})")
    sys.exit(ExitCode.FILES_FAILED if summary.failed else ExitCode.OK)


@main.command()
def schema() -> None:
    """Print the JSON Schema of the record."""
    from vanthu.normalize.record import Record

    click.echo(json.dumps(Record.model_json_schema(), ensure_ascii=False, indent=2))
