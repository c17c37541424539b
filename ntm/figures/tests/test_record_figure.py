from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model

from ntm.evaluation.models import CriterionResult, UnitResult
from ntm.figures.actions import FigureInput, FigureRejected, StaleFigure, record_figure, record_figures
from ntm.figures.models import Figure
from ntm.units.models import Unit

NTMNC = "commune-ntmnc-2021-2025"


@pytest.fixture
def que_my_thanh(demo) -> Unit:
    return Unit.objects.get(key="c28084")


@pytest.fixture
def official(db):
    return get_user_model().objects.create_user("can_bo_qmt", password="x")


def income(unit: Unit, value: str) -> FigureInput:
    return FigureInput(unit=unit, criteria_set=NTMNC, indicator="10.1", year=2024, value=Decimal(value))


def current_income(unit: Unit) -> Figure:
    return Figure.objects.get(unit=unit, criteria_set=NTMNC, indicator="10.1", year=2024, superseded_at=None)


def test_a_correction_keeps_the_earlier_value_in_the_history(que_my_thanh, official):
    before = current_income(que_my_thanh)
    record_figure(income(que_my_thanh, "76.0"), by=official, expected_current=before.pk)
    history = Figure.objects.filter(unit=que_my_thanh, criteria_set=NTMNC, indicator="10.1", year=2024)
    history = history.order_by("entered_at", "pk")
    assert [f.value for f in history] == [Decimal("68.2"), Decimal("76.0")]
    assert history[0].superseded_at is not None and history[1].superseded_at is None
    assert history[1].entered_by == official


def test_saving_a_figure_refreshes_the_communes_stored_result(que_my_thanh, official):
    record_figure(income(que_my_thanh, "76.0"), by=official)
    result = UnitResult.objects.get(unit=que_my_thanh, criteria_set=NTMNC, year=2024)
    assert (result.met, result.total) == (16, 19)
    crit = CriterionResult.objects.get(unit=que_my_thanh, criteria_set=NTMNC, year=2024, criterion="10")
    assert crit.status == "met"


def test_second_editor_is_shown_the_newer_value_instead_of_overwriting_it(que_my_thanh, official):
    seen = current_income(que_my_thanh).pk
    record_figure(income(que_my_thanh, "70.0"), by=official, expected_current=seen)
    with pytest.raises(StaleFigure) as stale:
        record_figure(income(que_my_thanh, "80.0"), by=official, expected_current=seen)
    assert stale.value.current.value == Decimal("70.0")
    assert current_income(que_my_thanh).value == Decimal("70.0")


@pytest.mark.parametrize(
    ("item", "message"),
    [
        ({"indicator": "99.9", "value": Decimal(1)}, "99.9"),
        ({"indicator": "10.1", "value": Decimal(-5)}, "ngoài khoảng"),
        ({"indicator": "13.0", "value": Decimal(1)}, "chỉ nhận kết luận"),
        ({"indicator": "10.1"}, "cần một giá trị"),
    ],
)
def test_bad_figures_are_refused_with_what_and_where(que_my_thanh, item, message):
    before = Figure.objects.count()
    with pytest.raises(FigureRejected, match=message):
        record_figure(FigureInput(unit=que_my_thanh, criteria_set=NTMNC, year=2024, **item))
    assert Figure.objects.count() == before


def test_a_batch_with_one_bad_row_writes_nothing(que_my_thanh):
    before = list(Figure.objects.values_list("pk", "superseded_at"))
    with pytest.raises(FigureRejected):
        record_figures([income(que_my_thanh, "80"), income(que_my_thanh, "-1")])
    assert list(Figure.objects.values_list("pk", "superseded_at")) == before


def test_a_verdict_counts_where_no_threshold_is_known(que_my_thanh):
    record_figure(FigureInput(unit=que_my_thanh, criteria_set=NTMNC, indicator="13.0", year=2024, verdict=True,
                              judged_by="Phòng NN&PTNT huyện"))
    crit = CriterionResult.objects.get(unit=que_my_thanh, criteria_set=NTMNC, year=2024, criterion="13")
    assert crit.status == "met"
    assert crit.indicators[0]["basis"] == "verdict"
