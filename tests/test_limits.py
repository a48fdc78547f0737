"""Resource bombs made in the test (issue 14, rows 8 and 9): a huge-page PDF, image bombs, a
PDF of 2,000 pages, a slow scan, a huge text, a page that needs more memory than a worker
may have, and a search with tens of thousands of matches. Each ends as that file's failure
(or its record) with the run going on, and no process of the run uses more memory than
its cap. Times are never asserted: a generous timeout only stops a run that would hang."""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path

import pikepdf
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from vanthu.store.text_search import densest

from documents import generated_document
from inbox_helpers import documents_in, inbox_run, sha, vanthu

sys.path.insert(0, str(Path(__file__).parent))
from scans import layout_from_text, render_pages, save_tiff  # noqa: E402

MB = 1_000_000


def one_page_pdf(path: Path, width: float, height: float, text: bytes, size: int) -> None:
    """A PDF of one page `width` x `height` points with `text` in Helvetica at `size` points."""
    pdf = pikepdf.new()
    font = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1,
                                                BaseFont=pikepdf.Name.Helvetica))
    content = b"BT /F1 %d Tf %d %d Td (%s) Tj ET" % (size, width // 20, height // 2, text)
    page = pikepdf.Dictionary(Type=pikepdf.Name.Page, MediaBox=[0, 0, width, height],
                              Resources=pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font)),
                              Contents=pdf.make_stream(content))
    pdf.pages.append(pikepdf.Page(page))
    pdf.save(path)


def good_file(inbox: Path, index: int = 1) -> str:
    """A document after the bomb (named to come last): it must still be stored."""
    data = generated_document(index).encode("utf-8")
    (inbox / f"zz-after-{index}.txt").write_bytes(data)
    return sha(data)


def reason_of(result, name: str) -> str:
    [line] = [line for line in result.errors() if f"/{name}: " in line]
    return line.split(f"/{name}: ", 1)[1]


def test_row8_a_568_byte_pdf_with_a_200_inch_page_stays_under_the_pixel_and_memory_caps(tmp_path):
    inbox, db = tmp_path / "inbox", tmp_path / "v.db"
    inbox.mkdir()
    one_page_pdf(inbox / "huge.pdf", 14400, 14400, b"CONG VAN 12", 1200)
    assert (inbox / "huge.pdf").stat().st_size < 1000
    after = good_file(inbox)

    result = inbox_run(inbox, db, "--max-pixels", "20000000", "--max-memory-mb", "1500", "--no-cache", timeout=600)

    assert result.returncode in (0, 1), result.stderr
    assert after in documents_in(db)
    assert (inbox / "done" / "huge.pdf").exists() or (inbox / "failed" / "huge.pdf.error.txt").exists()
    if result.returncode:  # drawn at 22 DPI, then never enlarged: little may be readable
        assert "memory" not in reason_of(result, "huge.pdf") and "died" not in reason_of(result, "huge.pdf")
    assert result.peak_mb < 1500


def test_row8_an_image_that_states_120_dpi_is_not_enlarged_past_the_pixel_cap(tmp_path):
    inbox, db = tmp_path / "inbox", tmp_path / "v.db"
    inbox.mkdir()
    page = render_pages(layout_from_text(generated_document(2)), dpi=120)[0][0]
    canvas = Image.new("L", (4000, 4000), 255)  # 33 x 33 inches at 120 DPI: 100 Mpx at 300 DPI
    canvas.paste(page, (0, 0))
    canvas.save(inbox / "wide.png", dpi=(120, 120))
    after = good_file(inbox)

    result = inbox_run(inbox, db, "--max-pixels", "16000000", "--max-memory-mb", "1200", "--no-cache", timeout=600)

    assert after in documents_in(db)
    if result.returncode:
        reason = reason_of(result, "wide.png")
        assert "memory" not in reason and "died" not in reason
    assert result.peak_mb < 1200


def test_row8_an_image_with_more_pixels_than_allowed_is_refused_unread(tmp_path):
    inbox, db = tmp_path / "inbox", tmp_path / "v.db"
    inbox.mkdir()
    Image.new("1", (9000, 9000), 1).save(inbox / "bomb.png")  # 81 Mpx in a few kilobytes
    assert (inbox / "bomb.png").stat().st_size < 100_000
    after = good_file(inbox)

    result = inbox_run(inbox, db)

    assert result.returncode == 1
    assert reason_of(result, "bomb.png") == ("image too large: 9000x9000 pixels, more than 80,000,000 (possible "
                                             "decompression bomb; the limit: --max-pixels)")
    assert after in documents_in(db) and (inbox / "failed" / "bomb.png").exists()
    assert result.peak_mb < 500


