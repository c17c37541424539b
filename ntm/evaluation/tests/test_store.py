"""Storing results (store.py): a refresh evaluates and writes only the communes whose inputs changed — their
figures, their group or region, the set — and what it writes equals a fresh evaluation. These tests run on
SQLite and, in CI, on PostgreSQL: each database has its own statements (COPY and one upsert on PostgreSQL)."""

from __future__ import annotations

import dataclasses
import json
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ntm.catalog_source import get_catalog
from ntm.core.engine import Basis, CriterionResult, IndicatorResult, Status
from ntm.core.engine import UnitResult as EngineResult
from ntm.evaluation import store
from ntm.evaluation.models import CriterionResult as CriterionRow
from ntm.evaluation.models import UnitResult
from ntm.evaluation.verify import differences
from ntm.figures.models import Figure
from ntm.portal.models import ResultsGeneration
from ntm.units.models import Unit

from .conftest import NTMNC, YEAR, build_commune, build_district, meet_criteria, record, refresh_results


def stamps() -> dict[int, object]:
    """Commune id → when its result of the NTMNC set was last written."""
    return dict(UnitResult.objects.filter(criteria_set=NTMNC, year=YEAR).values_list("unit_id", "evaluated_at"))


def writes(queries) -> list[str]:
    return [q["sql"] for q in queries if q["sql"].split()[0].upper() in ("INSERT", "UPDATE", "DELETE", "COPY")
            and "evaluation_" in q["sql"]]


@pytest.fixture
def communes(db):
    district = build_district()
    out = [build_commune(name, district) for name in ("Quê Mỹ Thạnh", "Bình Trinh Đông", "Tân Phước Tây")]
    meet_criteria(out[0], 5)
    meet_criteria(out[1], 2)
    record(out[1], NTMNC, "10.1", YEAR, value="68.2", refresh=False)
    refresh_results(YEAR)
    return out


def test_the_first_refresh_stores_what_a_fresh_evaluation_gives(rows_by, communes):
    assert set(stamps()) >= {c.pk for c in communes}
    assert UnitResult.objects.get(unit=communes[0], criteria_set=NTMNC).met == 5
    assert differences() == []


def test_a_refresh_where_nothing_changed_writes_nothing(communes):
    before, generations = stamps(), ResultsGeneration.objects.count()
    with CaptureQueriesContext(connection) as ctx:
        refresh_results(YEAR)
    assert writes(ctx.captured_queries) == []
    assert stamps() == before
    assert ResultsGeneration.objects.count() == generations  # nothing changed: cached pages stay valid
    assert differences() == []


def test_a_refresh_where_nothing_changed_needs_the_same_queries_for_3_and_30_communes(db):
    district = build_district()
    catalog = get_catalog()  # given: a slow run would otherwise count the catalog's periodic recheck

    def queries_with(size: int) -> int:
        for i in range(size - Unit.objects.filter(kind="commune").count()):
            meet_criteria(build_commune(f"Xã {i}", district), 3)
        refresh_results(YEAR, catalog=catalog)
        with CaptureQueriesContext(connection) as ctx:
            refresh_results(YEAR, catalog=catalog)
        assert writes(ctx.captured_queries) == []
        return len(ctx.captured_queries)

    assert queries_with(3) == queries_with(30)


def test_a_new_figure_rewrites_only_its_commune(communes):
    before, generations = stamps(), ResultsGeneration.objects.count()
    record(communes[2], NTMNC, "1.1", YEAR, verdict=True)  # refreshes every commune of the year
    after = stamps()
    assert after[communes[2].pk] != before[communes[2].pk]
    assert {k: v for k, v in after.items() if k != communes[2].pk} == \
           {k: v for k, v in before.items() if k != communes[2].pk}
    assert ResultsGeneration.objects.count() > generations
    assert differences() == []


def test_a_figure_changed_in_place_is_noticed(communes):
    """Even a value edited in the database without a correction row (a repair by hand) is re-evaluated."""
    before = UnitResult.objects.get(unit=communes[1], criteria_set=NTMNC)
    Figure.objects.filter(unit=communes[1], indicator="1.1").update(verdict=False)
    refresh_results(YEAR)
    after = UnitResult.objects.get(unit=communes[1], criteria_set=NTMNC)
    assert after.met == before.met - 1 and "1" in after.unmet
    assert differences() == []


