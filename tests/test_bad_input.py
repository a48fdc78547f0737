"""Bad input never crashes a batch: one line per bad file, exit 1, good files processed,
source files untouched."""

from __future__ import annotations

import hashlib
import json
import shutil

from vanthu.cli import main

from conftest import SAMPLES

GOOD = "001_3c09d191f023b9d0.txt"


def error_lines(result) -> list[str]:
    return [line for line in result.stderr.splitlines() if line.startswith("vanthu: error:")]


def test_missing_file(runner, tmp_path):
    missing = tmp_path / "nope.txt"
    result = runner.invoke(main, ["extract", str(missing), "--json"])
    assert result.exit_code == 1
    assert result.stderr == f"vanthu: error: {missing}: no such file\n"


def test_empty_file(runner, write):
    path = write("empty.txt", b"")
    result = runner.invoke(main, ["extract", str(path)])
    assert result.exit_code == 1
    assert result.stderr == f"vanthu: error: {path}: empty file (0 bytes)\n"


def test_whitespace_only_file(runner, write):
    path = write("blank.txt", "\n  \n\t\n")
    result = runner.invoke(main, ["extract", str(path)])
    assert result.exit_code == 1
    assert result.stderr == f"vanthu: error: {path}: file contains no text\n"


def test_binary_file(runner, write):
    path = write("blob.txt", bytes(range(256)) * 4)
    result = runner.invoke(main, ["extract", str(path)])
    assert result.exit_code == 1
    assert error_lines(result) == [f"vanthu: error: {path}: unsupported file type: binary data, not text, Word, PDF, PNG, JPEG or TIFF"]


def test_non_utf8_text_names_the_byte_and_the_fix(runner, write):
    legacy = b"V\xe2n b\xe3n s\xf4\xec 12/UBND-VP\n"  # "Văn bản số" in Windows-1258
    path = write("cp1258.txt", legacy)
    result = runner.invoke(main, ["extract", str(path)])
    assert result.exit_code == 1
    [line] = error_lines(result)
    assert line.startswith(f"vanthu: error: {path}: not UTF-8 text (byte 0x")
    assert "iconv" in line


def test_utf16_with_bom_is_read(runner, write):
    text = (SAMPLES / GOOD).read_text("utf-8")
    path = write("utf16.txt", text.encode("utf-16"))
    result = runner.invoke(main, ["extract", str(path), "--json"])
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["number"] == "4685"


def test_pdf_named_txt_is_judged_by_content(runner, write):
    path = write("scan.txt", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n")
    result = runner.invoke(main, ["extract", str(path)])
    assert result.exit_code == 1
    assert error_lines(result) == [f"vanthu: error: {path}: damaged PDF (Unexpected EOF)"]


def test_folder_with_one_bad_file_among_good_ones(runner, tmp_path):
    folder = tmp_path / "inbox"
    folder.mkdir()
    for name in ("000_ee557d941187270d.txt", GOOD):
        shutil.copy(SAMPLES / name, folder / name)
    (folder / "broken.txt").write_bytes(b"\xff\xfe\x00")  # BOM then half a UTF-16 unit
    (folder / "zero.md").write_bytes(b"")
    before = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.iterdir()}

    result = runner.invoke(main, ["ingest", str(folder), "--db", str(tmp_path / "v.db")])

    assert result.exit_code == 1
    bad = error_lines(result)
    assert len(bad) == 2
    assert any(str(folder / "broken.txt") in line for line in bad)
    assert any(str(folder / "zero.md") in line for line in bad)
    assert result.stdout.strip().splitlines()[-1] == f"4 files: 2 stored, 0 unchanged, 2 failed ({tmp_path / 'v.db'})"
    after = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.iterdir()}
    assert after == before  # sources never modified


def test_database_in_missing_folder_cannot_start(runner, tmp_path):
    db = tmp_path / "no" / "such" / "v.db"
    result = runner.invoke(main, ["ingest", str(SAMPLES / GOOD), "--db", str(db)])
    assert result.exit_code == 2
    assert result.stderr.startswith("vanthu: error: cannot open database")
