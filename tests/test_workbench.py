"""The archivist's workbench (`vanthu serve`), used as an archivist uses it: in a real headless
Chromium (Debian's, driven by Playwright; no browser is downloaded) against a real server on
a real database of real scans (OCRed by Tesseract) and the samples; what the pages did is then
read back with the command line. And what it must refuse: forms without a session or with a
bad CSRF token, other machines without users."""

from __future__ import annotations

import getpass
import json
import re
import sqlite3
import subprocess
import urllib.error
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path

import pytest

from conftest import SAMPLES
from server_helpers import VANTHU, free_port, start_server, stop_server
from documents import generated_document
from scans import Degradation, register_stamp, render_document, save_pdf

from vanthu.extract import EXTRACTOR_VERSION
from vanthu.normalize.record import REVIEWABLE_FIELDS, Record
from vanthu.web.forms import FIELDS, FormError, directive_rows, values_from_form

CHROMIUM = Path("/usr/bin/chromium")
# What Chromium needs on this machine (docs of the machine: no sandbox as root, no network
# of its own, a fresh profile).
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
ME = getpass.getuser()


def vanthu(*args: str, input: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([VANTHU, *args], capture_output=True, text=True, input=input, timeout=300)


def query(db: Path, sql: str, *args) -> list[tuple]:
    connection = sqlite3.connect(db)
    rows = connection.execute(sql, args).fetchall()
    connection.close()
    return rows


def exported(db: Path) -> dict[int, dict]:
    result = vanthu("export", "--db", str(db))
    assert result.returncode == 0, result.stderr
    return {record.pop("id"): record for record in map(json.loads, result.stdout.splitlines())}


STAMP = ["CÔNG VĂN ĐẾN", "Số: 2352", "Ngày: 12/4/2024"]


@pytest.fixture(scope="module")
def archive(tmp_path_factory) -> dict:
    """The samples, and two scans of one dispatch (103/SYT-VP of the Sở Y tế): the first, a
    PDF, stamped with the incoming register's "ĐẾN" stamp; the second, a greyer PNG, not."""
    folder = tmp_path_factory.mktemp("workbench")
    pages = render_document(generated_document(3))
    first = register_stamp(pages[0], STAMP, at=(354, 2700))
    save_pdf([first], folder / "first-scan.pdf")
    second = render_document(generated_document(3), how=Degradation(grey_paper=True, blur=0.6, seed=3))
    second[0].save(folder / "second-scan.png")
    db = folder / "vanban.db"
    ingest = vanthu("ingest", str(SAMPLES), str(folder / "first-scan.pdf"), "--db", str(db), "-q")
    assert ingest.returncode == 0, ingest.stderr
    again = vanthu("ingest", str(folder / "second-scan.png"), "--db", str(db))
    assert again.returncode == 0, again.stderr
    ids = {path: i for i, path in query(db, "SELECT id, path FROM documents")}
    first_id, second_id = ids[str(folder / "first-scan.pdf")], ids[str(folder / "second-scan.png")]
    # The second registration of the same document is named on the command line too.
    assert again.stderr == (f"vanthu: warning: {folder / 'second-scan.png'}: same number, symbol, issuer and year "
                            f"as #{first_id} ({folder / 'first-scan.pdf'}): registered twice?\n")
    return {"db": db, "folder": folder, "first": first_id, "second": second_id,
            "4685": query(db, "SELECT id FROM documents WHERE number = '4685'")[0][0]}


@pytest.fixture(scope="module")
def server(archive):
    process, base = start_server(archive["db"])
    yield base
    stop_server(process)


@pytest.fixture(scope="module")
def chromium():
    if not CHROMIUM.exists():
        pytest.skip("chromium is not installed (make install installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(chromium):
    """A fresh browser window (its own cookies: a new session)."""
    context = chromium.new_context(viewport={"width": 1400, "height": 1000}, locale="vi-VN")
    yield context.new_page()
    context.close()


def field(page, name: str):
    return page.locator(f'#record-form [name="{name}"]')


def test_correct_issuer_and_number_then_the_cli_and_reextraction_keep_them(archive, server, page):
    db, document_id = archive["db"], archive["4685"]
    page.goto(server + "/")
    # The queue: documents that need a person first (the two registrations of 103/SYT-VP).
    rows = page.locator("table.queue tbody tr")
    assert rows.nth(0).locator("td").nth(0).inner_text() in (str(archive["first"]), str(archive["second"]))
    assert "Có thể trùng" in rows.nth(0).inner_text()
    page.get_by_role("link", name="Công văn 4685/UBND-KGVX").click()
    page.wait_for_url(f"{server}/documents/{document_id}")
    assert field(page, "issuer").input_value() == "Ủy ban nhân dân tỉnh Quảng Ngãi"
    # A text document shows its text, each value marked where it was read.
    assert page.locator('pre.text mark[data-field="number"]').inner_text() == "4685"
    field(page, "issuer").fill("Văn phòng Ủy ban nhân dân tỉnh Quảng Ngãi")
    field(page, "number").fill("4686")
    page.locator("#save").click()
    page.wait_for_url(re.compile(r".*saved=1"))
    page.reload()
    assert field(page, "issuer").input_value() == "Văn phòng Ủy ban nhân dân tỉnh Quảng Ngãi"
    assert field(page, "number").input_value() == "4686"
    review = page.locator('.field[data-field="issuer"] .review').inner_text()
    assert review.startswith(f"✓ sửa: {ME}, ") and review.endswith("máy đọc: Ủy ban nhân dân tỉnh Quảng Ngãi")

    shown = vanthu("show", str(document_id), "--db", str(db))
    assert shown.returncode == 0, shown.stderr
    lines = shown.stdout.splitlines()
    assert re.fullmatch(rf"Công văn 4686/UBND-KGVX  \[✓ sửa: {ME}, \S+\]", lines[0])
    assert re.fullmatch(rf"  Cơ quan ban hành: Văn phòng Ủy ban nhân dân tỉnh Quảng Ngãi  \[✓ sửa: {ME}, \S+\]", lines[2])
    record = exported(db)[document_id]
    assert (record["number"], record["issuer"]) == ("4686", "Văn phòng Ủy ban nhân dân tỉnh Quảng Ngãi")
    assert {name: (r["status"], r["by"], r["extracted"]) for name, r in record["reviewed"].items()} == {
        "number": ("corrected", ME, "4685"), "issuer": ("corrected", ME, "Ủy ban nhân dân tỉnh Quảng Ngãi")}
    # The corrected values are the document's everywhere: the search and the deadlines.
    found = json.loads(vanthu("search", '"ngay chuyen doi so quoc gia nam 2022"', "--db", str(db), "--format", "json").stdout)
    assert [(hit["number"], hit["issuer"]) for hit in found] == [("4686", "Văn phòng Ủy ban nhân dân tỉnh Quảng Ngãi")]
    due = json.loads(vanthu("deadlines", "--db", str(db), "--issuer", "van phong ubnd tinh quang ngai",
                            "--format", "json").stdout)
    assert [(d["due_date"], d["number"]) for d in due] == [("2022-10-31", "4686")]
    assert query(db, "SELECT field, action, old_value, new_value, user_name FROM corrections "
                     "WHERE document_id = ? ORDER BY id", document_id) == [
        ("number", "corrected", '"4685"', '"4686"', ME),
        ("issuer", "corrected", '"Ủy ban nhân dân tỉnh Quảng Ngãi"', '"Văn phòng Ủy ban nhân dân tỉnh Quảng Ngãi"', ME)]

    # A newer extractor reads the documents again: the corrected fields stay as corrected,
    # and what it read is kept beside them.
    old = "extract-0.0"
    connection = sqlite3.connect(db)
    connection.execute("UPDATE documents SET extractor_version = replace(extractor_version, ?, ?), "
                       "record_json = json_set(record_json, '$.subject', 'cũ')", (EXTRACTOR_VERSION, old))
    connection.commit()
    connection.close()
    result = vanthu("reextract", "--db", str(db))
    assert result.returncode == 0, result.stderr
    assert f"changed   #{document_id:<5} 4686/UBND-KGVX" in result.stdout
    assert "(kept as corrected: issuer, number)" in result.stdout
    again = exported(db)[document_id]
    assert (again["number"], again["issuer"]) == ("4686", "Văn phòng Ủy ban nhân dân tỉnh Quảng Ngãi")
    assert again["subject"] == "đẩy mạnh triển khai nhiệm vụ chuyển đổi số trên địa bàn tỉnh"  # derived again
    assert again["reviewed"]["issuer"]["extracted"] == "Ủy ban nhân dân tỉnh Quảng Ngãi"
    assert EXTRACTOR_VERSION in again["extractor_version"]


def test_keyboard_confirms_a_document_and_goes_to_the_next(archive, server, page):
    db = archive["db"]
    page.goto(f"{server}/documents/{archive['first']}?status=unconfirmed")
    field(page, "doc_type").focus()
    page.keyboard.press("Enter")  # next field, not a submission
    assert page.evaluate("document.activeElement.name") == "number"
    page.keyboard.press("Control+Enter")  # confirm every field, then the next document of the queue
    page.wait_for_url(re.compile(rf"{server}/documents/{archive['second']}\?status=unconfirmed$"))
    record = exported(db)[archive["first"]]
    assert sorted(record["reviewed"]) == sorted(REVIEWABLE_FIELDS)
    assert {r["status"] for r in record["reviewed"].values()} == {"confirmed"}
    assert query(db, "SELECT review_status FROM documents WHERE id = ?", archive["first"]) == [("confirmed",)]
    shown = vanthu("show", str(archive["first"]), "--db", str(db)).stdout
    assert f"  Số đến: 2352  Ngày đến: 2024-04-12  [✓ xác nhận: {ME}," in shown
    # Confirmed, it leaves the documents that need a person.
    page.goto(server + "/?status=attention")
    assert f"/documents/{archive['first']}" not in page.content()
    page.goto(server + "/?status=confirmed")
    assert page.locator("table.queue tbody tr").count() == 1


def test_duplicate_registration_is_shown_and_linked_both_ways(archive, server, page):
    first, second = archive["first"], archive["second"]
    page.goto(f"{server}/documents/{second}")
    warning = page.locator(".duplicate")
    assert "Có thể đăng ký trùng" in warning.inner_text()
    page.locator(".duplicate a.duplicate-link").click()
    page.wait_for_url(f"{server}/documents/{first}")
    assert page.locator(".duplicate a.duplicate-link").get_attribute("href") == f"/documents/{second}"
    # The first scan's page: its image drawn from the PDF, every value boxed where OCR read
    # it, the register stamp's số đến and ngày đến in the form.
    image = page.locator("#page-1 img")
    image.evaluate("img => img.decode()")
    assert image.evaluate("img => img.naturalWidth") == 1000
    assert (field(page, "arrival_number").input_value(), field(page, "arrival_date").input_value()) == (
        "2352", "2024-04-12")
    words = json.loads(query(archive["db"], "SELECT ingest_json FROM documents WHERE id = ?", first)[0][0])["pages"][0]
    number_word = next(w for w in words["words"] if w["text"].startswith("103"))
    box = page.locator('#page-1 .hl[data-field="number"]').first.bounding_box()
    shown = page.locator("#page-1 img").bounding_box()
    scale = shown["width"] / words["width"]
    assert abs(box["x"] - shown["x"] - number_word["box"][0] * scale) < 2
    assert abs(box["y"] - shown["y"] - number_word["box"][1] * scale) < 2
    stamp = page.locator('#page-1 .hl[data-field="arrival_number"]').bounding_box()
    assert stamp["y"] - shown["y"] > 0.7 * shown["height"]  # the stamp pressed low on the page
    field(page, "number").focus()
    assert page.locator('#page-1 .hl.active[data-field="number"]').count() == 1


def test_mark_a_deadline_done_on_the_board(archive, server, page):
    db = archive["db"]

    def overdue() -> list[tuple[str, str]]:
        result = vanthu("deadlines", "--db", str(db), "--overdue", "--format", "json")
        return [(d["due_date"], d["number"]) for d in json.loads(result.stdout)]

    assert ("2023-11-15", "4868") in overdue()
    page.goto(server + "/deadlines")
    unit = page.locator("section.unit", has=page.get_by_role("heading", name=re.compile("^Sở Thông tin và Truyền thông")))
    row = unit.locator("tr", has_text="4868/UBND-KGVX")
    assert "Các sở, ban, ngành; UBND các huyện, thị xã, thành phố" in row.inner_text()  # the supporting units
    row.locator('input[name="done_on"]').fill("2023-11-14")
    row.locator('input[name="note"]').fill("Đã trình Kế hoạch 181/KH-UBND")
    row.get_by_role("button", name="Đã xong").click()
    done = page.locator("tr.done", has_text="4868/UBND-KGVX")
    done.wait_for()
    assert "Xong ngày 2023-11-14" in done.inner_text()
    assert ("2023-11-15", "4868") not in overdue()
    result = json.loads(vanthu("deadlines", "--db", str(db), "--status", "done", "--format", "json").stdout)
    assert [(d["due_date"], d["done_on"], d["done_note"], d["done_by"]) for d in result] == [
        ("2023-11-15", "2023-11-14", "Đã trình Kế hoạch 181/KH-UBND", ME)]
    # The board's calendar and spreadsheet list what it lists.
    with urllib.request.urlopen(server + "/deadlines.csv?show=done") as response:
        assert response.read().decode("utf-8-sig").splitlines()[1].startswith("2023-11-15,,day,,Sở Thông tin")


class Client:
    """An HTTP client keeping cookies, as a browser would (for requests a page cannot send)."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
        self.page = ""

    def get(self, path: str) -> str:
        with self.opener.open(self.base + path, timeout=30) as response:
            return response.read().decode("utf-8")

    def post(self, path: str, fields: dict) -> int:
        """The status of the POST, or of the page it redirects to (that page: `self.page`)."""
        request = urllib.request.Request(self.base + path, data=urllib.parse.urlencode(fields).encode())
        try:
            with self.opener.open(request, timeout=30) as response:
                self.page = response.read().decode("utf-8")
                return response.status
        except urllib.error.HTTPError as err:
            self.page = err.read().decode("utf-8")
            return err.code


def token(page_html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', page_html).group(1)


def test_forms_without_a_session_or_with_a_bad_csrf_token_change_nothing(archive, server):
    db, document_id = archive["db"], archive["second"]
    before = query(db, "SELECT record_json FROM documents WHERE id = ?", document_id)
    deadline_id = query(db, "SELECT id FROM deadlines WHERE document_id = ? ORDER BY id", document_id)[0][0]
    progress = query(db, "SELECT count(*) FROM deadline_progress")
    browser = Client(server)
    good = token(browser.get(f"/documents/{document_id}"))
    correction = {"issuer": "Sở Giả mạo", "action": "save"}
    assert browser.post(f"/documents/{document_id}", {**correction, "csrf_token": good[:-2] + "xx"}) == 403
    assert browser.post(f"/documents/{document_id}", correction) == 403  # no token
    assert browser.post(f"/deadlines/{deadline_id}/done", {"note": "giả", "csrf_token": "x" * 43}) == 403
    stranger = Client(server)  # no session at all, the real token copied from another one
    assert stranger.post(f"/documents/{document_id}", {**correction, "csrf_token": good}) == 403
    assert stranger.post(f"/deadlines/{deadline_id}/done", {"note": "giả", "csrf_token": good}) == 403
    assert query(db, "SELECT record_json FROM documents WHERE id = ?", document_id) == before
    assert query(db, "SELECT count(*) FROM corrections WHERE document_id = ?", document_id) == [(0,)]
    assert query(db, "SELECT count(*) FROM deadline_progress") == progress
    # The same form with its session's token is taken (the refusals above were the token's).
    assert browser.post(f"/documents/{document_id}", {"subject": "quyết toán ngân sách năm 2023", "action": "save",
                                                      "csrf_token": good}) == 200  # 303, then the page
    assert query(db, "SELECT subject FROM documents WHERE id = ?", document_id) == [("quyết toán ngân sách năm 2023",)]


def test_a_review_of_a_long_record_is_saved(archive, server):
    """A document with a plan attached has hundreds of items, three fields each: the form is
    taken whole (a server's default cap of 1,000 fields refused it)."""
    db, document_id = archive["db"], archive["second"]
    browser = Client(server)
    form = {"dir-count": "400", "action": "save", "csrf_token": token(browser.get(f"/documents/{document_id}"))}
    for i in range(400):
        form |= {f"dir-{i}-id": f"PL1/{i + 1}", f"dir-{i}-addressee": "", f"dir-{i}-text": f"Nhiệm vụ {i + 1}"}
    assert browser.post(f"/documents/{document_id}", form) == 200
    [(saved,)] = query(db, "SELECT record_json FROM documents WHERE id = ?", document_id)
    assert [d["id"] for d in json.loads(saved)["directives"]][-2:] == ["PL1/399", "PL1/400"]


def seen(page_html: str) -> str:
    return re.search(r'name="seen" value="([^"]+)"', page_html).group(1)


def test_a_form_opened_before_another_persons_save_overwrites_nothing(archive, server):
    db, document_id = archive["db"], archive["second"]
    first, second = Client(server), Client(server)
    first_page, second_page = first.get(f"/documents/{document_id}"), second.get(f"/documents/{document_id}")
    assert second.post(f"/documents/{document_id}", {"signer": "Lê Hoàng Cường", "place": "Quy Nhơn", "action": "save",
                                                     "csrf_token": token(second_page), "seen": seen(second_page)}) == 200
    # The first person's form still shows the old place; saving it would have put it back.
    assert first.post(f"/documents/{document_id}", {"place": "Bình Định", "subject": "khác", "action": "save",
                                                    "csrf_token": token(first_page), "seen": seen(first_page)}) == 409
    assert query(db, "SELECT place, subject FROM documents WHERE id = ?", document_id)[0][0] == "Quy Nhơn"
    assert query(db, "SELECT count(*) FROM corrections WHERE document_id = ? AND field = 'subject' "
                     "AND new_value = '\"khác\"'", document_id) == [(0,)]


def test_other_machines_need_users_and_a_login(archive, tmp_path):
    db = tmp_path / "copy.db"
    source = sqlite3.connect(archive["db"])
    with sqlite3.connect(db) as target:
        source.backup(target)
    source.close()
    target.close()
    refused = vanthu("serve", "--db", str(db), "--host", "0.0.0.0", "--port", str(free_port()))
    assert refused.returncode == 2
    assert refused.stderr == ("vanthu: error: serving on 0.0.0.0 would let other machines in, and the database has no "
                              "users: add one first (vanthu user add NAME), or serve on 127.0.0.1; not started\n")
    for name in ("lan", "minh"):
        added = vanthu("user", "add", name, "--db", str(db), "--password-stdin", input="mật khẩu dài\n")
        assert added.returncode == 0, added.stderr
    [(hashed,)] = query(db, "SELECT password_hash FROM users WHERE name = 'lan'")
    assert hashed.startswith("$argon2id$") and "mật khẩu" not in hashed
    process, base = start_server(db, host="0.0.0.0")
    try:
        person = Client(base)
        assert "Đăng nhập" in person.get("/")  # every page asks for a login first
        # A form posted without a login is refused before its body is read (a body past the
        # form's field cap would otherwise be read, and answered 400).
        assert person.post("/documents/1", {f"x-{i}": "" for i in range(40000)}) == 403
        assert "Đăng nhập" in person.get("/datasette/")  # Datasette too
        login = token(person.get("/login"))
        assert person.post("/login", {"name": "lan", "password": "sai", "csrf_token": login}) == 401
        # A guesser: after ten wrong passwords an account's logins are refused for a while,
        # the right password too; other accounts are not held up.
        assert [person.post("/login", {"name": "Minh", "password": f"đoán {n}", "csrf_token": login})
                for n in range(10)] == [401] * 10
        assert person.post("/login", {"name": "minh", "password": "mật khẩu dài", "csrf_token": login}) == 429
        assert "Đăng nhập sai quá nhiều lần: thử lại sau 15 phút." in person.page
        assert person.post("/login", {"name": "lan", "password": "mật khẩu dài", "csrf_token": login}) == 200
        document_id = archive["4685"]
        form = token(person.get(f"/documents/{document_id}"))
        assert person.post(f"/documents/{document_id}", {"place": "TP. Quảng Ngãi", "action": "save",
                                                         "csrf_token": form}) == 200
        assert query(db, "SELECT field, new_value, user_name FROM corrections WHERE document_id = ? AND field = 'place'",
                     document_id) == [("place", '"TP. Quảng Ngãi"', "lan")]
    finally:
        stop_server(process)


def test_the_form_offers_every_field_a_person_reviews():
    assert tuple(FIELDS) == REVIEWABLE_FIELDS


def sample_record(symbol: str) -> Record:
    return next(record for record in map(Record.model_validate_json, vanthu("extract", "--json", str(SAMPLES))
                                         .stdout.splitlines()) if record.symbol == symbol)


def test_the_directives_table_goes_back_into_the_same_tree():
    """Rows in document order, nested by their numbering: the form's rows of a record give
    back its tree; a row a person adds finds its section; a row without a number, or a cited
    document without its symbol, is refused with the row named."""
    record = sample_record("CT/TU")
    rows = directive_rows(record.directives)
    form = {"dir-count": str(len(rows) + 1)}
    for i, (directive, _depth) in enumerate(rows):
        form.update({f"dir-{i}-id": directive.id, f"dir-{i}-addressee": directive.addressee or "",
                     f"dir-{i}-text": directive.text})
    assert values_from_form(form, record)["directives"] == record.model_dump(mode="json")["directives"]
    form.update({"dir-18-id": "2.1.a", "dir-18-text": "Rà soát"})  # added at the end, after "5"
    assert values_from_form(form, record)["directives"][1]["items"][0]["items"] == [
        {"id": "2.1.a", "addressee": None, "text": "Rà soát", "items": []}]
    form.update({"dir-3-id": "", "dir-18-id": ""})
    with pytest.raises(FormError, match="Nội dung chỉ đạo, dòng 4: thiếu số mục"):
        values_from_form(form, record)
    cited = {"ref-count": "1", "ref-0-number": "1690", "ref-0-issuer": "Thủ tướng Chính phủ"}
    with pytest.raises(FormError, match="Văn bản dẫn chiếu, dòng 1: cần cả số và ký hiệu"):
        values_from_form(cited, record)
    assert values_from_form({**cited, "ref-0-symbol": "QĐ-TTg"}, record)["references"] == [
        {"doc_type": None, "number": "1690", "symbol": "QĐ-TTg", "issuer": "Thủ tướng Chính phủ", "issue_date": None}]
    assert values_from_form({"ref-count": "0", "dir-count": "-1"}, record) == {"references": [], "directives": []}
    # More rows than a form may hold: refused, not cut (a table cut short would lose its rows past the cut).
    with pytest.raises(FormError, match="Văn bản dẫn chiếu: 99999999999 dòng, quá 2000"):
        values_from_form({"ref-count": "99999999999"}, record)


def test_the_workbench_on_postgresql_reads_and_saves(new_database):
    """The same server on a PostgreSQL archive: the queue lists the records, a saved
    correction reaches the columns and the corrections log, a stale form gets 409. Datasette
    (SQLite files only) is not mounted."""
    db = new_database("postgresql")
    assert vanthu("ingest", str(SAMPLES), "--db", db.url, "-q").returncode == 0
    (document_id,) = db.rows("SELECT id FROM documents WHERE number = '4868'")[0]
    process, base = start_server(db.url)
    try:
        first, second = Client(base), Client(base)
        assert "4868/UBND-KGVX" in first.get("/")
        first_page, second_page = first.get(f"/documents/{document_id}"), second.get(f"/documents/{document_id}")
        assert first.post(f"/documents/{document_id}", {"place": "Quảng Ngãi", "subject": "triển khai Nghị quyết 13",
                                                        "action": "save", "csrf_token": token(first_page),
                                                        "seen": seen(first_page)}) == 200
        assert second.post(f"/documents/{document_id}", {"subject": "khác", "action": "save",
                                                         "csrf_token": token(second_page),
                                                         "seen": seen(second_page)}) == 409
        assert first.post("/datasette/", {}) == 404
    finally:
        stop_server(process)
    assert db.rows("SELECT subject FROM documents WHERE id = :id", id=document_id) == [("triển khai Nghị quyết 13",)]
    assert db.rows("SELECT field, new_value FROM corrections WHERE document_id = :id", id=document_id) == [
        ("subject", '"triển khai Nghị quyết 13"')]


def test_correct_the_cited_documents_and_the_directives(archive, server, page):
    """The tables of the form: a cited document removed and one added, a directive removed
    and one added under its section; the citation queries and the export see the person's
    tree and list, marked corrected."""
    db = archive["db"]
    [(document_id,)] = query(db, "SELECT id FROM documents WHERE symbol = 'CT/TU'")
    assert json.loads(vanthu("cites", "1118/QĐ-TTg", "--db", str(db), "--format", "json").stdout) == []
    page.goto(f"{server}/documents/{document_id}")
    assert page.locator('[name="ref-0-symbol"]').input_value() == "NQ/TW"
    page.locator('[name="ref-0-remove"]').check()
    for column, value in {"doc_type": "Quyết định", "number": "1118", "symbol": "QĐ-TTg", "issue_date": "2021-10-09",
                          "issuer": "Thủ tướng Chính phủ"}.items():
        page.locator(f'[name="ref-4-{column}"]').fill(value)
    directives = page.locator("fieldset.directives")
    directives.locator("summary").click()  # 18 items: the table starts folded
    assert page.locator('[name="dir-4-id"]').input_value() == "1.4"
    page.locator('[name="dir-4-remove"]').check()
    page.locator('[name="dir-18-id"]').fill("2.10")
    page.locator('[name="dir-18-text"]').fill("Báo cáo kết quả thực hiện về Ban Thường vụ Tỉnh ủy.")
    page.locator("#save").click()
    page.wait_for_url(re.compile(r".*saved=1"))
    assert page.locator('[name="ref-3-number"]').input_value() == "1118"
    assert "✓ sửa" in directives.locator("legend").inner_text()

    cites = json.loads(vanthu("cites", "1118/QĐ-TTg", "--db", str(db), "--format", "json").stdout)
    assert [(hit["number"], hit["symbol"]) for hit in cites] == [("19", "CT/TU")]
    assert json.loads(vanthu("cites", "52-NQ/TW", "--db", str(db), "--format", "json").stdout) == []
    record = exported(db)[document_id]
    assert [(r["number"], r["symbol"]) for r in record["references"]] == [
        ("749", "QĐ-TTg"), ("942", "QĐ-TTg"), ("271", "KH/TU"), ("1118", "QĐ-TTg")]
    tree = {d["id"]: [item["id"] for item in d["items"]] for d in record["directives"]}
    assert tree == {"1": ["1.1", "1.2", "1.3"], "2": [f"2.{n}" for n in range(1, 11)], "3": [], "4": [], "5": []}
    assert record["directives"][1]["items"][-1]["text"] == "Báo cáo kết quả thực hiện về Ban Thường vụ Tỉnh ủy."
    assert {name: r["status"] for name, r in record["reviewed"].items()} == {"references": "corrected",
                                                                           "directives": "corrected"}
    assert len(record["reviewed"]["references"]["extracted"]) == 4  # what the extractor read, kept
    assert query(db, "SELECT count(*) FROM directives WHERE document_id = ?", document_id) == [(18,)]
    shown = vanthu("show", str(document_id), "--db", str(db)).stdout.splitlines()
    at = shown.index(next(line for line in shown if line.startswith("  Nơi nhận: ")))
    assert re.fullmatch(rf"  Căn cứ: Quyết định 1118/QĐ-TTg \(2021-10-09\)  \[✓ sửa: {ME}, \S+\]", shown[at - 2])
    assert re.fullmatch(rf"  Nội dung chỉ đạo: 18 mục  \[✓ sửa: {ME}, \S+\]", shown[at - 1])
