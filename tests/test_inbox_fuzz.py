"""A few hundred damaged PDFs, PNGs, JPEGs and TIFFs through one `vanthu inbox` run: no
crash, every file stored or quarantined with a note, nothing left behind, one line per
failed file. The files are made by a seeded mutator (flipped bytes, cuts, insertions,
duplicated and zeroed runs) from small valid documents, so every run throws the same ones."""

from __future__ import annotations

import io
import json
import random
import sqlite3

from fpdf import FPDF
from PIL import Image, ImageDraw, ImageFont

from inbox_helpers import documents_in, inbox_run, run_statuses, sha

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"
LINES = ["SỞ NỘI VỤ", "Số: 101/SNV-VP", "V/v rà soát thủ tục hành chính", "Kính gửi: Sở Xây dựng"]
PER_KIND = 75
SEED = 1414


def small_page() -> Image.Image:
    """A few lines of a dispatch, small enough that OCR of a mutant is quick; portrait, so
    that it is read without first asking Tesseract which way up it is."""
    image = Image.new("L", (480, 520), 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(FONT, 26)
    for row, line in enumerate(LINES):
        draw.text((20, 40 + 60 * row), line, font=font, fill=0)
    return image


def seeds() -> dict[str, bytes]:
    page = small_page()
    made = {}
    for kind, options in (("png", {}), ("jpg", {"quality": 85}), ("tif", {"compression": "tiff_lzw"})):
        buffer = io.BytesIO()
        page.save(buffer, {"jpg": "JPEG", "tif": "TIFF", "png": "PNG"}[kind], dpi=(300, 300), **options)
        made[kind] = buffer.getvalue()
    pdf = FPDF(format=(110, 130))  # portrait, small: a page that needs OCR is read quickly
    pdf.add_font("serif", fname=FONT)
    pdf.set_font("serif", size=12)
    pdf.add_page()
    for line in LINES:
        pdf.cell(0, 8, line, new_x="LMARGIN", new_y="NEXT")
    made["pdf"] = bytes(pdf.output())
    return made


def mutate(data: bytes, rng: random.Random) -> bytes:
    """One to three damages of the kinds a disk, a network or a bad tool does."""
    out = bytearray(data)
    for _ in range(rng.randint(1, 3)):
        how = rng.choice(["flip", "flip", "cut", "insert", "duplicate", "zero", "header"])
        at = rng.randrange(len(out))
        if how == "flip":
            for _ in range(rng.randint(1, 8)):
                out[rng.randrange(len(out))] ^= 1 << rng.randrange(8)
        elif how == "cut":
            del out[max(16, at):]
        elif how == "insert":
            out[at:at] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 64)))
        elif how == "duplicate":
            size = rng.randint(1, 512)
            out[at:at] = out[at:at + size]
        elif how == "zero":
            size = rng.randint(1, 256)
            out[at:at + size] = bytes(len(out[at:at + size]))
        else:  # the header, where the dimensions and offsets are
            spot = rng.randrange(4, min(256, len(out)))
            out[spot] = rng.randrange(256)
    return bytes(out)


def test_hundreds_of_damaged_scans_and_pdfs_in_one_run(tmp_path):
    inbox, db = tmp_path / "inbox", tmp_path / "v.db"
    inbox.mkdir()
    rng = random.Random(SEED)
    names = []
    for kind, data in seeds().items():
        for index in range(PER_KIND):
            name = f"{kind}-{index:03d}.{kind}"
            (inbox / name).write_bytes(mutate(data, rng))
            names.append(name)

    result = inbox_run(inbox, db, "--jobs", "2", "--no-cache", "--max-seconds", "60", "--json", timeout=1200)

    assert result.returncode in (0, 1), result.stderr[-3000:]
    # One line per failed file, and per copy of a dispatch already stored (the mutated files
    # that still read are the same dispatch, registered again); never a traceback.
    assert all(line.startswith(("vanthu: error: ", "vanthu: warning: ")) for line in result.stderr.splitlines()), \
        result.stderr[-3000:]
    assert all(len(line) < 2000 for line in result.stderr.splitlines())
    summary = json.loads(result.stdout)
    assert summary["new"] + summary["duplicate"] + summary["failed"] == len(names), summary
    assert (summary["waiting"], summary["gone"]) == (0, 0)
    assert len(result.errors()) == summary["failed"]
    done, failed = inbox / "done", inbox / "failed"
    for name in names:  # each file filed once: stored in done/, or in failed/ with its note
        assert [(done / name).is_file(), (failed / name).is_file()].count(True) == 1, name
        if (failed / name).is_file():
            assert "reason: " in (failed / f"{name}.error.txt").read_text("utf-8")
    assert not [p for p in inbox.iterdir() if p.name not in ("done", "failed")]
    stored = set(documents_in(db))
    assert len(stored) == summary["new"] and {sha(p.read_bytes()) for p in done.iterdir()} == stored
    assert run_statuses(db) == ["failed files" if summary["failed"] else "ok"]
    failed_contents = {sha(p.read_bytes()) for p in failed.iterdir() if not p.name.endswith(".error.txt")}
    with sqlite3.connect(db) as connection:
        assert {row[0] for row in connection.execute("SELECT sha256 FROM failures")} == failed_contents
