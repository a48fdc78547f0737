"""SQLAlchemy tables. One row per unique document content (sha256); every path a content was
seen under is kept in `files`, so a renamed or re-dropped file is never stored twice.

These classes describe the schema at its latest revision; the migrations under
`migrations/versions/` create and change it (a change here needs a new revision there:
tests/test_migrations.py compares the two)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


# The Alembic revision these tables are at (the head of migrations/versions/). A database at
# an older revision is upgraded when opened, one at an unknown (newer) revision is refused.
SCHEMA_REVISION = "0002_ingest_result"
# The FTS5 table over documents' folded text and subject; rowid = documents.id (SQLite only).
FTS_TABLE = "documents_fts"


class Base(DeclarativeBase):
    pass


# 64 bits on PostgreSQL (file sizes, modification times in nanoseconds); SQLite's INTEGER
# holds any size, and an INTEGER primary key there must stay INTEGER.
BIG = BigInteger().with_variant(Integer(), "sqlite")


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


class Document(Base):
    """One document content. `text` and `ingest_json` are what the ingest stage gave (the
    text, and the rest of its `IngestedText` as JSON: provenance, page layout, warnings), so
    the record (`record_json`, and the queryable columns and child rows made from it) can be
    derived again by a newer extractor without reading the file (`vanthu reextract`)."""

    __tablename__ = "documents"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    path: Mapped[str] = mapped_column(Text)
    doc_type: Mapped[str | None] = mapped_column(String(64), index=True)
    number: Mapped[str | None] = mapped_column(String(32))
    symbol: Mapped[str | None] = mapped_column(String(128))
    symbol_key: Mapped[str | None] = mapped_column(String(128), index=True)
    issue_date: Mapped[str | None] = mapped_column(String(10), index=True)
    place: Mapped[str | None] = mapped_column(Text)
    issuer: Mapped[str | None] = mapped_column(Text, index=True)
    issuer_key: Mapped[str | None] = mapped_column(Text, index=True)
    parent_issuer: Mapped[str | None] = mapped_column(Text)
    subject: Mapped[str | None] = mapped_column(Text)
    signer: Mapped[str | None] = mapped_column(Text)
    signer_title: Mapped[str | None] = mapped_column(Text)
    pages: Mapped[int] = mapped_column(Integer, default=1)
    method: Mapped[str] = mapped_column(String(16))
    text: Mapped[str] = mapped_column(Text)
    ingest_json: Mapped[str | None] = mapped_column(Text)
    record_json: Mapped[str] = mapped_column(Text)
    extractor_version: Mapped[str] = mapped_column(String(128), index=True)
    ingested_at: Mapped[str] = mapped_column(String(32), default=_now)

    files: Mapped[list[File]] = relationship(back_populates="document", cascade="all, delete-orphan")
    deadlines: Mapped[list[DeadlineRow]] = relationship(cascade="all, delete-orphan")
    parties: Mapped[list[Party]] = relationship(cascade="all, delete-orphan")
    citations: Mapped[list[Citation]] = relationship(cascade="all, delete-orphan")
    directives: Mapped[list[DirectiveRow]] = relationship(cascade="all, delete-orphan")
    mentions: Mapped[list[Mention]] = relationship(cascade="all, delete-orphan")

    __table_args__ = (Index("ix_documents_number_symbol", "number", "symbol_key"),)


class File(Base):
    """A path a document's content was seen under. `size` and `mtime_ns` let a later run
    know the file unchanged without reading it; `moved_to` is where an inbox run files it."""

    __tablename__ = "files"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    path: Mapped[str] = mapped_column(Text, index=True)
    size: Mapped[int | None] = mapped_column(BIG)
    mtime_ns: Mapped[int | None] = mapped_column(BIG)
    moved_to: Mapped[str | None] = mapped_column(Text)
    seen_at: Mapped[str] = mapped_column(String(32), default=_now)

    document: Mapped[Document] = relationship(back_populates="files")
    __table_args__ = (UniqueConstraint("document_id", "path"),)


class Party(Base):
    """A recipient ("Kính gửi") or a cc entry ("Nơi nhận"), in printed order."""

    __tablename__ = "parties"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(12))  # "recipient" | "cc"
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(Text)
    name_key: Mapped[str] = mapped_column(Text, index=True)


class DirectiveRow(Base):
    """One section, point or bullet; `parent_id` is the printed id of the item above it."""

    __tablename__ = "directives"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    directive_id: Mapped[str] = mapped_column(String(32))
    parent_id: Mapped[str | None] = mapped_column(String(32))
    level: Mapped[int] = mapped_column(Integer, default=0)
    addressee: Mapped[str | None] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)


class DeadlineRow(Base):
    __tablename__ = "deadlines"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    due_date: Mapped[str] = mapped_column(String(10), index=True)
    text: Mapped[str] = mapped_column(Text)
    responsible: Mapped[str | None] = mapped_column(Text)
    responsible_key: Mapped[str | None] = mapped_column(Text, index=True)
    expression: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(8), default="day")
    time: Mapped[str | None] = mapped_column(String(5))
    recurs: Mapped[str | None] = mapped_column(String(8))
    directive_id: Mapped[str | None] = mapped_column(String(32))

    document: Mapped[Document] = relationship(viewonly=True)


class Citation(Base):
    """A document cited by another ("references" is an SQL keyword)."""

    __tablename__ = "citations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    doc_type: Mapped[str | None] = mapped_column(String(64))
    number: Mapped[str] = mapped_column(String(32))
    symbol: Mapped[str] = mapped_column(String(128))
    symbol_key: Mapped[str] = mapped_column(String(128))
    issue_date: Mapped[str | None] = mapped_column(String(10))
    issuer: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (Index("ix_citations_symbol_number", "symbol_key", "number"),)


class OrganizationRow(Base):
    """One body, the same across documents: `key` is its canonical name made explicit
    with its province and folded (see normalize.units)."""

    __tablename__ = "organizations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(Text, unique=True)
    name: Mapped[str] = mapped_column(Text)


class Mention(Base):
    """A body named by a document in one role (issuer, recipient, cc, addressee,
    responsible, cited_issuer), as printed there."""

    __tablename__ = "organization_mentions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    role: Mapped[str] = mapped_column(String(16))
    printed: Mapped[str] = mapped_column(Text)
    position: Mapped[str | None] = mapped_column(Text)

    organization: Mapped[OrganizationRow] = relationship()


class Run(Base):
    """One `vanthu inbox` run. A run killed before its end stays "running" until the next
    run, holding the lock, marks it "interrupted"."""

    __tablename__ = "runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    inbox: Mapped[str] = mapped_column(Text)
    started_at: Mapped[str] = mapped_column(String(32), default=_now)
    finished_at: Mapped[str | None] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(16), default="running")
    files_new: Mapped[int] = mapped_column(Integer, default=0)
    files_duplicate: Mapped[int] = mapped_column(Integer, default=0)
    files_failed: Mapped[int] = mapped_column(Integer, default=0)
    files_waiting: Mapped[int] = mapped_column(Integer, default=0)
    pages: Mapped[int] = mapped_column(Integer, default=0)
    seconds: Mapped[float] = mapped_column(Float, default=0.0)
    version: Mapped[str] = mapped_column(String(32))


class Failure(Base):
    """A file content that could not be processed, and why; deleted once that content is
    stored (a retry that worked)."""

    __tablename__ = "failures"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    path: Mapped[str] = mapped_column(Text)
    moved_to: Mapped[str | None] = mapped_column(Text)
    reason: Mapped[str] = mapped_column(Text)
    failed_at: Mapped[str] = mapped_column(String(32), default=_now)
    run_id: Mapped[int | None] = mapped_column(ForeignKey("runs.id"))
    attempts: Mapped[int] = mapped_column(Integer, default=1)
