"""Who is using the workbench, and that a form was sent by the workbench's own page.

Sessions are Starlette's: a cookie signed with the server's secret (itsdangerous), HttpOnly,
SameSite=Lax. Every session holds a CSRF token (made with `secrets`), put in every form the
workbench renders; a POST whose token does not match its session's (or that has no session)
is refused before anything is read or written (the synchronizer-token pattern of OWASP's
CSRF cheat sheet). When users exist — required for any address but the loopback — every
page but the login page needs one to be logged in; on the loopback without users, the
person at the machine works under their system login name. Failed logins are counted per
account and per client address (LoginThrottle): past a limit, logins are refused for a
while without the password being tried.
"""

from __future__ import annotations

import hmac
import math
import secrets
import time
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


@dataclass
class LoginThrottle:
    """Failed logins in a moving window, counted per account name and per client address
    (the `limits` package, kept in memory: a restart of the server forgets them). Once one
    of the two has had too many, `wait` says how long until a login is tried again, and the
    password is not checked meanwhile (a guesser pays nothing less, the server no hashing).
    An account's count is cleared by a good login; an address's only by time, as an office
    behind one address shares it (hence its larger limit)."""

    per_account: str = "10 per 15 minutes"
    per_address: str = "50 per 15 minutes"

    def __post_init__(self) -> None:
        from limits import parse, storage, strategies

        self._limiter = strategies.MovingWindowRateLimiter(storage.MemoryStorage())
        self._account_rate, self._address_rate = parse(self.per_account), parse(self.per_address)

    @staticmethod
    def _account(name: str) -> tuple[str, ...]:
        return ("login", "account", name.casefold())

    def _counts(self, name: str, address: str) -> list[tuple[object, tuple[str, ...]]]:
        """(rate, identifiers) of the two counts a login attempt falls under."""
        return [(self._account_rate, self._account(name)), (self._address_rate, ("login", "address", address))]

    def wait(self, name: str, address: str) -> int:
        """Seconds until a login as `name` from `address` will be tried (0: now)."""
        waits = [self._limiter.get_window_stats(rate, *ids).reset_time - time.time()
                 for rate, ids in self._counts(name, address) if not self._limiter.test(rate, *ids)]
        return max(1, math.ceil(max(waits))) if waits else 0

    def failed(self, name: str, address: str) -> None:
        for rate, ids in self._counts(name, address):
            self._limiter.hit(rate, *ids)

    def succeeded(self, name: str) -> None:
        self._limiter.clear(self._account_rate, *self._account(name))
