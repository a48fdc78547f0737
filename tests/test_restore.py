"""Diacritic restoration with the trained model in models/ (built by `make model`)."""

from __future__ import annotations

import json
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vanthu.ingest.lm import default_model
from vanthu.ingest.restore import restore
from vanthu.knowledge.orthography import strip_marks
from vanthu.cli import main

from conftest import SAMPLES

S003 = "003_07071c8f3bf3abc8.txt"


@pytest.fixture(scope="module")
def lm():
    return default_model()


@pytest.mark.parametrize("accented", [
    "Ủy ban nhân dân tỉnh đề nghị các sở, ban, ngành khẩn trương triển khai thực hiện.",
    "Thực hiện Quyết định số 749/QĐ-TTg ngày 03/6/2020 của Thủ tướng Chính phủ phê duyệt "
    "Chương trình Chuyển đổi số quốc gia đến năm 2025, định hướng đến năm 2030;",
    "Giao Sở Tài chính chủ trì, phối hợp với các cơ quan, đơn vị liên quan báo cáo trước ngày 15/10/2023.",
])
def test_restores_sentences_the_model_has_not_seen(lm, accented):
    assert restore(strip_marks(accented), lm) == accented


def test_uppercase_header_numbers_and_symbols(lm):
    bare = "TINH UY QUANG NGAI\nSo: 19-CT/TU\nQuang Ngai, ngay 18 thang 5 nam 2022\nNghi dinh 30/2020/ND-CP\n"
    assert restore(bare, lm) == (
        "TỈNH ỦY QUẢNG NGÃI\nSố: 19-CT/TU\nQuảng Ngãi, ngày 18 tháng 5 năm 2022\nNghị định 30/2020/NĐ-CP\n")


@pytest.mark.parametrize("name", ["000_ee557d941187270d.txt", "001_3c09d191f023b9d0.txt",
                                  "002_4c264a809eab9d5c.txt", "004_89a0b78238afcc72.txt"])
def test_accented_documents_pass_through_untouched(lm, name):
    text = (SAMPLES / name).read_text("utf-8")
    assert restore(text, lm) == text


_BARE_TEXT = st.text(alphabet=st.sampled_from(list("abcdeghiklmnopqrstuvxyADGHNQTU 0123456789.,;:/-\n")),
                     max_size=200)


@settings(max_examples=150, deadline=None)
@given(_BARE_TEXT)
def test_only_marks_are_added(lm, bare):
    assert strip_marks(restore(bare, lm)) == bare


@settings(max_examples=150, deadline=None)
@given(_BARE_TEXT)
def test_restoring_twice_equals_restoring_once(lm, bare):
    once = restore(bare, lm)
    assert restore(once, lm) == once


def test_cli_reads_stdin(runner):
    result = runner.invoke(main, ["restore", "-"], input="Kinh gui: Giam doc So Thong tin va Truyen thong\n")
    assert result.exit_code == 0
    assert result.stdout == "Kính gửi: Giám đốc Sở Thông tin và Truyền thông\n"


def test_wrong_model_ocr_sample_header(runner, gold):
    """Sample 003 (a PDF OCRed with an English model) gives its header after restoration."""
    result = runner.invoke(main, ["extract", str(SAMPLES / S003), "--json"])
    record = json.loads(result.stdout)
    fields = ("doc_type", "number", "symbol", "issue_date", "place", "issuer")
    assert {f: record[f] for f in fields} == {f: gold[S003][f] for f in fields}
    assert record["source"]["method"] == "restored"
    assert record["source"]["ingest_version"].endswith("+restore-3")


def test_wrong_language_ocr_is_restored(lm):
    """Text this test writes, printed and read with Tesseract's English model, then restored."""
    from vanthu.ingest.garble import aligned_accuracy, garbled_pairs

    text = ("Ủy ban nhân dân tỉnh yêu cầu các sở, ban, ngành và Ủy ban nhân dân các huyện khẩn trương "
            "rà soát, tổng hợp kết quả thực hiện nhiệm vụ chuyển đổi số năm 2023, báo cáo về Sở Thông "
            "tin và Truyền thông trước ngày 15 tháng 11 năm 2023 để tổng hợp, tham mưu Chủ tịch Ủy ban "
            "nhân dân tỉnh chỉ đạo. Giao Văn phòng Ủy ban nhân dân tỉnh theo dõi, đôn đốc việc thực hiện.")
    pairs = garbled_pairs(text, 20, jobs=1)
    assert pairs, "Tesseract read a different number of lines than were printed"
    garbled = " ".join(g for g, _ in pairs).split()
    truth = " ".join(t for _, t in pairs).split()
    restored = restore(" ".join(garbled), lm).split()

    assert aligned_accuracy(garbled, truth) < 0.5  # the English model loses most marks ...
    assert aligned_accuracy(restored, truth) >= 0.9  # ... and restoration puts them back


