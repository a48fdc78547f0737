"""The built wheel, installed into a fresh venv outside the source tree, works on its own.

The wheel is built once per test session (`pip wheel --no-build-isolation`: no network) and
installed with `--no-deps` into a new venv in a temporary folder; the venv reaches vanthu's
dependencies (spaCy, OpenCV, …) through a `.pth` line naming the project venv's
site-packages, which holds no vanthu of its own (the editable install's finder is only
activated by a .pth file that a plain path entry does not run). So what is tested is what
the wheel carries: the `vanthu` namespace and the model as package data.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

from conftest import ROOT, SAMPLES

S003 = "003_07071c8f3bf3abc8.txt"
S000 = "000_ee557d941187270d.txt"


@pytest.fixture(scope="session")
def installed(tmp_path_factory) -> Path:
    """bin/ of a fresh venv with only the built wheel installed."""
    root = tmp_path_factory.mktemp("wheel")
    dist = root / "dist"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
                    "-w", str(dist), str(ROOT)], check=True, capture_output=True)
    wheel = next(dist.glob("vanthu-*.whl"))
    env_dir = root / "venv"
    venv.create(env_dir, with_pip=False)
    python = env_dir / "bin" / "python"
    subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet",
                    "--no-deps", str(wheel)], check=True, capture_output=True)
    site = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                          check=True, capture_output=True, text=True).stdout.strip()
    Path(site, "dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", "utf-8")
    return env_dir / "bin"


def _run(bin_dir: Path, args: list[str], cwd: Path, stdin: str | None = None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("VANTHU_MODELS", "PYTHONPATH", "VIRTUAL_ENV")}
    return subprocess.run([str(bin_dir / "vanthu"), *args], cwd=cwd, env=env, input=stdin,
                          capture_output=True, text=True, timeout=300)


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    """A user's folder with their own store.py, extract.py and ingest.py, which must not shadow vanthu."""
    for name in ("store", "extract", "ingest", "normalize"):
        (tmp_path / f"{name}.py").write_text(f"raise ImportError('the user\\'s own {name}.py was imported')\n")
    return tmp_path


def test_installed_wheel_restores_sample_003(installed, workdir):
    result = _run(installed, ["restore", str(SAMPLES / S003)], workdir)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "TỈNH ỦY QUẢNG NGÃI ĐẢNG CỘNG SẢN VIỆT NAM"
    assert "Quảng Ngãi, ngày 18 tháng 5 năm 2022" in lines[1]


def test_installed_wheel_extracts_beside_a_users_store_py(installed, workdir, gold):
    result = _run(installed, ["extract", str(SAMPLES / S000), "--json"], workdir)
    assert result.returncode == 0, result.stderr
    record = json.loads(result.stdout)
    assert (record["number"], record["symbol"], record["issue_date"]) == (
        gold[S000]["number"], gold[S000]["symbol"], gold[S000]["issue_date"])


def test_installed_wheel_finds_its_model_in_its_own_files(installed, workdir):
    python = installed / "python"
    out = subprocess.run([str(python), "-c", "from vanthu.ingest.lm import model_path; print(model_path())"],
                         cwd=workdir, capture_output=True, text=True, check=True,
                         env={k: v for k, v in os.environ.items() if k != "VANTHU_MODELS"}).stdout.strip()
    assert Path(out).is_file()
    assert not Path(out).is_relative_to(ROOT)


def test_installed_wheel_carries_the_workbench_templates_and_scripts(installed, workdir):
    """`vanthu serve` renders from package data: the templates, htmx and the page's own script."""
    code = ("from importlib import resources; web = resources.files('vanthu.web'); "
            "print(*[web / p for p in ('templates/document.html', 'static/htmx.min.js', 'static/workbench.js', "
            "'static/workbench.css')], sep='\\n')")
    out = subprocess.run([str(installed / "python"), "-c", code], cwd=workdir, capture_output=True, text=True,
                         check=True).stdout.split()
    assert len(out) == 4 and all(Path(p).is_file() and not Path(p).is_relative_to(ROOT) for p in out)