def test_a_commune_that_changes_region_is_re_evaluated(communes):
    """The income level depends on the region: 68,2 is judged against another threshold."""
    before = stamps()
    communes[1].region = "TDMNPB"
    communes[1].save(update_fields=["region"])
    refresh_results(YEAR)
    after = stamps()
    assert after[communes[1].pk] != before[communes[1].pk]
    assert after[communes[0].pk] == before[communes[0].pk]
    assert differences() == []


def test_a_set_whose_content_changed_under_the_same_version_re_evaluates_every_commune(communes):
    catalog = get_catalog()
    cset = catalog.get(NTMNC)
    before = stamps()
    edited = dataclasses.replace(cset, name_vi=cset.name_vi + " (sửa)")
    refresh_results(YEAR, catalog=dataclasses.replace(catalog, sets=(edited,)), set_ids={NTMNC})
    after = stamps()
    assert all(after[c.pk] != before[c.pk] for c in communes)


def test_force_rewrites_every_result_and_mends_an_altered_one(rows_by, communes):
    UnitResult.objects.filter(unit=communes[0], criteria_set=NTMNC).update(met=19, unmet=[])
    refresh_results(YEAR)
    assert UnitResult.objects.get(unit=communes[0], criteria_set=NTMNC).met == 19  # inputs are the same
    before = stamps()
    refresh_results(YEAR, force=True)
    assert UnitResult.objects.get(unit=communes[0], criteria_set=NTMNC).met == 5
    assert all(stamps()[c.pk] != before[c.pk] for c in communes)
    assert differences() == []


def test_a_criterion_the_set_no_longer_has_is_removed_from_the_stored_result(rows_by, communes):
    CriterionRow.objects.create(unit=communes[0], criteria_set=NTMNC, year=YEAR, criterion="99", status="met")
    refresh_results(YEAR, force=True)
    codes = set(CriterionRow.objects.filter(unit=communes[0], criteria_set=NTMNC, year=YEAR)
                .values_list("criterion", flat=True))
    assert "99" not in codes and "1" in codes
    assert CriterionRow.objects.filter(unit=communes[1], criteria_set=NTMNC, year=YEAR).count() == len(codes)


def test_the_districts_follow_their_communes_and_only_when_they_change(communes):
    dset = get_catalog().set_for("district", "ntmnc", YEAR)
    district = communes[0].parent
    before = UnitResult.objects.get(unit=district, criteria_set=dset.id, year=YEAR).evaluated_at
    refresh_results(YEAR)
    assert UnitResult.objects.get(unit=district, criteria_set=dset.id, year=YEAR).evaluated_at == before
    meet_criteria(communes[2], 19)  # a commune reaches the level: the district's share moves
    refresh_results(YEAR)
    assert UnitResult.objects.get(unit=district, criteria_set=dset.id, year=YEAR).evaluated_at != before
    assert differences() == []


def test_texts_that_need_escaping_are_stored_as_they_are(rows_by, db):
    """Codes and values go through COPY on PostgreSQL: tabs, new lines and backslashes survive."""
    commune = build_commune("Xã Thử", build_district())
    code = "a\tb\\c\nd"
    indicator = IndicatorResult(code, Status.MET, Basis.THRESHOLD, Decimal("96.5"), Decimal("95"), Decimal(0),
                                provisional=True, bound=">")
    result = EngineResult(str(commune.pk), NTMNC, "v1", YEAR,
                          (CriterionResult(code, Status.MET, (indicator,)),
                           CriterionResult("é\\2", Status.NOT_MET, ())))
    cset = get_catalog().get(NTMNC)
    assert store.write(cset, YEAR, {str(commune.pk): result}, {str(commune.pk): "d" * 32}) == 1
    row = UnitResult.objects.get(unit=commune, criteria_set=NTMNC)
    assert (row.met, row.total, row.unmet, row.inputs_digest) == (1, 2, ["é\\2"], "d" * 32)
    stored = CriterionRow.objects.get(unit=commune, criterion=code)
    assert stored.provisional is True
    assert stored.indicators == [{"code": code, "status": "met", "basis": "threshold", "value": "96.5",
                                  "threshold": "95", "gap": "0", "provisional": True, "demo": False,
                                  "bound": ">"}]
    with connection.cursor() as cursor:  # the matrix finds '"demo": true' in the text: keys keep their spacing
        cursor.execute(f"SELECT CAST(indicators AS TEXT) FROM {CriterionRow._meta.db_table} WHERE id = %s",
                       [stored.pk])
        text = cursor.fetchone()[0]
    assert '"provisional": true' in str(text) and '"demo": false' in str(text)


