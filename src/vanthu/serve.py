"""`vanthu serve`: the archivist's workbench (`vanthu.web`), with the database in Datasette
mounted under /datasette/.

The metadata gives the tables and columns Vietnamese labels and adds canned queries for what
analysts ask most: upcoming deadlines, overdue ones, deadlines of a unit, documents citing a
document. Units are matched with `vanthu_key()` (from vanthu's Datasette plugin), so "So
TTTT" finds "Sở Thông tin và Truyền thông" as on the command line.

Both run inside the vanthu process (one ASGI application under uvicorn), so stopping vanthu
stops the server. A visitor cannot run SQL of their own unless `--allow-sql` is given, every
query has a time limit, SQLite values and memory are capped (`MAX_VALUE_BYTES`,
`SQLITE_HEAP_BYTES`), the database file cannot be downloaded, and /-/databases does not say
where the database lives on the server.
"""

from __future__ import annotations

from pathlib import Path


# Deadlines not marked done on the workbench's board, with their supporting units.
_DEADLINE_COLUMNS = """
    dl.due_date AS "Hạn", dl.time AS "Giờ", dl.responsible AS "Đơn vị chủ trì",
    (SELECT group_concat(u.name, '; ') FROM deadline_units u WHERE u.deadline_id = dl.id AND u.role = 'supporting')
        AS "Đơn vị phối hợp",
    dl.text AS "Nhiệm vụ", d.doc_type AS "Loại văn bản",
    coalesce(d.number, '…') || CASE WHEN d.symbol LIKE '%/%' AND d.symbol NOT LIKE '%-%/%' THEN '-' ELSE '/' END
        || coalesce(d.symbol, '') AS "Số, ký hiệu",
    d.issue_date AS "Ngày ban hành", d.issuer AS "Cơ quan ban hành", d.id AS "document_id"
    FROM deadlines dl JOIN documents d ON d.id = dl.document_id
    LEFT JOIN deadline_progress p ON p.document_id = dl.document_id AND p.due_date = dl.due_date AND p.task = dl.text"""
_OPEN = "p.id IS NULL"

def _canned(title: str, description: str, sql: str) -> dict:
    return {"title": title, "description": description, "sql": sql, "hide_sql": True}


CANNED_QUERIES = {
    "han_sap_toi": _canned(
        "Hạn sắp tới", "Nhiệm vụ đến hạn trong số ngày tới (mặc định 7).",
        f"SELECT {_DEADLINE_COLUMNS} WHERE {_OPEN} AND dl.due_date BETWEEN date('now') "
        "AND date('now', '+' || coalesce(nullif(:so_ngay, ''), '7') || ' days') ORDER BY dl.due_date, dl.time"),
    "qua_han": _canned(
        "Quá hạn", "Nhiệm vụ có hạn trước hôm nay.",
        f"SELECT {_DEADLINE_COLUMNS} WHERE {_OPEN} AND dl.due_date < date('now') ORDER BY dl.due_date DESC"),
    "theo_don_vi": _canned(
        "Hạn theo đơn vị", "Nhiệm vụ của một đơn vị, chủ trì hoặc phối hợp; gõ không dấu, viết tắt được "
        "(So TTTT, UBND huyen).",
        f"SELECT {_DEADLINE_COLUMNS} WHERE {_OPEN} AND dl.id IN (SELECT deadline_id FROM deadline_units "
        "WHERE name_key LIKE '%' || vanthu_key(:don_vi) || '%') ORDER BY dl.due_date"),
    "van_ban_trich_dan": _canned(
        "Văn bản trích dẫn", "Văn bản trong kho trích dẫn một văn bản (số và ký hiệu, ví dụ 13 và NQ/TU).",
        """SELECT d.id AS "document_id", d.doc_type AS "Loại văn bản", d.number AS "Số",
    d.symbol AS "Ký hiệu", d.issue_date AS "Ngày ban hành", d.issuer AS "Cơ quan ban hành",
    d.subject AS "Trích yếu", c.doc_type || ' ' || c.number || ' ' || c.symbol AS "Trích dẫn"
    FROM citations c JOIN documents d ON d.id = c.document_id
    WHERE c.symbol_key = vanthu_symbol_key(:ky_hieu) AND (:so = '' OR c.number = :so)
    ORDER BY d.issue_date"""),
}

TABLES = {
    "documents": ("Văn bản", {
        "doc_type": "Loại văn bản", "number": "Số", "symbol": "Ký hiệu", "issue_date": "Ngày ban hành",
        "place": "Địa danh", "issuer": "Cơ quan ban hành", "parent_issuer": "Cơ quan chủ quản",
        "subject": "Trích yếu", "signer": "Người ký", "signer_title": "Chức vụ người ký", "pages": "Số trang",
        "method": "Cách đọc (text, pdf-text, ocr, restored)", "text": "Toàn văn",
        "record_json": "Bản ghi (JSON)", "extractor_version": "Phiên bản trích xuất"}),
    "deadlines": ("Hạn xử lý", {
        "due_date": "Hạn", "time": "Giờ", "kind": "Loại hạn (ngày, tháng, quý)", "text": "Nhiệm vụ",
        "responsible": "Đơn vị chủ trì", "expression": "Cách ghi hạn", "directive_id": "Mục"}),
    "deadline_units": ("Đơn vị của hạn xử lý", {"role": "Vai trò (lead: chủ trì, supporting: phối hợp)",
                                               "name": "Đơn vị"}),
    "deadline_progress": ("Tiến độ (hạn đã xong)", {"due_date": "Hạn", "task": "Nhiệm vụ", "done_on": "Ngày xong",
                                                    "note": "Ghi chú", "done_by": "Người đánh dấu"}),
    "corrections": ("Nhật ký sửa", {"field": "Trường", "action": "Sửa hay xác nhận", "old_value": "Giá trị cũ",
                                    "new_value": "Giá trị mới", "user_name": "Người", "made_at": "Lúc"}),
    "citations": ("Văn bản được trích dẫn", {
        "doc_type": "Loại văn bản", "number": "Số", "symbol": "Ký hiệu", "issue_date": "Ngày ban hành",
        "issuer": "Cơ quan ban hành"}),
    "directives": ("Mục chỉ đạo", {"directive_id": "Mục", "addressee": "Đơn vị thực hiện", "text": "Nội dung"}),
    "parties": ("Nơi gửi, nơi nhận", {"role": "Vai trò (recipient: kính gửi, cc: nơi nhận)", "name": "Đơn vị"}),
    "organizations": ("Cơ quan, đơn vị", {"name": "Tên đầy đủ", "key": "Khóa so khớp"}),
    "organization_mentions": ("Cơ quan trong văn bản", {"role": "Vai trò", "printed": "Ghi trong văn bản",
                                                       "position": "Chức vụ"}),
    "files": ("Tệp", {"path": "Đường dẫn", "moved_to": "Đã chuyển tới"}),
    "runs": ("Lần chạy hộp thư", {"files_new": "Mới", "files_duplicate": "Trùng", "files_failed": "Lỗi"}),
    "failures": ("Tệp lỗi", {"reason": "Lý do", "path": "Đường dẫn"}),
}


