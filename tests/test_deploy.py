"""The crontab line and the systemd unit in docs/deploy run as written."""

from __future__ import annotations

import configparser
import json
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT
from documents import generated_document

DEPLOY = ROOT / "docs" / "deploy"
VANTHU = str(Path(sys.executable).with_name("vanthu"))


def crontab_command() -> str:
    line = next(l for l in (DEPLOY / "vanthu-inbox.crontab").read_text().splitlines()
                if l.strip() and not l.startswith("#"))
    return line.split(None, 5)[5]


def service_command() -> str:
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    parser.optionxform = str
    parser.read_string((DEPLOY / "vanthu-inbox.service").read_text())
    return parser["Service"]["ExecStart"]


def test_timer_and_service_name_each_other():
    timer = (DEPLOY / "vanthu-inbox.timer").read_text()
    assert "OnCalendar=" in timer and "WantedBy=timers.target" in timer
    assert "Type=oneshot" in (DEPLOY / "vanthu-inbox.service").read_text()


@pytest.mark.parametrize("command", [crontab_command(), service_command()], ids=["crontab", "systemd"])
def test_deployed_command_runs(tmp_path, command):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "cv.txt").write_text(generated_document(1), encoding="utf-8")
    words = shlex.split(command)
    assert words[0] == "/opt/vanthu/.venv/bin/vanthu"
    words = [VANTHU] + [w.replace("/srv/vanthu", str(tmp_path)) for w in words[1:]]
    result = subprocess.run(words + ["--settle", "0"], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"vanthu inbox {inbox}: 1 new,") and len(result.stdout.splitlines()) == 1
    stats = subprocess.run([VANTHU, "stats", "--db", str(tmp_path / "archive.db"), "--json"],
                           capture_output=True, text=True, check=True)
    assert json.loads(stats.stdout)["documents"] == 1


def test_the_unit_counts_a_crashed_run_as_a_failure():
    """1 (some files failed) is the run going well; 4 (the run stopped part-way) must not be,
    nor Python's own status for an uncaught exception (1 would have been)."""
    from vanthu.exceptions import ExitCode

    parser = configparser.ConfigParser(interpolation=None, strict=False)
    parser.optionxform = str
    parser.read_string((DEPLOY / "vanthu-inbox.service").read_text())
    successes = {int(code) for code in parser["Service"]["SuccessExitStatus"].split()} | {0}
    assert successes == {ExitCode.OK, ExitCode.FILES_FAILED}
    assert {ExitCode.CANNOT_START, ExitCode.BUSY, ExitCode.CRASHED}.isdisjoint(successes)
