"""The workbench as an ASGI application (Starlette): its routes, the login, and the layers
around them (signed sessions, allowed host names, security headers), with Datasette mounted
under /datasette/ for browsing the database with its ready-made queries."""

from __future__ import annotations

from importlib import resources

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Receive, Scope, Send

from .board import board_export, board_page, mark_deadline
from .context import Workbench
from .documents import document_page, neighbour, page_image, queue_page, save_document
from .security import CSRF_FIELD, csrf_ok, log_in, log_out

SESSION_COOKIE = "vanthu_session"
SESSION_HOURS = 12
DATASETTE_PREFIX = "/datasette"
# No script but the workbench's own files, no framing by other sites (clickjacking), no
# sniffing of content types. Styles may be inline: highlight boxes are placed by style.
SECURITY_HEADERS = [
    (b"content-security-policy", b"default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
                                 b"img-src 'self' data:; frame-ancestors 'none'; form-action 'self'; base-uri 'none'"),
    (b"x-frame-options", b"DENY"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
]


def _safe_next(target: str) -> str:
    """Where to go after logging in: a path of this site only (never "//other.site")."""
    return target if target.startswith("/") and not target.startswith("//") and "\\" not in target else "/"


async def login_page(bench: Workbench, request: Request) -> Response:
    if request.method == "GET":
        return bench.render(request, "login.html", next=_safe_next(request.query_params.get("next", "/")))
    from vanthu.store import verify_user

    form = await request.form()
    if not csrf_ok(request, form.get(CSRF_FIELD)):
        return bench.refuse(request, 403, "Biểu mẫu không hợp lệ (mã CSRF sai hoặc thiếu). Tải lại trang rồi làm lại.")
    name, password = str(form.get("name", "")), str(form.get("password", ""))
    address = request.client.host if request.client else ""
    wait = bench.logins.wait(name, address)
    if wait:
        return bench.render(request, "login.html", status=429, next=_safe_next(str(form.get("next", "/"))),
                            error=f"Đăng nhập sai quá nhiều lần: thử lại sau {-(-wait // 60)} phút.")
    if not await run_in_threadpool(verify_user, bench.engine, name, password):
        bench.logins.failed(name, address)
        return bench.render(request, "login.html", status=401, next=_safe_next(str(form.get("next", "/"))),
                            error="Sai tên hoặc mật khẩu.")
    bench.logins.succeeded(name)
    log_in(request, name)
    return RedirectResponse(_safe_next(str(form.get("next", "/"))), status_code=303)


async def logout(bench: Workbench, request: Request) -> Response:
    log_out(request)
    return RedirectResponse("/login" if bench.access.login else "/", status_code=303)


class SecurityHeaders:
    """Adds SECURITY_HEADERS to the workbench's responses (Datasette's pages keep their own)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith(DATASETTE_PREFIX + "/"):
            await self.app(scope, receive, send)
            return

        async def with_headers(message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *SECURITY_HEADERS]
            await send(message)

        await self.app(scope, receive, with_headers)


class LoginGate:
    """Datasette behind the workbench's login: a visitor without a session is sent to log in."""

    def __init__(self, app: ASGIApp, bench: Workbench) -> None:
        self.app = app
        self.bench = bench

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            request = Request(scope, receive)
            if await run_in_threadpool(self.bench.user, request) is None:
                await RedirectResponse("/login", status_code=303)(scope, receive, send)
                return
        await self.app(scope, receive, send)


def _route(bench: Workbench, path: str, handler, methods=("GET",), guarded: bool = True) -> Route:
    if guarded:
        endpoint = bench.page(handler)
    else:
        async def endpoint(request: Request) -> Response:
            return await handler(bench, request)
    return Route(path, endpoint, methods=list(methods))


def create_app(bench: Workbench, secret_key: str, allowed_hosts: list[str] | None = None,
               datasette_app: ASGIApp | None = None) -> Starlette:
    """The workbench of `bench`; sessions signed with `secret_key`; requests naming a host
    not in `allowed_hosts` refused (None: any, for a server behind a name or a proxy)."""
    routes = [
        _route(bench, "/", queue_page),
        _route(bench, "/documents/{document_id:int}", document_page),
        _route(bench, "/documents/{document_id:int}", save_document, methods=("POST",)),
        _route(bench, "/documents/{document_id:int}/{direction:str}", neighbour),
        _route(bench, "/documents/{document_id:int}/pages/{page:int}/{width:int}.jpg", page_image),
        _route(bench, "/deadlines", board_page),
        _route(bench, "/deadlines.{format:str}", board_export),
        _route(bench, "/deadlines/{deadline_id:int}/{action:str}", mark_deadline, methods=("POST",)),
        _route(bench, "/login", login_page, methods=("GET", "POST"), guarded=False),
        _route(bench, "/logout", logout, methods=("POST",)),
        Mount("/static", StaticFiles(directory=str(resources.files(__package__) / "static")), name="static"),
    ]
    if datasette_app is not None:
        gated = LoginGate(datasette_app, bench) if bench.access.login else datasette_app
        routes.append(Mount(DATASETTE_PREFIX, app=gated))
    middleware = [Middleware(SessionMiddleware, secret_key=secret_key, session_cookie=SESSION_COOKIE,
                             max_age=SESSION_HOURS * 3600, same_site="lax"),
                  Middleware(SecurityHeaders)]
    if allowed_hosts is not None:
        middleware.insert(0, Middleware(TrustedHostMiddleware, allowed_hosts=allowed_hosts))
    return Starlette(routes=routes, middleware=middleware)
