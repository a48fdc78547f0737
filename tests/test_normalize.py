"""Normalization rules, one test each."""

from __future__ import annotations

import pytest

from extract.models import RawDate, Spanned
from normalize.dates import iso_date
from normalize.organizations import canonical_organization, expand_abbreviations
from normalize.symbols import doc_type_from_symbol, symbol_key


@pytest.mark.parametrize("printed, canonical", [
    ("ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI", "Ủy ban nhân dân tỉnh Quảng Ngãi"),
    ("UBND TỈNH QUẢNG NGÃI", "Ủy ban nhân dân tỉnh Quảng Ngãi"),
    ("UỶ BAN NHÂN DÂN THÀNH PHỐ HỒ CHÍ MINH", "Ủy ban nhân dân thành phố Hồ Chí Minh"),
    ("SỞ KHOA HỌC VÀ CÔNG NGHỆ", "Sở Khoa học và Công nghệ"),
    ("SỞ TT&TT", "Sở Thông tin và Truyền thông"),
    ("BỘ THÔNG TIN VÀ TRUYỀN THÔNG", "Bộ Thông tin và Truyền thông"),
    ("TỈNH ỦY QUẢNG NGÃI", "Tỉnh ủy Quảng Ngãi"),
    ("HĐND HUYỆN BÌNH SƠN", "Hội đồng nhân dân huyện Bình Sơn"),
    ("ỦY BAN NHÂN DÂN XÃ TỊNH HÒA", "Ủy ban nhân dân xã Tịnh Hòa"),
    ("Sở Tài chính", "Sở Tài chính"),
])
def test_canonical_organization(printed, canonical):
    assert canonical_organization(printed) == canonical


def test_abbreviations_only_as_whole_tokens():
    assert expand_abbreviations("UBND tỉnh") == "Ủy ban nhân dân tỉnh"
    assert expand_abbreviations("Trung tâm CNTT") == "Trung tâm công nghệ thông tin"
    assert expand_abbreviations("UBNDX") == "UBNDX"
    assert expand_abbreviations("VPUB") == "Văn phòng Ủy ban nhân dân"


@pytest.mark.parametrize("symbol, doc_type", [
    ("QĐ-UBND", "Quyết định"), ("QÐ-TTg", "Quyết định"), ("CT/TU", "Chỉ thị"),
    ("KH-UBND", "Kế hoạch"), ("TB-VPCP", "Thông báo"), ("TTr-SNV", "Tờ trình"),
    ("CV/VPTW", "Công văn"), ("2020/NĐ-CP", "Nghị định"), ("15/2023/TT-BTC", "Thông tư"),
    ("TT/TU", "Thông tri"), ("TT-BTC", "Thông tư"), ("UBND-KGVX", None), ("SKHCN-BCVT&CĐS", None),
    ("GM-UBND", "Giấy mời"), ("CĐ-UBND", "Công điện"),
])
def test_doc_type_from_symbol(symbol, doc_type):
    assert doc_type_from_symbol(symbol) == doc_type


def test_symbol_key_matches_lookalikes_and_unaccented():
    assert symbol_key("QĐ-TTg") == symbol_key("QD-TTg") == symbol_key("QÐ-TTg") == "QD-TTG"


def span() -> Spanned:
    return Spanned(value="ngày …", start=0, end=6)


@pytest.mark.parametrize("day, month, year, iso, warned", [
    (3, 10, 2023, "2023-10-03", False),
    (None, 1, 2024, "2024-01", True),
    (None, None, 2024, "2024", True),
    (31, 2, 2024, None, True),
    (5, 13, 2024, None, True),
])
def test_iso_date(day, month, year, iso, warned):
    warnings: list[str] = []
    assert iso_date(RawDate(day=day, month=month, year=year, span=span()), "date", warnings) == iso
    assert bool(warnings) == warned
