"""Locks held on a PostgreSQL server, for what must run once at a time on a shared database
whichever machine runs it (an inbox run). A session advisory lock lives as long as the
connection that took it: the server releases it when the holder ends, even by `kill -9` or a
machine lost, so a crashed run never leaves a stale lock behind.
"""

from __future__ import annotations

import hashlib
import os
import socket
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.pool import NullPool

from .errors import StoreError

_HOLDER = text("SELECT a.application_name FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
               "WHERE l.locktype = 'advisory' AND l.granted AND l.classid = :high AND l.objid = :low "
               "AND l.objsubid = 1")


def lock_key(name: str) -> int:
    """A signed 64-bit advisory lock key for `name`."""
    return int.from_bytes(hashlib.sha256(f"vanthu:{name}".encode()).digest()[:8], "big", signed=True)


@contextmanager
def advisory_lock(url: str, name: str) -> Iterator[str | None]:
    """Try to take the lock `name` on the PostgreSQL database at `url`, without waiting; held
    until the block ends. Yields None when taken, else who holds it ("PID on HOST")."""
    key = lock_key(name)
    me = f"vanthu pid {os.getpid()} on {socket.gethostname()}"
    engine = create_engine(url, poolclass=NullPool, connect_args={"application_name": me[:63]})
    try:
        try:
            connection = engine.connect()
            taken = connection.execute(text("SELECT pg_try_advisory_lock(:key)"), {"key": key}).scalar()
            holder = None if taken else _holder(connection, key)
            connection.commit()
        except OperationalError as err:
            raise StoreError(f"cannot lock the database: {err.orig}") from err
        try:
            yield holder
        finally:
            connection.close()  # the server releases a session's advisory locks with it
    finally:
        engine.dispose()


def _holder(connection, key: int) -> str:
    found = connection.execute(_HOLDER, {"high": (key >> 32) & 0xFFFFFFFF, "low": key & 0xFFFFFFFF}).scalar()
    return (found or "another process").removeprefix("vanthu pid ")
