"""Re-writing stored results (store.write over units that already have one): each unit ends with exactly the
criteria of its new result. Results of one set all have the set's criteria, so the rows to drop are found
with one list of codes; results whose criteria differ between units take the per-unit way. Both ways run
on SQLite and PostgreSQL (there with a few rows as arrays and many by COPY)."""

from __future__ import annotations

import pytest
from django.test.utils import CaptureQueriesContext

from ntm.catalog_source import get_catalog
from ntm.core.engine import CriterionResult, Status
from ntm.core.engine import UnitResult as EngineResult
from ntm.evaluation import store
from ntm.evaluation.models import CriterionResult as CriterionRow
from ntm.evaluation.models import UnitResult
from ntm.evaluation.verify import differences

from .conftest import (
    NTMNC,
    YEAR,
    build_commune,
    build_district,
    build_province,
    meet_criteria,
    publish_office_levels,
    record,
    refresh_results,
)


@pytest.fixture
def communes(db):
    district = build_district()
    out = [build_commune(name, district) for name in ("Mỹ Lệ", "Long Định", "Phước Vân")]
    meet_criteria(out[0], 4)
    refresh_results(YEAR)
    return out


def criteria_of(unit) -> dict[str, str]:
    return dict(CriterionRow.objects.filter(unit=unit, criteria_set=NTMNC, year=YEAR)
                .values_list("criterion", "status"))


def result(unit, *codes_met: tuple[str, bool]) -> EngineResult:
    cset = get_catalog().get(NTMNC)
    return EngineResult(str(unit.pk), NTMNC, cset.version, YEAR,
                        tuple(CriterionResult(code, Status.MET if met else Status.NOT_MET, ())
                              for code, met in codes_met))


def deletes(queries) -> list[str]:
    """The statements that delete criterion rows (PostgreSQL deletes inside the upsert's statement)."""
    return [q["sql"] for q in queries if "DELETE FROM evaluation_criterionresult" in q["sql"]]


def test_units_whose_criteria_differ_keep_exactly_their_own(rows_by, communes):
    cset = get_catalog().get(NTMNC)
    a, b, c = communes
    results = {str(a.pk): result(a, ("1", True), ("2", False)),
               str(b.pk): result(b, ("1", False), ("3", True), ("4", True))}
    store.write(cset, YEAR, results, {k: "f" * 32 for k in results}, existing={a.pk, b.pk, c.pk})
    assert criteria_of(a) == {"1": "met", "2": "not_met"}
    assert criteria_of(b) == {"1": "not_met", "3": "met", "4": "met"}
    assert len(criteria_of(c)) == len(cset.criteria)  # not written: untouched
    assert UnitResult.objects.get(unit=b, criteria_set=NTMNC).unmet == ["1"]


def test_units_with_the_same_criteria_drop_the_others_with_one_list_of_codes(rows_by, communes):
    cset = get_catalog().get(NTMNC)
    a, b, c = communes
    for unit in (a, b):
        CriterionRow.objects.create(unit=unit, criteria_set=NTMNC, year=YEAR, criterion="99", status="met")
    results = {str(u.pk): result(u, ("1", True), ("2", u == a)) for u in (a, b)}
    with CaptureQueriesContext(store.connection) as ctx:
        store.write(cset, YEAR, results, {k: "f" * 32 for k in results}, existing={a.pk, b.pk, c.pk})
    assert criteria_of(a) == {"1": "met", "2": "met"}
    assert criteria_of(b) == {"1": "met", "2": "not_met"}
    assert len(criteria_of(c)) == len(cset.criteria)
    [delete] = deletes(ctx.captured_queries)
    assert "EXISTS" not in delete and "$." not in delete  # no lookup of each row's unit in the new rows


def test_a_full_rewrite_of_every_commune_stays_equal_to_a_fresh_evaluation(rows_by, communes):
    meet_criteria(communes[1], 19)
    refresh_results(YEAR, force=True)
    assert UnitResult.objects.get(unit=communes[0], criteria_set=NTMNC).met == 4
    assert differences() == []


def test_a_commune_refreshed_alone_is_judged_by_its_provinces_layer(db):
    """One commune's refresh looks up only its own province: under a district, or under the province itself
    (communes formed on 1/7/2025), it gets the province's levels; a commune elsewhere gets the national set."""
    province = build_province("Long An")
    publish_office_levels(province)  # income level 75 in 2024 for its communes
    in_district = build_commune("Nhựt Ninh", build_district("Tân Trụ", province))
    under_province = build_commune("Tân Trụ mới", province)
    elsewhere = build_commune("Mỹ Lệ", build_district("Cần Đước"))
    for commune in (in_district, under_province, elsewhere):
        record(commune, NTMNC, "10.1", YEAR, value="68.2", refresh=False)
        refresh_results(YEAR, communes=[commune.pk])
    layered = {c.pk: UnitResult.objects.get(unit=c, criteria_set=NTMNC, year=YEAR).set_version
               for c in (in_district, under_province, elsewhere)}
    national = get_catalog().get(NTMNC).version
    assert layered[in_district.pk] == layered[under_province.pk] != national
    assert layered[elsewhere.pk] == national
    assert differences() == []
