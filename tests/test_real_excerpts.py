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
    # Tesseract reads the label under the stamp "nh gửi:": its first letters lost.
    assert record.recipients == ["Bộ trưởng Bộ Tài chính", "Bộ trưởng Bộ Xây dựng",
                                 "Bộ trưởng Bộ Khoa học và Công nghệ"]


def test_handwritten_number_and_day_are_null_with_a_warning():
    """Chỉ thị 04/CT-UBND (Quảng Ngãi, 15/3/2024): "04" and "15" written by hand in the
    blanks; OCR reads them "04+" and "15:". They must not become values."""
    record = read("qn_ct_04_top.jpg").record
    assert record.number is None and record.issue_date is None
    assert any(w.startswith("number: handwritten or not clearly printed") for w in record.warnings)
    assert any(w.startswith("date of issue: the day is handwritten or not clearly printed") for w in record.warnings)
    assert (record.doc_type, record.symbol, record.issuer, record.place) == (
        "Chỉ thị", "CT-UBND", "Ủy ban nhân dân tỉnh Quảng Ngãi", "Quảng Ngãi")


def test_a_number_written_in_pen_is_null_even_when_ocr_reads_it_surely():
    """Thông báo 1121/TB-DCT (HUIT, 2023): "1121" written in blue ballpoint into the blank,
    read by OCR as "4141" glued to the printed "/TB-DCT", at a confidence print also gets.
    The blue ink says it was written by hand: null with a warning, not a wrong number."""
    processed = read("huit_tb_1121_top.jpg")
    record = processed.record
    assert "4141/TB-DCT" in processed.document.text  # what OCR made of it
    assert any(w.coloured for page in processed.document.pages for w in page.words if "4141" in w.text)
    assert record.number is None and record.symbol == "TB-DCT"
    assert any(w.startswith("number: handwritten or not clearly printed") for w in record.warnings)
    assert not any(w.coloured for page in processed.document.pages for w in page.words if "THÔNG" in w.text)


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


def test_two_close_title_lines_tesseract_read_as_one_are_read_again():
    """Quyết định 2280/QĐ-UBND (Hà Nội, 2026), the bottom of page 1: Tesseract reads the
    signature block's "KT. CHỦ TỊCH" and "PHÓ CHỦ TỊCH" as one line a hundred pixels tall
    and prints only the second; the tall line is read again as a block."""
    text = read("hanoi_qd_2280_closing.jpg").document.text
    block = text[text.index("TM."):]
    assert block.splitlines()[1:3] == ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"]
    assert text.count("CHỦ TỊCH") == 2 and "Trương Việt Dũng" in block


# The closing of Quyết định 2280/QĐ-UBND (Hà Nội, 2026) as vanthu's OCR reads the whole page:
# "Nơi nhận:" comes out as "“... Thành", the first item's bullet is lost, and items wrap onto
# lines that start with a capital after a ";" (printed: "- VP UBTP: CVP, các PCVP, / Các
# phòng: NNMT, TH, ĐT, KGVX, KT; / Trung tâm TT, DL vs CNS TP;").
HANOI_2280_CLOSING = """\
ỦY BAN NHÂN DÂN
THÀNH PHỐ HÀ NỘI

QUYẾT ĐỊNH
Phê duyệt Kế hoạch Bảo đảm thoát nước, chống úng ngập

Căn cứ Luật Tổ chức chính quyền địa phương ngày 16/6/2025;

Điều 3. Chánh Văn phòng Ủy ban nhân dân Thành phố; Giám đốc, Thủ
trưởng các Sở, ban, ngành Thành phố, Chủ tịch Ủy ban nhân dân các xã, phường và
các đơn vị, cá nhân có liên quan chịu trách nhiệm thi hành Quyết định này./.

“... Thành
Đc Bí thư
Thành ủy;
- Thường trực Thành ủy;
- Chủ tịch UBND Thành phố;
- Các PCT UBND Thành phố;
- Cty TNHH MTV Thoát nước HN;
- VP UBTP: CVP, các PCVP,
Các phòng: NNMT, TH, ĐT, KGVX, KT;
Trung tâm TT, DL vs CNS TP;
- Lưu: VT, ĐTpc

TM.UY BAN NHÂN: DÂN
PHÓ CHỦ TỊCH
k
(đề ph/h th/h)
Trương Việt Dũng
"""


def test_a_cc_list_whose_label_ocr_lost_is_found_by_its_shape():
    from vanthu.extract import extract_fields

    fields = extract_fields(HANOI_2280_CLOSING)
    assert [c.value for c in fields.cc] == [
        "Thường trực Thành ủy", "Chủ tịch UBND Thành phố", "Các PCT UBND Thành phố", "Cty TNHH MTV Thoát nước HN",
        "VP UBTP: CVP, các PCVP, Các phòng: NNMT, TH, ĐT, KGVX, KT; Trung tâm TT, DL vs CNS TP", "Lưu: VT, ĐTpc"]
    assert fields.signer.value == "Trương Việt Dũng"


def test_a_name_between_cc_items_is_the_signer_not_a_wrapped_item():
    """Text layers that interleave the two columns of a closing can put the signer's name
    between the cc items; it ends the item above, as a capitalised wrap does not."""
    from vanthu.extract import extract_fields

    fields = extract_fields(HANOI_2280_CLOSING.replace("- Chủ tịch UBND Thành phố;", "- Chủ tịch UBND Thành phố;\nTrương Việt Dũng"))
    assert [c.value for c in fields.cc][:2] == ["Thường trực Thành ủy", "Chủ tịch UBND Thành phố"]
    assert fields.signer.value == "Trương Việt Dũng"


