"""Writing records: one per transaction (`add_record`), or many at once (`add_records`).

Both build the same rows with `record_rows` (a pure function: record in, column values out)
and insert them with SQLAlchemy Core, with the record's text in the full-text index
(`fulltext`). A content already stored (same sha256) is never stored twice, whoever else
writes at the same time: its new path is recorded instead.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from vanthu.ingest.models import IngestedText
from vanthu.normalize import Record, symbol_key, unit_key
from vanthu.normalize.record import Deadline, walk_directives
from sqlalchemy import Connection, Engine, Table, delete, func, insert, or_, select, update
from sqlalchemy.exc import OperationalError

from . import fulltext
from .database import StoreError, optimize
from .dialects import in_transaction, insert_new, upsert
from .review import review_flags, review_status
from . import tables
from .tables import deadline_units

DOCUMENTS: Table = tables.documents
DEADLINES: Table = tables.deadlines
# Keys per IN (...) list: well under SQLite's limit on bound parameters (32766).
_IN_LIMIT = 5000
CHILD_TABLES: tuple[Table, ...] = (tables.files, tables.parties, tables.directives, DEADLINES, tables.citations,
                                   tables.organization_mentions)
# A deadline row's units are written with it (they need its id): `record_rows` gives them
# under this key of the deadline's values.
_UNITS = "units"


@dataclass(frozen=True)
class Stored:
    document_id: int
    created: bool  # False: this content was already stored (the path is recorded too)


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

    def values(self, document_id: int) -> dict:
        return {"document_id": document_id, "path": self.path, "size": self.size,
                "mtime_ns": self.mtime_ns, "moved_to": self.moved_to}


def ingest_values(document: IngestedText) -> dict:
    """The ingest result's columns: its text, and the rest of it as JSON."""
    return {"text": document.text, "ingest_json": document.model_dump_json(exclude={"text"})}


def record_values(record: Record) -> dict:
    """The documents columns made from a record (what re-extraction rewrites)."""
    return {
        "doc_type": record.doc_type,
        "number": record.number, "symbol": record.symbol,
        "symbol_key": symbol_key(record.symbol) if record.symbol else None,
        "issue_date": record.issue_date, "place": record.place, "issuer": record.issuer,
        "issuer_key": unit_key(record.issuer) if record.issuer else None,
        "parent_issuer": record.parent_issuer, "subject": record.subject, "signer": record.signer,
        "signer_title": record.signer_title, "record_json": record.model_dump_json(),
        "extractor_version": record.extractor_version,
        "arrival_number": record.arrival_number, "arrival_date": record.arrival_date,
        "review_flags": review_flags(record), "review_status": review_status(record),
    }


def document_values(record: Record, document: IngestedText) -> dict:
    """The documents row of a record and the ingest result it was made from (its id is
    given by the database)."""
    return {"sha256": record.source.sha256, "path": record.source.path, "pages": record.source.pages,
            "method": record.source.method, **ingest_values(document), **record_values(record)}


def record_rows(record: Record, document_id: int, organization_id) -> dict[Table, list[dict]]:
    """The child rows made from a record, per table (all of CHILD_TABLES but files).
    `organization_id(key, name)` gives the one organizations row of a body."""
    doc = {"document_id": document_id}
    parties = [{**doc, "role": role, "position": i, "name": name, "name_key": unit_key(name)}
               for role, names in (("recipient", record.recipients), ("cc", record.cc))
               for i, name in enumerate(names)]
    return {
        tables.parties: parties,
        tables.directives: [
            {**doc, "position": i, "directive_id": d.id, "parent_id": parent, "level": level,
             "addressee": d.addressee, "text": d.text}
            for i, (d, parent, level) in enumerate(walk_directives(record.directives))],
        DEADLINES: [
            {**doc, "due_date": d.date, "text": d.text, "responsible": d.responsible,
             "responsible_key": unit_key(d.responsible) if d.responsible else None,
             "expression": d.expression, "kind": d.kind, "time": d.time, "recurs": d.recurs,
             "directive_id": d.directive_id, _UNITS: _units(d, document_id)}
            for d in record.deadlines],
        tables.citations: [
            {**doc, "doc_type": r.doc_type, "number": r.number, "symbol": r.symbol,
             "symbol_key": symbol_key(r.symbol), "issue_date": r.issue_date, "issuer": r.issuer}
            for r in record.references],
        tables.organization_mentions: [
            {**doc, "organization_id": organization_id(o.key, o.name), "role": o.role, "printed": o.printed,
             "position": o.position}
            for o in record.organizations],
    }


