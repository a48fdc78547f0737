"""Body extraction: every deadline form, dates that are not deadlines, directives,
references, organizations. Documents are written here in the register of real dispatches,
not copied from the samples."""

from __future__ import annotations

import pytest

from vanthu.pipeline import process_file

HEADER = """UBND TỈNH BÌNH ĐỊNH
SỞ TÀI CHÍNH

CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc

Số: 812/STC-NS
Bình Định, ngày 03 tháng 10 năm 2023
V/v triển khai công tác quyết toán ngân sách

Kính gửi:
- Các sở, ban, ngành tỉnh;
- UBND các huyện, thị xã, thành phố.

"""
CLOSING = """

Nơi nhận:
- Như trên;
- CT, PCT UBND tỉnh (để báo cáo);
- VPUB: CVP, PCVP;
- Lưu: VT, NS.

GIÁM ĐỐC

Lê Văn Bình
"""


def record(write, body: str):
    return process_file(write("doc.txt", HEADER + body + CLOSING)).record


def due(write, body: str) -> list[tuple[str, str | None]]:
    return [(d.date, d.responsible) for d in record(write, body).deadlines]


RECIPIENTS = "Các sở, ban, ngành tỉnh; UBND các huyện, thị xã, thành phố"


@pytest.mark.parametrize("sentence, date", [
    ("Đề nghị các đơn vị gửi báo cáo trước ngày 15/10/2023.", "2023-10-15"),
    ("Đề nghị các đơn vị hoàn thành trước ngày 20/11/2023.", "2023-11-20"),
    ("Đề nghị các đơn vị gửi số liệu chậm nhất ngày 25/10/2023.", "2023-10-25"),
    ("Đề nghị các đơn vị gửi ý kiến chậm nhất trong ngày 06/11/2023.", "2023-11-06"),
    ("Đề nghị các đơn vị gửi văn bản trước 17 giờ 00 ngày 12/10/2023.", "2023-10-12"),
    ("Đề nghị các đơn vị báo cáo trước ngày 15 tháng 11 năm 2023.", "2023-11-15"),
    ("Đề nghị các đơn vị tổng hợp số liệu. Thời gian hoàn thành: 30/11/2023.", "2023-11-30"),
    ("Đề nghị các đơn vị hoàn thành việc rà soát trong tháng 12/2023.", "2023-12-31"),
    ("Đề nghị các đơn vị hoàn thành việc kiểm kê trong Quý IV/2023.", "2023-12-31"),
    ("Đề nghị các đơn vị hoàn thành việc kiểm kê trong quý 4 năm 2023.", "2023-12-31"),
    ("Đề nghị các đơn vị nộp hồ sơ hạn chót ngày 10/12/2023.", "2023-12-10"),
    ("Đề nghị các đơn vị nộp hồ sơ không quá ngày 10/12/2023.", "2023-12-10"),
    # A day without a year: the issue year (2023), since 30/12 follows the issue date ...
    ("Đề nghị các đơn vị báo cáo trước 30/12.", "2023-12-30"),
    # ... or the next year when it would precede it.
    ("Đề nghị các đơn vị báo cáo trước 30/6.", "2024-06-30"),
    ("Đề nghi cac don vi bao cao truoc ngay 15/10/2023.", "2023-10-15"),  # marks missing
    ("Đề nghị các đơn vị gửi báo cáo trước ngày 15/12 năm 2024.", "2024-12-15"),  # the year printed after
    ("Đề nghị các đơn vị gửi báo cáo trước ngày 15-12 năm 2023.", "2023-12-15"),
])
def test_deadline_forms_asked_of_recipients(write, sentence, date):
    assert due(write, sentence) == [(date, RECIPIENTS)]