# The top of Công điện 186/CĐ-TTg (2025) as vanthu's OCR reads it: a công điện names its
# addressees after "<SENDER> điện:", and "Các Bộ: …, …" is one addressee.
TTG_186_TOP = """\
THỦ TƯỚNG CHÍNH PHỦ

CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc

Số: 186/CĐ-TTg

Hà Nội, ngày 04 tháng 10 năm 2025

CÔNG ĐIỆN.
V/v chủ động ứng phó bão số 11 năm 2025

THỦ TƯỚNG CHÍNH PHỦ điện:

- Chủ tịch Ủy ban nhân dân các tỉnh, thành phố khu vực Bắc Bộ và
Bắc Trung Bộ);
- Các Bộ: Quốc phòng, Công an, Nông nghiệp và Môi trường,
Xây dựng, Công Thương, Văn hóa, Thể thao và Du lịch,
Ngoại giao, Khoa học và Công nghệ, Giáo dục và Đào tạo, Y tế,
- Văn phòng Ban chỉ đạo phòng thủ dân sự quốc gia.

Chiều ngày 03/10/2025, báo MATMO đã di chuyển vào biển Đông trở thành
cơn bão số 11, sức gió mạnh nhất vùng gần tâm bão mạnh cấp 10, giật cấp 13.
"""


def test_a_cong_dien_names_its_addressees_after_dien():
    from vanthu.extract import extract_fields

    fields = extract_fields(TTG_186_TOP)
    assert [r.value for r in fields.recipients] == [
        "Chủ tịch Ủy ban nhân dân các tỉnh, thành phố khu vực Bắc Bộ và Bắc Trung Bộ",
        "Các Bộ: Quốc phòng, Công an, Nông nghiệp và Môi trường, Xây dựng, Công Thương, Văn hóa, Thể thao và "
        "Du lịch, Ngoại giao, Khoa học và Công nghệ, Giáo dục và Đào tạo, Y tế",
        "Văn phòng Ban chỉ đạo phòng thủ dân sự quốc gia"]
    assert fields.subject.value.endswith("chủ động ứng phó bão số 11 năm 2025")


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


@pytest.mark.parametrize("read, printed", [
    # cc items as vanthu's OCR read them on real scans (9703/VPCP-CN, 536/TB-VPCP, 15557/BTC,
    # 11/CT-UBND Quảng Ngãi, 09/TTr-UBND, 239/TTr-UBND, HUIT 1117/TB), and what is printed.
    ("Thủ tướng Chính phủ (để bíc)", "Thủ tướng Chính phủ (để b/c)"),
    ("PTTgCP Bùi Thanh Sơn (để b/©)", "PTTgCP Bùi Thanh Sơn (để b/c)"),
    ("Thủ tướng Chính phủ (để be)", "Thủ tướng Chính phủ (để b/c)"),
    ("Ủy ban Quốc gia Ứng phó sự cố, TT và TKCN (b/©)", "Ủy ban Quốc gia Ứng phó sự cố, TT và TKCN (b/c)"),
    ("Thường trực HĐND. tỉnh", "Thường trực HĐND tỉnh"),
    ("VPUB: CVP, PCVP, KTTH,KTN", "VPUB: CVP, PCVP, KTTH, KTN"),
    ("Như trên (theo .danh. sách đính kèm)", "Như trên (theo danh sách đính kèm)"),
    ("Bộ trưởng Nguyễn Văn Thắng (để báo cáo), ý", "Bộ trưởng Nguyễn Văn Thắng (để báo cáo)"),
    ("Lưu: VI, KHCN", "Lưu: VT, KHCN"),
    # What is printed stays: other notes, initials, abbreviations with their full stop.
    ("Sở Y tế (để biết)", "Sở Y tế (để biết)"),
    ("Lưu: VT, NC(long172)", "Lưu: VT, NC(long172)"),
    ("Lưu: VT, ATBXHN (5b)", "Lưu: VT, ATBXHN (5b)"),
    ("Lưu: VT, KGVX.ngoc251", "Lưu: VT, KGVX.ngoc251"),
    ("UBND TP. Hồ Chí Minh", "UBND TP. Hồ Chí Minh"),
    ("Văn phòng Tỉnh ủy (VX)", "Văn phòng Tỉnh ủy (VX)"),
])
def test_cc_items_lose_the_slips_ocr_makes_in_the_forms_fixed_parts(read, printed):
    from vanthu.extract.cc_items import tidy_cc_item

    assert tidy_cc_item(read) == printed


# The top of Quyết định 20/QĐ-UBND (Quảng Ngãi, 2025) as vanthu's OCR reads it: the rule
# under the title and a stroke between the subject's lines come out as marks.
QN_QD_90_TOP = """\
ỦY BAN NHÂN DÂN
TỈNH QUẢNG NGÃI

CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc

Số: 20 /QĐ-UBND

Quảng Ngãi, ngày 4£ tháng 01 năm 2025

QUYẾT ĐỊNH
À .^A

.À
2
Về việc bổ nhiệm vào ngạch Thanh tra viên và xếp lương
~ »v
đối với ông Võ Văn Dương

CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI

Căn cứ Luật Tổ chức chính quyền địa phương ngày 19/6/2015; Luật sửa
"""


def test_marks_between_the_subjects_lines_are_not_part_of_it():
    from vanthu.extract import extract_fields

    subject = extract_fields(QN_QD_90_TOP).subject.value
    assert subject == "Về việc bổ nhiệm vào ngạch Thanh tra viên và xếp lương đối với ông Võ Văn Dương"