def _units(deadline: Deadline, document_id: int) -> list[dict]:
    """The deadline_units rows of a deadline (without its id): the lead, then the supporting."""
    named = ([("lead", deadline.responsible)] if deadline.responsible else []) + \
        [("supporting", unit) for unit in deadline.supporting]
    return [{"document_id": document_id, "role": role, "position": i, "name": name, "name_key": unit_key(name)}
            for i, (role, name) in enumerate(named)]


class Organizations:
    """Get-or-create of organizations rows by key, cached for the transaction.

    `prepare` inserts every body a batch of records names in one statement, in key order,
    skipping keys already there (`INSERT ... ON CONFLICT DO NOTHING`): writers running at once
    then never insert the same body twice, and always lock keys in the same order, so they
    cannot deadlock each other."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection
        self.ids: dict[str, int] = {}

    def prepare(self, bodies: Iterable[tuple[str, str]]) -> None:
        """Make sure every body (key, name) has its row, and cache their ids."""
        names: dict[str, str] = {}
        for key, name in bodies:
            names.setdefault(key, name)
        wanted = sorted(set(names) - set(self.ids))
        if not wanted:
            return
        table = tables.organizations
        self.connection.execute(insert_new(self.connection, table, ["key"]),
                                [{"key": key, "name": names[key]} for key in wanted])
        for chunk in _batches(wanted, _IN_LIMIT):
            self.ids.update(self.connection.execute(select(table.c.key, table.c.id).where(table.c.key.in_(chunk))).all())

    def __call__(self, key: str, name: str) -> int:
        if key not in self.ids:
            self.prepare([(key, name)])
        return self.ids[key]


def bodies(records: Iterable[Record]) -> Iterator[tuple[str, str]]:
    """(key, name) of every body the records name."""
    for record in records:
        for organization in record.organizations:
            yield organization.key, organization.name


def _known(connection: Connection, sha256: str, seen: Seen) -> Known | None:
    """The stored document with this content, recording `seen` as one of its files (a path
    seen again gets its size, time and destination updated); None when not stored."""
    row = connection.execute(select(DOCUMENTS.c.id, DOCUMENTS.c.number, DOCUMENTS.c.symbol)
                             .where(DOCUMENTS.c.sha256 == sha256)).first()
    if row is None:
        return None
    record_file(connection, row.id, seen)
    return Known(row.id, row.number, row.symbol, sha256)


def record_file(connection: Connection, document_id: int, seen: Seen) -> None:
    """Add a path to a document's files, or update its row: one statement, so two writers
    recording the same path at once leave one row."""
    files = tables.files
    statement = upsert(connection, files)
    changed = {"size": statement.excluded.size, "mtime_ns": statement.excluded.mtime_ns,
               "moved_to": func.coalesce(statement.excluded.moved_to, files.c.moved_to)}
    # A bare path (no size, nowhere to go) says nothing new about a path already recorded.
    news = or_(statement.excluded.size.is_not(None), statement.excluded.moved_to.is_not(None))
    connection.execute(statement.on_conflict_do_update(index_elements=["document_id", "path"], set_=changed,
                                                       where=news).values(**seen.values(document_id)))


def index_texts(connection: Connection, entries: list[tuple[int, Record, str]]) -> None:
    """Add documents' text and subject to the full-text index."""
    fulltext.index(connection, [(document_id, text_, record.subject) for document_id, record, text_ in entries])