def test_labels_letters_and_lowercase_class_headings(write):
    body = """Sở Tài chính đề nghị:

1. Đối với các sở, ban, ngành:

a) Sở Y tế: chủ trì rà soát danh mục thiết bị, gửi Sở Tài chính trước 16 giờ ngày 20/10/2023.

b) Sở Giáo dục và Đào tạo tổng hợp nhu cầu mua sắm. Thời gian: trước ngày 30/11/2023.

2. UBND các huyện, thị xã, thành phố

- Báo cáo kết quả về UBND tỉnh trước ngày 15 hằng tháng.

- Lập kế hoạch mua sắm năm 2024. Thời gian thực hiện: Quý IV/2023.

- Hạn nộp báo cáo tổng hợp: ngày 20/12/2023.

- Thời gian thực hiện: từ tháng 10 đến tháng 12/2023.
"""
    r = record(write, body)
    assert [(d.id, d.addressee) for d in r.directives] == [
        ("1", "Các sở, ban, ngành"), ("2", "UBND các huyện, thị xã, thành phố")]
    assert [(d.id, d.addressee) for d in r.directives[0].items] == [
        ("1.a", "Sở Y tế"), ("1.b", "Sở Giáo dục và Đào tạo")]
    # A day of every month is due first on the next such day from the issue date (03/10/2023);
    # a period ("từ … đến …") is not one due date.
    assert [(d.date, d.kind, d.recurs, d.responsible, d.directive_id) for d in r.deadlines] == [
        ("2023-10-20", "day", None, "Sở Y tế", "1.a"),
        ("2023-11-30", "day", None, "Sở Giáo dục và Đào tạo", "1.b"),
        ("2023-10-15", "day", "monthly", "UBND các huyện, thị xã, thành phố", "2.-1"),
        ("2023-12-31", "quarter", None, "UBND các huyện, thị xã, thành phố", "2.-2"),
        ("2023-12-20", "day", None, "UBND các huyện, thị xã, thành phố", "2.-3"),
    ]
    assert r.deadlines[0].time == "16:00"
    assert r.deadlines[1].text == "Sở Giáo dục và Đào tạo tổng hợp nhu cầu mua sắm. Thời gian: trước ngày 30/11/2023"


def test_units_charged_in_ministry_and_party_wording(write):
    body = """Bộ Thông tin và Truyền thông đề nghị Ủy ban nhân dân các tỉnh, thành phố trực thuộc Trung ương chỉ đạo các cơ quan tổ chức hưởng ứng, gửi báo cáo về Bộ (qua Cục Chuyển đổi số quốc gia) trước ngày 15/12/2023.

Giao Văn phòng Tỉnh ủy theo dõi, đôn đốc, báo cáo Ban Thường vụ Tỉnh ủy trước ngày 30/6/2024.

Sở Nội vụ chủ trì, phối hợp với Sở Tài chính tham mưu ban hành Quy định trước ngày 31/12/2023; đồng thời hướng dẫn các địa phương thực hiện, hoàn thành trong Quý I/2024.
"""
    assert due(write, body) == [
        ("2023-12-15", "Ủy ban nhân dân các tỉnh, thành phố trực thuộc Trung ương"),
        ("2024-06-30", "Văn phòng Tỉnh ủy"),
        ("2023-12-31", "Sở Nội vụ"),
        ("2024-03-31", "Sở Nội vụ"),  # the clause after ";" goes on with the same subject
    ]


def test_task_text_around_the_expression(write):
    r = record(write, "Chậm nhất ngày 15/10/2023, các đơn vị gửi báo cáo về Sở Tài chính. "
                      "Đề nghị các đơn vị tổng hợp số liệu. Thời gian hoàn thành: 20/11/2023.")
    assert [d.text for d in r.deadlines] == [
        # the expression opens its sentence: the task is the rest of it
        "Chậm nhất ngày 15/10/2023, các đơn vị gửi báo cáo về Sở Tài chính",
        # a sentence that is only a label takes in the one before
        "Đề nghị các đơn vị tổng hợp số liệu. Thời gian hoàn thành: 20/11/2023",
    ]


