"""Builders for evaluation tests: units, figures recorded as an office would, results refreshed by the
real action. Browser tests import these too."""

from __future__ import annotations

import itertools
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone, translation

from ntm.accounts.models import Membership, Role
from ntm.catalog_source import get_catalog, reload_catalog
from ntm.catalogs.actions import check_text
from ntm.catalogs.models import CatalogVersion, State
from ntm.evaluation import store
from ntm.evaluation.actions import refresh_results
from ntm.figures.models import Figure
from ntm.units.models import Kind, Target, Unit

NTMNC = "commune-ntmnc-2021-2025"
YEAR = 2024
_codes = itertools.count(90001)


def build_province(name: str = "Long An") -> Unit:
    code = str(next(_codes))
    return Unit.objects.create(key=f"p{code}", code=code, name=name, division_type="tỉnh", kind=Kind.PROVINCE)


def build_district(name: str = "Tân Trụ", province: Unit | None = None) -> Unit:
    code = str(next(_codes))
    return Unit.objects.create(key=f"d{code}", code=code, name=name, division_type="huyện", kind=Kind.DISTRICT,
                               parent=province or build_province())


def build_commune(name: str, district: Unit, region: str = "DBSCL") -> Unit:
    code = str(next(_codes))
    return Unit.objects.create(key=f"c{code}", code=code, name=name, division_type="xã", kind=Kind.COMMUNE,
                               parent=district, region=region)


def record(unit: Unit, set_id: str, code: str, year: int, value: Decimal | str | float | None = None,
           verdict: bool | None = None, *, refresh: bool = True, **extra: object) -> Figure:
    """Record one current figure for an indicator, then refresh the stored results for that year."""
    figure = Figure.objects.create(unit=unit, criteria_set=set_id, indicator=code, year=year,
                                   value=None if value is None else Decimal(str(value)), verdict=verdict,
                                   entered_at=timezone.now(), **extra)
    if refresh:
        refresh_results(year)
    return figure


def meet_criteria(unit: Unit, count: int, *, set_id: str = NTMNC, year: int = YEAR, **extra: Any) -> None:
    """Record "met" verdicts for every indicator of the set's first `count` criteria (no refresh): the
    met/not-met ones, and the numbers for which the set that applies to the commune gives no level (an
    office records its verdict there). Numbers that have a level are left to the test."""
    catalog = get_catalog()
    province = unit.parent.parent.key if unit.parent and unit.parent.parent else ""
    cset = catalog.resolve(set_id, province, year)
    scope = unit.scope_for(cset.dimension)
    for crit in cset.criteria[:count]:
        for ind in crit.indicators:
            level = ind.threshold_for(scope, year) if ind.comparison.is_numeric else None
            if not ind.comparison.is_numeric or level is None or level.value is None:
                record(unit, set_id, ind.code, year, verdict=True, refresh=False, **extra)


OFFICE_LEVELS = """
schema: 1
id: test-levels-{key}
version: "2024.1"
base: commune-ntmnc-2021-2025
provinces: [{{key: {key}, name: "{name}"}}]
name_vi: "Mức do văn phòng tỉnh chép tạm (thử)"
name_en: "Levels an office transcribed provisionally (test)"
document: TEST-LEVELS
documents: [{{id: TEST-LEVELS, number: "01/QĐ-UBND (thử)", title_vi: "Văn bản thử"}}]
effective_from: 2022-03-08
source: {{status: provisional, note: "test"}}
thresholds:
  - {{indicator: "10.1", scope: DBSCL, year: 2023, value: 70, status: provisional, note: "chép tạm, chưa đối chiếu"}}
  - {{indicator: "10.1", scope: DBSCL, year: 2024, value: 75, status: provisional, note: "chép tạm, chưa đối chiếu"}}
  - {{indicator: "14.1", scope: DBSCL, value: 95, status: provisional, note: "chép tạm, chưa đối chiếu"}}
"""


def publish_office_levels(province: Unit) -> None:
    """The province's NTMNC income and health-insurance levels, transcribed provisionally by its office and
    published (the national set holds no such value): what the pages' tests judge against."""
    text = OFFICE_LEVELS.format(key=province.key, name=province.name)
    facts = check_text(text)
    CatalogVersion.objects.create(set_id=facts.set_id, version=facts.version, kind=facts.kind, base=facts.base,
                                  text=text, state=State.PUBLISHED, takes_effect=timezone.localdate())
    reload_catalog()


def target(unit: Unit, level: str = "ntmnc", year: int = YEAR, **extra: object) -> Target:
    return Target.objects.create(unit=unit, level=level, year=year, **extra)


@pytest.fixture(autouse=True)
def vietnamese():
    """Each test starts in Vietnamese: a request in English leaves the thread's language (and so
    `reverse()`'s /en/ prefix) behind."""
    with translation.override("vi"):
        yield


def build_user(username: str, role: Role, unit: Unit | None, department: str = ""):
    """A user with one role over `unit` (and what lies within it)."""
    user = get_user_model().objects.create_user(username=username, first_name=username)
    Membership.objects.create(user=user, role=role, unit=unit, department=department)
    return user


@pytest.fixture
def office(client, tan_tru):
    """The test client, logged in as Tân Trụ's district coordination office."""
    client.force_login(build_user("vpdp.tantru", Role.DISTRICT_OFFICE, tan_tru))
    return client


@pytest.fixture
def tan_tru(db) -> Unit:
    province = build_province("Long An")
    publish_office_levels(province)
    return build_district("Tân Trụ", province)


@pytest.fixture
def que_my_thanh(tan_tru) -> Unit:
    """A pilot commune: 9 criteria met by verdict, income 68,2 of 75 (the office's provisional level) not met."""
    commune = build_commune("Quê Mỹ Thạnh", tan_tru)
    target(commune, basis="Nghị quyết 55-NQ/HU")
    meet_criteria(commune, 9)
    record(commune, NTMNC, "10.1", YEAR, value="68.2", source_note="Báo cáo thống kê xã 2024")
    return commune


@pytest.fixture
def binh_trinh_dong(tan_tru) -> Unit:
    commune = build_commune("Bình Trinh Đông", tan_tru)
    meet_criteria(commune, 4)
    record(commune, NTMNC, "14.1", YEAR, value="96")
    return commune


@pytest.fixture(params=["arrays", "copy"])
def rows_by(request, monkeypatch):
    """PostgreSQL gets a few rows as arrays and many by COPY: both ways, whatever the size."""
    monkeypatch.setattr(store, "COPY_FROM", 1000 if request.param == "arrays" else 1)
    return request.param
