"""Numbers as officials type them: Vietnamese first, English accepted, nothing guessed."""

from decimal import Decimal

import pytest
from django.utils import translation

from ntm.figures.parsing import NumberUnreadable, editable_text, parse_number


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
