"""Opening the database and writing records into it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ingest.vietnamese import fold
from normalize import Record, symbol_key
from sqlalchemy import Engine, create_engine, delete, event, inspect, select
from sqlalchemy.exc import OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session

from store.schema import SCHEMA_VERSION, Base, Citation, DeadlineRow, DirectiveRow, Document, File
from store.schema import Failure as FailureRow
from store.schema import Mention, Meta, OrganizationRow, Party

DEFAULT_DB = "vanthu.db"


class StoreError(Exception):
    """The database cannot be opened or written."""


def database_url(target: str) -> str:
    """An SQLAlchemy URL from a URL or a file path (a path means SQLite)."""
    if "://" in target:
        return target
    return f"sqlite:///{Path(target).expanduser().resolve()}"


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    # WAL keeps readers working during a batch and survives a killed writer.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


def open_engine(target: str = DEFAULT_DB) -> Engine:
    """Connect to `target` (path or URL) and create the tables if needed."""
    url = database_url(target)
    if url.startswith("sqlite:///"):
        folder = Path(url.removeprefix("sqlite:///").split("?", 1)[0].removeprefix("file:")).parent
        if not folder.is_dir():
            raise StoreError(f"cannot open database {target}: folder {folder} does not exist")
    try:
        engine = create_engine(url)
        if engine.dialect.name == "sqlite":
            event.listen(engine, "connect", _sqlite_pragmas)
        _check_schema(engine, target)
        Base.metadata.create_all(engine)  # only what is missing: a read-only database stays unwritten
        with Session(engine) as session:
            if session.get(Meta, "schema_version") is None:
                session.add(Meta(name="schema_version", value=str(SCHEMA_VERSION)))
                session.commit()
    except (OperationalError, SQLAlchemyError) as err:
        raise StoreError(f"cannot open database {target}: {err.orig if hasattr(err, 'orig') else err}") from err
    return engine


def _check_schema(engine: Engine, target: str) -> None:
    """Refuse a database whose tables lack columns this vanthu writes (made by an older
    version), before touching it. Missing tables are fine: they are created, so a database
    whose creation was cut short (kill -9) is completed."""
    inspector = inspect(engine)
    existing = set(inspector.get_table_names())
    for table in Base.metadata.sorted_tables:
        if table.name not in existing:
            continue
        have = {column["name"] for column in inspector.get_columns(table.name)}
        missing = sorted(set(table.columns.keys()) - have)
        if missing:
            raise StoreError(
                f"database {target} was made by an older vanthu (table {table.name} has no "
                f"{', '.join(missing)}); ingest into a new database (the source files give the same records)")


@dataclass(frozen=True)
class Stored:
    document_id: int
    created: bool  # False: this content was already stored (the path is recorded too)


def _rows(record: Record) -> dict[str, list]:
    parties = [Party(role="recipient", position=i, name=n, name_key=fold(n))
               for i, n in enumerate(record.recipients)]
    parties += [Party(role="cc", position=i, name=n, name_key=fold(n)) for i, n in enumerate(record.cc)]
    return {
        "parties": parties,
        "directives": [DirectiveRow(position=i, directive_id=d.id, parent_id=parent, level=level,
                                    addressee=d.addressee, text=d.text)
                       for i, (d, parent, level) in enumerate(_flatten(record.directives))],
        "deadlines": [DeadlineRow(due_date=d.date, text=d.text, responsible=d.responsible,
                                  responsible_key=fold(d.responsible) if d.responsible else None,
                                  expression=d.expression, kind=d.kind, time=d.time,
                                  directive_id=d.directive_id)
                      for d in record.deadlines],
        "citations": [Citation(doc_type=r.doc_type, number=r.number, symbol=r.symbol,
                               symbol_key=symbol_key(r.symbol), issue_date=r.issue_date, issuer=r.issuer)
                      for r in record.references],
    }


def _flatten(directives, parent: str | None = None, level: int = 0):
    """(directive, parent id, depth) for every item of the tree, in document order."""
    for directive in directives:
        yield directive, parent, level
        yield from _flatten(directive.items, directive.id, level + 1)


def _mentions(session: Session, record: Record) -> list[Mention]:
    """Mention rows for the record's organizations, each linked to its one organizations row."""
    mentions = []
    for item in record.organizations:
        row = session.scalar(select(OrganizationRow).where(OrganizationRow.key == item.key))
        if row is None:
            row = OrganizationRow(key=item.key, name=item.name)
            session.add(row)
            session.flush()
        mentions.append(Mention(organization_id=row.id, role=item.role, printed=item.printed,
                                position=item.position))
    return mentions


