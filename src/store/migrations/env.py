"""Alembic environment. vanthu runs it with the connection it opened (in
`config.attributes["connection"]`, inside a transaction it commits itself); a developer may
also run the `alembic` command with `-x db=PATH_OR_URL` (see alembic.ini at the project root)."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from vanthu.store.reading import database_url
from vanthu.store.tables import FTS_TABLE, metadata


def include_object(obj, name, type_, reflected, compare_to) -> bool:
    """Autogenerate ignores the SQLite full-text index: a virtual table and its shadow
    tables, created by the migrations themselves."""
    return not (type_ == "table" and name and name.startswith(FTS_TABLE))


def run(connection) -> None:
    # transactional_ddl: SQLite runs DDL inside a transaction too, so an upgrade cut short
    # (kill -9, a full disk) leaves the database as it was.
    context.configure(connection=connection, target_metadata=metadata, include_object=include_object,
                      transactional_ddl=True)
    with context.begin_transaction():
        context.run_migrations()


connection = context.config.attributes.get("connection")
if connection is not None:
    run(connection)
else:
    url = database_url(context.get_x_argument(as_dictionary=True).get("db", "vanthu.db"))
    with create_engine(url).connect() as connection:
        run(connection)
        connection.commit()
