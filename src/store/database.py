"""Opening the database and writing records into it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ingest.vietnamese import fold
from normalize import Record, symbol_key
from sqlalchemy import Engine, create_engine, event, inspect, select
from sqlalchemy.exc import OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session

from store.schema import (SCHEMA_VERSION, Base, Citation, DeadlineRow, DirectiveRow, Document, File,
                          Mention, Meta, OrganizationRow, Party)

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
        folder = Path(url.removeprefix("sqlite:///")).parent
        if not folder.is_dir():
            raise StoreError(f"cannot open database {target}: folder {folder} does not exist")
    try:
        engine = create_engine(url)
        if engine.dialect.name == "sqlite":
            event.listen(engine, "connect", _sqlite_pragmas)
        _check_schema(engine, target)
        Base.metadata.create_all(engine)
        with Session(engine) as session, session.begin():
            session.merge(Meta(name="schema_version", value=str(SCHEMA_VERSION)))
    except (OperationalError, SQLAlchemyError) as err:
        raise StoreError(f"cannot open database {target}: {err.orig if hasattr(err, 'orig') else err}") from err
    return engine


def _check_schema(engine: Engine, target: str) -> None:
    """Refuse a database made by a vanthu with other tables, before touching it."""
    tables = inspect(engine).get_table_names()
    if "documents" not in tables:
        return
    version = None
    if Meta.__tablename__ in tables:
        with Session(engine) as session:
            version = session.scalar(select(Meta.value).where(Meta.name == "schema_version"))
    if version != str(SCHEMA_VERSION):
        raise StoreError(
            f"database {target} has schema version {version or 1}, this vanthu writes version "
            f"{SCHEMA_VERSION}: ingest into a new database (the source files give the same records)")


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


def _known(session: Session, sha256: str, path: str) -> Known | None:
    existing = session.scalar(select(Document).where(Document.sha256 == sha256))
    if existing is None:
        return None
    if path not in {f.path for f in existing.files}:
        existing.files.append(File(path=path))
    return Known(existing.id, existing.number, existing.symbol)


def known_document(engine: Engine, sha256: str, path: str) -> Known | None:
    """The stored document with this content (recording `path` as another of its files),
    or None when the content is new. Lets a batch skip a file before extracting it."""
    try:
        with Session(engine) as session, session.begin():
            return _known(session, sha256, path)
    except OperationalError as err:
        raise StoreError(f"cannot read database: {err.orig}") from err


def add_record(engine: Engine, record: Record, text: str) -> Stored:
    """Store a record unless its content (sha256) is already stored; one transaction."""
    try:
        with Session(engine) as session, session.begin():
            existing = _known(session, record.source.sha256, record.source.path)
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
                files=[File(path=record.source.path)], mentions=_mentions(session, record), **_rows(record),
            )
            session.add(document)
            session.flush()
            return Stored(document.id, created=True)
    except OperationalError as err:
        raise StoreError(f"cannot write to database: {err.orig}") from err
