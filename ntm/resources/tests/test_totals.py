"""A district's mobilisation totals (`ntm.resources.selectors.district_totals`) on a few rows of their own:
criteria in their numeric order with the programme in general last, communes by name, the residents' share,
only unsettled debt, one district and one year at a time, and an empty year."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.utils import translation

from ntm.recognition.models import CapitalDebt
from ntm.resources.models import Funding, Source
from ntm.resources.selectors import district_totals, outstanding_debt, years
from ntm.units.models import Kind, Unit

SET = "commune-ntm-2021-2025"
NOW = datetime(2024, 6, 1, tzinfo=UTC)


@pytest.fixture
def place(db):
    tan_tru = Unit.objects.create(key="d805", code="805", name="Tân Trụ", division_type="huyện", kind=Kind.DISTRICT)
    other = Unit.objects.create(key="d806", code="806", name="Cần Đước", division_type="huyện", kind=Kind.DISTRICT)

    def commune(key, name, parent):
        return Unit.objects.create(key=key, code=key[1:], name=name, division_type="xã", kind=Kind.COMMUNE,
                                   parent=parent)

    return {"tan_tru": tan_tru, "qmt": commune("c28084", "Quê Mỹ Thạnh", tan_tru),
            "btd": commune("c28090", "Bình Trinh Đông", tan_tru), "lt": commune("c28120", "Long Trạch", other)}


def fund(commune, amount, source, criterion="", year=2024, demo=False):
    Funding.objects.create(commune=commune, criteria_set=SET, criterion=criterion, year=year, source=source,
                           amount=Decimal(amount), entered_at=NOW, is_demo=demo)


def test_totals_are_ordered_for_reading_and_count_the_residents_share(place):
    fund(place["qmt"], 600, Source.LOCAL_BUDGET, "10")
    fund(place["qmt"], 100, Source.RESIDENTS_LAND, "2")
    fund(place["btd"], 200, Source.RESIDENTS_LABOUR, "")
    fund(place["btd"], 100, Source.RESIDENTS_MONEY, "9")
    fund(place["lt"], 5000, Source.CREDIT, "2")  # another district
    fund(place["qmt"], 7000, Source.CENTRAL_BUDGET, "2", year=2023)  # another year

    with translation.override("vi"):
        totals = district_totals(place["tan_tru"], 2024)

    assert totals.total == 1000 and totals.residents == 400 and totals.residents_percent == 40.0
    assert [(line.key, line.amount) for line in totals.by_criterion] == [("2", 100), ("9", 100), ("10", 600),
                                                                         ("", 200)]
    assert [(line.label, line.amount) for line in totals.by_commune] == [("Xã Bình Trinh Đông", 300),
                                                                         ("Xã Quê Mỹ Thạnh", 700)]
    assert [line.label for line in totals.by_source] == [  # in the order of the sources' list
        "Ngân sách địa phương", "Người dân đóng góp tiền", "Người dân hiến đất (quy ra tiền)",
        "Người dân góp ngày công (quy ra tiền)"]
    assert not totals.demo


def test_a_year_without_funding_has_zero_totals_and_no_share(place):
    totals = district_totals(place["tan_tru"], 2025)

    assert (totals.total, totals.residents_percent, totals.by_commune, totals.demo) == (0, 0.0, (), False)


def test_demo_rows_mark_the_totals_as_demo(place):
    fund(place["qmt"], 10, Source.ENTERPRISES, "5", demo=True)

    assert district_totals(place["tan_tru"], 2024).demo


def test_only_unsettled_debt_is_outstanding_and_shown_with_its_commune(place):
    for amount, settled in ((300, None), (200, None), (999, date(2024, 3, 1))):
        CapitalDebt.objects.create(commune=place["qmt"], amount=Decimal(amount), description="Đường trục xã",
                                   as_of=date(2024, 1, 1), settled_on=settled)
    CapitalDebt.objects.create(commune=place["btd"], amount=Decimal(50), description="Trường học",
                               as_of=date(2024, 1, 1), settled_on=date(2024, 2, 1))
    fund(place["qmt"], 100, Source.LOCAL_BUDGET, "2")
    fund(place["btd"], 100, Source.LOCAL_BUDGET, "2")

    assert outstanding_debt([place["qmt"].pk, place["btd"].pk]) == {place["qmt"].pk: 500}
    lines = {line.key: line.debt for line in district_totals(place["tan_tru"], 2024).by_commune}
    assert lines == {"c28084": 500, "c28090": None}


def test_the_years_offered_are_the_districts_newest_first(place):
    fund(place["qmt"], 1, Source.CREDIT, year=2022)
    fund(place["btd"], 1, Source.CREDIT, year=2024)
    fund(place["qmt"], 1, Source.CREDIT, year=2024)
    fund(place["lt"], 1, Source.CREDIT, year=2025)

    assert years(place["tan_tru"]) == [2024, 2022]
