"""A commune's public page data, on a hand-built province (no demo): only public facts — the latest n/N per level,
its titles still held, what it became or came from on 1/7/2025 — and links that open the own page only for
whoever may read it, the public page for everyone else."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.utils import translation

from ntm.accounts.models import Membership, Role
from ntm.evaluation.models import UnitResult
from ntm.portal.public_unit import LatestScore, public_commune
from ntm.units.models import Kind, Recognition, Succession, Unit

pytestmark = pytest.mark.django_db
AT = datetime(2026, 1, 5, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))


@pytest.fixture
def merged():
    province = Unit.objects.create(key="p99", code="99", name="Thử", division_type="tỉnh", kind=Kind.PROVINCE)
    district = Unit.objects.create(key="d999", code="999", name="Cũ", division_type="huyện", kind=Kind.DISTRICT,
                                   parent=province, valid_to=date(2025, 6, 30))
    old = Unit.objects.create(key="c99901", code="99901", name="An Hòa", division_type="xã", kind=Kind.COMMUNE,
                              parent=district, valid_to=date(2025, 6, 30))
    other = Unit.objects.create(key="c99902", code="99902", name="Bình Đức", division_type="xã", kind=Kind.COMMUNE,
                                parent=district, valid_to=date(2025, 6, 30))
    new = Unit.objects.create(key="c99100", code="99100", name="Hòa Đức", division_type="xã", kind=Kind.COMMUNE,
                              parent=province, valid_from=date(2025, 7, 1))
    Succession.objects.create(predecessor=old, successor=new, effective=date(2025, 7, 1))
    Succession.objects.create(predecessor=other, successor=new, effective=date(2025, 7, 1), partial=True)
    return province, district, old, other, new


def result(unit: Unit, level: str, year: int, met: int, total: int = 19) -> None:
    UnitResult.objects.create(unit=unit, criteria_set=f"commune-{level}-{year}", set_version="1", level=level,
                              year=year, met=met, total=total, evaluated_at=AT)


def test_only_communes_and_wards_have_a_public_page(merged):
    province, district, *_ = merged
    assert public_commune(province.key, AnonymousUser()) is None
    assert public_commune(district.key, AnonymousUser()) is None
    assert public_commune("c00000", AnonymousUser()) is None


def test_an_old_commune_shows_its_area_dates_and_latest_score_per_level(merged):
    _, _, old, _, _ = merged
    result(old, "ntm", 2023, 17)
    result(old, "ntm", 2024, 19)
    result(old, "ntmnc", 2024, 15)
    page = public_commune(old.key, AnonymousUser())
    assert page.unit == old and page.within == "Huyện Cũ" and page.until == date(2025, 6, 30) and not page.since
    assert page.scores == (LatestScore("ntm", 2024, 19, 19), LatestScore("ntmnc", 2024, 15, 19))
    assert not page.demo and not page.readable


def test_titles_still_held_are_listed_oldest_first_and_revoked_ones_left_out(merged):
    _, _, old, _, _ = merged
    Recognition.objects.create(unit=old, level="ntmnc", year=2023, decision="12/QĐ-UBND")
    Recognition.objects.create(unit=old, level="ntm", year=2018, decision="3/QĐ-UBND")
    Recognition.objects.create(unit=old, level="model", year=2024, decision="9/QĐ-UBND", revoked_on=date(2025, 1, 2))
    titles = public_commune(old.key, AnonymousUser()).titles
    assert [(t.level, t.year, t.decision) for t in titles] == [("ntm", 2018, "3/QĐ-UBND"),
                                                               ("ntmnc", 2023, "12/QĐ-UBND")]
    assert titles[0].unit_name == "Xã An Hòa"


def test_an_old_commune_names_what_it_became_with_the_public_link_for_a_visitor(merged):
    _, _, old, other, _ = merged
    (became,) = public_commune(old.key, AnonymousUser()).now_in
    assert (became.name, became.url, became.partial) == ("Xã Hòa Đức", "/public/commune/c99100/", False)
    assert public_commune(other.key, AnonymousUser()).now_in[0].partial is True


def test_a_new_commune_names_what_it_was_formed_from(merged):
    *_, new = merged
    page = public_commune(new.key, AnonymousUser())
    assert [(f.name, f.partial) for f in page.formed_from] == [("Xã An Hòa", False), ("Xã Bình Đức", True)]
    assert page.now_in == () and page.since == date(2025, 7, 1) and page.within == "Tỉnh Thử"


def test_someone_who_reads_the_province_gets_the_own_pages(merged):
    province, _, old, _, new = merged
    office = get_user_model().objects.create_user("vpdp.thu")
    Membership.objects.create(user=office, role=Role.PROVINCE_OFFICE, unit=province)
    page = public_commune(new.key, office)
    assert page.readable
    assert [f.url for f in page.formed_from] == ["/commune/c99901/", "/commune/c99902/"]


def test_someone_of_another_commune_gets_public_links_only(merged):
    _, _, old, other, new = merged
    official = get_user_model().objects.create_user("canbo.binh")
    Membership.objects.create(user=official, role=Role.COMMUNE_OFFICIAL, unit=other)
    page = public_commune(new.key, official)
    assert not page.readable
    assert [f.url for f in page.formed_from] == ["/public/commune/c99901/", "/commune/c99902/"], "its own commune opens"


@pytest.mark.parametrize(("lang", "label"), [("vi", "NTM kiểu mẫu"), ("en", "Model NTM")])
def test_a_score_names_its_level_in_the_readers_language(lang, label):
    with translation.override(lang):
        assert LatestScore("model", 2024, 9, 10).level_label == label
