"""The levels a commune is evaluated at: their order (a model commune also holds NTMNC and NTM) and their
names in Vietnamese and English, and what a page shows for a level code it does not know."""

from __future__ import annotations

import pytest

from ntm.core import levels


def test_levels_go_from_the_lowest_to_the_highest():
    assert levels.CODES == ("ntm", "ntmnc", "model")
    assert [levels.rank(code) for code in levels.CODES] == [0, 1, 2]
    assert levels.DEFAULT == "ntm"


def test_an_unknown_level_sorts_after_the_known_ones_then_by_code():
    codes = ["tinh-rieng", "model", "ntm", "a-moi", "ntmnc"]

    assert sorted(codes, key=levels.sort_key) == ["ntm", "ntmnc", "model", "a-moi", "tinh-rieng"]
    assert levels.rank("tinh-rieng") == len(levels.CODES)


@pytest.mark.parametrize(
    ("code", "vi", "en"),
    [
        ("ntm", ("NTM", "Nông thôn mới (NTM)", "nông thôn mới"), ("NTM", "New rural (NTM)", "new rural")),
        ("ntmnc", ("NTMNC", "Nông thôn mới nâng cao (NTMNC)", "nông thôn mới nâng cao"),
         ("NTMNC", "Advanced new rural (NTMNC)", "advanced new rural")),
        ("model", ("NTM kiểu mẫu", "Nông thôn mới kiểu mẫu", "nông thôn mới kiểu mẫu"),
         ("Model NTM", "Model new rural", "model new rural")),
    ],
)
def test_each_level_has_a_short_name_a_full_name_and_a_phrase_in_both_languages(code, vi, en):
    assert (levels.short(code), levels.name(code), levels.phrase(code)) == vi
    assert (levels.short(code, english=True), levels.name(code, english=True),
            levels.phrase(code, english=True)) == en
    assert levels.get(code).short() == vi[0]


def test_an_unknown_level_is_shown_by_its_code_never_dropped():
    assert levels.get("ntm-special") is None
    assert levels.short("ntm-special") == "NTM-SPECIAL"
    assert levels.name("ntm-special", english=True) == "NTM-SPECIAL"
    assert levels.phrase("ntm-special") == "ntm-special"  # inside a sentence: as written
