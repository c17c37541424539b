"""`ntm results verify` finds stored results that a fresh evaluation contradicts; `refresh` mends them."""

from io import StringIO

import pytest
from django.core.management import call_command

from ntm.evaluation.models import CriterionResult, UnitResult

from .conftest import NTMNC, YEAR, build_commune, build_district, meet_criteria, refresh_results


def verify() -> tuple[int, str]:
    out = StringIO()
    try:
        call_command("results", "verify", stdout=out, stderr=StringIO())
    except SystemExit as exc:
        assert isinstance(exc.code, int), exc.code
        return exc.code, out.getvalue()
    return 0, out.getvalue()


@pytest.fixture
def evaluated(db):
    district = build_district()
    communes = [build_commune(name, district) for name in ("Quê Mỹ Thạnh", "Bình Trinh Đông", "Tân Phước Tây")]
    meet_criteria(communes[0], 5)
    meet_criteria(communes[1], 2)
    refresh_results(YEAR)
    return communes


def test_stored_results_that_follow_the_catalog_verify_clean(evaluated):
    assert verify() == (0, "Kết quả đã lưu khớp với đánh giá mới: 0 khác biệt.\n")


def test_a_stale_result_is_listed_and_refresh_mends_it(evaluated):
    commune = evaluated[0]
    UnitResult.objects.filter(unit=commune, criteria_set=NTMNC).update(met=19, unmet=[])
    CriterionResult.objects.filter(unit=commune, criteria_set=NTMNC, criterion="1").update(status="not_met")
    UnitResult.objects.filter(unit=evaluated[1], criteria_set=NTMNC).delete()  # it has figures: must have one
    code, out = verify()
    assert code == 1
    assert f"{commune.key} " in out and "count: 19/" in out and "criterion 1: not_met" in out
    assert f"{evaluated[1].key} " in out and "missing" in out
    out = StringIO()
    call_command("results", "refresh", "--set", NTMNC, "--year", str(YEAR), stdout=out)
    assert "Đã đánh giá lại" in out.getvalue()
    assert verify()[0] == 0


def test_a_district_counts_a_commune_without_figures_as_not_reached(evaluated):
    """Districts are right even where a commune has no figures (it cannot have reached the level)."""
    from ntm.catalog_source import get_catalog

    district = evaluated[0].parent
    UnitResult.objects.filter(unit=evaluated[2]).delete()  # never evaluated, no figures
    refresh_results(YEAR, communes=[evaluated[0].pk])
    dset = get_catalog().set_for("district", "ntmnc", YEAR)
    shares = [i for c in district.criterion_results.filter(criteria_set=dset.id, year=YEAR) for i in c.indicators
              if i.get("value") is not None]
    assert shares and all(i["status"] != "no_data" for i in shares)


def test_unknown_set_and_province_are_named(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="nope"):
        call_command("results", "refresh", "--set", "nope")
    with pytest.raises(CommandError, match="Atlantis"):
        call_command("results", "verify", "--province", "Atlantis")


def test_results_made_with_another_catalog_version_are_found_stale(evaluated):
    from ntm.evaluation.jobs import stale_sets

    assert stale_sets() == []
    UnitResult.objects.filter(unit=evaluated[0], criteria_set=NTMNC).update(set_version="2022.0+00000000")
    assert stale_sets() == [NTMNC]
