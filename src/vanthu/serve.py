"""`vanthu serve`: the database in a browser through Datasette.

The metadata gives the tables and columns Vietnamese labels and adds canned queries for what
analysts ask most: upcoming deadlines, overdue ones, deadlines of a unit, documents citing a
document. Units are matched with `vanthu_key()` (from vanthu's Datasette plugin), so "So
TTTT" finds "Sở Thông tin và Truyền thông" as on the command line.

Datasette runs inside the vanthu process (its Python API under uvicorn), so stopping vanthu
stops the server. A visitor cannot run SQL of their own unless `--allow-sql` is given, every
query has a time limit, SQLite values and memory are capped (`MAX_VALUE_BYTES`,
`SQLITE_HEAP_BYTES`), the database file cannot be downloaded, and /-/databases does not say
where the database lives on the server.
"""

from __future__ import annotations

from pathlib import Path


_DEADLINE_COLUMNS = """
    dl.due_date AS "Hạn", dl.time AS "Giờ", dl.responsible AS "Đơn vị chủ trì", dl.text AS "Nhiệm vụ",
    d.doc_type AS "Loại văn bản",
    coalesce(d.number, '…') || CASE WHEN d.symbol LIKE '%/%' AND d.symbol NOT LIKE '%-%/%' THEN '-' ELSE '/' END
        || coalesce(d.symbol, '') AS "Số, ký hiệu",
    d.issue_date AS "Ngày ban hành", d.issuer AS "Cơ quan ban hành", d.id AS "document_id"
    FROM deadlines dl JOIN documents d ON d.id = dl.document_id"""

def _canned(title: str, description: str, sql: str) -> dict:
    return {"title": title, "description": description, "sql": sql, "hide_sql": True}


CANNED_QUERIES = {
    "han_sap_toi": _canned(
        "Hạn sắp tới", "Nhiệm vụ đến hạn trong số ngày tới (mặc định 7).",
        f"SELECT {_DEADLINE_COLUMNS} WHERE dl.due_date BETWEEN date('now') "
        "AND date('now', '+' || coalesce(nullif(:so_ngay, ''), '7') || ' days') ORDER BY dl.due_date, dl.time"),
    "qua_han": _canned(
        "Quá hạn", "Nhiệm vụ có hạn trước hôm nay.",
        f"SELECT {_DEADLINE_COLUMNS} WHERE dl.due_date < date('now') ORDER BY dl.due_date DESC"),
    "theo_don_vi": _canned(
        "Hạn theo đơn vị", "Nhiệm vụ của một đơn vị; gõ không dấu, viết tắt được (So TTTT, UBND huyen).",
        f"SELECT {_DEADLINE_COLUMNS} WHERE dl.responsible_key LIKE '%' || vanthu_key(:don_vi) || '%' "
        "ORDER BY dl.due_date"),
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
    tables["deadlines"]["sort"] = "due_date"
    return {
        "title": "Văn thư — vanthu",
        "description": "Văn bản đến, hạn xử lý, đơn vị chủ trì và văn bản trích dẫn.",
        "databases": {database_name: {"tables": tables, "queries": CANNED_QUERIES}},
        "plugins": {"vanthu": {"max_value_bytes": MAX_VALUE_BYTES, "heap_limit_bytes": SQLITE_HEAP_BYTES,
                               "hide_paths": True}},
    }


def sqlite_path(url: str) -> Path | None:
    """The file of an SQLite URL, None for other databases."""
    from vanthu.store import sqlite_file

    return sqlite_file(url)


def serve(path: Path, host: str, port: int, allow_sql: bool = False,
          time_limit_ms: int = DEFAULT_TIME_LIMIT_MS) -> int:
    """Serve `path` with Datasette in this process (uvicorn), until stopped (Ctrl-C, SIGTERM):
    stopping vanthu stops the server, nothing is left behind. Arbitrary SQL is off unless
    `allow_sql`; canned queries and table pages always work, each query within `time_limit_ms`."""
    import asyncio

    import uvicorn
    from datasette.app import Datasette

    settings = {"sql_time_limit_ms": time_limit_ms, "facet_time_limit_ms": min(200, time_limit_ms),
                "default_allow_sql": allow_sql, "allow_download": False}
    datasette = Datasette([str(path)], metadata=metadata(path.stem), settings=settings)
    asyncio.run(datasette.invoke_startup())
    uvicorn.run(datasette.app(), host=host, port=port, log_level="warning", lifespan="on", workers=1)
    return 0
