"""Scanned and PDF input with real Tesseract, on pages rendered from the samples.

OCR is slow, so renders are made once per session and each is OCRed once (`ocr_text`);
heavier measurements (all samples, timings, plain Tesseract for comparison) are in
`make bench`.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import cv2
import numpy as np
import pytest

from vanthu.ingest import OcrOptions, read_document
from vanthu.ingest.layout import words_to_text
from vanthu.ingest.ocr import tidy_words
from vanthu.ingest.preprocess import component_boxes, components, skew_angle, to_grey
from vanthu.ingest.tesseract import Word
from vanthu.ingest.triage import judge_text_layer
from vanthu.cli import main

from conftest import SAMPLES
from scans import (DEGRADED, Degradation, cer, layout_from_text, reference_text, render_document,
                   save_pdf, save_tiff)

S000 = "000_ee557d941187270d.txt"
S001 = "001_3c09d191f023b9d0.txt"
S002 = "002_4c264a809eab9d5c.txt"
S004 = "004_89a0b78238afcc72.txt"
HEADER = ("doc_type", "number", "symbol", "issue_date", "place", "issuer", "parent_issuer",
          "recipients")


def sample(name: str) -> str:
    return (SAMPLES / name).read_text("utf-8")


def reference(name: str) -> str:
    return reference_text(layout_from_text(sample(name)))


@pytest.fixture(scope="session")
def renders(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("renders")


@pytest.fixture(scope="session")
def options(tmp_path_factory) -> OcrOptions:
    return OcrOptions(jobs=2, cache_dir=tmp_path_factory.mktemp("cache"))


def render_pdf(folder: Path, name: str, how: Degradation = Degradation(), tag: str = "clean") -> Path:
    path = folder / f"{Path(name).stem}-{tag}.pdf"
    if not path.exists():
        save_pdf(render_document(sample(name), 300, how), path)
    return path


# --- reading order, without images --------------------------------------------------------

def w(text: str, left: int, top: int, line: int, width: int | None = None) -> Word:
    return Word(text, left, top, width or 18 * len(text), 50, 95.0, (1, 1, line))


def _header(second: tuple[str, str], subject_lines: list[tuple[str, str]],
            number: tuple[str, ...] = ("Số:", "12/UBND")) -> list[Word]:
    """A two-column header as Tesseract reads it (both columns on the same lines): the
    issuer's two lines, the motto, the number row and place, the V/v subject, a body."""
    words = [w("UBND", 100, 100, 1), w("TỈNH", 200, 100, 1), w("CỘNG", 1100, 100, 1), w("HÒA", 1200, 100, 1),
             w(second[0], 100, 170, 2), w(second[1], 190, 170, 2), w("Độc", 1100, 170, 2), w("lập", 1180, 170, 2)]
    words += [w(text, 100 + 70 * i, 240, 3) for i, text in enumerate(number)]
    words += [w("Quảng", 1100, 240, 3), w("Ngãi,", 1220, 240, 3)]
    line, top = 4, 310
    for first, rest in [("V/v", "việc"), *subject_lines]:
        words += [w(first, 100, top, line), w(rest, 170, top, line)]
        line, top = line + 1, top + 70
    top += 120
    return words + [w("Thực", 100, top, line, 60), w("hiện", 180, top, line, 1900),
                    w("chỉ", 100, top + 70, line + 1, 60), w("đạo", 180, top + 70, line + 1, 1900)]


@pytest.mark.parametrize("second, subject_lines, number", [
    (("TỈNH", "QN"), [], ("Số:", "12/UBND")),
    # Folded, "SỞ" (a department under the issuer's parent) and a subject line's "số tỉnh …"
    # are "so" like the form's "Số:": only the number row opens cells 3 and 4 of the header,
    # so the place and date come after the whole subject, not inside it.
    (("SỞ", "KHOA"), [("số", "tỉnh")], ("Số:", "12/UBND")),
    # The number row as OCR may read it: its colon set apart, its S read small.
    (("TỈNH", "QN"), [], ("Số", ":", "12/UBND")),
    (("TỈNH", "QN"), [], ("số:", "12/UBND")),
])
def test_two_column_header_is_read_column_by_column(second, subject_lines, number):
    # The form's cells are read issuer, motto, then number (and V/v subject), then place and date.
    subject = "".join(f"\n{a} {b}" for a, b in subject_lines)
    assert words_to_text(_header(second, subject_lines, number)) == (
        f"UBND TỈNH\n{second[0]} {second[1]}\n\nCỘNG HÒA\nĐộc lập\n\n{' '.join(number)}\nV/v việc{subject}\n\n"
        "Quảng Ngãi,\n\nThực hiện\nchỉ đạo\n"
    )


