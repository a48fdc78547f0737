"""Alembic migrations of the vanthu schema: `env.py` and one file per revision under
`versions/`. They are run by `vanthu.store.migrate` whenever a database is opened."""
