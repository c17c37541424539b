"""What the public home page publishes, grouped from each area's progress: a province's line sums its areas, the
provinces of today come before the ones dissolved on 1/7/2025, and the figures read in the visitor's language.
Plain data in, plain data out; only the title of an area without results looks in the database."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.utils import translation

from ntm.portal.selectors import AreaProgress, LevelCount, Published, Score, _average, _group, _main_level, area_title
from ntm.units.models import Kind, Unit


def area(key: str, province_key: str, province: str, *, levels=(), communes: int = 0, demo: bool = False,
         until: date | None = None, average: Decimal | None = None) -> AreaProgress:
    return AreaProgress(key=key, name=f"Khu {key}", province=province, year=2024, level="ntm", communes=communes,
                        levels=tuple(levels), average_met=average, average_total=19, pilots=(), own_results=(),
                        own_targets=(), own_recognitions=(), recognitions=(), demo=demo,
                        province_key=province_key, province_until=until)


LONG_AN = "Tỉnh Long An"
TAY_NINH = "Tỉnh Tây Ninh"


def test_a_province_sums_its_districts_level_by_level():
    data = _group((
        area("d805", "p80", LONG_AN, communes=10, levels=[LevelCount("ntm", 9, 10), LevelCount("ntmnc", 3, 10)],
             until=date(2025, 6, 30)),
        area("d806", "p80", LONG_AN, communes=5, levels=[LevelCount("ntm", 5, 5)], until=date(2025, 6, 30)),
    ))
    (province,) = data.provinces
    assert (province.key, province.name, province.until) == ("p80", LONG_AN, date(2025, 6, 30))
    assert (province.areas, province.districts, province.communes) == (2, 2, 15)
    assert province.levels == (LevelCount("ntm", 14, 15), LevelCount("ntmnc", 3, 10))
    assert not province.demo


def test_levels_are_listed_from_the_lowest_whatever_order_they_came_in():
    data = _group((area("d1", "p1", LONG_AN, levels=[LevelCount("model", 1, 4), LevelCount("xyz", 0, 1)]),
                   area("d2", "p1", LONG_AN, levels=[LevelCount("ntmnc", 2, 4), LevelCount("ntm", 4, 4)])))
    assert [lc.level for lc in data.provinces[0].levels] == ["ntm", "ntmnc", "model", "xyz"]


def test_a_province_whose_communes_report_to_it_counts_itself_as_an_area_not_a_district():
    data = _group((area("p72", "p72", TAY_NINH, communes=96, levels=[LevelCount("ntm", 80, 96)]),))
    (province,) = data.provinces
    assert (province.areas, province.districts, province.communes) == (1, 0, 96)


def test_one_demo_area_marks_its_province_as_demo():
    data = _group((area("d1", "p1", LONG_AN), area("d2", "p1", LONG_AN, demo=True), area("d3", "p2", TAY_NINH)))
    assert {p.key: p.demo for p in data.provinces} == {"p1": True, "p2": False}


def test_todays_provinces_come_first_then_the_dissolved_ones_each_by_name():
    data = _group((
        area("d1", "p80", LONG_AN, until=date(2025, 6, 30)),
        area("p72", "p72", TAY_NINH),
        area("d2", "p70", "Tỉnh Bình Phước", until=date(2025, 6, 30)),
        area("p79", "p79", "Thành phố Hồ Chí Minh"),
    ))
    assert [p.key for p in data.provinces] == ["p79", "p72", "p70", "p80"]


def test_areas_are_kept_by_province_and_found_by_their_own_key():
    d805, d806, p72 = area("d805", "p80", LONG_AN), area("d806", "p80", LONG_AN), area("p72", "p72", TAY_NINH)
    data = _group((d805, d806, p72))
    assert data.areas_of("p80") == (d805, d806)
    assert data.areas_of("d806") == (d806,)
    assert data.areas_of("p72") == (p72,)
    assert data.areas_of("d999") == ()
    assert data.every_area == (d805, d806, p72)


def test_nothing_published_is_an_empty_page():
    data = _group(())
    assert data == Published((), {}, ())


@pytest.mark.django_db
def test_an_area_is_titled_by_its_province_or_district_even_without_results():
    data = _group((area("d805", "p80", LONG_AN),))
    Unit.objects.create(key="d999", code="999", name="Mới", division_type="huyện", kind=Kind.DISTRICT)
    Unit.objects.create(key="c99901", code="99901", name="Xã Lẻ", division_type="xã", kind=Kind.COMMUNE)
    assert area_title(data, "p80") == LONG_AN
    assert area_title(data, "d805") == "Khu d805"
    assert area_title(data, "d999") == "Huyện Mới"
    assert area_title(data, "c99901") is None, "a commune has its own page"
    assert area_title(data, "nowhere") is None


@pytest.mark.parametrize(("targets", "main"), [
    ([], "ntm"),
    (["ntmnc", "ntmnc", "ntm"], "ntmnc"),
    (["model", "ntmnc"], "ntmnc"),  # a tie goes to the lower level
    (["model", "ntm", "model"], "model"),
])
def test_an_area_is_shown_at_the_level_its_communes_most_often_aim_for(targets, main):
    assert _main_level(targets) == main


@pytest.mark.parametrize(("values", "average"), [
    ([], None), ([15], Decimal("15.0")), ([15, 16], Decimal("15.5")), ([1, 1, 2], Decimal("1.3")),
    ([1, 2, 2, 2], Decimal("1.8")), ([0, 1, 1, 1, 1, 1, 1, 1], Decimal("0.9")),
    ([12, 13, 13, 13, 13, 13, 13, 13], Decimal("12.9")), ([17, 18], Decimal("17.5")),
])
def test_the_average_of_criteria_met_has_one_decimal_rounded_half_up(values, average):
    assert _average(values) == average


@pytest.mark.parametrize(("lang", "text"), [("vi", "15,5"), ("en", "15.5")])
def test_the_average_reads_in_the_visitors_language(lang, text):
    with translation.override(lang):
        assert area("d1", "p1", LONG_AN, average=Decimal("15.5")).average_text == text
        assert area("d1", "p1", LONG_AN, average=Decimal("16.0")).average_text == "16"
        assert area("d1", "p1", LONG_AN).average_text == "—"


@pytest.mark.parametrize(("lang", "labels"), [("vi", ["NTM", "NTMNC", "NTM kiểu mẫu"]),
                                              ("en", ["NTM", "NTMNC", "Model NTM"])])
def test_levels_are_named_in_the_visitors_language(lang, labels):
    with translation.override(lang):
        assert [LevelCount(code, 0, 0).label for code in ("ntm", "ntmnc", "model")] == labels
        assert Score("c1", "An Hòa", "model", 1, 2).level_label == labels[2]


def test_a_score_is_reached_only_with_every_criterion():
    assert Score("c1", "An Hòa", "ntmnc", 19, 19).reached
    assert not Score("c1", "An Hòa", "ntmnc", 18, 19).reached