def test_a_lead_unit_notifying_by_a_date_after_an_open_list(write):
    """From a real conclusion (vpcp_tb_536_2025): "hotline..." leaves its list open (the
    task goes on), "chủ trì" and "thông báo" ask for something done, and "tháng 10 tháng
    2025" is a slip for "tháng 10 năm 2025"."""
    r = record(write, "b) Sở Công Thương chủ trì, phối hợp với Công an tỉnh thống nhất phương án bảo đảm an "
                      "ninh và thông báo cụ thể đơn vị chịu trách nhiệm, tên người đầu mối, hotline... trước "
                      "ngày 10 tháng 10 tháng 2023.")
    assert [(d.date, d.responsible, d.expression) for d in r.deadlines] == [
        ("2023-10-10", "Sở Công Thương", "trước ngày 10 tháng 10 tháng 2023")]
    assert r.deadlines[0].text.startswith("Sở Công Thương chủ trì, phối hợp với Công an tỉnh thống nhất")
    # An ellipsis before a capital still ends its sentence.
    r = record(write, "Các đơn vị rà soát hồ sơ, sổ sách... Sở Nội vụ gửi báo cáo trước ngày 15/10/2023.")
    assert [(d.text, d.responsible) for d in r.deadlines] == [
        ("Sở Nội vụ gửi báo cáo trước ngày 15/10/2023", "Sở Nội vụ")]


@pytest.mark.parametrize("sentence, unit", [
    ("Sở Tài chính thông báo kết quả thẩm định trước ngày 15/10/2023.", "Sở Tài chính"),
    ("a) Sở Nội vụ: chủ trì, phối hợp với các đơn vị rà soát trước ngày 15/10/2023.", "Sở Nội vụ"),
    ("Căn cứ Thông báo số 12/TB-UBND ngày 05/10/2023, Sở Tài chính chủ trì, phối hợp với Sở Nội vụ rà soát "
     "trước ngày 15/10/2023.", "Sở Tài chính"),
    ("Giao Sở Nội vụ chủ trì, phối hợp với các đơn vị rà soát trước ngày 15/10/2023.", "Sở Nội vụ"),
])
def test_a_clause_opening_with_its_lead_unit_asks_for_what_it_says(write, sentence, unit):
    assert due(write, sentence) == [("2023-10-15", unit)]


def test_an_ellipsis_ending_a_list_item_ends_its_sentence(write):
    r = record(write, "a) Sở Tài chính rà soát các khoản chi thường xuyên: điện, nước, xăng dầu, v.v...\n"
                      "b) Sở Nội vụ gửi báo cáo trước ngày 15/10/2023.")
    assert [(d.text, d.responsible) for d in r.deadlines] == [
        ("Sở Nội vụ gửi báo cáo trước ngày 15/10/2023", "Sở Nội vụ")]


PLAN = """KẾ HOẠCH
Kiểm kê tài sản công năm 2024
{attached}
I. NHIỆM VỤ
1. Sở Tài chính
- Hướng dẫn các đơn vị thực hiện kiểm kê. Thời gian hoàn thành: Trước ngày 15/11/2023.
2. Ủy ban nhân dân các huyện, thị xã, thành phố
- Báo cáo kết quả kiểm kê. Thời hạn hoàn thành: Trước ngày 31/3/2024.
- Thời gian thực hiện: 6-8 ngày làm việc.
"""


@pytest.mark.parametrize("attached, announce", [
    ("(Ban hành kèm theo Quyết định số 812/QĐ-UBND ngày 03/10/2023 của UBND tỉnh)", ""),
    ("", "Ban hành kèm theo Quyết định này Kế hoạch kiểm kê tài sản công năm 2024. "),  # the line lost
])
def test_the_plan_issued_with_a_decision_gives_its_tasks_and_deadlines(write, attached, announce):
    """A Kế hoạch printed after the Quyết định's closing ("Điều 1. Ban hành kèm theo …") holds
    the tasks: its deadlines and items are the document's, its items' ids say whose they are;
    "6-8 ngày làm việc" is a count of days, not 6 August."""
    text = HEADER + f"Điều 1. {announce}Giao các sở thực hiện.\n" + CLOSING + PLAN.format(attached=attached)
    r = process_file(write("qd.txt", text)).record
    assert [(d.date, d.responsible, d.directive_id) for d in r.deadlines] == [
        ("2023-11-15", "Sở Tài chính", "PL1/I.1.-1"),
        ("2024-03-31", "Ủy ban nhân dân các huyện, thị xã, thành phố", "PL1/I.2.-1")]
    plan = r.directives[-1]
    assert plan.id == "PL1/I" and [item.id for item in plan.items] == ["PL1/I.1", "PL1/I.2"]
    assert r.signer == "Lê Văn Bình" and r.cc[-1] == "Lưu: VT, NS"


