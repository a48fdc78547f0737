"""The subject (trích yếu) on a real scan whose title line OCR could not read.

Thông tư 21/2026/TT-BCT (Bộ Công Thương): a pen stroke runs through the title "THÔNG TƯ",
which OCR reads "Ạ YmônG TƯ"; the subject's lines under it are printed cleanly but for the
cited symbol, read "18/2025/1T- BCT" at confidence 17 and 26, which the document's Điều 1
restates, read at 91 and 92. The fixture is page 1 as vanthu's OCR read it (text, words with
their boxes and confidences, the regions set apart; tests/data/real/README.md).
"""

from __future__ import annotations

from pathlib import Path

from vanthu.extract import extract_fields
from vanthu.ingest.models import IngestedText
from vanthu.pipeline import derive

PAGE = Path(__file__).parent / "data" / "real" / "bct_tt_21_p1.ocr.json"
SUBJECT = ("Bãi bỏ một phần khoản 2 Điều 1 của Thông tư số 18/2025/TT-BCT ngày 13 tháng 3 năm 2025 "
           "của Bộ trưởng Bộ Công Thương sửa đổi, bổ sung, bãi bỏ một số quy định tại các Thông tư "
           "quy định về kinh doanh xăng dầu")
AS_READ = SUBJECT.replace("18/2025/TT-BCT", "18/2025/1T- BCT")


def page() -> IngestedText:
    return IngestedText.model_validate_json(PAGE.read_text(encoding="utf-8"))


def test_a_subject_under_a_struck_title_is_placed_by_the_form_and_read_from_its_restatement():
    document = page()
    assert "THÔNG TƯ" not in document.text  # what the stroke left of the title: "Ạ YmônG TƯ"
    record = derive(document).record
    assert (record.doc_type, record.number, record.symbol) == ("Thông tư", None, "2026/TT-BCT")
    assert record.subject == SUBJECT
    assert "subject: '18/2025/1T- BCT' read doubtfully, taken as the document restates it ('18/2025/TT-BCT')" \
        in record.warnings


def test_a_doubtful_word_is_kept_as_read_when_no_copy_is_read_surely():
    """Lower the confidence of the sure copies (Điều 1's "18/2025/TT-" / "BCT") to what the
    promulgation sentence's copy got (72): no copy is sure, the subject stays as read."""
    document = page()
    first = document.pages[0]
    words = [word.model_copy(update={"conf": 72.0}) if word.conf >= 90 and word.text in ("18/2025/TT-", "BCT")
             else word for word in first.words]
    document.pages[0] = first.model_copy(update={"words": words})
    assert derive(document).record.subject == AS_READ


def test_without_word_boxes_a_missing_title_is_no_damage_to_read_past():
    """Text alone has no strokes and no doubtful words: nothing says a title was printed and
    lost there, so no line is taken for the subject by its place; the record says so."""
    fields = extract_fields(page().text)
    assert fields.subject is None
    assert "subject: not found; the symbol names a type, but no title and subject were read under the number " \
           "and date" in fields.warnings


def test_a_cong_van_symbol_does_not_place_a_subject_under_the_date():
    """A công văn's symbol names no type: its subject is a "V/v" block under the number, never
    a block under the date line. (The symbol's code changed, same length: offsets hold.)"""
    document = page()
    document.text = document.text.replace("/2026/TT-BCT", "/2026/TTTNBCT")
    record = derive(document).record
    assert (record.doc_type, record.subject) == ("Công văn", None)


def test_a_doubtful_word_the_restatement_leaves_out_is_kept():
    """A restatement may rephrase: Điều 1 leaves out the subject's "của", read doubtfully in
    the header. Only a word both copies print is read from the body: "của" stays."""
    import re

    from vanthu.extract.models import Spanned
    from vanthu.extract.restated import restated_corrections
    from vanthu.extract.words import WordIndex
    from vanthu.ingest.models import PageLayout, PageWord

    subject = "Quy định chi tiết một số điều của Luật Đất đai năm 2024"
    text = f"{subject}\n\nĐiều 1. Quy định chi tiết một số điều Luật Đất đai năm 2024 về thu hồi đất.\n"
    words = [PageWord(text=m.group(), box=(10 * m.start(), 0, 10 * m.end(), 40), start=m.start(), end=m.end(),
                      conf=30.0 if m.group() == "của" else 95.0) for m in re.finditer(r"\S+", text)]
    index = WordIndex([PageLayout(number=1, width=2480, height=3508, words=words)])
    assert restated_corrections(text, Spanned(value=subject, start=0, end=len(subject)), index) == []