# The end of Quyết định 1053/QĐ-TTg (2024) as vanthu's OCR reads it: the seal over the
# signature block took the first letters of every line, "Hồ" of the name with them.
TTG_QD_1053_END = """\
THỦ TƯỚNG CHÍNH PHỦ

Căn cứ Luật Tổ chức Chính phủ ngày 19 tháng 6 năm 2015;

Điều 3. Bộ trưởng các Bộ: Nông nghiệp và Phát triển nông thôn, Tài chính và
Chủ tịch Ủy ban nhân dân tỉnh Lào Cai chịu trách nhiệm thi hành Quyết định
này./.

Nơi nhận:
- Như Điều 3;
- Thủ tướng CP, PTTg Hồ Đức Phớc;
- Bộ KH&ĐT;
- Lưu: VT, KTTH (3).+

. THỦ TƯỚNG
HU TƯỜNG
ô Đức Phớc
"""


def test_a_name_the_seal_cut_is_completed_only_from_the_same_name_in_the_document():
    from vanthu.extract import extract_fields

    fields = extract_fields(TTG_QD_1053_END)
    assert fields.signer.value == "Hồ Đức Phớc"
    assert TTG_QD_1053_END[fields.signer.start:fields.signer.end] == "ô Đức Phớc"  # the span: what was read
    assert any("completed from the same name elsewhere" in w for w in fields.warnings)
    # Without the name elsewhere, nothing is guessed: null and a warning.
    alone = extract_fields(TTG_QD_1053_END.replace("PTTg Hồ Đức Phớc", "PTTg"))
    assert alone.signer is None
    assert any("letters missing, not taken ('ô Đức Phớc')" in w for w in alone.warnings)


def test_an_adverbial_phrase_after_the_unit_is_not_part_of_the_unit_responsible():
    """Thông báo 536/TB-VPCP (2025), point 3, as OCR read it: "Bộ Tài chính trên cơ sở tổng
    hợp … đề xuất … chậm nhất là 10 tháng 10 năm 2025"."""
    from vanthu.extract import extract_fields

    text = ("VĂN PHÒNG CHÍNH PHỦ\n\nTHÔNG BÁO\nKết luận của Trưởng Ban Chỉ đạo\n\n"
            "Căn cứ ý kiến của các thành viên Ban Chỉ đạo tại cuộc họp ngày 02 tháng 10 năm 2025:\n\n"
            "3. Bộ Tài chính trên cơ sở tổng hợp, báo cáo đề xuất của Bộ Công Thương\n"
            "về nhu cầu hỗ trợ kinh phí của các Bộ, ngành, địa phương (nếu có) khẩn trương\n"
            "đề xuất, báo cáo cấp có thẩm quyền xem xét, quyết định chậm nhất là ngày 10 tháng\n"
            "10 năm 2025, theo đúng quy định pháp luật về ngân sách nhà nước./.\n")
    deadlines = extract_fields(text).deadlines
    assert [d.responsible.value for d in deadlines] == ["Bộ Tài chính"]


def test_deadlines_of_a_conclusion_notice_name_their_units():
    """Thông báo 536/TB-VPCP (2025), points 2 and 5, as OCR read them: "hoàn thành trong
    ngày …" is a due date; a state group ("Tập đoàn …") heads a section as a ministry does."""
    from vanthu.extract import extract_fields

    text = ("VĂN PHÒNG CHÍNH PHỦ\n\nTHÔNG BÁO\nKết luận của Trưởng Ban Chỉ đạo\n\n"
            "Căn cứ ý kiến của các thành viên Ban Chỉ đạo tại cuộc họp ngày 02 tháng 10 năm 2025:\n\n"
            "2. Bộ Công Thương\n\n"
            "c) Chủ trì, phối hợp với Công ty cổ phần Trung tâm hội chợ Triển lãm Việt\n"
            "Nam thông báo các chi phí phát sinh khác (nếu có) để các Bộ, ngành, địa phương\n"
            "xây dựng dự toán chi phí, hoàn thành trong ngày 05 tháng 10 năm 2025; đôn đốc\n"
            "các cơ quan, đơn vị vào thi công.\n\n"
            "5. Tập đoàn Vingroup và Công ty cổ phần Trung tâm hội chợ Triển lãm Việt Nam\n\n"
            "a) Khẩn trương hoàn thành Thiết kế tổng thể và sơ đồ mặt bằng các phân\n"
            "khu trước ngày 05 tháng 10 năm 2025 để làm cơ sở cho các Bộ, ngành, địa phương./.\n")
    deadlines = extract_fields(text).deadlines
    assert [(d.date.day, d.responsible.value) for d in deadlines] == [
        (5, "Bộ Công Thương"), (5, "Tập đoàn Vingroup và Công ty cổ phần Trung tâm hội chợ Triển lãm Việt Nam")]


def test_a_name_whose_stacked_tone_the_block_reading_dropped_is_read_alone():
    """Quyết định 84/QĐ-UBND (Quảng Ngãi, 2025), the signer's name under the seal, as the
    cleaned page shows it: read with the page, Tesseract gives "Trân Phước Hiên" (the tones
    over â and ê dropped) and the language model cannot tell a name's lost tone ("Hiến" or
    "Hiền"); each such syllable read alone as a line keeps its tone."""
    import cv2
    from vanthu.ingest.lm import default_model
    from vanthu.ingest.reread import tone_look
    from vanthu.ingest.tesseract import Word

    page = cv2.imread(str(REAL / "qn_qd_84_signer.png"), cv2.IMREAD_GRAYSCALE)
    model = default_model()
    block = [Word("Trân", 63, 52, 120, 42, 91.0, (1, 1, 1)), Word("Phước", 205, 53, 158, 41, 95.0, (1, 1, 1)),
             Word("Hiên", 381, 52, 113, 42, 94.0, (1, 1, 1))]
    looked = tone_look(page, block, "vie", 60, model.sequence_logprob)
    assert [w.text for w in looked] == ["Trần", "Phước", "Hiền"]
    assert looked[1] is block[1]  # a syllable with its tone (or without a stacked vowel) is not read again