@pytest.mark.parametrize("title, attached", [
    # neither a "(kèm theo …)" line under it nor the body announcing that type
    ("KẾ HOẠCH", ""),
    # a "kèm theo" inside a sentence is no marker
    ("KẾ HOẠCH", "Các đơn vị gửi biểu mẫu kèm theo hướng dẫn này."),
    # sent along for reference: another document's dates
    ("TỜ TRÌNH", "(Gửi kèm theo Công văn số 812/STC-NS ngày 03/10/2023)"),
    # a Phụ lục of forms, and one of administrative procedures
    ("PHỤ LỤC", "MẪU BÁO CÁO KIỂM KÊ\n(Kèm theo Công văn số 812/STC-NS ngày 03/10/2023)"),
    ("PHỤ LỤC", "THỦ TỤC HÀNH CHÍNH ĐƯỢC CHUẨN HÓA\n(Kèm theo Công văn số 812/STC-NS ngày 03/10/2023)"),
])
def test_what_is_no_attachment_gives_no_deadline(write, title, attached):
    text = (HEADER + "Đề nghị các đơn vị thực hiện.\n" + CLOSING
            + PLAN.replace("KẾ HOẠCH\nKiểm kê tài sản công năm 2024", title).format(attached=attached))
    assert process_file(write("doc.txt", text)).record.deadlines == []


def test_an_attachments_title_under_a_nameless_signature_block_is_no_name(write):
    closing = CLOSING.replace("\nLê Văn Bình\n", "\n")
    text = (HEADER + "Đề nghị các đơn vị thực hiện.\n" + closing
            + "PHỤ LỤC\n(Kèm theo Công văn số 812/STC-NS ngày 03/10/2023)\nDanh sách đơn vị\n")
    record = process_file(write("doc.txt", text)).record
    assert (record.signer_title, record.signer) == ("GIÁM ĐỐC", None)


def test_an_attachment_ends_at_its_own_signature_block(write):
    """A Phụ lục with no "Nơi nhận:" of its own ends where its signature block starts: the
    title and name are no part of its last item."""
    text = (HEADER + "Điều 1. Giao các sở thực hiện.\n" + CLOSING
            + PLAN.format(attached="(Kèm theo Quyết định số 812/QĐ-UBND ngày 03/10/2023)")
            + "TM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\nNguyễn Văn An\n")
    record = process_file(write("doc.txt", text)).record
    assert record.directives[-1].items[-1].items[-1].text == "Thời gian thực hiện: 6-8 ngày làm việc."


def test_yearly_deadline(write):
    r = record(write, "Đề nghị các đơn vị gửi báo cáo năm trước ngày 15/12 hằng năm.")
    assert [(d.date, d.recurs, d.expression) for d in r.deadlines] == [
        ("2023-12-15", "yearly", "trước ngày 15/12 hằng năm")]


def test_time_and_kind_are_kept(write):
    r = record(write, "Đề nghị các đơn vị gửi văn bản trước 17 giờ 00 ngày 12/10/2023. "
                      "Các đơn vị hoàn thành kiểm kê trong Quý IV/2023.")
    assert [(d.kind, d.time, d.expression) for d in r.deadlines] == [
        ("day", "17:00", "trước 17 giờ 00 ngày 12/10/2023"),
        ("quarter", None, "trong Quý IV/2023"),
    ]


