"""`vanthu serve`: Datasette, mounted at /datasette/ of the workbench, on a real database,
fetched over HTTP on localhost, and looked at in headless Chromium where it is installed.
(The workbench's own pages: tests/test_workbench.py.)"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import shutil
import subprocess
import sys
import signal
import sqlite3
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from conftest import ROOT, SAMPLES
from documents import generated_document, params
from inbox_helpers import descendants
from server_helpers import start_server

VANTHU = str(Path(sys.executable).with_name("vanthu"))


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read().decode("utf-8")


# Datasette's canned queries take SQLite's date('now') (UTC) as today.
TODAY = dt.datetime.now(dt.timezone.utc).date()
# A dispatch issued ten days ago whose first task is due in three days, the second at the end
# of next month: the one deadline "Hạn sắp tới" must list.
UPCOMING = dataclasses.replace(
    params(3), issued=(TODAY - dt.timedelta(days=10)).isoformat(), due=(TODAY + dt.timedelta(days=3)).isoformat(),
    due_month=((TODAY.replace(day=1) + dt.timedelta(days=62)).replace(day=1) - dt.timedelta(days=1)).isoformat())


@pytest.fixture(scope="module")
def database(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("serve")
    db = folder / "vanban.db"
    (folder / "upcoming.txt").write_text(generated_document(3, UPCOMING), encoding="utf-8")
    subprocess.run([VANTHU, "ingest", str(SAMPLES), str(folder / "upcoming.txt"), "--db", str(db), "-q"], check=True,
                   capture_output=True)
    return db


@pytest.fixture(scope="module")
def server(database):
    process, base = start_server(database)
    yield base
    process.terminate()
    process.wait(10)


def rows(base: str, path: str, **query: str) -> list[dict]:
    query["_shape"] = "array"
    return json.loads(fetch(f"{base}/datasette/vanban/{path}.json?{urllib.parse.urlencode(query)}"))


def test_home_page_has_vietnamese_labels(server):
    page = fetch(server + "/datasette/")
    assert "Văn thư — vanthu" in page
    table = fetch(server + "/datasette/vanban/deadlines")
    assert "Hạn xử lý" in table and "Đơn vị chủ trì" in table


def test_canned_queries(server):
    assert [r["Hạn"] for r in rows(server, "qua_han")] == ["2025-08-06", "2023-11-15", "2023-10-15", "2022-10-31"]
    by_unit = rows(server, "theo_don_vi", don_vi="So TTTT")
    assert [(r["Hạn"], r["Số, ký hiệu"]) for r in by_unit] == [("2022-10-31", "4685/UBND-KGVX"),
                                                              ("2023-11-15", "4868/UBND-KGVX")]
    citing = rows(server, "van_ban_trich_dan", ky_hieu="NQ/TU", so="13")
    assert [r["Số"] for r in citing] == ["4868"]
    upcoming = [(r["Hạn"], r["Số, ký hiệu"]) for r in rows(server, "han_sap_toi", so_ngay="7")]
    assert upcoming == [(UPCOMING.due, f"{UPCOMING.number}/{UPCOMING.symbol}")]  # the samples' are all past
    assert rows(server, "han_sap_toi", so_ngay="2") == []  # three days ahead is not within two


@pytest.mark.skipif(shutil.which("chromium") is None, reason="chromium is not installed")
def test_overdue_page_renders_in_a_browser(server, tmp_path):
    shot = tmp_path / "qua_han.png"
    subprocess.run(["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    f"--user-data-dir={tmp_path / 'profile'}", "--window-size=1280,900",
                    f"--screenshot={shot}", server + "/datasette/vanban/qua_han"], capture_output=True, timeout=120)
    from PIL import Image

    image = Image.open(shot).convert("L")
    assert image.size == (1280, 900)
    low, high = image.getextrema()
    assert high - low > 100  # text on a page, not a blank or an error screen


def refused(url: str) -> int:
    try:
        fetch(url)
    except urllib.error.HTTPError as err:
        return err.code
    return 200


def test_visitors_cannot_run_their_own_sql_by_default(server):
    query = urllib.parse.urlencode({"sql": "select hex(zeroblob(400000000))"})
    assert refused(f"{server}/datasette/vanban.json?{query}") == 403
    assert refused(f"{server}/datasette/vanban/documents.json?_where=1") == 403
    assert rows(server, "qua_han")  # the ready-made queries still work


def test_no_file_path_of_the_server_in_its_json(server, database):
    for page in ("/-/databases.json", "/-/versions.json", "/-/plugins.json", "/-/settings.json",
                 "/-/metadata.json", "/.json", "/vanban.json"):
        body = fetch(server + "/datasette" + page)
        assert str(database.parent) not in body and str(ROOT) not in body, page
    assert [db["name"] for db in json.loads(fetch(server + "/datasette/-/databases.json"))] == ["vanban"]


def peak_memory_mb(pid: int) -> float:
    status = dict(line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines())
    return int(status["VmHWM"].split()[0]) / 1024


def test_allowed_sql_is_capped_in_memory_and_time(database):
    process, base = start_server(database, "--allow-sql", "--time-limit-ms", "1000")
    try:
        blob = urllib.parse.urlencode({"sql": "select hex(zeroblob(400000000))"})
        assert refused(f"{base}/datasette/vanban.json?{blob}") == 400
        with pytest.raises(urllib.error.HTTPError) as error:
            fetch(f"{base}/datasette/vanban.json?{blob}")
        assert "string or blob too big" in error.value.read().decode()
        endless = urllib.parse.urlencode({"sql": "with recursive n(i) as (select 1 union all select i + 1 from n) "
                                                 "select count(*) from n"})
        with pytest.raises(urllib.error.HTTPError) as error:
            fetch(f"{base}/datasette/vanban.json?{endless}")
        assert "SQL query took too long" in error.value.read().decode()
        assert rows(base, "qua_han")  # and the server still answers
        assert peak_memory_mb(process.pid) < 500
    finally:
        process.terminate()
        process.wait(10)


def test_stopping_vanthu_serve_leaves_no_server_behind(database):
    process, base = start_server(database)
    below = descendants(process.pid)
    process.terminate()  # what systemd, a terminal's Ctrl-C or `kill` does
    assert process.wait(15) in (0, -signal.SIGTERM)
    assert [pid for pid, _ in below if Path(f"/proc/{pid}").exists()] == []
    with pytest.raises(OSError):
        fetch(base + "/datasette/-/versions.json")


def test_password_hashes_cannot_be_read_through_datasette(database, tmp_path):
    """Not even with SQL of one's own: the workbench users' password hashes read as NULL."""
    import asyncio

    from datasette.app import Datasette

    from vanthu.serve import metadata

    copy = tmp_path / "vanban.db"
    with sqlite3.connect(database) as source, sqlite3.connect(copy) as target:
        source.backup(target)
    source.close()
    target.close()
    added = subprocess.run([VANTHU, "user", "add", "lan", "--db", str(copy), "--password-stdin"], input="mật khẩu dài\n",
                           capture_output=True, text=True)
    assert added.returncode == 0, added.stderr
    datasette = Datasette([str(copy)], metadata=metadata("vanban"), settings={"default_allow_sql": True})

    async def ask(sql: str) -> list[dict]:
        await datasette.invoke_startup()
        response = await datasette.client.get(f"/vanban.json?{urllib.parse.urlencode({'sql': sql, '_shape': 'array'})}")
        return response.json()

    assert asyncio.run(ask("select name, password_hash from users")) == [{"name": "lan", "password_hash": None}]
    assert asyncio.run(ask("select count(*) as n from users where password_hash like '$argon2%'")) == [{"n": 0}]
    with sqlite3.connect(copy) as connection:  # while the hash is there
        assert connection.execute("SELECT password_hash FROM users").fetchone()[0].startswith("$argon2id$")
    connection.close()
