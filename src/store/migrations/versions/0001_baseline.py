"""The schema of vanthu 0.1.0 (its `schema_version` 4), as that release created it.

A database made by 0.1.0 has no alembic_version table: `vanthu.store.migrate` recognises it
by its vanthu_meta row and stamps it with this revision instead of running it. Frozen: never
edit it, add a revision.

Revision ID: 0001_baseline
Revises:
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001_baseline"
down_revision = None
branch_labels = None
depends_on = None

# 0.1.0 wrote these as INTEGER on SQLite (any size there); PostgreSQL needs 64 bits for a
# file's size and its modification time in nanoseconds.
BIG = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
FTS_DDL = "CREATE VIRTUAL TABLE documents_fts USING fts5(text, subject, content = '', tokenize = 'unicode61')"


def _id() -> sa.Column:
    return sa.Column("id", sa.Integer(), primary_key=True)


def _document_id() -> sa.Column:
    return sa.Column("document_id", sa.Integer(), sa.ForeignKey("documents.id", ondelete="CASCADE"), nullable=False)


def upgrade() -> None:
    meta = op.create_table(
        "vanthu_meta",
        sa.Column("name", sa.String(32), primary_key=True),
        sa.Column("value", sa.Text(), nullable=False))
    op.create_table(
        "documents", _id(),
        sa.Column("sha256", sa.String(64), nullable=False, unique=True),
        sa.Column("path", sa.Text(), nullable=False),
        sa.Column("doc_type", sa.String(64)),
        sa.Column("number", sa.String(32)),
        sa.Column("symbol", sa.String(128)),
        sa.Column("symbol_key", sa.String(128)),
        sa.Column("issue_date", sa.String(10)),
        sa.Column("place", sa.Text()),
        sa.Column("issuer", sa.Text()),
        sa.Column("issuer_key", sa.Text()),
        sa.Column("parent_issuer", sa.Text()),
        sa.Column("subject", sa.Text()),
        sa.Column("signer", sa.Text()),
        sa.Column("signer_title", sa.Text()),
        sa.Column("pages", sa.Integer(), nullable=False),
        sa.Column("method", sa.String(16), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("record_json", sa.Text(), nullable=False),
        sa.Column("extractor_version", sa.String(128), nullable=False),
        sa.Column("ingested_at", sa.String(32), nullable=False))
    op.create_table(
        "organizations", _id(),
        sa.Column("key", sa.Text(), nullable=False, unique=True),
        sa.Column("name", sa.Text(), nullable=False))
    op.create_table(
        "runs", _id(),
        sa.Column("inbox", sa.Text(), nullable=False),
        sa.Column("started_at", sa.String(32), nullable=False),
        sa.Column("finished_at", sa.String(32)),
        sa.Column("status", sa.String(16), nullable=False),
        *[sa.Column(name, sa.Integer(), nullable=False)
          for name in ("files_new", "files_duplicate", "files_failed", "files_waiting", "pages")],
        sa.Column("seconds", sa.Float(), nullable=False),
        sa.Column("version", sa.String(32), nullable=False))
    op.create_table(
        "files", _id(), _document_id(),
        sa.Column("path", sa.Text(), nullable=False),
        sa.Column("size", BIG),
        sa.Column("mtime_ns", BIG),
        sa.Column("moved_to", sa.Text()),
        sa.Column("seen_at", sa.String(32), nullable=False),
        sa.UniqueConstraint("document_id", "path"))
    op.create_table(
        "parties", _id(), _document_id(),
        sa.Column("role", sa.String(12), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("name_key", sa.Text(), nullable=False))
    op.create_table(
        "directives", _id(), _document_id(),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("directive_id", sa.String(32), nullable=False),
        sa.Column("parent_id", sa.String(32)),
        sa.Column("level", sa.Integer(), nullable=False),
        sa.Column("addressee", sa.Text()),
        sa.Column("text", sa.Text(), nullable=False))
    op.create_table(
        "deadlines", _id(), _document_id(),
        sa.Column("due_date", sa.String(10), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("responsible", sa.Text()),
        sa.Column("responsible_key", sa.Text()),
        sa.Column("expression", sa.Text(), nullable=False),
        sa.Column("kind", sa.String(8), nullable=False),
        sa.Column("time", sa.String(5)),
        sa.Column("recurs", sa.String(8)),
        sa.Column("directive_id", sa.String(32)))
    op.create_table(
        "citations", _id(), _document_id(),
        sa.Column("doc_type", sa.String(64)),
        sa.Column("number", sa.String(32), nullable=False),
        sa.Column("symbol", sa.String(128), nullable=False),
        sa.Column("symbol_key", sa.String(128), nullable=False),
        sa.Column("issue_date", sa.String(10)),
        sa.Column("issuer", sa.Text()))
    op.create_table(
        "organization_mentions", _id(), _document_id(),
        sa.Column("organization_id", sa.Integer(), sa.ForeignKey("organizations.id"), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("printed", sa.Text(), nullable=False),
        sa.Column("position", sa.Text()))
    op.create_table(
        "failures", _id(),
        sa.Column("sha256", sa.String(64), nullable=False, unique=True),
        sa.Column("path", sa.Text(), nullable=False),
        sa.Column("moved_to", sa.Text()),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("failed_at", sa.String(32), nullable=False),
        sa.Column("run_id", sa.Integer(), sa.ForeignKey("runs.id")),
        sa.Column("attempts", sa.Integer(), nullable=False))
    for table, columns in [
        ("documents", ["issuer"]), ("documents", ["symbol_key"]), ("documents", ["doc_type"]),
        ("documents", ["issuer_key"]), ("documents", ["issue_date"]),
        ("files", ["document_id"]), ("files", ["path"]),
        ("parties", ["document_id"]), ("parties", ["name_key"]),
        ("directives", ["document_id"]),
        ("deadlines", ["due_date"]), ("deadlines", ["document_id"]), ("deadlines", ["responsible_key"]),
        ("citations", ["document_id"]),
        ("organization_mentions", ["organization_id"]), ("organization_mentions", ["document_id"]),
    ]:
        op.create_index(f"ix_{table}_{columns[0]}", table, columns)
    op.create_index("ix_documents_number_symbol", "documents", ["number", "symbol_key"])
    op.create_index("ix_citations_symbol_number", "citations", ["symbol_key", "number"])
    if op.get_bind().dialect.name == "sqlite":
        # Full-text index over each document's folded text and subject (contentless: the
        # text is in documents). Other databases search otherwise (issue 17).
        op.execute(FTS_DDL)
    op.bulk_insert(meta, [{"name": "schema_version", "value": "4"}])


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TABLE documents_fts")
    for table in ("failures", "organization_mentions", "citations", "deadlines", "directives", "parties", "files",
                  "runs", "organizations", "documents", "vanthu_meta"):
        op.drop_table(table)