@pytest.mark.parametrize("sentence", [
    # issue dates of cited documents
    "Thực hiện Quyết định số 1690/QĐ-TTg ngày 26/12/2023 của Thủ tướng Chính phủ.",
    "Căn cứ Nghị quyết số 13-NQ/TU ngày 06/9/2023 của Ban Thường vụ Tỉnh ủy.",
    # horizons and periods
    "Phấn đấu đến năm 2025, định hướng đến năm 2030 hoàn thành chuyển đổi số.",
    "Tập trung hoàn thành các chỉ tiêu trong năm 2023.",
    # past events
    "Ngày 15/11/2023, Sở đã tổ chức hội nghị.",
    "Các đơn vị đã hoàn thành báo cáo trước ngày 20/11/2023.",
    "Trong tháng 12/2023, tỉnh đã tổ chức nhiều hoạt động.",
    # a date before the issue date cannot be due
    "Đề nghị các đơn vị báo cáo trước ngày 15/9/2023.",
    # a month with no task to complete in it
    "Số liệu trong tháng 11/2023 tăng so với cùng kỳ.",
    # a meeting's time (Giấy mời), not a due date
    "Sở Tài chính trân trọng kính mời dự họp. Thời gian: 08 giờ 00, ngày 25/10/2023.",
    # "thông báo", "thống nhất", "chủ trì" as nouns, or a lead of something else: no task asked
    "Căn cứ Thông báo số 12/TB-UBND ngày 05/10/2023 của UBND tỉnh, hồ sơ tiếp nhận trước ngày 15/10/2023 "
    "tiếp tục được giải quyết theo quy định cũ.",
    "Thông báo kết luận của Chủ tịch UBND tỉnh tại cuộc họp trước ngày 25/10/2023 đã nêu rõ.",
    "Đối với các trường hợp có thông báo thu hồi đất trước ngày 01/12/2023 thì tiếp tục thực hiện theo "
    "phương án đã được phê duyệt.",
    "Hội nghị do đồng chí Phó Chủ tịch UBND tỉnh chủ trì sẽ diễn ra trước ngày 20/10/2023 tại Hội trường.",
    "Các đề tài khoa học do Sở Khoa học và Công nghệ chủ trì nghiệm thu trước ngày 31/12/2023 không phải điều chỉnh.",
    "Theo nội dung thống nhất tại cuộc họp trước ngày 10/10/2023, Sở Xây dựng tiếp tục theo dõi.",
    "Các nội dung chưa thống nhất trước ngày 20/10/2023 sẽ được báo cáo UBND tỉnh xem xét.",
    # a count of days, not 3 May
    "Đề nghị các đơn vị hoàn thành trước 3-5 ngày.",
])
def test_dates_that_are_not_deadlines(write, sentence):
    assert due(write, sentence) == []


def test_responsible_from_section_sentence_and_charge(write):
    body = """Để kịp thời quyết toán, Sở Tài chính đề nghị:

1. Sở Kế hoạch và Đầu tư

- Tổng hợp danh mục dự án, gửi Sở Tài chính trước ngày 20/10/2023.

- Sở Xây dựng chủ trì, phối hợp với các đơn vị thẩm định hồ sơ, hoàn thành trước ngày 30/10/2023.

2. Giao Kho bạc Nhà nước tỉnh chủ trì đối chiếu số liệu, báo cáo trước ngày 05/11/2023.

3. UBND các huyện, thị xã, thành phố

a) Rà soát các khoản chi, báo cáo trong tháng 11/2023.

b) Lập danh sách đơn vị chưa quyết toán.
"""
    r = record(write, body)
    assert [(d.date, d.responsible, d.directive_id) for d in r.deadlines] == [
        ("2023-10-20", "Sở Kế hoạch và Đầu tư", "1.-1"),  # the section's addressee
        ("2023-10-30", "Sở Xây dựng", "1.-2"),  # a unit named as the sentence's subject
        ("2023-11-05", "Kho bạc Nhà nước tỉnh", "2"),  # "Giao X chủ trì"
        ("2023-11-30", "UBND các huyện, thị xã, thành phố", "3.a"),
    ]
    assert [(d.id, d.addressee, [i.id for i in d.items]) for d in r.directives] == [
        ("1", "Sở Kế hoạch và Đầu tư", ["1.-1", "1.-2"]),
        ("2", "Kho bạc Nhà nước tỉnh", []),
        ("3", "UBND các huyện, thị xã, thành phố", ["3.a", "3.b"]),
    ]
    assert r.directives[2].items[1].text == "Lập danh sách đơn vị chưa quyết toán."
    # The deadline's task is the item's sentence, without the marker.
    assert r.deadlines[0].text == "Tổng hợp danh mục dự án, gửi Sở Tài chính trước ngày 20/10/2023"


