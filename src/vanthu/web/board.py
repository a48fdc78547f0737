"""The deadlines board: due and overdue deadlines by unit (the lead unit, with the supporting
ones beside it), each marked done from the page with the day and a note; the same list as a
calendar (ICS) or a spreadsheet (CSV)."""

from __future__ import annotations

import datetime as dt
import urllib.parse
from dataclasses import dataclass

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from vanthu.store import DeadlineFilter, DueItem, StoreError, deadlines, mark_done, reopen

from .context import Workbench

DEFAULT_DAYS = 30
MAX_DAYS = 3650
NO_UNIT = "Chưa rõ đơn vị chủ trì"


@dataclass(frozen=True)
class BoardFilter:
    unit: str = ""
    issuer: str = ""
    days: int = DEFAULT_DAYS
    show: str = "open"  # open: overdue and due within `days`; done: marked done; all: every open one

    @classmethod
    def of(cls, request: Request) -> BoardFilter:
        params = request.query_params
        days = params.get("days", "")
        show = params.get("show", "open")
        return cls(unit=params.get("unit", "").strip(), issuer=params.get("issuer", "").strip(),
                   days=min(int(days), MAX_DAYS) if days.isdigit() else DEFAULT_DAYS,
                   show=show if show in ("open", "done", "all") else "open")

    def query(self) -> str:
        return urllib.parse.urlencode({k: v for k, v in vars(self).items() if v not in ("", None)})

    def deadline_filter(self, today: dt.date) -> DeadlineFilter:
        window = {"date_to": (today + dt.timedelta(days=self.days)).isoformat()} if self.show == "open" else {}
        return DeadlineFilter(responsible=self.unit or None, issuer=self.issuer or None, today=today,
                              status="done" if self.show == "done" else "open", **window)


@dataclass(frozen=True)
class Row:
    item: DueItem
    days_left: int  # negative: overdue by that many days

    @property
    def state(self) -> str:
        if self.item.done_on:
            return f"Xong ngày {self.item.done_on}"
        if self.days_left < 0:
            return f"Quá hạn {-self.days_left} ngày"
        return "Hôm nay" if self.days_left == 0 else f"Còn {self.days_left} ngày"


def grouped(items: list[DueItem], today: dt.date) -> list[tuple[str, list[Row]]]:
    """Deadlines by lead unit (units with an overdue deadline first, then by name)."""
    groups: dict[str, list[Row]] = {}
    for item in items:
        days_left = (dt.date.fromisoformat(item.due_date) - today).days
        groups.setdefault(item.responsible or NO_UNIT, []).append(Row(item, days_left))
    return sorted(groups.items(), key=lambda pair: (min(r.days_left for r in pair[1]) >= 0, pair[0]))


async def board_page(bench: Workbench, request: Request) -> Response:
    where = BoardFilter.of(request)
    today = dt.date.today()
    items = await run_in_threadpool(deadlines, bench.engine, where.deadline_filter(today))
    return bench.render(request, "deadlines.html", where=where, groups=grouped(items, today), count=len(items),
                        today=today.isoformat(), query=where.query())


async def board_export(bench: Workbench, request: Request) -> Response:
    """The board's deadlines as ICS (calendar) or CSV (spreadsheet)."""
    from ..output import deadlines_csv, deadlines_ics

    if request.path_params["format"] not in ("ics", "csv"):
        return bench.refuse(request, 404, "Không có trang này.")
    where = BoardFilter.of(request)
    items = await run_in_threadpool(deadlines, bench.engine, where.deadline_filter(dt.date.today()))
    if request.path_params["format"] == "ics":
        return Response(deadlines_ics(items), media_type="text/calendar; charset=utf-8",
                        headers={"Content-Disposition": 'attachment; filename="han-xu-ly.ics"'})
    return Response(deadlines_csv(items).encode("utf-8"), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": 'attachment; filename="han-xu-ly.csv"'})


def _done_on(value: str) -> dt.date:
    try:
        day = dt.date.fromisoformat(value.strip()) if value.strip() else dt.date.today()
    except ValueError as err:
        raise ValueError(f"Ngày xong viết dạng NNNN-TT-NN, không phải {value!r}") from err
    if day > dt.date.today():
        raise ValueError("Ngày xong không thể sau hôm nay")
    return day


async def mark_deadline(bench: Workbench, request: Request) -> Response:
    """Mark a deadline done (or, `reopen`, not done any more). For htmx, the row as it now
    stands; otherwise back to the board."""
    deadline_id = int(request.path_params["deadline_id"])
    if request.path_params["action"] not in ("done", "reopen"):
        return bench.refuse(request, 404, "Không có trang này.")
    form = request.state.form
    try:
        if request.path_params["action"] == "done":
            await run_in_threadpool(mark_done, bench.engine, deadline_id, _done_on(form.get("done_on", "")),
                                    form.get("note", "")[:2000], request.state.user)
        else:
            await run_in_threadpool(reopen, bench.engine, deadline_id)
    except ValueError as err:
        return bench.refuse(request, 400, str(err))
    except StoreError as err:
        return bench.refuse(request, 404, str(err))
    back = form.get("back", "")
    if request.headers.get("HX-Request"):
        found = await run_in_threadpool(_row, bench, deadline_id)
        return bench.render(request, "_deadline_row.html", row=found, today=dt.date.today().isoformat(),
                            query=back)
    return RedirectResponse(f"/deadlines?{back}" if back and not back.startswith("/") else "/deadlines", status_code=303)


def _row(bench: Workbench, deadline_id: int) -> Row | None:
    today = dt.date.today()
    items = deadlines(bench.engine, DeadlineFilter(status="all", today=today, deadline_id=deadline_id))
    return Row(items[0], (dt.date.fromisoformat(items[0].due_date) - today).days) if items else None