@pytest.mark.parametrize("block, alone, kept", [
    # Read alone, the name keeps the tone the block reading dropped: "Kim Yên" -> "Kim Yến".
    (("Yên", 97.0), ("Yến", 95.0), "Yến"),
    # Another letter (Đ for D) is not the slip this look is for: the block reading stays.
    (("Dương", 97.0), ("Đường", 90.0), "Dương"),
    # Another word altogether stays out.
    (("Yên", 97.0), ("Vên", 89.0), "Yên"),
])
def test_a_name_read_alone_changes_only_its_tone(block, alone, kept):
    from vanthu.ingest.lm import default_model
    from vanthu.ingest.reread import Second, settle_tone
    from vanthu.ingest.tesseract import Word

    model = default_model()
    words = [Word(text, 0, 0, 10, 10, conf, (1, 1, 1)) for text, conf in
             (("bà", 97.0), ("Lê", 97.0), ("Thị", 97.0), ("Kim", 97.0), block)]
    assert settle_tone(words, 4, Second(*alone), model.sequence_logprob).text == kept


def _on_page(name: str, left: int, top: int, width: int, height: int):
    """An excerpt of a cleaned page pasted where it stood on its white page (the signature
    block is found by its place on the page)."""
    import cv2
    import numpy as np

    crop = cv2.imread(str(REAL / name), cv2.IMREAD_GRAYSCALE)
    page = np.full((height, width), 255, np.uint8)
    page[top:top + crop.shape[0], left:left + crop.shape[1]] = crop
    return page


def _block(rows, left: int, top: int):
    from vanthu.ingest.tesseract import Word

    return [Word(text, left + x, top + y, w, h, conf, line) for text, x, y, w, h, conf, line in rows]


def _alone_look(page, words):
    from vanthu.ingest.lm import default_model
    from vanthu.ingest.reread import tone_look

    model = default_model()
    return [w.text for w in tone_look(page, words, "vie", 60, model.sequence_logprob, model.known)]


def test_a_mark_the_seal_ring_hid_is_read_with_the_signature_line_alone():
    """Quyết định 1053/QĐ-TTg (2024), a black-and-white scan whose black seal runs through
    "KT." and "PHÓ": read with the page, the first title line is ". THỦ TƯỚNG"; its line read
    alone across the block's width gives "KT." surely, and the words the page read surely
    stay."""
    page = _on_page("ttg_qd_1053_signature.png", 1450, 2680, 2509, 3521)
    words = _block([(".", 176, 90, 7, 9, 93.1, (21, 0, 0)), ("THỦ", 203, 48, 117, 73, 93.3, (21, 0, 0)),
                    ("TƯỚNG", 336, 50, 201, 71, 92.1, (21, 0, 0)), ("HU", 252, 123, 80, 39, 83.7, (24, 0, 0)),
                    ("TƯỜNG", 348, 117, 201, 45, 95.1, (24, 0, 0)), ("ô", 197, 492, 25, 54, 62.7, (39, 0, 0)),
                    ("Đức", 240, 505, 102, 41, 92.8, (39, 0, 0)), ("Phớc", 360, 505, 126, 41, 93.1, (39, 0, 0))],
                   1450, 2680)
    assert _alone_look(page, words)[:3] == ["KT.", "THỦ", "TƯỚNG"]


def test_a_name_under_the_seal_star_is_read_with_its_line_alone():
    """Thông báo 1117/TB-DCT (HCMC University of Industry and Trade, 2023): the page reads
    "PGS.TS. Lê" under the seal's star as "Ta" at 5%; the name's line read alone gives
    "PGS.TS. Lê Thị Hồng Ánh", every word above 80%."""
    page = _on_page("huit_tb_1117_signature.png", 1400, 2360, 2484, 3509)
    words = _block([("KT.", 188, 27, 95, 78, 93.0, (17, 1, 1)), ("HIỆU", 302, 24, 147, 60, 91.9, (17, 1, 1)),
                    ("TRƯỞNG", 468, 18, 257, 54, 96.7, (17, 1, 1)), ("PHO", 139, 108, 160, 27, 0.0, (17, 1, 2)),
                    ("HỆU°", 367, 92, 95, 91, 33.4, (17, 1, 2)), ("TRƯỞNG", 480, 85, 258, 55, 95.6, (17, 1, 2)),
                    ("Ta", 122, 411, 154, 136, 4.6, (19, 1, 1)), ("Thị", 434, 505, 84, 52, 96.9, (19, 1, 1)),
                    ("Hồng", 536, 492, 135, 65, 96.7, (19, 1, 1)), ("Ánh", 689, 491, 101, 53, 96.6, (19, 1, 1))],
                   1400, 2360)
    assert _alone_look(page, words)[-5:] == ["PGS.TS.", "Lê", "Thị", "Hồng", "Ánh"]


def test_lines_outside_a_signature_block_are_not_read_again():
    """A page without a title line in its right part (body text only) has no signature
    block: nothing is read alone, the words come back as they were."""
    from vanthu.ingest.reread import signature_lines
    from vanthu.ingest.tesseract import Word

    words = [Word("Mai", 1605, 2936, 100, 42, 96.0, (1, 1, 1)), Word("Thị", 1724, 2937, 84, 53, 97.0, (1, 1, 1)),
             Word("THỦ", 100, 2800, 117, 45, 93.0, (2, 1, 1)), Word("TƯỚNG", 230, 2800, 201, 45, 93.0, (2, 1, 1))]
    assert signature_lines(words, 2505) == []
    words.append(Word("THỦ", 1653, 2728, 117, 45, 93.0, (3, 1, 1)))
    words.append(Word("TƯỚNG", 1786, 2730, 201, 45, 92.0, (3, 1, 1)))
    assert signature_lines(words, 2505) == [[4, 5], [0, 1]]