def test_wrong_model_ocr_sample_reads_as_vietnamese(runner):
    result = runner.invoke(main, ["text", str(SAMPLES / S003)])
    assert result.exit_code == 0
    assert "Quyết định số 749/QB-TTg ngày 03/6/2020" in result.stdout
    assert "của Đảng đối với chuyển đổi số" in result.stdout
    assert result.stderr.startswith(f"vanthu: warning: {SAMPLES / S003}: text has few Vietnamese diacritics")


def test_model_api_for_ocr(lm):
    """What OCR uses to choose between readings of a line: known words, sequence scores."""
    assert lm.known("Đảng,") and lm.known("CHUYỂN") and not lm.known("cuwdng")
    right = lm.sequence_logprob("chuyển đổi số quốc gia".split())
    assert right > lm.sequence_logprob("chuyển đối số quốc gia".split()) + 2
    # An unknown word costs a fixed penalty, so lines of equal length stay comparable.
    assert right > lm.sequence_logprob("chuyển đổi sồx quốc gia".split()) > -40


def test_accented_text_never_loads_the_model():
    text = (SAMPLES / "000_ee557d941187270d.txt").read_text("utf-8")
    assert restore(text, lambda: pytest.fail("the model was loaded for accented text")) == text


def test_cli_without_a_model(runner, tmp_path, monkeypatch):
    """No model file: unaccented text cannot be restored (exit 2, the fix named); accented passes."""
    monkeypatch.setenv("VANTHU_MODELS", str(tmp_path))
    from vanthu.ingest.lm import default_model
    default_model.cache_clear()
    try:
        result = runner.invoke(main, ["restore", "-"], input="Kinh gui: Giam doc So Tai chinh\n")
        assert result.exit_code == 2
        assert "make model" in result.stderr
        accented = "Kính gửi: Giám đốc Sở Tài chính\n"
        result = runner.invoke(main, ["restore", "-"], input=accented)
        assert (result.exit_code, result.stdout) == (0, accented)
    finally:
        default_model.cache_clear()


def test_names_inside_a_line_take_their_capitalized_spelling(lm):
    """A Capitalized word inside a line is likelier a unit or place: "Sở", not "số"."""
    assert restore("Giao So Tai chinh chu tri, bao cao so lieu truoc ngay 15/10.\n", lm) == (
        "Giao Sở Tài chính chủ trì, báo cáo số liệu trước ngày 15/10.\n")


@pytest.mark.parametrize("bare, accented", [
    ("CONG HOA XA HOI CHU NGHIA VIET NAM", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
    ("Doc lap - Tu do - Hanh phuc", "Độc lập - Tự do - Hạnh phúc"),
    ("Noi nhan:", "Nơi nhận:"),
    ("- Nhu tren;", "- Như trên;"),
    ("KT. CHU TICH", "KT. CHỦ TỊCH"),
    ("PHO CHU TICH", "PHÓ CHỦ TỊCH"),
    ("TM. UY BAN NHAN DAN", "TM. ỦY BAN NHÂN DÂN"),
])
def test_short_form_lines(lm, bare, accented):
    assert restore(bare + "\n", lm) == accented + "\n"


@pytest.mark.parametrize("first_line", ["TH TUGNG CHINH PH", "TH TƯNG CHÍNH PH"])
def test_capitals_that_dropped_their_marked_letters(lm, first_line):
    """Latin models drop a capital with a hook or horn ("TH TƯNG CHÍNH PH", issue 15) and
    read ô, ơ as 6: the channel and the language model put them back."""
    garbled = (f"{first_line}\nS6: 12/CD-TTg Ha N6i, ngay 05 thang 3 nam 2024\n"
               "Kinh gri: cac B6 truéng, Thu truéng co quan ngang b6\n")
    assert restore(garbled, lm) == ("THỦ TƯỚNG CHÍNH PHỦ\nSố: 12/CĐ-TTg Hà Nội, ngày 05 tháng 3 năm 2024\n"
                                    "Kính gửi: các Bộ trưởng, Thủ trưởng cơ quan ngang bộ\n")


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.text("thuưcọựnĐD", max_size=6), st.sampled_from(["thuc", "Pang", "", "tlnrc", "thuc"])),
                max_size=12))
def test_the_channel_score_of_a_run_of_candidates_equals_their_alignment(pairs):
    """Restoration scores candidates with rows shared by prefix (`Transducer.score`); each
    score is the alignment's, whatever the order of candidates and garbled words."""
    from vanthu.ingest.channel import Transducer

    channel = Transducer({"ư": Counter({"u": 5, "w": 2, "uw": 3}), "Đ": Counter({"P": 4, "D": 6}),
                          "ự": Counter({"u": 3, "uj": 2})})
    for true, garbled in pairs:
        assert channel.score(true, garbled) == channel.align(true, garbled)[0]
