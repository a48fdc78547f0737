"""Who is using the workbench, and that a form was sent by the workbench's own page.

Sessions are Starlette's: a cookie signed with the server's secret (itsdangerous), HttpOnly,
SameSite=Lax. Every session holds a CSRF token (made with `secrets`), put in every form the
workbench renders; a POST whose token does not match its session's (or that has no session)
is refused before anything is read or written (the synchronizer-token pattern of OWASP's
CSRF cheat sheet). When users exist — required for any address but the loopback — every
page but the login page needs one to be logged in; on the loopback without users, the
person at the machine works under their system login name.
"""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass

from starlette.requests import Request

CSRF_FIELD = "csrf_token"
_TOKEN_BYTES = 32


@dataclass(frozen=True)
class Access:
    """How the workbench admits people: `login` when users exist; otherwise everyone at
    the machine is `local_user`."""

    login: bool
    local_user: str


def csrf_token(request: Request) -> str:
    """The session's CSRF token (made when the session has none)."""
    token = request.session.get(CSRF_FIELD)
    if not token:
        token = secrets.token_urlsafe(_TOKEN_BYTES)
        request.session[CSRF_FIELD] = token
    return token


def csrf_ok(request: Request, sent: str | None) -> bool:
    """Whether a form's token is its session's (compared in constant time)."""
    expected = request.session.get(CSRF_FIELD)
    return bool(expected and sent) and hmac.compare_digest(str(expected), str(sent))


def user_of(request: Request, access: Access) -> str | None:
    """The user the request acts for, or None when it must log in first."""
    if not access.login:
        return access.local_user
    return request.session.get("user")


def log_in(request: Request, name: str) -> None:
    """Start a new session for `name` (a new CSRF token: nothing of the session before the
    login is kept)."""
    request.session.clear()
    request.session["user"] = name
    csrf_token(request)


def log_out(request: Request) -> None:
    request.session.clear()
