"""People who may use the workbench: names with argon2id hashes of their passwords (argon2-cffi,
its default parameters, which follow RFC 9106's recommendation), in the database."""

from __future__ import annotations

import re

from sqlalchemy import Engine, delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError, OperationalError

from .errors import StoreError
from .tables import users

# A name is shown in the corrections log and typed at the login page.
_NAME = re.compile(r"^[\w.@-]{1,64}$")
MIN_PASSWORD = 8


def _hasher():
    from argon2 import PasswordHasher

    return PasswordHasher()


def check_new_user(name: str, password: str) -> None:
    """ValueError naming what is wrong with a new user's name or password."""
    if not _NAME.match(name):
        raise ValueError(f"{name!r} is not a user name: 1-64 letters, digits, '.', '_', '-' or '@'")
    if len(password) < MIN_PASSWORD:
        raise ValueError(f"a password needs at least {MIN_PASSWORD} characters")


def add_user(engine: Engine, name: str, password: str) -> None:
    """Add a user, or set the password of an existing one."""
    check_new_user(name, password)
    hashed = _hasher().hash(password)
    try:
        with engine.begin() as connection:
            found = connection.execute(select(users.c.id).where(users.c.name == name)).scalar()
            if found is None:
                connection.execute(insert(users).values(name=name, password_hash=hashed))
            else:
                connection.execute(update(users).where(users.c.id == found).values(password_hash=hashed))
    except (OperationalError, IntegrityError) as err:
        raise StoreError(f"cannot write to database: {err.orig}") from err


def remove_user(engine: Engine, name: str) -> bool:
    """Remove a user; False when there is none of that name."""
    with engine.begin() as connection:
        return connection.execute(delete(users).where(users.c.name == name)).rowcount > 0


def user_names(engine: Engine) -> list[str]:
    with engine.connect() as connection:
        return list(connection.execute(select(users.c.name).order_by(users.c.name)).scalars())


def has_users(engine: Engine) -> bool:
    with engine.connect() as connection:
        return bool(connection.execute(select(func.count()).select_from(users)).scalar())


def verify_user(engine: Engine, name: str, password: str) -> bool:
    """Whether `password` is the user's. Time is spent hashing even for an unknown name, so
    the answer's delay does not tell which names exist."""
    from argon2.exceptions import InvalidHashError, VerificationError

    hasher = _hasher()
    with engine.connect() as connection:
        stored = connection.execute(select(users.c.password_hash).where(users.c.name == name)).scalar()
    try:
        hasher.verify(stored or _decoy(hasher), password)
    except (VerificationError, InvalidHashError):
        return False
    if stored is None:
        return False
    if hasher.check_needs_rehash(stored):  # parameters raised since it was hashed
        with engine.begin() as connection:
            connection.execute(update(users).where(users.c.name == name).values(password_hash=hasher.hash(password)))
    return True


_DECOYS: dict[str, str] = {}


def _decoy(hasher) -> str:
    """A hash of no one's password, made once, verified against for unknown names."""
    if "hash" not in _DECOYS:
        _DECOYS["hash"] = hasher.hash("not a password of anyone")
    return _DECOYS["hash"]
