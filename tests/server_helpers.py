"""`vanthu serve` started for a test: on a free port, waited for, stopped."""

from __future__ import annotations

import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest

VANTHU = str(Path(sys.executable).with_name("vanthu"))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(db: Path, *options: str, host: str = "127.0.0.1") -> tuple[subprocess.Popen, str]:
    """`vanthu serve` on a free port, once it answers; (process, base URL on the loopback)."""
    port = free_port()
    log = tempfile.TemporaryFile("w+")  # not a pipe: a server that logs much would block on a full one
    process = subprocess.Popen([VANTHU, "serve", "--db", str(db), "--host", host, "--port", str(port), *options],
                               stdout=log, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(base + "/login", timeout=5) as response:  # the one page without a login
                response.read()
            return process, base
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                log.seek(0)
                pytest.fail(f"vanthu serve did not start: {log.read()}")
            time.sleep(0.05)


def stop_server(process: subprocess.Popen) -> None:
    process.terminate()  # what systemd, a terminal's Ctrl-C or `kill` does
    process.wait(15)