def test_a_name_keeps_a_tone_read_surely():
    """"Lê Thị Hồng Ánh" (Thông báo 1117/TB-DCT) read at 97%: the language model prefers the
    commoner "Hồng Anh", but a Capitalized word's tone read that surely is not taken away;
    in running text a sure tone may still go ("chỉ" read for chi)."""
    from vanthu.ingest.correct import correct_words
    from vanthu.ingest.lm import default_model

    model = default_model()
    assert correct_words(["Lê", "Thị", "Hồng", "Ánh"], [97.0] * 4, model)[-1] == "Ánh"
    assert correct_words(["Lê", "Thị", "Hồng", "Ánh"], [97.0] * 4, model, None)[-1] == "Anh"


def test_an_academic_degree_before_the_signers_name_is_not_part_of_it():
    """Thông báo 1117/TB-DCT as vanthu's OCR reads it (its header and its last part): a
    university prints "PGS.TS." before the signer's name (Nghị định 30/2020 leaves degrees
    out; the gold record has the name alone)."""
    from vanthu.extract import extract_fields

    text = ('BỘ CÔNG THƯƠNG\n'
            'TRƯỜNG ĐẠI HỌC CÔNG THƯƠNG\n'
            'THÀNH PHỐ HỒ CHÍ MINH\n'
            '\n'
            'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n'
            'Độc lập —- Tự do - Hạnh phúc\n'
            '\n'
            'Só:4{|ÁŸ /rB-DCT\n'
            '\n'
            'Tp. Hồ Chí Minh, ngày 3háng|uăm 2023\n'
            '\n'
            'THÔNG BÁO\n'
            'V/v Tổ chức nghiệm thu đề tài Nhóm nghiên cứu năm học 2019-2020\n'
            '\n'
            'Căn cứ tiến độ thực hiện của các Nhóm nghiên cứu theo Hợp đồng ký ngày\n'
            '31/12/2019.\n'
            'Trường Đại học Công Thương Thành phố Hồ Chí Minh thông báo tổ chức\n'
            'nghiệm thu đề tài Nhóm nghiên cứu năm học 2019-2020, như sau:\n'
            '1. Đối tượng nghiệm thu: Các Nhóm nghiên cứu năm học 2019-2020.\n'
            '1. Thời hạn nộp hồ sơ đề nghị đánh giá nghiệm thu: Trước 16h30 ngày 29/12/2023\n'
            '2. Hồ sơ đề nghị đánh giá nghiệm thu:\n'
            '- Báo cáo tổng kết và các sản phẩm của đề tài (theo mẫu đính kèm)\n'
            '- Biên bản họp Hội đồng khoa học của đơn vị chủ trì.\n'
            '- Đề xuất Hội đồng nghiệm thu cấp trường.\n'
            '3. Thời gian nghiệm thu đề tài: Từ ngày 02/01/2024 đến ngày 31/01/2024.\n'
            'Hồ sơ gửi tới cô Nguyễn Thị Thanh Ngân - Phòng Khoa học Công nghệ, điện thoại:\n'
            '0983334179, email: :nganntthanh@hufi.edu.vn.\n'
            'Trần trọng./ : /.\n'
            'KG\n'
            'Nơi nhận:\n'
            '- BGH (để chỉ đạo);\n'
            '- Các đơn vị thuộc Trường (để thực hiện);\n'
            '- Lưu: VI, KHCN.\n'
            '1\n'
            '\n'
            'KT. HIỆU TRƯỞNG\n'
            'PHÓ\n'
            'HỆU° TRƯỞNG\n'
            '\n'
            'PGS.TS. Lê Thị Hồng Ánh\n')
    fields = extract_fields(text)
    assert fields.signer.value == "Lê Thị Hồng Ánh"
    assert text[fields.signer.start:fields.signer.end] == "Lê Thị Hồng Ánh"


def test_a_doubted_line_that_continues_a_list_is_read_not_set_aside_as_noise():
    """Sample 000's cc list, rendered clean: the page reading read its wrapped line "CBTH;"
    as "CBTH;:" at 40% and set it aside as noise, so the word was lost (docs/BENCHMARKS.md).
    A line of print's height starting where the line above it starts is a line of the text;
    the same doubtful token away from the list's edge is still a mark."""
    from vanthu.ingest.layout import Frame, Geometry, Segment
    from vanthu.ingest.lm import default_model
    from vanthu.ingest.noise import page_judge
    from vanthu.ingest.tesseract import Word

    def line(texts: list[str], left: int, top: int, conf: float, number: int) -> Segment:
        words, x = [], left
        for text in texts:
            words.append(Word(text, x, top, 20 * len(text), 37, conf, (1, 1, number)))
            x += 20 * len(text) + 15
        return Segment(words)

    judge = page_judge(default_model().known)
    geometry = Geometry(Frame(300, 2200), 38.0)
    listed = line(["-", "VPUB:", "CVP,", "PCVP,", "các", "phòng,", "ban,", "đơn", "vị,"], 356, 970, 95.0, 1)
    wrapped = line(["CBTH;:"], 355, 1028, 40.0, 2)
    assert judge([listed, wrapped], geometry) == {}
    apart = line(["CBTH;:"], 1400, 1028, 40.0, 2)
    assert judge([listed, apart], geometry) == {1: "noise"}


