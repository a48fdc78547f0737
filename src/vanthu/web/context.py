"""What every page handler of the workbench shares: the database, who may come in, the page
images, the templates; and the guard every page goes through (logged in, and for a form,
its CSRF token)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from sqlalchemy import Engine
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.templating import Jinja2Templates

from .forms import MAX_FORM_FIELDS
from .pageimages import PageImages
from .security import CSRF_FIELD, Access, LoginThrottle, csrf_ok, csrf_token, user_of

Handler = Callable[[Request], Awaitable[Response]]


def _templates() -> Jinja2Templates:
    templates = Jinja2Templates(directory=str(resources.files(__package__) / "templates"))
    from .views import document_label, flag_label, status_label

    templates.env.globals.update(document_label=document_label, flag_label=flag_label, status_label=status_label)
    return templates


@dataclass
class Workbench:
    """The workbench of one database."""

    engine: Engine
    access: Access
    cache_dir: Path
    datasette: bool = False
    logins: LoginThrottle = field(default_factory=LoginThrottle)

    def __post_init__(self) -> None:
        self.images = PageImages(self.cache_dir)
        self.templates = _templates()

    def user(self, request: Request) -> str | None:
        """Who the request acts for (None: must log in). A logged-in user removed since
        (`vanthu user remove`) is let in no more."""
        name = user_of(request, self.access)
        if name is None or not self.access.login:
            return name
        from vanthu.store import user_names

        return name if name in user_names(self.engine) else None

    def render(self, request: Request, template: str, status: int = 200, **context: Any) -> Response:
        """A page (or, for htmx, a fragment) with what every template uses."""
        base = {"user": getattr(request.state, "user", None), "csrf_field": CSRF_FIELD,
                "csrf_token": csrf_token(request), "login": self.access.login, "datasette": self.datasette}
        return self.templates.TemplateResponse(request, template, {**base, **context}, status_code=status)

    def refuse(self, request: Request, status: int, message: str) -> Response:
        return self.render(request, "error.html", status=status, message=message)

    def page(self, handler: Callable[[Workbench, Request], Awaitable[Response]]) -> Handler:
        """A handler behind the guard: a person logged in (or at the machine), and for a
        POST a form whose CSRF token is its session's — else nothing is done."""
        async def guarded(request: Request) -> Response:
            request.state.user = await run_in_threadpool(self.user, request)
            if request.method == "POST":
                # Whose form it is first: a body is read (up to MAX_FORM_FIELDS fields) only
                # for a person logged in.
                if request.state.user is None:
                    return self.refuse(request, 403, "Phiên làm việc đã hết hoặc chưa đăng nhập: không có gì được lưu.")
                form = await request.form(max_fields=MAX_FORM_FIELDS)
                if not csrf_ok(request, form.get(CSRF_FIELD)):
                    return self.refuse(request, 403, "Biểu mẫu không hợp lệ (mã CSRF sai hoặc thiếu): "
                                                     "không có gì được lưu. Tải lại trang rồi làm lại.")
                request.state.form = form
            elif request.state.user is None:
                return RedirectResponse(f"/login?next={request.url.path}", status_code=303)
            return await handler(self, request)
        return guarded
