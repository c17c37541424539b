"""Dates and numbers as each language writes them (`ntm/formats`): day before month in both languages (a date
typed "05/03/2026" is the 5th of March on a Vietnamese and an English page alike), dots for thousands and a comma
for decimals in Vietnamese, and the reverse in English."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django import forms
from django.utils import formats, translation


class DayForm(forms.Form):
    day = forms.DateField(localize=True)
    at = forms.DateTimeField(localize=True)
    amount = forms.DecimalField(localize=True, decimal_places=2)


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_a_typed_date_is_day_first_in_both_languages(lang):
    with translation.override(lang):
        form = DayForm(data={"day": "05/03/2026", "at": "05/03/2026 14:30", "amount": "1"})
        assert form.is_valid(), form.errors

    assert form.cleaned_data["day"] == date(2026, 3, 5)
    at = form.cleaned_data["at"]
    assert (at.day, at.month, at.hour, at.minute) == (5, 3, 14, 30)


def test_an_iso_date_is_read_too():
    with translation.override("vi"):
        form = DayForm(data={"day": "2026-03-05", "at": "2026-03-05 08:00:00", "amount": "1"})
        assert form.is_valid() and form.cleaned_data["day"] == date(2026, 3, 5)


@pytest.mark.parametrize(
    ("lang", "typed", "amount"),
    [("vi", "1.234,5", Decimal("1234.5")), ("vi", "68,2", Decimal("68.2")), ("en", "1,234.5", Decimal("1234.5"))],
)
def test_a_typed_number_uses_the_languages_separators(lang, typed, amount):
    with translation.override(lang):
        form = DayForm(data={"day": "05/03/2026", "at": "05/03/2026 14:30", "amount": typed})
        assert form.is_valid(), form.errors

    assert form.cleaned_data["amount"] == amount


@pytest.mark.parametrize(
    ("lang", "long_date", "short_date", "number"),
    [("vi", "ngày 05 tháng 03 năm 2026", "05/03/2026", "1.234.567,5"),
     ("en", "5 March 2026", "05/03/2026", "1,234,567.5")],
)
def test_dates_and_numbers_are_written_the_languages_way(lang, long_date, short_date, number):
    with translation.override(lang):
        assert formats.date_format(date(2026, 3, 5)) == long_date
        assert formats.date_format(date(2026, 3, 5), "SHORT_DATE_FORMAT") == short_date
        assert formats.number_format(Decimal("1234567.5"), use_l10n=True, force_grouping=True) == number


def test_times_are_on_a_24_hour_clock_in_english_too():
    late = datetime(2026, 11, 29, 23, 9, tzinfo=UTC)
    with translation.override("en"):
        assert formats.date_format(late, "SHORT_DATETIME_FORMAT") == "29/11/2026 23:09"
    with translation.override("vi"):
        assert formats.date_format(late, "SHORT_DATETIME_FORMAT") == "23:09 29/11/2026"