def test_row8_a_pdf_of_2000_pages_is_refused_before_any_page_is_read(tmp_path):
    inbox, db = tmp_path / "inbox", tmp_path / "v.db"
    inbox.mkdir()
    pdf = pikepdf.new()
    for number in range(2000):
        pdf.add_blank_page(page_size=(595, 842))
        pdf.pages[-1].Contents = pdf.make_stream(b"0 0 0 rg %d %d 40 40 re f" % (number % 500, number // 4))
    pdf.save(inbox / "thick.pdf")
    assert (inbox / "thick.pdf").stat().st_size < 1_000_000
    after = good_file(inbox)

    result = inbox_run(inbox, db, timeout=300)

    assert result.returncode == 1
    assert reason_of(result, "thick.pdf") == ("too many pages: 2000 (the limit per file is 500: --max-pages) "
                                              "(split the file, or raise the limit)")
    assert after in documents_in(db)


def test_row8_a_file_that_takes_longer_than_its_time_fails_as_too_long(tmp_path):
    inbox, db = tmp_path / "inbox", tmp_path / "v.db"
    inbox.mkdir()
    # Pages enough that their OCR surely outlasts the limit (three took 2.0 s on a quiet
    # machine); the run stops reading at the limit, so more pages cost no more time.
    pages = [page for index in range(2, 8) for page in render_pages(layout_from_text(generated_document(index)))[0]]
    save_tiff(pages, inbox / "slow.tif")
    after = good_file(inbox)

    result = inbox_run(inbox, db, "--max-seconds", "2", "--no-cache", timeout=300)

    assert result.returncode == 1
    assert reason_of(result, "slow.tif") == "too long: not read within 2 s (the limit per file: --max-seconds)"
    assert after in documents_in(db) and (inbox / "failed" / "slow.tif").exists()


def test_row8_a_text_file_larger_than_allowed_is_refused_unread(tmp_path):
    inbox, db = tmp_path / "inbox", tmp_path / "v.db"
    inbox.mkdir()
    rng = random.Random(14)
    words = ["chuyển", "đổi", "số", "văn", "bản", "xyzzy", "qwq", "17/2023", "Sở", "huyện"]
    with (inbox / "dump.txt").open("w", encoding="utf-8") as handle:
        while handle.tell() < 12 * MB:
            handle.write(" ".join(rng.choices(words, k=2000)) + "\n")
    after = good_file(inbox)

    result = inbox_run(inbox, db, timeout=300)

    assert result.returncode == 1
    assert reason_of(result, "dump.txt").startswith("text file too large: 12.0 MB (the limit is 10 MB: --max-text-mb)")
    assert after in documents_in(db) and (inbox / "failed" / "dump.txt").exists()
    assert result.peak_mb < 500  # refused by its size, never read


def test_row8_a_page_needing_more_memory_than_a_worker_may_use_fails_alone(tmp_path):
    inbox, db = tmp_path / "inbox", tmp_path / "v.db"
    inbox.mkdir()
    page = render_pages(layout_from_text(generated_document(4)), dpi=300)[0][0].convert("RGB")
    big = Image.new("RGB", (8000, 8000), "white")  # 64 Mpx: under the pixel cap, over 1 GB to clean
    big.paste(page, (0, 0))
    big.save(inbox / "big.png", dpi=(300, 300))
    del big
    after = good_file(inbox)

    result = inbox_run(inbox, db, "--max-memory-mb", "1000", "--max-pixels", "70000000", "--no-cache", timeout=600)

    assert result.returncode == 1
    reason = reason_of(result, "big.png")
    assert "out of memory" in reason or "the worker reading this file died" in reason, reason
    assert after in documents_in(db) and (inbox / "failed" / "big.png").exists()
    assert result.peak_mb < 1000


def test_row9_search_snippets_with_40000_matches(tmp_path):
    db = tmp_path / "v.db"
    document = generated_document(1)
    body = "Về chuyển đổi số và thực hiện chuyển đổi số.\n" * 20_000
    (tmp_path / "many.txt").write_text(document.replace("Đề nghị các đơn vị", body + "Đề nghị các đơn vị"),
                                       encoding="utf-8")
    assert vanthu(["ingest", str(tmp_path / "many.txt"), "--db", str(db), "-q"]).returncode == 0

    for query, word in (('"chuyen doi so"', "chuyển đổi số"), ("c*", "c")):
        result = vanthu(["search", query, "--db", str(db), "--format", "json"], timeout=60)
        assert result.returncode == 0, result.stderr
        [hit] = json.loads(result.stdout)
        words = [hit["snippet"][start:end] for start, end in hit["highlights"]]
        assert words and all(w.lower().startswith(word.lower()) for w in words), words
        assert len(hit["snippet"]) <= 220 + 2 * 40 + 2  # a window, whatever the document's size


@settings(max_examples=300, deadline=None)
@given(st.lists(st.integers(0, 3000), min_size=1, max_size=300).map(sorted), st.integers(1, 400))
def test_row9_the_one_pass_window_is_the_one_the_quadratic_search_found(starts, width):
    """The snippet's window: the first match opening the window with the most match starts,
    as the former quadratic search defined it."""
    fullest = max(range(len(starts)), key=lambda i: sum(1 for s in starts[i:] if s < starts[i] + width))
    assert densest(starts, width) == fullest
