"""Datasette plugin (registered by vanthu's `datasette` entry point): SQL functions that let
the canned queries match units and symbols the way the command line does."""

from __future__ import annotations

from datasette import hookimpl

from vanthu.normalize import symbol_key, unit_key


def _or_empty(function):
    def wrapped(value):
        return function(value) if value else ""
    return wrapped


@hookimpl
def prepare_connection(conn) -> None:
    conn.create_function("vanthu_key", 1, _or_empty(unit_key), deterministic=True)
    conn.create_function("vanthu_symbol_key", 1, _or_empty(symbol_key), deterministic=True)
