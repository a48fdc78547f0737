"""Full-text search on PostgreSQL: a table of each document's words as a `tsvector` (subject at
weight A, text at weight B, both folded by vanthu as SQLite's FTS5 index is), with a GIN
index, filled from the documents already stored. SQLite keeps its FTS5 table: nothing changes
there.

Revision ID: 0003_postgresql_search
Revises: 0002_ingest_result
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0003_postgresql_search"
down_revision = "0002_ingest_result"
branch_labels = None
depends_on = None

BATCH = 500
documents = sa.table("documents", sa.column("id", sa.Integer), sa.column("text", sa.Text),
                     sa.column("subject", sa.Text))


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    from vanthu.store import fulltext

    op.create_table(
        "documents_fts",
        sa.Column("document_id", sa.Integer(), sa.ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("vector", postgresql.TSVECTOR(), nullable=False))
    op.create_index("ix_documents_fts_vector", "documents_fts", ["vector"], postgresql_using="gin")
    connection = op.get_bind()
    last = 0
    while rows := connection.execute(sa.select(documents.c.id, documents.c.text, documents.c.subject)
                                     .where(documents.c.id > last).order_by(documents.c.id).limit(BATCH)).all():
        fulltext.index(connection, [tuple(row) for row in rows])
        last = rows[-1].id


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.drop_table("documents_fts")