# The end of a document as vanthu's OCR reads a signature block under a black seal, the
# block's lines given as read; the text above it is Quyết định 1053/QĐ-TTg's (see TTG_QD_1053_END).
def _closing_read(block: str):
    from vanthu.extract import extract_fields

    fields = extract_fields(TTG_QD_1053_END.split("\n. THỦ TƯỚNG")[0] + "\n\n" + block)
    title = fields.signer_title.value if fields.signer_title else None
    return title, fields.authority, [w for w in fields.warnings if w.startswith("signer's title")]


def test_the_line_under_kt_read_as_the_heads_title_is_the_deputys():
    """Quyết định 1053/QĐ-TTg (2024): the seal's ring runs through "PHÓ"; read alone the
    line gives "HU TƯỜNG" (the head's title again). Under "KT. THỦ TƯỚNG" the form prints
    the deputy's title, never the head's: completed, with a warning."""
    title, authority, warnings = _closing_read("KT. THỦ TƯỚNG\nHU TƯỜNG\nHồ Đức Phớc\n")
    assert title == "KT. THỦ TƯỚNG / PHÓ THỦ TƯỚNG"
    assert authority == [("KT.", "THỦ TƯỚNG"), (None, "PHÓ THỦ TƯỚNG")]
    assert warnings == ["signer's title: the line under 'KT. THỦ TƯỚNG' read 'HU TƯỜNG' (a seal over it), "
                        "taken as the deputy's title 'PHÓ THỦ TƯỚNG' the form puts there"]


def test_a_position_read_twice_under_a_seal_is_a_deputy_signing_for_the_head():
    """Công điện 186/CĐ-TTg (2025): the ring took "KT. T" and "PHÓ T", the page reads
    "HỦ TƯỜNG" / "RNU TƯỜNG"; the form prints one position on two lines only as
    "KT. X / PHÓ X"."""
    title, authority, warnings = _closing_read("HỦ TƯỜNG\nRNU TƯỜNG\nTrần Hồng Hà\n")
    assert title == "KT. THỦ TƯỚNG / PHÓ THỦ TƯỚNG"
    assert authority == [("KT.", "THỦ TƯỚNG"), (None, "PHÓ THỦ TƯỚNG")]
    assert len(warnings) == 1 and "two lines read as 'THỦ TƯỚNG'" in warnings[0]


def test_a_deputy_line_the_seal_left_only_the_end_of_is_completed():
    """Thông báo 536/TB-VPCP (2025): under "KT. BỘ TRƯỞNG, CHỦ NHIỆM" the seal's star and
    ring leave "…NHIỆM" of "PHÓ CHỦ NHIỆM" readable."""
    title, _, warnings = _closing_read("KT. BỘ TRƯỞNG, CHỦ NHIỆM\nJ9 ẺPHỐ@(ỦNHIỆM\nMai Thị Thu Vân\n")
    assert title == "KT. BỘ TRƯỞNG, CHỦ NHIỆM / PHÓ CHỦ NHIỆM"
    assert len(warnings) == 1


@pytest.mark.parametrize("block, kept", [
    # A deputy's title longer than "PHÓ X", printed clearly, stays as printed.
    ("KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH THƯỜNG TRỰC\nNguyễn Văn An\n", "KT. CHỦ TỊCH / PHÓ CHỦ TỊCH THƯỜNG TRỰC"),
    ("KT. BỘ TRƯỞNG\nTHỨ TRƯỞNG\nNguyễn Văn An\n", "KT. BỘ TRƯỞNG / THỨ TRƯỞNG"),
    ("TL. BỘ TRƯỞNG\nVỤ TRƯỞNG VỤ PHÁP CHẾ\nNguyễn Văn An\n", "TL. BỘ TRƯỞNG / VỤ TRƯỞNG VỤ PHÁP CHẾ"),
    ("TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH\nNguyễn Văn An\n", "TM. ỦY BAN NHÂN DÂN / CHỦ TỊCH"),
    ("THỦ TƯỚNG\nNguyễn Văn An\n", "THỦ TƯỚNG"),
    # Under a head the lexicon does not know, nothing is completed.
    ("KT. 5Ø LRHỞNG, CHỦ NHIÊM\nJ9 ẺPHỐ@(ỦNHIỆM\nMai Thị Thu Vân\n", "KT. 5Ø LRHỞNG, CHỦ NHIÊM"),
    # A name in capitals with a speck of the seal in it, ending as the position does
    # (Trung, Trường, Tịch, Được are given names): words of its own between, not a title.
    ("CỤC TRƯỞNG\nNGUY#N THÀNH TRUNG\n", "CỤC TRƯỞNG"),
    ("CHỦ TỊCH\nNGUY#N VĂN TỊCH\n", "CHỦ TỊCH"),
    ("GIÁM ĐỐC\nX@ ĐƯỢC\n", "GIÁM ĐỐC"),  # "duoc" is not "doc": a short word allows no slip
    # Under a deputy's title only the name stands.
    ("KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC\nTR@N VĂN ĐỐC\n", "KT. GIÁM ĐỐC / PHÓ GIÁM ĐỐC"),
])
def test_title_blocks_read_cleanly_are_not_completed(block, kept):
    title, _, warnings = _closing_read(block)
    assert (title, warnings) == (kept, [])


