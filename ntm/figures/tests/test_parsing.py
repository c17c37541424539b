"""Numbers as officials type them: Vietnamese first, English accepted, nothing guessed."""

from decimal import Decimal

import pytest
from django.utils import translation

from ntm.figures.parsing import NumberUnreadable, editable_text, parse_figure, parse_number, with_bound


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("68,2", "68.2"),
        ("68.2", "68.2"),
        ("1.234,5", "1234.5"),
        ("1,234.5", "1234.5"),
        ("76", "76"),
        (" 1 234,5 ", "1234.5"),
        ("1.234.567", "1234567"),
        ("0,125", "0.125"),
        ("-3,5", "-3.5"),
        ("1,2340", "1.234"),
    ],
)
def test_vietnamese_and_english_numbers_are_read(typed, expected):
    assert parse_number(typed) == Decimal(expected)


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("abc", "không phải là số"),
        ("", "Chưa nhập số"),
        ("1,2,3", "đặt sai chỗ"),
        ("1..2", "đặt sai chỗ"),
        ("5,", "đặt sai chỗ"),
        ("1.234,5,6", "đặt sai chỗ"),
        ("1.234", "vừa có thể là số nguyên 1234"),
        ("2,500", "vừa có thể là số nguyên 2500"),
        ("68,2%", "không phải là số"),
    ],
)
def test_garbled_or_ambiguous_text_is_refused_with_a_reason(typed, says):
    with translation.override("vi"), pytest.raises(NumberUnreadable, match=says):
        parse_number(typed)


@pytest.mark.parametrize(
    ("stored", "shown"),
    [("68.2000", "68,2"), ("76.0000", "76"), ("1234.5", "1234,5"), ("1.125", "1,1250"), ("0.5", "0,5")],
)
def test_a_stored_value_is_shown_in_a_form_that_reads_back_the_same(stored, shown):
    with translation.override("vi"):
        assert editable_text(Decimal(stored)) == shown
        assert parse_number(shown) == Decimal(stored)


@pytest.mark.parametrize(
    ("typed", "bound", "number"),
    [
        ("96,5", "", "96.5"),
        ("> 96", ">", "96"),
        (">96", ">", "96"),
        ("≥ 96", ">=", "96"),
        (">= 96", ">=", "96"),
        ("trên 96", ">", "96"),
        ("Trên 96,5", ">", "96.5"),
        ("tren 96", ">", "96"),
        ("hơn 96", ">", "96"),
        ("dưới 5", "<", "5"),
        ("< 5", "<", "5"),
        ("≤ 5", "<=", "5"),
        ("không quá 5", "<=", "5"),
        ("tối thiểu 90", ">=", "90"),
        ("từ 96 trở lên", ">=", "96"),
        ("từ 96% trở lên", ">=", "96"),
        ("5 trở xuống", "<=", "5"),
        ("> 96 %", ">", "96"),
        ("= 100", "", "100"),
        ("trên 1.234,5", ">", "1234.5"),
        ("above 96", ">", "96"),
        ("at least 96.5", ">=", "96.5"),
    ],
)
def test_a_bound_is_read_with_its_number(typed, bound, number):
    assert parse_figure(typed, percent=True) == (bound, Decimal(number))


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("khoảng 96", "“khoảng 96” không phải là số"),
        ("từ 96", "trên 96, dưới 5, từ 96 trở lên"),
        ("> 96 trở xuống", "không phải là số"),
        (">> 96", "không phải là số"),
        (">", "Chưa nhập số"),
        ("trên 1.234", "vừa có thể là số nguyên 1234"),
    ],
    ids=["an approximate value is not a bound", "“from 96” alone says neither above nor below",
         "two bounds that disagree", "a doubled sign", "a sign without a number", "an ambiguous number"],
)
def test_a_bound_that_cannot_be_read_is_refused_saying_why(typed, says):
    with pytest.raises(NumberUnreadable, match=says):
        parse_figure(typed, percent=True)


def test_a_percent_sign_is_read_only_for_a_percentage():
    with pytest.raises(NumberUnreadable):
        parse_figure("> 96 %", percent=False)


def test_a_bound_is_shown_with_its_symbol():
    assert (with_bound(">", "96 %"), with_bound(">=", "96"), with_bound("<=", "5"), with_bound("", "7")) == (
        "> 96 %", "≥ 96", "≤ 5", "7")
    for bound in ("", ">", ">=", "<", "<="):
        assert parse_figure(with_bound(bound, "96,5")) == (bound, Decimal("96.5"))