def test_a_rule_glued_to_a_word_is_not_part_of_it():
    # The rule under the issuer touches its last line: Tesseract reads "_UBND" (render 004).
    words = [w("_UBND", 100, 100, 1), w("TỈNH_", 200, 100, 1), w("van_thu@qn.gov.vn", 300, 100, 1)]
    assert [x.text for x in tidy_words(words)] == ["UBND", "TỈNH", "van_thu@qn.gov.vn"]


def test_the_w_of_a_symbol_read_vw_is_w():
    words = [w("KH/BCĐTVW", 100, 100, 1), w("CV/VPTVW", 400, 100, 1), w("VWeb", 700, 100, 1)]
    assert [x.text for x in tidy_words(words)] == ["KH/BCĐTW", "CV/VPTW", "VWeb"]


def test_short_body_lines_stay_in_page_order():
    words = [w("Một", 100, 100, 1, 2000), w("ủy.", 100, 170, 2), w("2.", 100, 240, 3), w("Sở", 160, 240, 3),
             w("Hai", 100, 310, 4, 2000)]
    assert words_to_text(words) == "Một\nủy.\n2. Sở\nHai\n"


# --- text-layer triage --------------------------------------------------------------------

@pytest.mark.parametrize("name, verdict", [
    ("000_ee557d941187270d.txt", "usable"), (S001, "usable"), (S002, "usable"),
    ("004_89a0b78238afcc72.txt", "usable"), ("003_07071c8f3bf3abc8.txt", "garbled"),
])
def test_triage_of_real_text(name, verdict):
    assert judge_text_layer(sample(name)) == verdict


def test_triage_of_mojibake_unaccented_and_empty():
    assert judge_text_layer(sample(S001).encode("utf-8").decode("latin-1")) == "garbled"
    assert judge_text_layer("Uy ban nhan dan tinh Quang Ngai de nghi cac so nganh thuc hien " * 3) == "garbled"
    assert judge_text_layer("  12 \n") == "absent"


# --- preprocessing ------------------------------------------------------------------------

def test_skew_is_measured_and_red_seal_dropped():
    page = render_document(sample(S002), 150, Degradation(skew=1.5, seal=True))[0]
    grey = to_grey(page)
    assert skew_angle(grey) == pytest.approx(-1.5, abs=0.2)
    seal_red = np.asarray(page)[..., 0].astype(int) - np.asarray(page)[..., 1].astype(int) > 100
    assert seal_red.sum() > 1000  # the seal is there in colour ...
    assert np.mean(grey[seal_red] > 180) > 0.98  # ... and gone in what Tesseract sees


def test_component_boxes_are_the_labelled_components_boxes():
    """The boxes found without a label image are those of cv2's labelling, a figure lying
    in another's hole (a word inside a seal's ring) and one touching the edge included."""
    image = np.zeros((300, 400), np.uint8)
    cv2.circle(image, (150, 150), 100, 1, thickness=6)  # a ring ...
    image[140:160, 120:180] = 1  # ... with a word inside it
    image[0:30, 370:400] = 1  # at the edge
    image[200, 300], image[201, 301] = 1, 1  # two pixels touching at a corner: one component
    count, _labels, stats = components(image)
    labelled = sorted(tuple(int(v) for v in row[:4]) for row in stats[1:count])
    assert sorted(component_boxes(image)) == labelled
    assert labelled == [(47, 47, 207, 207), (120, 140, 60, 20), (300, 200, 2, 2), (370, 0, 30, 30)]


# --- real OCR -----------------------------------------------------------------------------

