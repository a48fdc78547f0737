"""The Alembic revision vanthu's tables are at (the head of migrations/versions/), apart from
the tables themselves so that a query can check a database's revision without SQLAlchemy."""

SCHEMA_REVISION = "0004_workbench"