# What an anonymous visitor may cost the server. Each SQLite value (a string or blob a query
# makes, e.g. hex(zeroblob(4e8))) is capped, and so is SQLite's memory in the whole process:
# a query past either fails with an error instead of taking the machine. A document's text
# (at most --max-text-mb of text, a few MB of OCR) fits well under the value cap.
MAX_VALUE_BYTES = 64 * 1024 * 1024
SQLITE_HEAP_BYTES = 512 * 1024 * 1024
DEFAULT_TIME_LIMIT_MS = 3000


def metadata(database_name: str) -> dict:
    """Datasette metadata for a vanthu database named `database_name` (its file stem), with
    the settings vanthu's plugin applies (value and heap caps; no file paths in /-/databases)."""
    tables = {
        name: {"title": title, "columns": columns, **({"label_column": "subject"} if name == "documents" else {})}
        for name, (title, columns) in TABLES.items()
    }
    tables["documents"]["sort_desc"] = "issue_date"
    tables["users"] = {"hidden": True}
    tables["deadlines"]["sort"] = "due_date"
    return {
        "title": "Văn thư — vanthu",
        "description": "Văn bản đến, hạn xử lý, đơn vị chủ trì và văn bản trích dẫn.",
        "databases": {database_name: {"tables": tables, "queries": CANNED_QUERIES}},
        "plugins": {"vanthu": {"max_value_bytes": MAX_VALUE_BYTES, "heap_limit_bytes": SQLITE_HEAP_BYTES,
                               "hide_paths": True, "unreadable_columns": ["users.password_hash"]}},
    }


def sqlite_path(url: str) -> Path | None:
    """The file of an SQLite URL, None for other databases."""
    from vanthu.store import sqlite_file

    return sqlite_file(url)


# Names the loopback goes by; anything else is reachable from other machines.
LOOPBACK_NAMES = ("localhost", "127.0.0.1", "::1")


def is_loopback(host: str) -> bool:
    """Whether `host` is only reachable from this machine."""
    import ipaddress

    if host.strip("[]") in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:  # a name: it may resolve to anything
        return False


class Refused(Exception):
    """The server would not be safe to start as asked; the message says what to do."""


def datasette_app(path: Path, allow_sql: bool, time_limit_ms: int):
    """Datasette over the SQLite file `path`, to be mounted at /datasette/ (its ASGI app)."""
    import asyncio

    from datasette.app import Datasette

    settings = {"sql_time_limit_ms": time_limit_ms, "facet_time_limit_ms": min(200, time_limit_ms),
                "default_allow_sql": allow_sql, "allow_download": False, "base_url": "/datasette/"}
    datasette = Datasette([str(path)], metadata=metadata(path.stem), settings=settings)
    asyncio.run(datasette.invoke_startup())
    return datasette.app()


def serve(target: str, host: str, port: int, allow_sql: bool = False, time_limit_ms: int = DEFAULT_TIME_LIMIT_MS,
          secret_key: str | None = None, cache_dir: Path | None = None) -> int:
    """Serve the workbench of database `target` (path or URL) until stopped (Ctrl-C,
    SIGTERM). Only the loopback may be served without users; with users, every page needs a
    login. Raises Refused when that does not hold."""
    import getpass
    import secrets

    import uvicorn

    from vanthu.ingest.models import default_cache_dir
    from vanthu.store import database_url, has_users, open_engine

    from .web.app import create_app
    from .web.context import Workbench
    from .web.security import Access

    engine = open_engine(target)
    login = has_users(engine)
    if not login and not is_loopback(host):
        raise Refused(f"serving on {host} would let other machines in, and the database has no users: add one first "
                      "(vanthu user add NAME), or serve on 127.0.0.1")
    path = sqlite_path(database_url(target))
    mounted = datasette_app(path, allow_sql, time_limit_ms) if path is not None else None
    bench = Workbench(engine=engine, access=Access(login=login, local_user=getpass.getuser()),
                      cache_dir=cache_dir or default_cache_dir(), datasette=mounted is not None)
    allowed = [*LOOPBACK_NAMES, "[::1]", host] if is_loopback(host) else None
    app = create_app(bench, secret_key or secrets.token_urlsafe(32), allowed, mounted)
    uvicorn.run(app, host=host, port=port, log_level="warning", lifespan="off", workers=1)
    return 0