def test_clean_scan_cer_and_cache(renders, options):
    pdf = render_pdf(renders, S002)
    first = read_document(pdf, options)
    assert cer(first.text, reference(S002)) <= 0.005
    assert first.source.method == "ocr" and first.source.pages == 1
    [page] = first.source.per_page
    assert page.method == "ocr" and page.text_layer == "absent" and not page.cached
    assert page.confidence > 85 and first.warnings == []
    again = read_document(pdf, options)
    assert again.text == first.text and again.source.per_page[0].cached


def test_degraded_scan_cer(renders, options):
    pdf = render_pdf(renders, S002, DEGRADED, "degraded")
    result = read_document(pdf, options)
    assert cer(result.text, reference(S002)) <= 0.015
    assert result.source.per_page[0].skew == pytest.approx(-1.5, abs=0.3)


@pytest.mark.parametrize("name, tag, bar", [
    (S000, "clean", 0.005), (S004, "degraded", 0.015),  # 004 clean is read as its degraded render: make bench
])
def test_header_with_long_subject_or_department_line_is_read_in_order(renders, options, name, tag, bar):
    # 000: a subject line opening with "số" (digital) under "Số: 4868"; 004: the issuer's
    # department "SỞ KHOA HỌC VÀ CÔNG NGHỆ" under its parent. Neither is the form's number
    # row: the place and date come after the subject, the department with its issuer.
    pdf = render_pdf(renders, name, DEGRADED if tag == "degraded" else Degradation(), tag)
    assert cer(read_document(pdf, options).text, reference(name)) <= bar


@pytest.mark.parametrize("turn", [90, 180])
def test_rotated_page_is_turned_upright(renders, options, turn):
    how = Degradation(**{**DEGRADED.__dict__, "rotate": turn})
    pdf = render_pdf(renders, S002, how, f"rot{turn}")
    result = read_document(pdf, options)
    assert result.source.per_page[0].rotation == turn
    assert cer(result.text, reference(S002)) <= 0.015


@pytest.mark.parametrize("tag", ["clean", "degraded"])
def test_extract_scanned_pdf_gives_the_header_fields_of_the_text(renders, runner, gold, tag):
    pdf = render_pdf(renders, S001, DEGRADED if tag == "degraded" else Degradation(), tag)
    result = runner.invoke(main, ["extract", str(pdf), "--json", "--jobs", "2"])
    assert result.exit_code == 0, result.stderr
    record = json.loads(result.stdout)
    expected = gold[S001]
    assert {f: record[f] for f in HEADER} == {f: expected.get(f) for f in HEADER}
    # The subject and the signer sit in the two-column bands.
    assert record["subject"] == expected["subject"]
    assert record["signer"] == expected["signer"]
    assert record["signer_title"].replace(" / ", " ") == expected["signer_title"]  # gold joins lines with a space
    assert record["source"]["pages"] == 2 and record["source"]["method"] == "ocr"


def test_multipage_tiff_and_jpeg(renders, options, tmp_path):
    pages = render_document(sample(S002), 200, Degradation())
    tiff = save_tiff(pages + pages, tmp_path / "copier.tif", 200)
    result = read_document(tiff, options)
    assert result.source.pages == 2
    assert cer(result.text, reference(S002) + "\n" + reference(S002)) <= 0.01
    jpeg = tmp_path / "photo.pdf"  # a JPEG with the wrong extension: judged by content
    pages[0].convert("RGB").save(jpeg, "JPEG", quality=85, dpi=(200, 200))
    assert cer(read_document(jpeg, options).text, reference(S002)) <= 0.01


