"""Orthography helpers: folding keeps offsets, tone placement follows official style."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from vanthu.knowledge.orthography import fold, has_marks, nfc, place_tone_marks, strip_marks

VIETNAMESE = st.text(alphabet="aăâbcdđeêghiklmnoôơpqrstuưvxyàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩị"
                              "òóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵĐÁÀỦỸ .,;-/0123456789\n")


@given(VIETNAMESE)
def test_fold_keeps_length_so_spans_map_back(text):
    assert len(fold(nfc(text))) == len(nfc(text))


@given(VIETNAMESE)
def test_fold_is_idempotent_and_mark_free(text):
    folded = fold(text)
    assert fold(folded) == folded
    assert not has_marks(folded)


@given(VIETNAMESE)
def test_tone_placement_is_idempotent_and_keeps_letters(text):
    once = place_tone_marks(text)
    assert place_tone_marks(once) == once
    assert fold(once) == fold(nfc(text))  # only mark positions move; nothing is lost


@pytest.mark.parametrize("given_text, expected", [
    ("hoà", "hòa"), ("thuỷ", "thủy"), ("khoẻ", "khỏe"), ("UỶ BAN", "ỦY BAN"),
    ("hoàn", "hoàn"), ("quý", "quý"), ("già", "già"), ("người", "người"), ("khuya", "khuya"),
    ("Nguyễn", "Nguyễn"), ("quỳnh", "quỳnh"), ("tuyển", "tuyển"), ("ngoài", "ngoài"),
])
def test_traditional_tone_placement(given_text, expected):
    assert place_tone_marks(given_text) == expected


def test_nfc_and_lookalike_eth():
    assert nfc(unicodedata.normalize("NFD", "Quyết định")) == "Quyết định"
    assert nfc("QÐ-TTg") == "QĐ-TTg"  # U+00D0 looks like Đ but is not


def test_strip_marks_keeps_case():
    assert strip_marks("TỈNH ỦY Quảng Ngãi, Đảng") == "TINH UY Quang Ngai, Dang"