@dataclass(frozen=True)
class Known:
    """A stored document found by content."""

    document_id: int
    number: str | None
    symbol: str | None
    sha256: str = ""


@dataclass(frozen=True)
class Seen:
    """A file as found on disk: where, its size and modification time, and where an inbox
    run is about to file it (recorded in the same transaction as the record)."""

    path: str
    size: int | None = None
    mtime_ns: int | None = None
    moved_to: str | None = None

    def row(self) -> File:
        return File(path=self.path, size=self.size, mtime_ns=self.mtime_ns, moved_to=self.moved_to)


def _known(session: Session, sha256: str, seen: Seen) -> Known | None:
    existing = session.scalar(select(Document).where(Document.sha256 == sha256))
    if existing is None:
        return None
    same_path = next((f for f in existing.files if f.path == seen.path), None)
    if same_path is None:
        existing.files.append(seen.row())
    elif seen.moved_to or seen.size is not None:
        same_path.size, same_path.mtime_ns = seen.size, seen.mtime_ns
        same_path.moved_to = seen.moved_to or same_path.moved_to
    return Known(existing.id, existing.number, existing.symbol, existing.sha256)


def known_document(engine: Engine, sha256: str, seen: Seen | str) -> Known | None:
    """The stored document with this content (recording the file as another of its files),
    or None when the content is new. Lets a batch skip a file before extracting it."""
    seen = Seen(seen) if isinstance(seen, str) else seen
    try:
        with Session(engine) as session, session.begin():
            return _known(session, sha256, seen)
    except OperationalError as err:
        raise StoreError(f"cannot read database: {err.orig}") from err


def known_unchanged(engine: Engine, path: str, size: int, mtime_ns: int) -> Known | None:
    """The stored document of a file already seen at `path` with this size and modification
    time, so that an unchanged file need not be read again; None otherwise."""
    try:
        with Session(engine) as session:
            query = (select(Document).join(File, File.document_id == Document.id)
                     .where(File.path == path, File.size == size, File.mtime_ns == mtime_ns))
            found = session.scalars(query).first()
            return Known(found.id, found.number, found.symbol, found.sha256) if found else None
    except OperationalError as err:
        raise StoreError(f"cannot read database: {err.orig}") from err


def add_record(engine: Engine, record: Record, text: str, seen: Seen | None = None) -> Stored:
    """Store a record unless its content (sha256) is already stored; one transaction. A
    failure recorded for the same content is cleared."""
    seen = seen or Seen(record.source.path)
    try:
        with Session(engine) as session, session.begin():
            session.execute(delete(FailureRow).where(FailureRow.sha256 == record.source.sha256))
            existing = _known(session, record.source.sha256, seen)
            if existing is not None:
                return Stored(existing.document_id, created=False)
            document = Document(
                sha256=record.source.sha256, path=record.source.path, doc_type=record.doc_type,
                number=record.number, symbol=record.symbol,
                symbol_key=symbol_key(record.symbol) if record.symbol else None,
                issue_date=record.issue_date, place=record.place, issuer=record.issuer,
                parent_issuer=record.parent_issuer, subject=record.subject, signer=record.signer,
                signer_title=record.signer_title, pages=record.source.pages,
                method=record.source.method, text=text,
                record_json=record.model_dump_json(), extractor_version=record.extractor_version,
                files=[seen.row()], mentions=_mentions(session, record), **_rows(record),
            )
            session.add(document)
            session.flush()
            return Stored(document.id, created=True)
    except OperationalError as err:
        raise StoreError(f"cannot write to database: {err.orig}") from err
