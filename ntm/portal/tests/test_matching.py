"""The pure matching behind the search box: folding, every word required, exact > prefix > contains."""

from __future__ import annotations

import pytest

from ntm.portal.search import Rank, code_rank, fold, rank


@pytest.mark.parametrize(("typed", "name", "expected"), [
    ("que my thanh", "Quê Mỹ Thạnh", Rank.EXACT),
    ("Quê Mỹ Thạnh", "Quê Mỹ Thạnh", Rank.EXACT),
    ("QUE MY THANH", "Quê Mỹ Thạnh", Rank.EXACT),
    ("binh trinh dong", "Bình Trinh Đông", Rank.EXACT),
    ("duc tan", "Đức Tân", Rank.EXACT),
    ("que my", "Quê Mỹ Thạnh", Rank.PREFIX),
    ("binh tr", "Bình Trinh Đông", Rank.PREFIX),
    ("my thanh", "Quê Mỹ Thạnh", Rank.CONTAINS),
    ("nhap", "Thu nhập", Rank.CONTAINS),
    ("thanh que", "Quê Mỹ Thạnh", Rank.WORDS),
    ("dong binh", "Bình Trinh Đông", Rank.WORDS),
    ("  que   my  ", "Quê Mỹ Thạnh", Rank.PREFIX),
])
def test_a_name_matches_with_or_without_diacritics_and_is_ranked(typed, name, expected):
    assert rank(fold(typed), fold(name)) == expected


@pytest.mark.parametrize(("typed", "name"), [
    ("que xa", "Quê Mỹ Thạnh"),  # every word must be found
    ("hanh", "Quê Mỹ Thạnh"),  # a word must start a word of the name, not sit inside one
    ("binh dong tay", "Bình Trinh Đông"),
    ("", "Quê Mỹ Thạnh"),
])
def test_a_name_missing_a_word_does_not_match(typed, name):
    assert rank(fold(typed), fold(name)) is None


def test_exact_ranks_before_prefix_before_contains_before_words():
    names = ["Mỹ Thạnh Tây", "Quê Mỹ Thạnh", "Thạnh Mỹ", "Mỹ Thạnh"]
    ranked = sorted((r, n) for n in names if (r := rank(fold("my thanh"), fold(n))) is not None)

    assert [n for _r, n in ranked] == ["Mỹ Thạnh", "Mỹ Thạnh Tây", "Quê Mỹ Thạnh", "Thạnh Mỹ"]


@pytest.mark.parametrize(("typed", "code", "expected"), [
    ("10.1", "10.1", Rank.EXACT),
    ("10", "10.1", Rank.PREFIX),
    ("d4", "D4.2", Rank.PREFIX),
    ("1", "10.1", None),
    ("10.1", "10.11", None),
    ("", "10.1", None),
])
def test_codes_match_exactly_or_as_the_start_of_a_longer_code(typed, code, expected):
    assert code_rank(typed, code) == expected
