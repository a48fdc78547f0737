"""The review queue and the document page: a record beside its page images, each value
highlighted where it was read, every reviewable field editable, confirmed or saved."""

from __future__ import annotations

import urllib.parse
from dataclasses import dataclass, field

from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import FileResponse, RedirectResponse, Response

from vanthu.store import (QueueFilter, ReviewConflict, ReviewError, StoreError, apply_review, corrections_of,
                          queue_neighbours, review_queue, same_registrations, stored_detail)
from vanthu.store.workbench import StoredDetail

from .context import Workbench
from .forms import FIELDS, TABLES, FormError, directive_rows, shown, submitted
from .highlights import Box, WordFinder, cached_spans, marked_text, region_boxes
from .pageimages import PAGE_WIDTH, THUMB_WIDTH, WIDTHS, NoPageImage, document_folder

# Query parameters of the queue's filters, carried from page to page.
FILTERS = ("issuer", "doc_type", "date_from", "date_to", "status")
# Pages drawn with the document page at once; the rest as they are scrolled to.
EAGER_PAGES = 3


def queue_filter(request: Request) -> QueueFilter:
    """The queue's filters from the query string (a bad value is ignored)."""
    given = {name: request.query_params.get(name, "").strip() for name in FILTERS}
    page = request.query_params.get("page", "1")
    try:
        return QueueFilter(**given, page=int(page) if page.isdigit() else 1)
    except ValidationError:
        return QueueFilter(**{**given, "status": ""})


def filter_query(where: QueueFilter) -> str:
    """The filters as a query string ("" when none)."""
    return urllib.parse.urlencode({name: getattr(where, name) for name in FILTERS if getattr(where, name)})


async def queue_page(bench: Workbench, request: Request) -> Response:
    where = queue_filter(request)
    items, total = await run_in_threadpool(review_queue, bench.engine, where)
    pages = max(1, -(-total // where.per_page))
    template = "_queue_table.html" if request.headers.get("HX-Request") else "queue.html"
    return bench.render(request, template, items=items, total=total, where=where, pages=pages,
                        query=filter_query(where))


@dataclass
class DocumentView:
    """What the document page shows."""

    detail: StoredDetail
    image_kind: str | None
    page_numbers: list[int]
    highlights: dict[str, list[Box]]
    marked: list[tuple[str, str | None]]
    boxed: bool  # some value has a box on a page (OCRed pages)
    duplicates: list = field(default_factory=list)
    log: list = field(default_factory=list)


def document_view(bench: Workbench, document_id: int) -> DocumentView | None:
    detail = stored_detail(bench.engine, document_id)
    if detail is None:
        return None
    record, ingested = detail.record, detail.ingested
    kind = bench.images.kind(detail.sha256, detail.paths)
    spans = cached_spans(ingested, document_folder(bench.cache_dir, detail.sha256))
    words = WordFinder(ingested.pages)
    highlights = {name: words.boxes(found) for name, found in spans.items()}
    stamp = region_boxes(ingested.pages, "register-stamp")
    highlights.update(arrival_number=stamp, arrival_date=stamp)
    return DocumentView(detail=detail, image_kind=kind,
                        page_numbers=list(range(1, record.source.pages + 1)) if kind else [],
                        highlights={name: found for name, found in highlights.items() if found},
                        marked=marked_text(ingested.text, spans), boxed=any(highlights.values()),
                        duplicates=same_registrations(bench.engine, document_id),
                        log=corrections_of(bench.engine, document_id)[:30])


def _document_id(request: Request) -> int:
    return int(request.path_params["document_id"])


async def document_page(bench: Workbench, request: Request, error: Exception | None = None,
                        entered: dict | None = None, status: int = 200) -> Response:
    view = await run_in_threadpool(document_view, bench, _document_id(request))
    if view is None:
        return bench.refuse(request, 404, f"Không có văn bản #{_document_id(request)}.")
    where = queue_filter(request)
    return bench.render(request, "document.html", status=status, view=view,
                        record=view.detail.record, fields=FIELDS, tables=TABLES, shown=shown, directive_rows=directive_rows, error=error, entered=entered or {},
                        query=filter_query(where), saved=request.query_params.get("saved"),
                        page_width=PAGE_WIDTH, thumb_width=THUMB_WIDTH, eager=EAGER_PAGES)


async def save_document(bench: Workbench, request: Request) -> Response:
    """Apply the form: corrections and confirmations logged under the user; then the same
    page again, or the next document of the queue."""
    document_id = _document_id(request)
    form = request.state.form
    detail = await run_in_threadpool(stored_detail, bench.engine, document_id)
    if detail is None:
        return bench.refuse(request, 404, f"Không có văn bản #{document_id}.")
    try:
        asked = submitted(form, detail.record)
        await run_in_threadpool(apply_review, bench.engine, document_id, asked.values, asked.confirm,
                                request.state.user, form.get("seen"))
    except (FormError, ReviewError) as err:
        return await document_page(bench, request, error=err, entered=dict(form), status=400)
    except ReviewConflict:
        return await document_page(bench, request, status=409, error=ValueError(
            "Văn bản vừa được sửa (người khác lưu, hoặc máy đọc lại) sau khi trang này mở: chưa lưu gì. "
            "Đây là bản hiện tại; nhập lại phần cần sửa."))
    query = filter_query(queue_filter(request))
    if asked.next_document:
        return RedirectResponse(f"/documents/{document_id}/next?{query}", status_code=303)
    return RedirectResponse(f"/documents/{document_id}?{query}&saved=1".replace("?&", "?"), status_code=303)


async def neighbour(bench: Workbench, request: Request) -> Response:
    """The next (or previous) document of the queue, with the same filters."""
    document_id = _document_id(request)
    if request.path_params["direction"] not in ("next", "prev"):
        return bench.refuse(request, 404, "Không có trang này.")
    where = queue_filter(request)
    before, after = await run_in_threadpool(queue_neighbours, bench.engine, where, document_id)
    target = before if request.path_params["direction"] == "prev" else after
    query = filter_query(where)
    if target is None:
        return RedirectResponse(f"/?{query}" if query else "/", status_code=303)
    return RedirectResponse(f"/documents/{target}?{query}" if query else f"/documents/{target}", status_code=303)


def _page_image(bench: Workbench, document_id: int, number: int, width: int):
    from vanthu.store.workbench import stored_file

    found = stored_file(bench.engine, document_id)
    if found is None:
        raise NoPageImage(f"no document #{document_id}")
    sha256, paths = found
    cached = document_folder(bench.cache_dir, sha256) / f"p{number}-w{width}.jpg"
    if cached.exists():
        return cached
    detail = stored_detail(bench.engine, document_id)
    if detail is None or not 1 <= number <= detail.record.source.pages:
        raise NoPageImage(f"no page {number}")
    info = next((p for p in detail.ingested.source.per_page if p.number == number), None)
    return bench.images.image(sha256, paths, number, width, info)


async def page_image(bench: Workbench, request: Request) -> Response:
    width = int(request.path_params["width"])
    if width not in WIDTHS:
        return bench.refuse(request, 404, "Không có ảnh cỡ này.")
    try:
        path = await run_in_threadpool(_page_image, bench, _document_id(request), int(request.path_params["page"]),
                                       width)
    except (NoPageImage, StoreError) as err:
        return Response(str(err), status_code=404, media_type="text/plain; charset=utf-8")
    return FileResponse(path, media_type="image/jpeg", headers={"Cache-Control": "private, max-age=3600"})
