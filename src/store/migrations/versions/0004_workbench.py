"""The archivist's workbench (issue 18): corrections, users, the incoming register, deadlines
with lead and supporting units, deadlines marked done, and the review queue's columns.

- documents.arrival_number, arrival_date: số đến and ngày đến (null for older records: their
  extractor did not read the stamp);
- documents.review_flags, review_status: why the review queue puts a document first (filled
  here from each record's warnings), and whether a person confirmed it (none yet);
- deadline_units: every unit of a deadline, one row each; a deadline of an older database
  gets its one unit, `responsible`, as its lead, so `--responsible` finds it as before;
- deadline_progress, corrections, users: new, empty.

Revision ID: 0004_workbench
Revises: 0003_postgresql_search
Create Date: 2026-12-10
"""

from __future__ import annotations

import json
import re

import sqlalchemy as sa
from alembic import op

revision = "0004_workbench"
down_revision = "0003_postgresql_search"
branch_labels = None
depends_on = None

BATCH = 1000
# The queue's reasons, as vanthu.store.review gives them for the records this revision
# finds (frozen here: a migration must not change with the code).
ABSTAINED = re.compile(r"not read|handwritten|not clearly printed|letters missing")
LOW_OCR = re.compile(r"low OCR confidence")

documents = sa.table("documents", sa.column("id", sa.Integer), sa.column("record_json", sa.Text),
                     sa.column("review_flags", sa.String))


def review_flags(record_json: str) -> str | None:
    warnings = json.loads(record_json).get("warnings", [])
    flags = {"abstained" if ABSTAINED.search(w) else "low-ocr" if LOW_OCR.search(w) else "warnings" for w in warnings}
    return " ".join(sorted(flags)) or None


def _id() -> sa.Column:
    return sa.Column("id", sa.Integer(), primary_key=True)


def _document_id() -> sa.Column:
    return sa.Column("document_id", sa.Integer(), sa.ForeignKey("documents.id", ondelete="CASCADE"), nullable=False)


def upgrade() -> None:
    op.add_column("documents", sa.Column("arrival_number", sa.String(32), nullable=True))
    op.add_column("documents", sa.Column("arrival_date", sa.String(10), nullable=True))
    op.add_column("documents", sa.Column("review_flags", sa.String(64), nullable=True))
    op.add_column("documents", sa.Column("review_status", sa.String(12), nullable=True))
    op.create_index("ix_documents_review_status", "documents", ["review_status"])
    connection = op.get_bind()
    last = 0
    while rows := connection.execute(sa.select(documents.c.id, documents.c.record_json)
                                     .where(documents.c.id > last).order_by(documents.c.id).limit(BATCH)).all():
        connection.execute(documents.update().where(documents.c.id == sa.bindparam("row_id"))
                           .values(review_flags=sa.bindparam("flags")),
                           [{"row_id": row.id, "flags": review_flags(row.record_json)} for row in rows])
        last = rows[-1].id

    op.create_table(
        "deadline_units", _id(),
        sa.Column("deadline_id", sa.Integer(), sa.ForeignKey("deadlines.id", ondelete="CASCADE"), nullable=False),
        _document_id(),
        sa.Column("role", sa.String(12), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("name_key", sa.Text(), nullable=False))
    op.create_index("ix_deadline_units_deadline_id", "deadline_units", ["deadline_id"])
    op.create_index("ix_deadline_units_document_id", "deadline_units", ["document_id"])
    op.create_index("ix_deadline_units_name_key", "deadline_units", ["name_key"])
    op.execute("INSERT INTO deadline_units (deadline_id, document_id, role, position, name, name_key) "
               "SELECT id, document_id, 'lead', 0, responsible, responsible_key FROM deadlines "
               "WHERE responsible IS NOT NULL AND responsible_key IS NOT NULL")

    op.create_table(
        "deadline_progress", _id(), _document_id(),
        sa.Column("due_date", sa.String(10), nullable=False),
        sa.Column("task", sa.Text(), nullable=False),
        sa.Column("task_key", sa.String(64), nullable=False),
        sa.Column("done_on", sa.String(10), nullable=False),
        sa.Column("note", sa.Text()),
        sa.Column("done_by", sa.String(64), nullable=False),
        sa.Column("marked_at", sa.String(32), nullable=False),
        sa.UniqueConstraint("document_id", "due_date", "task_key"))
    op.create_index("ix_deadline_progress_document_id", "deadline_progress", ["document_id"])

    op.create_table(
        "corrections", _id(), _document_id(),
        sa.Column("field", sa.String(32), nullable=False),
        sa.Column("action", sa.String(12), nullable=False),
        sa.Column("old_value", sa.Text()),
        sa.Column("new_value", sa.Text()),
        sa.Column("user_name", sa.String(64), nullable=False),
        sa.Column("made_at", sa.String(32), nullable=False))
    op.create_index("ix_corrections_document_id", "corrections", ["document_id"])

    op.create_table(
        "users", _id(),
        sa.Column("name", sa.String(64), nullable=False, unique=True),
        sa.Column("password_hash", sa.Text(), nullable=False),
        sa.Column("created_at", sa.String(32), nullable=False))


def downgrade() -> None:
    for table in ("users", "corrections", "deadline_progress", "deadline_units"):
        op.drop_table(table)
    op.drop_index("ix_documents_review_status", "documents")
    for column in ("review_status", "review_flags", "arrival_date", "arrival_number"):
        op.drop_column("documents", column)
