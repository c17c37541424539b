"""Folding unit names for search: a name typed with or without diacritics, in either Unicode form, with
odd spacing, finds the same unit; a division prefix ("Xã", "Thị trấn") is split off the name."""

from __future__ import annotations

import unicodedata

import pytest

from ntm.units.text import fold, split_prefix


@pytest.mark.parametrize(
    ("typed", "folded"),
    [
        ("Xã Quê Mỹ Thạnh", "xa que my thanh"),
        ("ĐẮK LẮK", "dak lak"),
        ("Đồng Tháp", "dong thap"),
        ("Phường Ngũ Hành Sơn", "phuong ngu hanh son"),
        ("Tỉnh Bà Rịa - Vũng Tàu", "tinh ba ria vung tau"),
        ("  Xã\tEa\u00a0Kar  ", "xa ea kar"),
        ("Xã Ea H’Leo", "xa ea h'leo"),
        ("", ""),
    ],
    ids=["marks", "capital Đ", "đ", "horn and breve", "hyphen", "tabs and no-break spaces", "curly apostrophe",
         "empty"],
)
def test_a_name_folds_to_lower_case_without_diacritics(typed, folded):
    assert fold(typed) == folded


def test_composed_and_decomposed_spellings_fold_alike():
    name = "Xã Thượng Ấm"
    assert fold(unicodedata.normalize("NFD", name)) == fold(unicodedata.normalize("NFC", name)) == "xa thuong am"


@pytest.mark.parametrize(
    ("name", "split"),
    [
        ("Xã Quê Mỹ Thạnh", ("xa", "que my thanh")),
        ("xa que my thanh", ("xa", "que my thanh")),
        ("Thị trấn Cái Bè", ("thi tran", "cai be")),
        ("Thị xã Gò Công", ("thi xa", "go cong")),
        ("Thành phố Hồ Chí Minh", ("thanh pho", "ho chi minh")),
        ("Thành phố trung ương Cần Thơ", ("thanh pho trung uong", "can tho")),
        ("Đặc khu Phú Quốc", ("dac khu", "phu quoc")),
        ("Phường 1", ("phuong", "1")),
        ("Quê Mỹ Thạnh", ("", "que my thanh")),
        ("Xuân Thới Sơn", ("", "xuan thoi son")),
        ("Xã", ("", "xa")),
        ("", ("", "")),
    ],
    ids=["commune", "typed without marks", "township before town", "town", "city", "longest prefix first",
         "special zone", "numbered ward", "no prefix", "a name starting like xã", "the prefix alone", "empty"],
)
def test_a_division_prefix_is_split_off_folded(name, split):
    assert split_prefix(name) == split
