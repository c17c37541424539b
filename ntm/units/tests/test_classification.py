"""What decides a threshold, as data: history with decisions, evaluation per year, refusals, gaps."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.db.models import F
from django.utils import timezone

from ntm.evaluation.actions import refresh_results
from ntm.evaluation.models import UnitResult
from ntm.evaluation.verify import differences
from ntm.figures.models import Figure
from ntm.units.actions import ClassificationRefused, Decision, classify, import_units
from ntm.units.classification import communes_without_group, rows_for_year
from ntm.units.models import Classification, Kind

from .conftest import GROUP_SET, build_commune, build_province

A = Decision("12/QĐ-UBND", date(2026, 1, 10), "UBND tỉnh Lâm Đồng")
B = Decision("345/QĐ-UBND", date(2027, 3, 1), "UBND tỉnh Lâm Đồng")
FIELDS = ("pk", "kind", "region", "commune_group", "specially_disadvantaged", "parent_id")


def live(unit, attribute="commune_group"):
    return list(Classification.objects.filter(unit=unit, attribute=attribute, superseded_at__isnull=True)
                .order_by(F("valid_from").asc(nulls_first=True)))


def test_a_new_decision_closes_the_previous_record_and_the_unit_shows_the_latest(communes):
    commune = communes[0]
    classify([commune], "group", "1", decision=A, valid_from=date(2026, 1, 15))
    classify([commune.pk], "commune_group", "G2", decision=B, valid_from=date(2027, 4, 1))

    first, second = live(commune)
    assert (first.value, first.decision_number, first.valid_from, first.valid_to) == (
        "G1", "12/QĐ-UBND", date(2026, 1, 15), date(2027, 3, 31))
    assert (second.value, second.decision_number, second.decision_date, second.valid_to) == (
        "G2", "345/QĐ-UBND", date(2027, 3, 1), None)
    commune.refresh_from_db()
    assert commune.commune_group == "G2"


def test_a_decision_taking_effect_earlier_replaces_later_ones_and_keeps_them_as_history(communes):
    commune = communes[0]
    classify([commune], "group", "G1", decision=A, valid_from=date(2026, 6, 1))
    classify([commune], "group", "G3", decision=B, valid_from=date(2026, 1, 1))

    assert [r.value for r in live(commune)] == ["G3"]
    replaced = Classification.objects.get(unit=commune, value="G1")
    assert replaced.superseded_at is not None
    commune.refresh_from_db()
    assert commune.commune_group == "G3"


def test_the_imported_region_is_kept_as_history_before_the_first_decision(communes):
    commune = communes[0]
    commune.region = "TN"
    commune.save()
    classify([commune], "region", "DHNTB", decision=A, valid_from=date(2026, 1, 1))

    before, after = live(commune, "region")
    assert (before.value, before.valid_from, before.valid_to, before.decision_number) == (
        "TN", None, date(2025, 12, 31), "")
    assert after.value == "DHNTB"
    rows = [(commune.pk, "commune", "TN", "", False, None)]
    assert rows_for_year(rows, 2024)[0][2] == "TN"
    assert rows_for_year(rows, 2026)[0][2] == "DHNTB"


def test_rows_for_year_reads_the_classification_in_force_in_one_query(communes, django_assert_num_queries):
    first, second, third = communes
    classify([first, second], "group", "G1", decision=A, valid_from=date(2026, 1, 1))
    classify([first], "group", "G2", decision=B, valid_from=date(2027, 1, 1))
    classify([second], "specially_disadvantaged", True, decision=B, valid_from=date(2027, 1, 1))
    rows = [tuple(r) for r in type(first).objects.filter(pk__in=[c.pk for c in communes])
            .order_by("pk").values_list(*FIELDS)]

    with django_assert_num_queries(1):  # a few units: their records at once (many: whether any exists first)
        in_2026 = rows_for_year(rows, 2026)
    in_2027 = rows_for_year(rows, 2027)

    assert [(r[3], r[4]) for r in in_2026] == [("G1", False), ("G1", False), ("", False)]
    assert [(r[3], r[4]) for r in in_2027] == [("G2", False), ("G1", True), ("", False)]
    assert rows_for_year(rows, 2025)[0][3] == ""  # no group before the first decision


@pytest.mark.parametrize(("attribute", "value", "decision", "says"), [
    ("group", "4", A, "không hợp lệ"),
    ("group", "G1", Decision("", date(2026, 1, 1)), "Thiếu số quyết định"),
    ("colour", "red", A, "Không có thuộc tính"),
    ("specially_disadvantaged", "yes", A, "không hợp lệ"),
])
def test_a_bad_classification_is_refused_and_nothing_is_written(communes, attribute, value, decision, says):
    with pytest.raises(ClassificationRefused) as refused:
        classify(communes, attribute, value, decision=decision, valid_from=date(2026, 1, 1))
    assert says in str(refused.value)
    assert not Classification.objects.exists()
    assert {c.commune_group for c in type(communes[0]).objects.filter(kind=Kind.COMMUNE)} == {""}


def test_only_communes_get_a_group(province, communes):
    ward = build_commune("Phường 1", province, kind=Kind.WARD)
    with pytest.raises(ClassificationRefused) as refused:
        classify([communes[0], ward], "group", "G1", decision=A, valid_from=date(2026, 1, 1))
    assert "chỉ xã mới được xếp nhóm" in str(refused.value)
    assert not Classification.objects.exists()


def test_communes_without_group_counts_current_post_2025_communes(province, communes):
    other = build_province("Khánh Hòa")
    build_commune("Cam Lâm", other)
    build_commune("Phường 2", province, kind=Kind.WARD)
    build_commune("Xã đã giải thể", province, valid_to=date(2025, 12, 31))
    classify([communes[0]], "group", "G2", decision=A, valid_from=date(2026, 1, 1))

    assert communes_without_group(province.key) == 2
    assert communes_without_group(other.key) == 1
    assert communes_without_group() == 3


def _income(commune, value: str, year: int = 2026) -> None:
    Figure.objects.create(unit=commune, criteria_set=GROUP_SET, indicator="1.1", year=year, value=Decimal(value),
                          entered_at=timezone.now())


def _met(commune, year: int = 2026) -> int:
    return UnitResult.objects.get(unit=commune, criteria_set=GROUP_SET, year=year).met


def test_evaluation_of_2026_uses_the_group_in_force_in_2026(group_catalog, communes):
    commune = communes[0]
    classify([commune], "group", "G1", decision=A, valid_from=date(2026, 1, 1))   # income ≥ 80
    classify([commune], "group", "G2", decision=B, valid_from=date(2027, 1, 1))   # income ≥ 60
    _income(commune, "70", 2026)
    _income(commune, "70", 2027)

    refresh_results(2026)
    refresh_results(2027)

    assert _met(commune, 2026) == 0  # 70 < 80: group 1's level, although the commune is group 2 today
    assert _met(commune, 2027) == 1
    assert differences(years=[2026, 2027]) == []


def test_changing_a_group_re_evaluates_the_stored_result(group_catalog, communes,
                                                         django_capture_on_commit_callbacks):
    commune = communes[0]
    with django_capture_on_commit_callbacks(execute=True):
        classify([commune], "group", "G1", decision=A, valid_from=date(2026, 1, 1))
    _income(commune, "70")
    refresh_results(2026)
    assert _met(commune) == 0

    with django_capture_on_commit_callbacks(execute=True):
        report = classify([commune], "group", "G2", decision=B, valid_from=date(2026, 1, 1))

    report.job.refresh_from_db()
    assert report.job.state == "done" and report.job.unit_ids == [commune.pk]
    assert _met(commune) == 1
    assert UnitResult.objects.get(unit=commune, year=2026).set_version == group_catalog.version


def test_the_import_never_touches_groups_flags_or_a_decided_region(db):
    import_units(province_names=["Lâm Đồng"])
    commune = type(build_province()).objects.filter(kind=Kind.COMMUNE, valid_from__isnull=False).first()
    original_region = commune.region
    classify([commune], "group", "G3", decision=A, valid_from=date(2026, 1, 1))
    classify([commune], "mountain", True, decision=A, valid_from=date(2026, 1, 1))
    classify([commune], "region", "DBSCL" if original_region != "DBSCL" else "TN", decision=A,
             valid_from=date(2026, 1, 1))
    commune.refresh_from_db()
    decided = commune.region

    report = import_units(province_names=["Lâm Đồng"])

    commune.refresh_from_db()
    assert (commune.commune_group, commune.mountain, commune.region) == ("G3", True, decided)
    assert not report.changed
