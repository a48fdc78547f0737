"""Regression tests on excerpts of real scans, read by real Tesseract: one per failure class
seen on real dispatches (stamps read as text, handwritten numbers read as confident digits,
a margin mark taken for the issuer).

The excerpts in tests/data/real/ are the top of page 1 of three scans of
../shared/realdocs (see tests/data/real/README.md); the expected values are what the page
shows, checked against that set's gold records.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from vanthu.ingest.models import OcrOptions
from vanthu.pipeline import Processed, process_file

REAL = Path(__file__).parent / "data" / "real"


@cache
def read(name: str) -> Processed:
    """One excerpt through every stage (no OCR cache: the test reads the image itself)."""
    return process_file(REAL / name, OcrOptions(jobs=1, cache_dir=None))


def region_kinds(processed: Processed) -> list[str]:
    return sorted(region.kind for page in processed.document.pages for region in page.regions
                  if region.kind != "noise")


def test_register_stamp_and_e_signature_are_labelled_regions_not_body_text():
    """Công văn 9703/VPCP-CN (Văn phòng Chính phủ), as published: the government portal's
    e-signature block printed at the top, and the blue "ĐẾN" register stamp (số 5, ngày
    10/10/2025) over the recipients."""
    processed = read("vpcp_cv_9703_top.pdf")
    record, text = processed.record, processed.document.text
    assert {"register-stamp", "signature-stamp"} <= set(region_kinds(processed))
    for stamp_text in ("Người ký", "thongtinchinhphu", "Thời gian ký", "ĐẾN", "+07:00"):
        assert stamp_text not in text
    assert [s.model_dump() for s in record.digital_signatures] == [{
        "signer": "CỔNG THÔNG TIN ĐIỆN TỬ CHÍNH PHỦ", "organization": "VĂN PHÒNG CHÍNH PHỦ",
        "email": "thongtinchinhphu@chinhphu.vn", "time": "2025-10-10T14:12:22+07:00"}]
    assert (record.issuer, record.number, record.symbol, record.issue_date, record.place) == (
        "Văn phòng Chính phủ", "9703", "VPCP-CN", "2025-10-09", "Hà Nội")
    assert record.subject == ("thành lập Hội đồng tư vấn lựa chọn hình thức đầu tư và lựa chọn nhà đầu tư "
                              "thực hiện Dự án đường sắt tốc độ cao trên trục Bắc - Nam")


def test_handwritten_number_and_day_are_null_with_a_warning():
    """Chỉ thị 04/CT-UBND (Quảng Ngãi, 15/3/2024): "04" and "15" written by hand in the
    blanks; OCR reads them "04+" and "15:". They must not become values."""
    record = read("qn_ct_04_top.jpg").record
    assert record.number is None and record.issue_date is None
    assert any(w.startswith("number: handwritten or not clearly printed") for w in record.warnings)
    assert any(w.startswith("date of issue: the day is handwritten or not clearly printed") for w in record.warnings)
    assert (record.doc_type, record.symbol, record.issuer, record.place) == (
        "Chỉ thị", "CT-UBND", "Ủy ban nhân dân tỉnh Quảng Ngãi", "Quảng Ngãi")


def test_a_margin_mark_and_a_register_stamp_beside_the_number_stay_out_of_the_header():
    """Quyết định 707/QĐ-TTg: "TTĐT" written in the top margin, a boxed "ĐẾN" stamp under
    the number, the number and day handwritten."""
    processed = read("ttg_qd_707_top.jpg")
    record, text = processed.record, processed.document.text
    assert "register-stamp" in region_kinds(processed)
    assert "CHÍNH PHỦ ]" not in text and "THÔNG TIN ĐIỆN" not in text and "ĐẾN" not in text
    assert (record.doc_type, record.issuer, record.parent_issuer, record.symbol, record.place) == (
        "Quyết định", "Thủ tướng Chính phủ", None, "QĐ-TTg", "Hà Nội")
    assert record.number is None and record.issue_date is None
    assert any(w.startswith("number: handwritten or not clearly printed") for w in record.warnings)


@pytest.mark.parametrize("first, second, kept", [
    # A syllable the language model knows, beside its neighbours, beats a worse second reading.
    (("Quảng", 91.0), ("Quàng", 88.0), "Quảng"),
    # A sure number is not replaced by an unsure second reading.
    (("4868", 96.0), ("4888", 71.0), "4868"),
    # A worse first reading gives way to a sure second one.
    (("Qưảng", 52.0), ("Quảng", 93.0), "Quảng"),
])
def test_a_second_reading_worse_than_the_first_keeps_the_first(first, second, kept):
    from vanthu.ingest.lm import default_model
    from vanthu.ingest.reread import Second, choose
    from vanthu.ingest.tesseract import Word

    model = default_model()
    words = [Word(text, 0, 0, 10, 10, conf, (1, 1, 1)) for text, conf in
             (("UBND", 95.0), ("tỉnh", 95.0), first, ("Ngãi", 95.0))]
    chosen = choose(words, 2, Second(*second), model.known, model.sequence_logprob)
    assert chosen.text == kept


def test_numbers_read_two_ways_without_a_sure_one_keep_the_doubt():
    from vanthu.ingest.lm import default_model
    from vanthu.ingest.reread import Second, choose
    from vanthu.ingest.tesseract import Word

    model = default_model()
    words = [Word("Số:", 0, 0, 10, 10, 95.0, (1, 1, 1)), Word("4685", 0, 0, 10, 10, 62.0, (1, 1, 1))]
    chosen = choose(words, 1, Second("4885", 60.0), model.known, model.sequence_logprob)
    assert (chosen.text, chosen.conf) == ("4685", 60.0)  # the lower confidence: extraction abstains