def test_born_digital_pdf_uses_its_text_layer(tmp_path, options):
    """A PDF with a good text layer is not OCRed; its two-column header reads in column order."""
    fpdf = pytest.importorskip("fpdf")
    pdf = fpdf.FPDF(unit="pt", format="A4")
    pdf.add_page()
    pdf.add_font("serif", fname="/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf")
    pdf.set_font("serif", size=10)
    body = "Thực hiện chỉ đạo của Ủy ban nhân dân tỉnh về chuyển đổi số, đề nghị các sở triển khai."
    for x, y, text in [(70, 60, "ỦY BAN NHÂN DÂN"), (300, 60, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
                       (70, 75, "TỈNH QUẢNG NGÃI"), (330, 75, "Độc lập - Tự do - Hạnh phúc"),
                       (60, 120, body)]:
        pdf.text(x, y, text)
    path = tmp_path / "digital.pdf"
    pdf.output(str(path))
    result = read_document(path, options)
    assert result.source.method == "pdf-text"
    assert result.source.per_page[0].text_layer == "usable"
    assert result.text == ("ỦY BAN NHÂN DÂN\nTỈNH QUẢNG NGÃI\n\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
                           "Độc lập - Tự do - Hạnh phúc\n\n" + body + "\n")


# --- bad input ----------------------------------------------------------------------------

def _bomb_png() -> bytes:
    """A 60000 x 60000 PNG header with almost no data: decodes to 3.6 billion pixels."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 60000, 60000, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00" * 100)) + chunk(b"IEND", b"")


def _encrypted_pdf(path: Path) -> Path:
    pikepdf = pytest.importorskip("pikepdf")
    pdf = pikepdf.new()
    pdf.add_blank_page()
    pdf.save(path, encryption=pikepdf.Encryption(user="secret", owner="owner"))
    return path


def _empty_pdf(path: Path) -> Path:
    pikepdf = pytest.importorskip("pikepdf")
    pikepdf.new().save(path)
    return path


def test_bad_scans_in_a_batch(renders, runner, tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    good = inbox / "good.pdf"
    good.write_bytes(render_pdf(renders, S002).read_bytes())
    (inbox / "corrupt.pdf").write_bytes(b"%PDF-1.7\n1 0 obj <</Type /Catalog>> garbage")
    _encrypted_pdf(inbox / "locked.pdf")
    _empty_pdf(inbox / "nopages.pdf")
    (inbox / "zero.pdf").write_bytes(b"")
    (inbox / "bomb.png").write_bytes(_bomb_png())
    (inbox / "anim.jpg").write_bytes(b"GIF89a" + b"\x00" * 64)
    (inbox / "truncated.png").write_bytes(_bomb_png()[:30])
    before = {p.name: p.read_bytes() for p in inbox.iterdir()}

    result = runner.invoke(main, ["ingest", str(inbox), "--db", str(tmp_path / "v.db"), "--no-cache"])

    assert result.exit_code == 1
    errors = sorted(line for line in result.stderr.splitlines() if line.startswith("vanthu: error:"))
    expected = {
        "anim.jpg": "unsupported file type: GIF image",
        "bomb.png": "image too large",
        "corrupt.pdf": "damaged PDF",
        "locked.pdf": "encrypted PDF (needs a password)",
        "nopages.pdf": "PDF has no pages",
        "truncated.png": "unreadable image",
        "zero.pdf": "empty file (0 bytes)",
    }
    assert len(errors) == len(expected)
    for line, (name, reason) in zip(errors, sorted(expected.items())):
        assert line.startswith(f"vanthu: error: {inbox / name}: {reason}"), line
    assert result.stdout.splitlines()[-1].startswith("8 files: 1 stored, 0 unchanged, 7 failed")
    assert {p.name: p.read_bytes() for p in inbox.iterdir()} == before


def test_missing_tesseract_names_the_package(renders, tmp_path):
    pdf = render_pdf(renders, S002)
    tools = tmp_path / "bin"  # pdftotext but no tesseract
    tools.mkdir()
    (tools / "pdftotext").symlink_to(shutil.which("pdftotext"))
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}:{tools}"}
    vanthu = Path(sys.executable).parent / "vanthu"
    result = subprocess.run([str(vanthu), "text", str(pdf), "--no-cache"],
                            capture_output=True, text=True, env=env, timeout=60)
    assert result.returncode == 2
    assert result.stderr.startswith("vanthu: error: tesseract is not installed; install it with: "
                                    "sudo apt-get install tesseract-ocr tesseract-ocr-vie")


def test_text_input_is_never_ocred(runner):
    result = runner.invoke(main, ["extract", str(SAMPLES / S002), "--json"])
    assert json.loads(result.stdout)["source"]["per_page"] == [
        {"number": 1, "method": "text", "text_layer": None, "confidence": None, "rotation": 0,
         "skew": 0.0, "cached": False}]


def test_garbled_text_input_is_flagged(runner):
    result = runner.invoke(main, ["extract", str(SAMPLES / "003_07071c8f3bf3abc8.txt"), "--json"])
    assert json.loads(result.stdout)["warnings"][0].startswith("text has few Vietnamese diacritics")


def test_cache_entries_are_atomic_and_damage_is_a_miss(tmp_path):
    from vanthu.ingest.cache import OcrCache
    from vanthu.ingest.ocr import PageText

    cache = OcrCache(tmp_path)
    page = PageText(text="Số: 12/UBND\n", confidence=91.5, rotation=180, skew=-1.2)
    cache.put_pages("ab" * 32, [page])
    assert cache.get_pages("ab" * 32) == [page]
    [entry] = (tmp_path / "ocr").rglob("*.json")
    assert not list((tmp_path / "ocr").rglob("*.tmp"))
    entry.write_text('[{"text": "half a wri', "utf-8")  # a run killed mid-write, or a bad disk
    assert cache.get_pages("ab" * 32) is None
    assert OcrCache(None).get_pages("ab" * 32) is None  # --no-cache


def test_no_cache_flag_writes_nothing(renders, tmp_path):
    pdf = render_pdf(renders, S002)
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "xdg")}
    vanthu = Path(sys.executable).parent / "vanthu"
    result = subprocess.run([str(vanthu), "text", str(pdf), "--no-cache", "--jobs", "1"],
                            capture_output=True, text=True, env=env, timeout=300)
    assert result.returncode == 0, result.stderr
    assert cer(result.stdout, reference(S002)) <= 0.005
    assert not (tmp_path / "xdg").exists()


def test_crops_read_in_one_tesseract_run_read_as_alone():
    """`recognize_pages` sends crops as the pages of one TIFF (odd widths, one blank): each
    crop's words are its printed line, exactly as `recognize` reads that crop alone."""
    from PIL import Image, ImageDraw

    from scans import _font
    from vanthu.ingest.tesseract import recognize, recognize_pages

    lines = ["Kính gửi: Ủy ban nhân dân tỉnh", "Số: 1234/QĐ-UBND", "ngày 15 tháng 3 năm 2025"]
    crops = []
    for n, line in enumerate(lines):
        image = Image.new("L", (1201 + 2 * n, 91 + n), 255)
        ImageDraw.Draw(image).text((20, 15), line, font=_font(False, False, 50), fill=0)
        crops.append(np.array(image))
    crops.insert(1, np.full((45, 77), 255, np.uint8))  # a blank crop: its page stays its own
    together = recognize_pages(crops, "vie", 7)
    read = [" ".join(w.text for w in words) for words in together]
    assert [read[0], read[2], read[3]] == lines
    assert together == [recognize(crop, "vie", 7) for crop in crops]


def test_a_page_where_nothing_is_read_is_not_asked_which_way_up(tmp_path):
    """OSD judges a page's way up from its text: a blank back with a seal's faint bleed (as
    page 2 of a real Quảng Ngãi decision) reads as nothing and costs no OSD run; the page of
    print before it is read as usual. Tesseract is a wrapper on PATH that logs its arguments."""
    from PIL import Image, ImageDraw

    log, folder = tmp_path / "calls.log", tmp_path / "bin"
    folder.mkdir()
    wrapper = folder / "tesseract"
    wrapper.write_text(f'#!/bin/sh\necho "$*" >> {log}\nexec {shutil.which("tesseract")} "$@"\n')
    wrapper.chmod(0o755)
    blank = Image.new("RGB", (2480, 3508), "white")
    ImageDraw.Draw(blank).ellipse((900, 2500, 1300, 2900), outline=(235, 60, 70), width=12)  # a red seal
    pages = [render_document(sample(S002), 300, Degradation())[0].convert("RGB"), blank]
    scan = tmp_path / "two-pages.pdf"
    pages[0].save(scan, save_all=True, append_images=pages[1:], resolution=300)
    env = {**os.environ, "PATH": f"{folder}:{os.environ['PATH']}"}
    result = subprocess.run([str(Path(sys.executable).parent / "vanthu"), "text", str(scan), "--no-cache"],
                            capture_output=True, text=True, env=env, timeout=300)
    assert result.returncode == 0, result.stderr
    assert cer(result.stdout.strip(), reference(S002)) <= 0.01
    calls = log.read_text().splitlines()
    assert sum("--psm 3" in call for call in calls) == 2  # each page read once
    assert not [call for call in calls if "--psm 0" in call]