def _insert_documents(connection: Connection, items: list[tuple[Record, IngestedText]]) -> dict[str, int]:
    """Insert documents rows (one statement for many) and index them, skipping contents
    that are stored already, by another writer too (`ON CONFLICT DO NOTHING` on sha256):
    the ids of those inserted, by content."""
    returning = insert_new(connection, DOCUMENTS, ["sha256"]).returning(DOCUMENTS.c.id, DOCUMENTS.c.sha256)
    ids = {sha: document_id for document_id, sha in connection.execute(
        returning, [document_values(r, d) for r, d in items])}
    index_texts(connection, [(ids[r.source.sha256], r, d.text) for r, d in items if r.source.sha256 in ids])
    return ids


def insert_children(connection: Connection, rows: dict[Table, list[dict]]) -> None:
    """Insert the child rows of `record_rows` (of one record or many); deadlines with their
    units."""
    for table in CHILD_TABLES:
        if not rows.get(table):
            continue
        if table is DEADLINES:
            _insert_deadlines(connection, rows[table])
        else:
            connection.execute(insert(table), rows[table])


def _insert_deadlines(connection: Connection, rows: list[dict]) -> None:
    plain = [{key: value for key, value in row.items() if key != _UNITS} for row in rows]
    returning = insert(DEADLINES).returning(DEADLINES.c.id, sort_by_parameter_order=True)
    ids = connection.execute(returning, plain).scalars()
    units = [{**unit, "deadline_id": deadline_id} for deadline_id, row in zip(ids, rows) for unit in row[_UNITS]]
    if units:
        connection.execute(insert(deadline_units), units)


def known_document(engine: Engine, sha256: str, seen: Seen | str) -> Known | None:
    """The stored document with this content (recording the file as another of its files),
    or None when the content is new. Lets a batch skip a file before extracting it."""
    seen = Seen(seen) if isinstance(seen, str) else seen
    return in_transaction(engine, lambda connection: _known(connection, sha256, seen), "read database")


def stored_document(engine: Engine, sha256: str) -> Known | None:
    """The stored document with this content, or None; records nothing."""
    query = select(DOCUMENTS.c.id, DOCUMENTS.c.number, DOCUMENTS.c.symbol).where(DOCUMENTS.c.sha256 == sha256)
    try:
        with engine.connect() as connection:
            row = connection.execute(query).first()
    except OperationalError as err:
        raise StoreError(f"cannot read database: {err.orig}") from err
    return Known(row.id, row.number, row.symbol, sha256) if row else None


def known_unchanged(engine: Engine, path: str, size: int, mtime_ns: int) -> Known | None:
    """The stored document of a file already seen at `path` with this size and modification
    time and left there (never moved away), so that an unchanged kept file need not be read
    again; None otherwise. A file found where one was moved away from is a new file, whatever
    its size and time: it is read."""
    files = tables.files
    query = (select(DOCUMENTS.c.id, DOCUMENTS.c.number, DOCUMENTS.c.symbol, DOCUMENTS.c.sha256)
             .join(files, files.c.document_id == DOCUMENTS.c.id)
             .where(files.c.path == path, files.c.size == size, files.c.mtime_ns == mtime_ns,
                    files.c.moved_to.is_(None)))
    try:
        with engine.connect() as connection:
            row = connection.execute(query).first()
    except OperationalError as err:
        raise StoreError(f"cannot read database: {err.orig}") from err
    return Known(row.id, row.number, row.symbol, row.sha256) if row else None


def add_record(engine: Engine, record: Record, document: IngestedText, seen: Seen | None = None) -> Stored:
    """Store a record, with the ingest result it was made from, unless its content (sha256)
    is already stored; one transaction. A failure recorded for the same content is cleared.

    Exactly once under concurrent writers (other processes, other machines): the documents
    row is inserted with `ON CONFLICT DO NOTHING` on its unique sha256, so of two writers of
    the same content one stores it and the other records its path as another file of it."""
    seen = seen or Seen(record.source.path)
    sha256 = record.source.sha256

    def write(connection: Connection) -> Stored:
        connection.execute(delete(tables.failures).where(tables.failures.c.sha256 == sha256))
        existing = _known(connection, sha256, seen)
        if existing is not None:
            return Stored(existing.document_id, created=False)
        ids = _insert_documents(connection, [(record, document)])
        if sha256 not in ids:  # another writer stored it since we looked
            return Stored(_known(connection, sha256, seen).document_id, created=False)
        document_id = ids[sha256]
        organizations = Organizations(connection)
        organizations.prepare(bodies([record]))
        rows = record_rows(record, document_id, organizations)
        insert_children(connection, {tables.files: [seen.values(document_id)], **rows})
        return Stored(document_id, created=True)

    return in_transaction(engine, write, "write to database")


