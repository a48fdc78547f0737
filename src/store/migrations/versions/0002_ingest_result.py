"""Keep each document's ingest result, so its record can be derived again without OCR.

- documents.ingest_json: the ingest stage's result (`IngestedText` as JSON, without its text,
  which documents.text already holds). Rows of 0.1.0 get it from what they kept: the record's
  `source`, and the warnings the ingest stage of 0.1.0 gave (the record lists them first).
- an index on documents.extractor_version: `vanthu reextract` selects by it.
- vanthu_meta goes: its one row, schema_version, is Alembic's alembic_version now.

Revision ID: 0002_ingest_result
Revises: 0001_baseline
Create Date: 2026-12-01
"""

from __future__ import annotations

import json
import re

import sqlalchemy as sa
from alembic import op

revision = "0002_ingest_result"
down_revision = "0001_baseline"
branch_labels = None
depends_on = None

BATCH = 1000
# Every warning the ingest stage of vanthu 0.1.0 could give (src/ingest/scanned.py and
# src/ingest/__init__.py of that release).
INGEST_WARNING = re.compile(r"page \d+: (no text found by OCR|low OCR confidence \(\d+%\))"
                            r"|text has few Vietnamese diacritics .*")

documents = sa.table("documents", sa.column("id", sa.Integer), sa.column("record_json", sa.Text),
                     sa.column("ingest_json", sa.Text))


def ingest_result(record_json: str) -> str:
    """The ingest result of a 0.1.0 record, without its text."""
    record = json.loads(record_json)
    warnings = record.get("warnings", [])
    count = next((i for i, warning in enumerate(warnings) if not INGEST_WARNING.fullmatch(warning)), len(warnings))
    return json.dumps({"source": record["source"], "warnings": warnings[:count]}, ensure_ascii=False)


def upgrade() -> None:
    op.add_column("documents", sa.Column("ingest_json", sa.Text(), nullable=True))
    connection = op.get_bind()
    last = 0
    while rows := connection.execute(sa.select(documents.c.id, documents.c.record_json)
                                     .where(documents.c.id > last).order_by(documents.c.id).limit(BATCH)).all():
        connection.execute(documents.update().where(documents.c.id == sa.bindparam("row_id"))
                           .values(ingest_json=sa.bindparam("value")),
                           [{"row_id": row.id, "value": ingest_result(row.record_json)} for row in rows])
        last = rows[-1].id
    op.create_index("ix_documents_extractor_version", "documents", ["extractor_version"])
    op.drop_table("vanthu_meta")


def downgrade() -> None:
    meta = op.create_table(
        "vanthu_meta",
        sa.Column("name", sa.String(32), primary_key=True),
        sa.Column("value", sa.Text(), nullable=False))
    op.bulk_insert(meta, [{"name": "schema_version", "value": "4"}])
    op.drop_index("ix_documents_extractor_version", "documents")
    op.drop_column("documents", "ingest_json")
