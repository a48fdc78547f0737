"""Datasette plugin (registered by vanthu's `datasette` entry point): SQL functions that let
the canned queries match units and symbols the way the command line does, and, for a
Datasette whose metadata asks for it (`vanthu serve` does, see `serve.metadata`), caps on
what a query may cost, a /-/databases that does not show the server's file paths, and columns
no query may read (the workbench users' password hashes read as NULL, whatever the SQL)."""

from __future__ import annotations

import sqlite3

from datasette import hookimpl
from datasette.utils.asgi import Response

from vanthu.normalize import symbol_key, unit_key


def _or_empty(function):
    def wrapped(value):
        return function(value) if value else ""
    return wrapped


def _config(datasette) -> dict:
    return datasette.plugin_config("vanthu") or {}


@hookimpl
def prepare_connection(conn, datasette) -> None:
    conn.create_function("vanthu_key", 1, _or_empty(unit_key), deterministic=True)
    conn.create_function("vanthu_symbol_key", 1, _or_empty(symbol_key), deterministic=True)
    config = _config(datasette)
    if config.get("max_value_bytes"):  # "string or blob too big" instead of a 2 GB string
        conn.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, int(config["max_value_bytes"]))
    if config.get("heap_limit_bytes"):  # process-wide: SQLite's allocations fail past it
        conn.execute(f"PRAGMA hard_heap_limit = {int(config['heap_limit_bytes'])}")
    hidden = {tuple(column.split(".", 1)) for column in config.get("unreadable_columns", [])}
    if hidden:
        conn.set_authorizer(_hiding(hidden))


def _hiding(hidden: set[tuple[str, str]]):
    """An SQLite authorizer under which reading one of the `hidden` (table, column) pairs
    gives NULL (SQLite applies it to every statement, a visitor's SQL included)."""
    def authorize(action, table, column, _database, _trigger):
        if action == sqlite3.SQLITE_READ and (table, column) in hidden:
            return sqlite3.SQLITE_IGNORE
        return sqlite3.SQLITE_OK
    return authorize


async def _databases(datasette) -> Response:
    """/-/databases.json without each database's path on the server."""
    return Response.json([
        {"name": name, "route": database.route, "is_mutable": database.is_mutable, "is_memory": database.is_memory}
        for name, database in datasette.databases.items() if name != "_internal"])


@hookimpl
def register_routes(datasette):
    if not _config(datasette).get("hide_paths"):
        return []
    return [(r"^/-/databases(\.json)?$", _databases)]
