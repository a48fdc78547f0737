"""`vanthu serve`: Datasette on a real database, fetched over HTTP on localhost, and looked
at in headless Chromium where it is installed."""

from __future__ import annotations

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

VANTHU = str(Path(sys.executable).with_name("vanthu"))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read().decode("utf-8")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    db = tmp_path_factory.mktemp("serve") / "vanban.db"
    subprocess.run([VANTHU, "ingest", str(SAMPLES), "--db", str(db), "-q"], check=True, capture_output=True)
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
    assert rows(server, "han_sap_toi", so_ngay="7") == []  # the samples' deadlines are all past


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
