from datetime import date

import pytest

from ntm.core.risk import Due, Reason, assess_risk, due_state, is_overdue, months_left

ARTICLE_DAY = date(2024, 5, 8)  # Báo Long An, 08/05/2024
HARD = ("1", "10", "13", "14")


@pytest.mark.parametrize(("target_year", "today", "expected"), [
    (2024, date(2024, 5, 8), 8),
    (2024, date(2024, 12, 31), 1),
    (2024, date(2025, 1, 1), 0),
    (2025, date(2024, 5, 8), 20),
])
def test_months_left_count_the_current_month_and_stop_at_zero(target_year, today, expected):
    assert months_left(target_year, today=today) == expected


@pytest.mark.parametrize(("unmet", "today", "reasons"), [
    ((), ARTICLE_DAY, ()),
    (("2",), ARTICLE_DAY, ()),
    (("2", "5", "17"), ARTICLE_DAY, ()),  # 3 × 2 months ≤ 8 months left
    (("2", "5", "17", "19", "6"), ARTICLE_DAY, (Reason.SHORT_OF_TIME,)),  # 10 months needed
    (("2",), date(2024, 12, 1), (Reason.SHORT_OF_TIME,)),  # 1 month left < 2 needed
    (("10",), ARTICLE_DAY, (Reason.HARD_CRITERION,)),
    (("1", "13", "10", "14"), date(2024, 11, 1), (Reason.SHORT_OF_TIME, Reason.HARD_CRITERION)),
    (("2",), date(2025, 2, 1), (Reason.YEAR_PASSED,)),
])
def test_a_commune_is_at_risk_when_time_is_short_or_a_hard_criterion_is_unmet(unmet, today, reasons):
    risk = assess_risk(unmet, target_year=2024, today=today, hard=HARD)
    assert risk.reasons == reasons
    assert risk.at_risk is bool(reasons)


def test_the_hard_unmet_criteria_are_named_in_the_order_given():
    risk = assess_risk(["13", "2", "1"], target_year=2024, today=ARTICLE_DAY, hard=HARD)
    assert risk.hard_unmet == ("13", "1")


def test_months_per_criterion_can_be_tuned():
    assert not assess_risk(["2", "5", "6"], target_year=2024, today=ARTICLE_DAY, months_per_criterion=2).at_risk
    assert assess_risk(["2", "5", "6"], target_year=2024, today=ARTICLE_DAY, months_per_criterion=3).at_risk


@pytest.mark.parametrize(("due", "done", "today", "overdue"), [
    (date(2024, 4, 30), False, ARTICLE_DAY, True),
    (date(2024, 4, 30), True, ARTICLE_DAY, False),
    (date(2024, 5, 8), False, ARTICLE_DAY, False),  # the due day itself is not late yet
    (date(2024, 6, 30), False, ARTICLE_DAY, False),
    (None, False, ARTICLE_DAY, False),
])
def test_overdue_means_past_due_and_not_done(due, done, today, overdue):
    assert is_overdue(due, done, today=today) is overdue


@pytest.mark.parametrize(("due", "done", "state"), [
    (date(2024, 5, 7), False, Due.OVERDUE),
    (date(2024, 5, 8), False, Due.DUE_SOON),
    (date(2024, 5, 22), False, Due.DUE_SOON),  # 14 days ahead
    (date(2024, 5, 23), False, Due.ON_TRACK),
    (date(2024, 5, 1), True, Due.DONE),
    (None, False, Due.NO_DUE_DATE),
])
def test_due_state_marks_overdue_and_due_within_fourteen_days(due, done, state):
    assert due_state(due, done, today=ARTICLE_DAY) is state
