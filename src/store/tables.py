"""The tables, in SQLAlchemy Core. One row per unique document content (sha256); every path a
content was seen under is kept in `files`, so a renamed or re-dropped file is never stored
twice.

They describe the schema at its latest revision (`revision.SCHEMA_REVISION`); the migrations
under `migrations/versions/` create and change it, and a change here needs a new revision
there (tests/test_migrations.py compares the two). Core, not ORM: SQLAlchemy's ORM costs
start-up time; the ORM classes for the code that wants objects are mapped onto these tables
in `schema.py`.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (BigInteger, Column, Float, ForeignKey, Index, Integer, MetaData, String, Table, Text,
                        UniqueConstraint)

# The full-text index over documents' folded text and subject (SQLite: an FTS5 table, rowid =
# documents.id; PostgreSQL: document_id and a tsvector), made by the migrations (see fulltext.py).
FTS_TABLE = "documents_fts"

# 64 bits on PostgreSQL (file sizes, modification times in nanoseconds); SQLite's INTEGER
# holds any size, and an INTEGER primary key there must stay INTEGER.
BIG = BigInteger().with_variant(Integer(), "sqlite")

metadata = MetaData()


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


def _id() -> Column:
    return Column("id", Integer, primary_key=True)


def _document_id() -> Column:
    return Column("document_id", Integer, ForeignKey("documents.id", ondelete="CASCADE"), nullable=False, index=True)


# One document content. `text` and `ingest_json` are what the ingest stage gave (the text, and
# the rest of its `IngestedText` as JSON: provenance, page layout, warnings), so the record
# (`record_json`, and the queryable columns and child rows made from it) can be derived again
# by a newer extractor without reading the file (`vanthu reextract`).
documents = Table(
    "documents", metadata, _id(),
    Column("sha256", String(64), nullable=False, unique=True),
    Column("path", Text, nullable=False),
    Column("doc_type", String(64), index=True),
    Column("number", String(32)),
    Column("symbol", String(128)),
    Column("symbol_key", String(128), index=True),
    Column("issue_date", String(10), index=True),
    Column("place", Text),
    Column("issuer", Text, index=True),
    Column("issuer_key", Text, index=True),
    Column("parent_issuer", Text),
    Column("subject", Text),
    Column("signer", Text),
    Column("signer_title", Text),
    Column("pages", Integer, nullable=False, default=1),
    Column("method", String(16), nullable=False),
    Column("text", Text, nullable=False),
    Column("ingest_json", Text),
    Column("record_json", Text, nullable=False),
    Column("extractor_version", String(128), nullable=False, index=True),
    Column("ingested_at", String(32), nullable=False, default=_now),
    # The incoming register (số đến, ngày đến), from the record.
    Column("arrival_number", String(32)),
    Column("arrival_date", String(10)),
    # Why the workbench's review queue puts the document first ("abstained low-ocr warnings",
    # see store.review), and whether a person confirmed it ("confirmed", "partial"); both
    # made from the record like the columns above.
    Column("review_flags", String(64)),
    Column("review_status", String(12), index=True),
    Index("ix_documents_number_symbol", "number", "symbol_key"),
)

# A path a document's content was seen under. `size` and `mtime_ns` let a later run know the
# file unchanged without reading it; `moved_to` is where an inbox run files it.
files = Table(
    "files", metadata, _id(), _document_id(),
    Column("path", Text, nullable=False, index=True),
    Column("size", BIG),
    Column("mtime_ns", BIG),
    Column("moved_to", Text),
    Column("seen_at", String(32), nullable=False, default=_now),
    UniqueConstraint("document_id", "path"),
)

# A recipient ("Kính gửi") or a cc entry ("Nơi nhận"), in printed order.
parties = Table(
    "parties", metadata, _id(), _document_id(),
    Column("role", String(12), nullable=False),  # "recipient" | "cc"
    Column("position", Integer, nullable=False),
    Column("name", Text, nullable=False),
    Column("name_key", Text, nullable=False, index=True),
)

# One section, point or bullet; `parent_id` is the printed id of the item above it.
directives = Table(
    "directives", metadata, _id(), _document_id(),
    Column("position", Integer, nullable=False),
    Column("directive_id", String(32), nullable=False),
    Column("parent_id", String(32)),
    Column("level", Integer, nullable=False, default=0),
    Column("addressee", Text),
    Column("text", Text, nullable=False),
)

deadlines = Table(
    "deadlines", metadata, _id(), _document_id(),
    Column("due_date", String(10), nullable=False, index=True),
    Column("text", Text, nullable=False),
    Column("responsible", Text),
    Column("responsible_key", Text, index=True),
    Column("expression", Text, nullable=False),
    Column("kind", String(8), nullable=False, default="day"),
    Column("time", String(5)),
    Column("recurs", String(8)),
    Column("directive_id", String(32)),
)

# Every unit of a deadline: its lead unit (đơn vị chủ trì, `deadlines.responsible`) and the
# units that support it (đơn vị phối hợp), one row each, so a unit's deadlines are found
# whichever part it plays.
deadline_units = Table(
    "deadline_units", metadata, _id(),
    Column("deadline_id", Integer, ForeignKey("deadlines.id", ondelete="CASCADE"), nullable=False, index=True),
    _document_id(),
    Column("role", String(12), nullable=False),  # "lead" | "supporting"
    Column("position", Integer, nullable=False),
    Column("name", Text, nullable=False),
    Column("name_key", Text, nullable=False, index=True),
)

# A deadline marked done (with the day and a note) by a person on the deadlines board. Known
# by its document, due date and task, not by the deadline's row, so that re-extraction,
# which rewrites the rows, keeps the mark while it reads the same task. `task_key` (sha256 of
# the task) keeps the unique index small; queries join on the task itself.
deadline_progress = Table(
    "deadline_progress", metadata, _id(), _document_id(),
    Column("due_date", String(10), nullable=False),
    Column("task", Text, nullable=False),
    Column("task_key", String(64), nullable=False),
    Column("done_on", String(10), nullable=False),
    Column("note", Text),
    Column("done_by", String(64), nullable=False),
    Column("marked_at", String(32), nullable=False, default=_now),
    UniqueConstraint("document_id", "due_date", "task_key"),
)

# What a person did to a record, one row per field: a value corrected (old -> new) or
# confirmed as it stood (old = new). Values are JSON. The record carries the outcome
# (`Record.reviewed`); this is the log, and what re-extraction must leave alone.
corrections = Table(
    "corrections", metadata, _id(), _document_id(),
    Column("field", String(32), nullable=False),
    Column("action", String(12), nullable=False),  # "corrected" | "confirmed"
    Column("old_value", Text),
    Column("new_value", Text),
    Column("user_name", String(64), nullable=False),
    Column("made_at", String(32), nullable=False, default=_now),
)

# People who may use the workbench: a name and an argon2 hash of their password.
users = Table(
    "users", metadata, _id(),
    Column("name", String(64), nullable=False, unique=True),
    Column("password_hash", Text, nullable=False),
    Column("created_at", String(32), nullable=False, default=_now),
)

# A document cited by another ("references" is an SQL keyword).
citations = Table(
    "citations", metadata, _id(), _document_id(),
    Column("doc_type", String(64)),
    Column("number", String(32), nullable=False),
    Column("symbol", String(128), nullable=False),
    Column("symbol_key", String(128), nullable=False),
    Column("issue_date", String(10)),
    Column("issuer", Text),
    Index("ix_citations_symbol_number", "symbol_key", "number"),
)

# One body, the same across documents: `key` is its canonical name made explicit with its
# province and folded (see normalize.units).
organizations = Table(
    "organizations", metadata, _id(),
    Column("key", Text, nullable=False, unique=True),
    Column("name", Text, nullable=False),
)

# A body named by a document in one role (issuer, recipient, cc, addressee, responsible,
# cited_issuer), as printed there.
organization_mentions = Table(
    "organization_mentions", metadata, _id(), _document_id(),
    Column("organization_id", Integer, ForeignKey("organizations.id"), nullable=False, index=True),
    Column("role", String(16), nullable=False),
    Column("printed", Text, nullable=False),
    Column("position", Text),
)

# One `vanthu inbox` run. A run killed before its end stays "running" until the next run,
# holding the lock, marks it "interrupted".
runs = Table(
    "runs", metadata, _id(),
    Column("inbox", Text, nullable=False),
    Column("started_at", String(32), nullable=False, default=_now),
    Column("finished_at", String(32)),
    Column("status", String(16), nullable=False, default="running"),
    Column("files_new", Integer, nullable=False, default=0),
    Column("files_duplicate", Integer, nullable=False, default=0),
    Column("files_failed", Integer, nullable=False, default=0),
    Column("files_waiting", Integer, nullable=False, default=0),
    Column("pages", Integer, nullable=False, default=0),
    Column("seconds", Float, nullable=False, default=0.0),
    Column("version", String(32), nullable=False),
)

# A file content that could not be processed, and why; deleted once that content is stored
# (a retry that worked).
failures = Table(
    "failures", metadata, _id(),
    Column("sha256", String(64), nullable=False, unique=True),
    Column("path", Text, nullable=False),
    Column("moved_to", Text),
    Column("reason", Text, nullable=False),
    Column("failed_at", String(32), nullable=False, default=_now),
    Column("run_id", Integer, ForeignKey("runs.id")),
    Column("attempts", Integer, nullable=False, default=1),
)