def test_a_title_whose_authority_mark_is_unreadable_is_null_with_a_warning():
    """Thông báo 1121/TB-DCT (HUIT, 2023): "KT." written by hand in blue before the printed
    "HIỆU TRƯỞNG", read "(lý. .HIỆU: TRƯỞNG": the title is not known without its mark."""
    title, authority, warnings = _closing_read("(lý. .HIỆU: TRƯỞNG\n")
    assert (title, authority) == (None, [])
    assert warnings == ["signer's title: an authority mark not readable ('(lý. .HIỆU: TRƯỞNG'), title not taken"]


def test_a_mark_read_in_small_letters_in_a_title_glued_to_the_cc_label_is_a_mark():
    """"Kt." (OCR's small t) in a title printed on the "Nơi nhận:" line is the KT. mark,
    not an unreadable one: the title is kept, its mark read as every title line's is
    (the authority chain holds the mark apart, not inside the position)."""
    from vanthu.extract import extract_fields

    text = ("SỞ Y TẾ\n\nCăn cứ Luật ngày 19 tháng 6 năm 2015;\n\nĐiều 3. Các đơn vị chịu trách nhiệm thi hành Quyết định này./.\n\n"
            "Nơi nhận:                                      Kt. GIÁM ĐỐC\n"
            "- Như Điều 3;                                   PHÓ GIÁM ĐỐC\n- Lưu: VT.\n\n"
            "                                                Nguyễn Văn An\n")
    fields = extract_fields(text)
    assert fields.signer_title.value == "KT. GIÁM ĐỐC / PHÓ GIÁM ĐỐC"
    assert fields.authority == [("KT.", "GIÁM ĐỐC"), (None, "PHÓ GIÁM ĐỐC")]
    assert not [w for w in fields.warnings if "authority mark not readable" in w]


def _sealed_536():
    """Thông báo 536/TB-VPCP (2025), page 3: the signature block under a black seal, pasted
    where it stood on its page, and the one line of it the page reading read: the name."""
    page = _on_page("vpcp_tb_536_signature.png", 1200, 2300, 2505, 3530)
    words = _block([("Mai", 405, 636, 100, 42, 96.2, (30, 0, 0)), ("Thị", 524, 637, 84, 53, 96.8, (30, 0, 0)),
                    ("Thu", 627, 637, 102, 41, 96.4, (30, 0, 0)), ("Vân", 749, 637, 100, 41, 89.6, (30, 0, 0))],
                   1200, 2300)
    return page, words


def test_a_seal_is_found_by_its_rings_and_its_rings_wiped():
    """The seal of Thông báo 536/TB-VPCP: a circle ~19 mm in radius at 300 DPI, found in a
    band of the page; wiping takes the ink of its rings and leaves the title lines' print."""
    import numpy as np
    from vanthu.ingest.seal import find_seal, wiped

    page, _ = _sealed_536()
    seal = find_seal(page, 300, (750, 2300, 2505, 3530))
    assert seal is not None
    assert abs(seal.x - 1614) <= 8 and abs(seal.y - 2700) <= 8 and 215 <= seal.radius <= 235
    band = (1300, 2360, 2505, 3040)
    clean = wiped(page, seal, band)
    before, after = page[2360:3040, 1300:2505] < 128, clean < 128
    # The outer ring's lower arc, below the lines of print: its ink gone.
    arc = (slice(2900 - 2360, 2935 - 2360), slice(1560 - 1300, 1680 - 1300))
    assert before[arc].sum() > 1000 and after[arc].sum() < 0.2 * before[arc].sum()
    # Right of the seal ("CHỦ NHIỆM", "NHIỆM", the name): every inked pixel stays.
    right = (slice(None), slice(1860 - 1300, None))
    assert np.array_equal(before[right], after[right])
    # Under the block's name, a page without a seal: none found.
    assert find_seal(np.full((3530, 2505), 255, np.uint8), 300, (750, 2300, 2505, 3530)) is None


def test_title_lines_a_seal_hid_from_the_page_reading_are_read_with_its_rings_wiped():
    """Thông báo 536/TB-VPCP: the page reading took the block under the seal for a picture
    and read only the name. The seal is found above the name; the lines of print under it
    that no word stands on are read alone, the rings wiped, and the title lines kept; the
    extractor then reads the title through what the seal left."""
    from vanthu.extract import extract_fields
    from vanthu.ingest.reread import tone_look
    from vanthu.ingest.lm import default_model

    page, words = _sealed_536()
    model = default_model()
    looked = tone_look(page, words, "vie", 60, model.sequence_logprob, model.known)
    lines: dict[tuple[int, int, int], list] = {}
    for w in looked:
        lines.setdefault(w.line, []).append(w)
    ordered = sorted(lines.values(), key=lambda line: min(w.top for w in line))
    read = [" ".join(w.text for w in sorted(line, key=lambda w: w.left)) for line in ordered]
    assert read[0].startswith("KT.") and read[0].endswith("CHỦ NHIỆM")
    assert read[1].endswith("NHIỆM") and read[-1] == "Mai Thị Thu Vân" and len(read) == 3
    text = TTG_QD_1053_END.split("\n. THỦ TƯỚNG")[0] + "\n\n" + "\n".join(read) + "\n"
    fields = extract_fields(text)
    assert fields.signer_title.value == "KT. BỘ TRƯỞNG, CHỦ NHIỆM / PHÓ CHỦ NHIỆM"
    assert fields.signer.value == "Mai Thị Thu Vân"


def test_a_name_in_capitals_ending_as_the_position_is_not_taken_for_the_deputys_line():
    """A name printed in capitals under an unmarked title whose last syllable is the
    position's ("GIÁM ĐỐC" / "NGUYỄN VĂN ĐỐC") is the name: only a line with OCR junk in it
    (no syllable's shape) is read as a title the seal damaged."""
    from vanthu.extract import extract_fields

    fields = extract_fields(TTG_QD_1053_END.split("\n. THỦ TƯỚNG")[0] + "\n\nGIÁM ĐỐC\nNGUYỄN VĂN ĐỐC\n")
    assert fields.signer_title.value == "GIÁM ĐỐC"
    assert fields.signer.value == "NGUYỄN VĂN ĐỐC"


