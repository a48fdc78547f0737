"""`vanthu serve`: the database in a browser through Datasette.

The metadata gives the tables and columns Vietnamese labels and adds canned queries for what
analysts ask most: upcoming deadlines, overdue ones, deadlines of a unit, documents citing a
document. Units are matched with `vanthu_key()` (from vanthu's Datasette plugin), so "So
TTTT" finds "Sở Thông tin và Truyền thông" as on the command line.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
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


def metadata(database_name: str) -> dict:
    """Datasette metadata for a vanthu database named `database_name` (its file stem)."""
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
    }


def sqlite_path(url: str) -> Path | None:
    """The file of an SQLite URL, None for other databases."""
    if not url.startswith("sqlite:///"):
        return None
    return Path(url.removeprefix("sqlite:///").split("?", 1)[0].removeprefix("file:"))


def serve(path: Path, host: str, port: int) -> int:
    """Run Datasette on `path` until it is stopped; returns its exit status."""
    with tempfile.TemporaryDirectory(prefix="vanthu-serve-") as folder:
        meta = Path(folder) / "metadata.json"
        meta.write_text(json.dumps(metadata(path.stem), ensure_ascii=False, indent=2), encoding="utf-8")
        command = [sys.executable, "-m", "datasette", "serve", str(path), "--metadata", str(meta),
                   "--host", host, "--port", str(port), "--setting", "sql_time_limit_ms", "5000"]
        try:
            return subprocess.call(command)
        except KeyboardInterrupt:
            return 0