def test_nested_numbering_and_roman_parts(write):
    body = """I. NHIỆM VỤ CHUNG

1. Các sở, ngành tập trung thực hiện các nhiệm vụ sau:

1.1. Rà soát thủ tục hành chính.

1.2. Cập nhật dữ liệu.

II. TỔ CHỨC THỰC HIỆN

1. Sở Nội vụ chủ trì theo dõi, đôn đốc việc thực hiện.

Trong quá trình thực hiện, nếu có vướng mắc, các đơn vị phản ánh về Sở Tài chính./.
"""
    r = record(write, body)
    tree = [(d.id, [(i.id, [j.id for j in i.items]) for i in d.items]) for d in r.directives]
    assert tree == [("I", [("I.1", ["I.1.1", "I.1.2"])]), ("II", [("II.1", [])])]
    assert r.directives[1].items[0].addressee == "Sở Nội vụ"
    # An opening that introduces sub-sections addresses each of them, not one unit.
    assert r.directives[0].items[0].addressee is None
    # The closing formula belongs to no item.
    assert "vướng mắc" not in r.directives[1].items[0].text


def test_references_with_issuer_type_and_dedup(write):
    body = ("Thực hiện Nghị quyết số 13-NQ/TU ngày 06/9/2023 của Ban Thường vụ Tỉnh ủy; Công văn "
            "số 50/BTTTT-CĐSQG ngày 09/01/2024 của Bộ Thông tin và Truyền thông; Nghị định "
            "30/2020/NĐ-CP; theo Nghị quyết số 13-NQ/TU nêu trên.")
    body += (" Căn cứ Hướng dẫn số 12-HD/BTGTW ngày 01/3/2023 của Ban Tuyên giáo Trung ương và Văn bản số "
             "1234/BTC-QLCS ngày 05/9/2023 của Bộ Tài chính.")
    refs = [(r.doc_type, r.number, r.symbol, r.issue_date, r.issuer) for r in record(write, body).references]
    assert refs[3:] == [
        ("Hướng dẫn", "12", "HD/BTGTW", "2023-03-01", "Ban Tuyên giáo Trung ương"),
        ("Công văn", "1234", "BTC-QLCS", "2023-09-05", "Bộ Tài chính"),  # "Văn bản" without a type code
    ]
    assert refs[:3] == [
        ("Nghị quyết", "13", "NQ/TU", "2023-09-06", "Ban Thường vụ Tỉnh ủy"),
        ("Công văn", "50", "BTTTT-CĐSQG", "2024-01-09", "Bộ Thông tin và Truyền thông"),
        ("Nghị định", "30", "2020/NĐ-CP", None, None),
    ]


def test_issuer_of_a_citation_over_a_line_break(write):
    body = "Thực hiện Kế hoạch số 05-KH/TU ngày 20/7/2025 của Ban Thường vụ\nTỉnh ủy về chuyển đổi số."
    refs = [(r.number, r.symbol, r.issue_date, r.issuer) for r in record(write, body).references]
    assert refs == [("05", "KH/TU", "2025-07-20", "Ban Thường vụ Tỉnh ủy")]


def test_garbled_type_code_is_repaired_by_the_type_word(write):
    body = "Thực hiện Quyết định số 749/QB-TTg ngày 03/6/2020 và Quyết định số 749/QĐ-TTg."
    refs = [(r.number, r.symbol) for r in record(write, body).references]
    assert refs == [("749", "QĐ-TTg")]


def test_organizations_split_expand_and_key_by_province(write):
    r = record(write, "Đề nghị các đơn vị báo cáo trước ngày 15/10/2023.")
    cc = [(o.printed, o.position, o.name, o.key) for o in r.organizations if o.role == "cc"]
    assert cc == [
        ("Chủ tịch UBND tỉnh", "Chủ tịch", "Ủy ban nhân dân tỉnh", "uy ban nhan dan tinh binh dinh"),
        ("Phó Chủ tịch UBND tỉnh", "Phó Chủ tịch", "Ủy ban nhân dân tỉnh", "uy ban nhan dan tinh binh dinh"),
        ("VPUB", None, "Văn phòng Ủy ban nhân dân", "van phong uy ban nhan dan tinh binh dinh"),
    ]
    issuer = next(o for o in r.organizations if o.role == "issuer")
    assert (issuer.name, issuer.key) == ("Sở Tài chính", "so tai chinh tinh binh dinh")


