"""`ntm demo --national --provinces 2`: a slice of the national synthetic data set, as a user would check it."""

from collections import Counter
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError

from ntm.demo.national import SOURCE_NOTE, YEARS, province_choice
from ntm.evaluation.models import UnitResult
from ntm.figures.models import Figure
from ntm.units import sources
from ntm.units.models import Kind, Unit

pytestmark = pytest.mark.django_db(transaction=False)


def load(*extra: str) -> str:
    out = StringIO()
    call_command("demo", "--national", "--provinces", "2", "--load-only", *extra, stdout=out)
    return out.getvalue()


@pytest.fixture
def national(db):
    return load()


def expected_units() -> Counter:
    """What vietnam-provinces holds for the two smallest pre-2025 provinces (communes and wards)."""
    names = province_choice(2)
    assert names is not None
    codes = {r.province_code for r in sources.legacy_units() if r.kind == "province" and r.name in names}
    return Counter(r.kind for r in sources.legacy_units() if r.province_code in codes)


def test_the_slice_holds_both_eras_of_its_provinces_and_synthetic_figures_marked_demo(national):
    wanted = expected_units()
    old = Unit.objects.filter(valid_from__isnull=True)
    for kind in ("province", "district", "commune", "ward"):
        assert old.filter(kind=kind).count() == wanted[kind], kind
    new = Unit.objects.filter(valid_from=sources.EFFECTIVE)
    assert new.filter(kind=Kind.PROVINCE).exists() and new.filter(kind=Kind.COMMUNE).exists()
    assert not new.filter(kind=Kind.DISTRICT).exists()  # no district after 1/7/2025
    assert "2 tỉnh trước 2025" in national
    # every year has synthetic figures, all marked demo
    per_year = Counter(Figure.objects.values_list("year", flat=True))
    assert sorted(per_year) == list(YEARS)
    assert not Figure.objects.filter(is_demo=False).exists()
    assert set(Figure.objects.values_list("source_note", flat=True)) == {SOURCE_NOTE}
    assert "không phải số liệu thật" in SOURCE_NOTE
    # every pre-2025 commune (xã) has all 29 indicators of the NTM set in 2024
    communes = Unit.objects.filter(kind=Kind.COMMUNE, valid_from__isnull=True)
    counts = Counter(Figure.objects.filter(year=2024, criteria_set="commune-ntm-2021-2025")
                     .values_list("unit_id", flat=True))
    assert {counts[c.pk] for c in communes} == {29}
    # the communes formed on 1/7/2025 have the 2026–2030 set's 10 verdicts in 2026, and a group
    new = Unit.objects.filter(kind=Kind.COMMUNE, valid_from=sources.EFFECTIVE)
    counts = Counter(Figure.objects.filter(year=2026, criteria_set="commune-ntm-2026-2030")
                     .values_list("unit_id", flat=True))
    assert {counts[c.pk] for c in new} == {10}
    assert set(new.values_list("commune_group", flat=True)) <= {"G1", "G2", "G3"}
    # districts (before 1/7/2025) their own figures; no ward is assessed
    assert Figure.objects.filter(unit__kind=Kind.DISTRICT, year=2024).exists()
    assert not Figure.objects.filter(unit__kind=Kind.WARD).exists()


def test_results_are_stored_and_the_commune_page_says_the_figures_are_illustrative(national, client):
    for year in YEARS:
        assert UnitResult.objects.filter(year=year, unit__kind=Kind.COMMUNE).exists(), year
    reached = UnitResult.objects.filter(criteria_set="commune-ntm-2026-2030", year=2026)
    assert 0 < sum(r.met == r.total for r in reached) < reached.count()
    assert UnitResult.objects.filter(year=2024, unit__kind=Kind.DISTRICT).exists()
    out = StringIO()
    call_command("results", "verify", stdout=out)
    assert "0 khác biệt" in out.getvalue()
    admin = get_user_model().objects.create_superuser("quantri.test", password="x")
    client.force_login(admin)
    commune = Unit.objects.filter(kind=Kind.COMMUNE, valid_from__isnull=True).order_by("key").first()
    page = client.get(f"/commune/{commune.key}/?level=ntm&year=2024")
    assert page.status_code == 200
    assert "dữ liệu minh họa" in page.content.decode()


def test_running_again_adds_nothing_and_real_figures_are_not_overwritten(national):
    before = Figure.objects.count()
    again = load()
    assert Figure.objects.count() == before
    assert "figures written: 0 " in again
    commune = Unit.objects.filter(kind=Kind.COMMUNE, valid_from__isnull=True).first()
    Figure.objects.filter(unit=commune, year=2024).update(source_note="Báo cáo của xã", is_demo=False)
    with pytest.raises(CommandError, match="cơ sở dữ liệu trống"):
        load()


def test_provinces_needs_national_and_a_positive_number(db):
    with pytest.raises(CommandError, match="--national"):
        call_command("demo", "--provinces", "2", "--load-only", stdout=StringIO())
    with pytest.raises(CommandError, match="1 trở lên"):
        call_command("demo", "--national", "--provinces", "0", "--load-only", stdout=StringIO())