def test_another_position_under_an_unmarked_title_is_not_made_a_deputy():
    """"TL. HIỆU TRƯỞNG" whose mark OCR lost, over "KHOA TRƯỞNG" (words, not junk, ending as
    the head does): another position, not a deputy; nothing completed."""
    title, _, warnings = _closing_read("HIỆU TRƯỞNG\nKHOA TRƯỞNG\nNguyễn Văn An\n")
    assert "PHÓ" not in (title or "") and warnings == []


def _cd_186_block():
    """Công điện 186/CĐ-TTg (2025), page 3: the signature block of a black-and-white scan
    under the black seal, pasted where it stood on its page, and the lines the page reading
    read there (the seal reduced both title lines to "THỦ TƯỚNG"'s ends)."""
    page = _on_page("ttg_cd_186_signature.png", 1250, 1500, 2505, 3526)
    words = _block([("HU", 463, 72, 80, 38, 82.1, (10, 0, 0)), ("TƯỜNG", 561, 66, 202, 44, 95.8, (10, 0, 0)),
                    ("RNU", 460, 138, 21, 30, 60.7, (14, 0, 0)), ("TƯỜNG", 520, 128, 257, 45, 79.0, (14, 0, 0)),
                    ("ân", 423, 523, 58, 28, 57.7, (26, 0, 0)), ("Hồng", 500, 511, 137, 52, 92.7, (26, 0, 0)),
                    ("Hà", 654, 511, 72, 40, 95.9, (26, 0, 0))], 1250, 1500)
    return page, words


def test_a_name_whose_first_letters_the_seal_ring_joined_is_read_with_the_rings_wiped():
    """Công điện 186/CĐ-TTg: the seal's ring runs into the "Tr" of "Trần Hồng Hà", and both
    the page reading and the line read as it is start the name at "ân". Read again with
    the rings wiped, cut from where the line's ink starts (not from the seal's star left
    of it), the line reads "Trân"; the language model's corrector puts back its tone."""
    page, words = _cd_186_block()
    assert _alone_look(page, words)[-3:] == ["Trân", "Hồng", "Hà"]


def test_a_lines_ink_starts_at_its_lost_letters_not_at_the_seal_star_left_of_them():
    """Left of "ân" stand "Tr" (joined by a gap narrower than a word space), then a gap
    as wide as a line, then the seal's star and the signature's dots."""
    from vanthu.ingest.reread import _line_start
    from vanthu.ingest.seal import find_seal, wiped

    page, words = _cd_186_block()
    seal = find_seal(page, 300, (750, 1500, 2505, 2100))
    assert seal is not None
    band = (1250, 1500, 2505, 2100)
    page[1500:2100, 1250:2505] = wiped(page, seal, band)
    start = _line_start(page, words[4:], 40)
    assert 1600 <= start <= 1615  # the "T" of "Trần"; the star ends near 1570


def test_a_wiped_reading_that_lost_a_letter_the_ring_ran_along_changes_nothing():
    """Công văn 15557/BTC-PTHT (2025): wiping the seal's ring took the "Đ" of "Đỗ" with it
    and the wiped line reads "ố"; only letters a word's page reading lost at its start are
    taken from the wiped reading, never over a neighbouring word, never where the page
    read the word surely, and only to make a syllable the language model knows."""
    from vanthu.ingest.lm import default_model
    from vanthu.ingest.reread import restore_starts
    from vanthu.ingest.tesseract import Word

    known = default_model().known
    line = (26, 0, 0)
    name = [Word("Đố", 1529, 2661, 73, 68, 60.0, line), Word("Thành", 1614, 2673, 167, 57, 96.0, line)]
    assert restore_starts(name, [Word("ố", 1560, 2661, 42, 66, 22.0, line)], 45, known) == name
    cut = [Word("ân", 1673, 2023, 58, 28, 57.7, line), Word("Hồng", 1750, 2011, 137, 52, 92.7, line)]
    restored = restore_starts(cut, [Word("Trân", 1610, 2012, 121, 40, 26.0, (1, 1, 1))], 40, known)
    assert [w.text for w in restored] == ["Trân", "Hồng"]
    assert (restored[0].left, restored[0].right, restored[0].line, restored[0].conf) == (1610, 1731, line, 26.0)
    # The page reading's marks are kept: only the lost letters come from the wiped reading.
    toned = [Word("ần", 1673, 2023, 58, 28, 57.7, line)]
    assert [w.text for w in restore_starts(toned, [Word("Trân", 1610, 2012, 121, 40, 26.0, line)], 40, known)] == ["Trần"]
    # The wider word would cover the word before it: the lost letters were that word's.
    before = [Word("Văn", 1590, 2012, 60, 40, 90.0, line), *cut]
    assert restore_starts(before, [Word("VănTrân", 1590, 2012, 141, 40, 26.0, line)], 40, known) == before
    # What the wiping left of the seal read as a letter: no syllable, or a word read surely.
    doubted = [Word("Trần", 1650, 2012, 110, 40, 60.0, line)]
    assert restore_starts(doubted, [Word("ITrần", 1620, 2012, 140, 40, 30.0, line)], 40, known) == doubted
    sure = [Word("ân", 1673, 2023, 58, 28, 95.0, line)]
    assert restore_starts(sure, [Word("Trân", 1610, 2012, 121, 40, 26.0, line)], 40, known) == sure