def test_articles_nest_their_clauses_and_restarted_numbering_keeps_ids_unique(write):
    body = """Điều 1. Giao nhiệm vụ như sau:

1. Sở Nội vụ chủ trì thẩm định hồ sơ.

2. Sở Tài chính bố trí kinh phí.

Điều 2. Tổ chức thực hiện

1. Các sở, ngành triển khai thực hiện.

PHỤ LỤC

1. Danh mục hồ sơ.
"""
    r = record(write, body)
    tree = [(d.id, [i.id for i in d.items]) for d in r.directives]
    assert tree[:2] == [("Điều 1", ["Điều 1.1", "Điều 1.2"]), ("Điều 2", ["Điều 2.1"])]
    ids = [d.id for d in r.directives] + [i.id for d in r.directives for i in d.items]
    assert len(ids) == len(set(ids))
    assert r.directives[0].items[0].addressee == "Sở Nội vụ"


def test_recipient_line_then_body_without_a_blank_line(write):
    text = HEADER.replace("Kính gửi:\n- Các sở, ban, ngành tỉnh;\n- UBND các huyện, thị xã, thành phố.\n",
                          "Kính gửi: Cục Thuế tỉnh Bình Định\nTại Điều 6 Thông tư số 151/2014/TT-BTC ngày "
                          "10/10/2014 của Bộ Tài chính quy định như sau.\n")
    r = process_file(write("doc.txt", text + CLOSING)).record
    assert r.recipients == ["Cục Thuế tỉnh Bình Định"]
    assert [(x.number, x.symbol, x.issuer) for x in r.references] == [("151", "2014/TT-BTC", "Bộ Tài chính")]


def test_addressee_naming_the_organizations_of_a_front(write):
    """"các tổ chức" is a noun in an addressee, not the verb that ends it."""
    body = """Ban Thường vụ Tỉnh ủy yêu cầu:

1. Mặt trận Tổ quốc Việt Nam, các tổ chức chính trị - xã hội các cấp đẩy mạnh công tác tuyên truyền.

2. Sở Nội vụ tổ chức hội nghị quán triệt.
"""
    r = record(write, body)
    assert [(d.id, d.addressee) for d in r.directives] == [
        ("1", "Mặt trận Tổ quốc Việt Nam, các tổ chức chính trị - xã hội các cấp"), ("2", "Sở Nội vụ")]


def test_lead_and_supporting_units(write):
    """"X chủ trì, phối hợp với Y, Z": the lead unit and each supporting unit (Phụ lục IV of
    Nghị định 30/2020: đơn vị chủ trì, đơn vị phối hợp)."""
    body = """1. Giao Sở Thông tin và Truyền thông chủ trì, phối hợp với Sở Nội vụ, UBND các huyện, thị xã, thành phố và các sở, ngành liên quan tham mưu UBND tỉnh ban hành Kế hoạch, hoàn thành trước ngày 15/11/2023.

2. Sở Xây dựng chủ trì, phối hợp với các đơn vị thẩm định hồ sơ, hoàn thành trước ngày 30/11/2023.

3. Sở Tài chính chủ trì, Sở Kế hoạch và Đầu tư và Kho bạc Nhà nước tỉnh phối hợp thực hiện việc đối chiếu, báo cáo trước ngày 10/12/2023.

4. Giao Sở Tài chính tổng hợp, báo cáo trước ngày 20/12/2023.
"""
    r = record(write, body)
    assert [(d.date, d.responsible, d.supporting) for d in r.deadlines] == [
        ("2023-11-15", "Sở Thông tin và Truyền thông",
         ["Sở Nội vụ", "UBND các huyện, thị xã, thành phố", "Các sở, ngành liên quan"]),
        ("2023-11-30", "Sở Xây dựng", ["Các đơn vị"]),
        ("2023-12-10", "Sở Tài chính", ["Sở Kế hoạch và Đầu tư", "Kho bạc Nhà nước tỉnh"]),
        ("2023-12-20", "Sở Tài chính", []),
    ]
    # Each supporting unit is a body of the document in its own role, keyed like any other.
    supporting = sorted(o.key for o in r.organizations if o.role == "supporting")
    assert supporting == ["cac don vi", "cac so nganh lien quan", "kho bac nha nuoc tinh binh dinh",
                          "so ke hoach va dau tu tinh binh dinh", "so noi vu tinh binh dinh",
                          "uy ban nhan dan cac huyen thi xa thanh pho"]