def _batches(items: Iterable, size: int) -> Iterator[list]:
    batch: list = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _new_only(connection: Connection, items: list[tuple[Record, IngestedText]]) -> list[tuple[Record, IngestedText]]:
    """The items whose content is not stored yet, each content once."""
    shas = [record.source.sha256 for record, _ in items]
    stored = set(connection.execute(select(DOCUMENTS.c.sha256).where(DOCUMENTS.c.sha256.in_(shas))).scalars())
    fresh: dict[str, tuple[Record, IngestedText]] = {}
    for record, document in items:
        if record.source.sha256 not in stored:
            fresh.setdefault(record.source.sha256, (record, document))
    return list(fresh.values())


def add_records(engine: Engine, items: Iterable[tuple[Record, IngestedText]], batch: int = 2000) -> int:
    """Store many records fast (archive imports, benchmarks): one transaction per `batch`,
    each table written with one statement for the batch. Contents already stored are
    skipped (their paths are not recorded: use `add_record` for files found on disk).
    Returns the number of documents stored."""

    def write(connection: Connection, chunk: list[tuple[Record, IngestedText]]) -> int:
        fresh = _new_only(connection, chunk)
        if not fresh:
            return 0
        ids = _insert_documents(connection, fresh)
        fresh = [(record, document) for record, document in fresh if record.source.sha256 in ids]
        organizations = Organizations(connection)
        organizations.prepare(bodies(record for record, _document in fresh))
        pending: dict[Table, list[dict]] = {table: [] for table in CHILD_TABLES}
        for record, _document in fresh:
            document_id = ids[record.source.sha256]
            pending[tables.files].append(Seen(record.source.path).values(document_id))
            for table, values in record_rows(record, document_id, organizations).items():
                pending[table].extend(values)
        insert_children(connection, pending)
        return len(fresh)

    created = sum(in_transaction(engine, lambda connection: write(connection, chunk), "write to database")
                  for chunk in _batches(items, batch))
    optimize(engine)
    return created


# The child rows made from the record (files are where the content was seen: kept); the units
# of deadlines go first, before the deadlines they belong to.
DERIVED_TABLES: tuple[Table, ...] = (deadline_units, *(table for table in CHILD_TABLES if table.name != "files"))


def rewrite_records(connection: Connection, items: Sequence[tuple[int, Record]]) -> None:
    """Put new records in place of stored ones (same documents: their ids, content hashes,
    files and ingest results stay): documents columns, child rows and full-text entries."""
    ids = [document_id for document_id, _record in items]
    indexed = connection.execute(select(DOCUMENTS.c.id, DOCUMENTS.c.text, DOCUMENTS.c.subject)
                                 .where(DOCUMENTS.c.id.in_(ids))).all()
    fulltext.unindex(connection, indexed)
    for table in DERIVED_TABLES:
        connection.execute(delete(table).where(table.c.document_id.in_(ids)))
    organizations = Organizations(connection)
    organizations.prepare(bodies(record for _document_id, record in items))
    pending: dict = {table: [] for table in CHILD_TABLES}
    for document_id, record in items:
        connection.execute(update(DOCUMENTS).where(DOCUMENTS.c.id == document_id).values(**record_values(record)))
        for table, rows in record_rows(record, document_id, organizations).items():
            pending[table].extend(rows)
    insert_children(connection, pending)
    texts = {document_id: text_ for document_id, text_, _subject in indexed}
    index_texts(connection, [(document_id, record, texts[document_id]) for document_id, record in items])
