from decimal import Decimal as D

import pytest

from ntm.core.projection import Outlook, pace, project


@pytest.mark.parametrize(("history", "threshold", "comparison", "outlook", "year"), [
    # Quê Mỹ Thạnh's income (demo): 64,0 → 68,2, threshold 75: +4,2 a year, 6,8 short → 2026.
    ({2023: D("64.0"), 2024: D("68.2")}, D("75"), ">=", Outlook.ON_PACE, 2026),
    ({2023: D("90.4"), 2024: D("91.5")}, D("95"), ">=", Outlook.ON_PACE, 2028),
    ({2024: D("68.2")}, D("75"), ">=", Outlook.TOO_SHORT, None),
    ({}, D("75"), ">=", Outlook.TOO_SHORT, None),
    ({2023: D("70"), 2024: D("68.2")}, D("75"), ">=", Outlook.NOT_IMPROVING, None),
    ({2023: D("68.2"), 2024: D("68.2")}, D("75"), ">=", Outlook.NOT_IMPROVING, None),
    ({2023: D("70"), 2024: D("76")}, D("75"), ">=", Outlook.MET, 2024),
    # "at most": the poverty rate falling 1 point a year from 4 to a 2 % ceiling → 2026.
    ({2023: D("5"), 2024: D("4")}, D("2"), "<=", Outlook.ON_PACE, 2026),
    ({2023: D("3"), 2024: D("4")}, D("2"), "<=", Outlook.NOT_IMPROVING, None),
    ({2023: D("1"), 2024: D("4")}, D("4"), "=", Outlook.NOT_NUMERIC, None),
])
def test_the_year_a_value_meets_its_threshold_at_its_current_pace(history, threshold, comparison, outlook, year):
    result = project(history, threshold=threshold, comparison=comparison)
    assert result.outlook is outlook
    assert result.year == year


@pytest.mark.parametrize(("history", "expected"), [
    ({2023: D("64.0"), 2024: D("68.2")}, D("4.2")),
    ({2020: D("50"), 2021: D("52"), 2022: D("54")}, D("2")),
    ({2019: D("10"), 2022: D("50"), 2023: D("52"), 2024: D("54")}, D("2")),  # only the last three years
    ({2022: D("60"), 2024: D("64")}, D("2")),  # a missing year is not a year of no change
    ({2024: D("60")}, None),
])
def test_pace_is_the_slope_per_year_of_the_last_values(history, expected):
    assert pace(history) == expected


def test_a_projection_keeps_the_pace_and_years_it_used():
    result = project({2022: D("60"), 2023: D("62"), 2024: D("64")}, threshold=D("75"), comparison=">=")
    assert (result.pace, result.latest, result.years_used, result.year) == (D("2"), D("64"), (2022, 2023, 2024), 2030)
