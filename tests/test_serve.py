"""`vanthu serve`: Datasette on a real database, fetched over HTTP on localhost, and looked
at in headless Chromium where it is installed."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import shutil
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from conftest import SAMPLES
from documents import generated_document, params

VANTHU = str(Path(sys.executable).with_name("vanthu"))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


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
def server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("serve")
    db = folder / "vanban.db"
    (folder / "upcoming.txt").write_text(generated_document(3, UPCOMING), encoding="utf-8")
    subprocess.run([VANTHU, "ingest", str(SAMPLES), str(folder / "upcoming.txt"), "--db", str(db), "-q"], check=True,
                   capture_output=True)
    port = free_port()
    process = subprocess.Popen([VANTHU, "serve", "--db", str(db), "--port", str(port)],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            fetch(base + "/-/versions.json")
            break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                pytest.fail(f"datasette did not start: {process.stdout.read()}")
            time.sleep(0.3)
    yield base
    process.terminate()
    process.wait(10)


def rows(base: str, path: str, **query: str) -> list[dict]:
    query["_shape"] = "array"
    return json.loads(fetch(f"{base}/vanban/{path}.json?{urllib.parse.urlencode(query)}"))


def test_home_page_has_vietnamese_labels(server):
    page = fetch(server + "/")
    assert "Văn thư — vanthu" in page
    table = fetch(server + "/vanban/deadlines")
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
                    f"--screenshot={shot}", server + "/vanban/qua_han"], capture_output=True, timeout=120)
    from PIL import Image

    image = Image.open(shot).convert("L")
    assert image.size == (1280, 900)
    low, high = image.getextrema()
    assert high - low > 100  # text on a page, not a blank or an error screen
