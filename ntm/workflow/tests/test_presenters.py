"""The workflow pages' wording (`ntm.workflow.presenters`): due marks, why a commune is at risk, and pace
projections, in Vietnamese number format by default and in English."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import translation

from ntm.core.projection import Outlook, Projection
from ntm.core.risk import Due, Reason, Risk
from ntm.workflow.presenters import due_label, projection_text, risk_reasons, signed


@pytest.fixture(autouse=True)
def vietnamese():
    with translation.override("vi"):
        yield


@pytest.mark.parametrize(
    ("state", "vi", "en"),
    [(Due.OVERDUE, "quá hạn", "overdue"), (Due.DUE_SOON, "sắp đến hạn", "due soon"), (Due.DONE, "đã xong", "done"),
     (Due.NO_DUE_DATE, "chưa đặt hạn", "no due date"), (Due.ON_TRACK, "", "")],
)
def test_each_due_state_has_its_mark_and_on_track_needs_none(state, vi, en):
    assert due_label(state) == vi
    with translation.override("en"):
        assert due_label(state) == en


def test_risk_reasons_name_the_hard_criteria_and_count_what_is_unmet():
    risk = Risk(True, (Reason.SHORT_OF_TIME, Reason.HARD_CRITERION), months_left=4, unmet=("1", "10", "13"),
                hard_unmet=("10", "13"))

    assert risk_reasons(risk, {"10": "10. Thu nhập"}) == [
        "Còn 3 tiêu chí chưa đạt, chỉ còn 4 tháng",
        "Tiêu chí khó chưa đạt: 10. Thu nhập, 13",  # a criterion without a name is shown by its code
    ]
    with translation.override("en"):
        assert risk_reasons(risk, {"10": "10. Income"}) == ["3 criteria unmet with only 4 months left",
                                                             "Hard criteria unmet: 10. Income, 13"]


def test_a_passed_target_year_is_its_own_reason_and_no_risk_says_nothing():
    passed = Risk(True, (Reason.YEAR_PASSED,), months_left=0, unmet=("5",), hard_unmet=())

    assert risk_reasons(passed, {}) == ["Đã hết năm mục tiêu, còn 1 tiêu chí chưa đạt"]
    assert risk_reasons(Risk(False, (), months_left=18, unmet=(), hard_unmet=()), {}) == []


@pytest.mark.parametrize(
    ("value", "vi"),
    [(Decimal("4.23"), "+4,2"), (Decimal("-0.56"), "−0,6"), (Decimal("0"), "+0"), (Decimal("1234.5"), "+1.234,5"),
     (Decimal("-0.04"), "−0")],
    ids=["rounded to a tenth", "a true minus sign", "zero is not negative", "grouped thousands",
         "a tiny fall rounds to zero but keeps its sign"],
)
def test_a_pace_is_signed_and_rounded_to_a_tenth(value, vi):
    assert signed(value) == vi


def test_the_english_pace_uses_english_separators():
    with translation.override("en"):
        assert signed(Decimal("1234.56")) == "+1,234.6"


@pytest.mark.parametrize(
    ("projection", "unit", "vi"),
    [
        (Projection(Outlook.ON_PACE, year=2026, pace=Decimal("4.2")), "triệu đồng/người/năm",
         "Thu nhập: đạt năm 2026 với tốc độ +4,2 triệu đồng/người/năm mỗi năm"),
        (Projection(Outlook.ON_PACE, year=2027, pace=Decimal("1.5")), "",
         "Thu nhập: đạt năm 2027 với tốc độ +1,5 mỗi năm"),
        (Projection(Outlook.TOO_SHORT), "%", "Thu nhập: chuỗi số liệu quá ngắn (dưới 2 năm) để ước tính"),
        (Projection(Outlook.NOT_IMPROVING, pace=Decimal("-2.35")), "%", "Thu nhập: không cải thiện (−2,4 % mỗi năm)"),
        (Projection(Outlook.NOT_IMPROVING), "%", "Thu nhập: không cải thiện (+0 % mỗi năm)"),
        (Projection(Outlook.MET, year=2024, latest=Decimal("68.20")), "%", "Thu nhập: đã đạt (68,2 %)"),
        (Projection(Outlook.NOT_NUMERIC), "", ""),
    ],
    ids=["on pace", "on pace without a unit", "too short", "moving away", "flat", "met", "a verdict has no projection"],
)
def test_a_projection_is_put_into_words(projection, unit, vi):
    assert projection_text("Thu nhập", unit, projection) == vi


def test_a_projection_reads_in_english():
    with translation.override("en"):
        text = projection_text("Income", "million VND", Projection(Outlook.ON_PACE, year=2026, pace=Decimal("4.2")))

    assert text == "Income: met in 2026 at +4.2 million VND a year"