def test_figure_digests_change_with_any_field_of_a_current_figure(communes):
    digest = store.figure_digests(NTMNC, YEAR, None)
    figure = Figure.objects.get(unit=communes[1], indicator="10.1")
    for change in ({"value": Decimal("68.3")}, {"bound": ">"}, {"verdict": True}):
        Figure.objects.filter(pk=figure.pk).update(**change)
        now = store.figure_digests(NTMNC, YEAR, None)
        assert now[communes[1].pk] != digest[communes[1].pk], change
        assert now[communes[0].pk] == digest[communes[0].pk]
        digest = now
    Figure.objects.filter(pk=figure.pk).update(superseded_at=figure.entered_at)  # no longer current
    assert store.figure_digests(NTMNC, YEAR, None)[communes[1].pk] != digest[communes[1].pk]
    assert store.figure_digests(NTMNC, YEAR, [communes[0].pk]) == {communes[0].pk: digest[communes[0].pk]}


def test_indicator_texts_are_those_of_json_dumps():
    """A first write formats the indicators' JSON itself; it must be the text `indicator_json` gives."""
    texts = store._Texts()
    for i in (IndicatorResult("1.1", Status.MET, Basis.VERDICT, None, None, None, provisional=False),
              IndicatorResult('mã "lạ"\\', Status.NOT_MET, Basis.THRESHOLD, Decimal("1E+2"), Decimal("95.5000"),
                              Decimal("0.10"), provisional=True, demo=True, bound=">="),
              IndicatorResult("10.1", Status.NO_DATA, Basis.NONE, None, Decimal("45"), None, provisional=False)):
        assert json.loads(texts.indicator(i)) == store.indicator_json(i)
        assert texts.indicator(i) == json.dumps(store.indicator_json(i), ensure_ascii=False)


def test_a_unit_whose_result_row_went_missing_is_stored_whole_again(communes):
    """Criterion rows left without their unit's row do not stand in the way of a first write."""
    UnitResult.objects.filter(unit=communes[0], criteria_set=NTMNC).delete()
    refresh_results(YEAR)
    assert UnitResult.objects.get(unit=communes[0], criteria_set=NTMNC).met == 5
    assert differences() == []


def test_a_result_stored_meanwhile_by_another_writer_is_replaced(rows_by, communes):
    """`existing` read before another writer stored a result: the insert fails, the upsert takes over."""
    catalog = get_catalog()
    cset = catalog.get(NTMNC)
    commune = communes[2]
    UnitResult.objects.filter(unit=commune, criteria_set=NTMNC).update(met=19)
    result = EngineResult(str(commune.pk), NTMNC, cset.version, YEAR,
                          (CriterionResult("1", Status.MET, ()), CriterionResult("2", Status.NOT_MET, ())))
    assert store.write(cset, YEAR, {str(commune.pk): result}, {str(commune.pk): "e" * 32}, existing=set()) == 1
    row = UnitResult.objects.get(unit=commune, criteria_set=NTMNC)
    assert (row.met, row.total, row.unmet, row.inputs_digest) == (1, 2, ["2"], "e" * 32)
    assert set(CriterionRow.objects.filter(unit=commune, criteria_set=NTMNC, year=YEAR)
               .values_list("criterion", flat=True)) == {"1", "2"}
