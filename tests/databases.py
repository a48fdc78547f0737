"""The databases a test can run against, SQLite or PostgreSQL, behind one face: `url` is what
`--db` takes, `rows(sql)` and `execute(sql)` run SQL both understand, `copy()` gives a copy
(SQLite's backup API; PostgreSQL's CREATE DATABASE ... TEMPLATE)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

from pgserver import PostgresServer

KINDS = ("sqlite", "postgresql")


class TestDatabase:
    """One database of a test."""

    __test__ = False  # not a test class, whatever its name

    def __init__(self, kind: str, url: str, folder: Path, server: PostgresServer | None = None,
                 name: str | None = None) -> None:
        self.kind, self.url, self.folder, self.server, self.name = kind, url, folder, server, name

    @classmethod
    def new(cls, kind: str, folder: Path, server: PostgresServer | None = None) -> TestDatabase:
        if kind == "sqlite":
            return cls(kind, str(folder / "v.db"), folder)
        assert server is not None
        name = server.create_database()
        return cls(kind, server.url(name), folder, server, name)

    def __str__(self) -> str:
        return self.url

    def copy(self, folder: Path) -> TestDatabase:
        if self.kind == "sqlite":
            path = folder / "v.db"
            with sqlite3.connect(self.url) as source, sqlite3.connect(path) as copy:
                source.backup(copy)
            source.close()
            copy.close()
            return TestDatabase(self.kind, str(path), folder)
        assert self.server is not None
        with self.server.admin.connect() as connection:  # a template must have no one connected
            connection.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                                    "WHERE datname = :name AND pid <> pg_backend_pid()"), {"name": self.name})
        name = self.server.create_database(template=self.name)
        return TestDatabase(self.kind, self.server.url(name), folder, self.server, name)

    def _engine(self):
        url = f"sqlite:///{self.url}" if self.kind == "sqlite" else self.url
        return create_engine(url, poolclass=NullPool)

    def rows(self, sql: str, **params) -> list[tuple]:
        engine = self._engine()
        with engine.connect() as connection:
            found = [tuple(row) for row in connection.execute(text(sql), params)]
        engine.dispose()
        return found

    def execute(self, *statements: str, **params) -> None:
        engine = self._engine()
        with engine.begin() as connection:
            for statement in statements:
                connection.execute(text(statement), params)
        engine.dispose()
