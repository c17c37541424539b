"""How the maps class and label what they draw: a commune by the criteria it still lacks, a province by its share of
communes, one criterion by its status; each class with a symbol (colour is never the only signal) and a label in
the reader's language; the legend counts; only units with a boundary are drawn. Plain data, no database."""

from __future__ import annotations

import pytest
from django.utils import translation

from ntm.maps.selectors import (
    SCORE,
    SCORE_CLASSES,
    SHARE_CLASSES,
    STATUS_CLASSES,
    MapData,
    MapUnit,
    _class_label,
    _colour_choices,
    _legend,
    _symbol,
    score_class,
    share_class,
)

SQUARE = {"type": "Polygon", "coordinates": [[[106.0, 10.0], [106.1, 10.0], [106.1, 10.1], [106.0, 10.0]]]}


@pytest.mark.parametrize(("met", "total", "evaluated", "css"), [
    (19, 19, True, "reached"), (20, 19, True, "reached"),
    (18, 19, True, "near"), (17, 19, True, "near"),
    (16, 19, True, "mid"), (14, 19, True, "mid"),
    (13, 19, True, "far"), (0, 19, True, "far"),
    (19, 19, False, "none"), (0, 0, False, "none"),
])
def test_a_commune_is_classed_by_how_many_criteria_it_still_lacks(met, total, evaluated, css):
    assert score_class(met, total, evaluated) == css


@pytest.mark.parametrize(("part", "whole", "css"), [
    (80, 100, "p80"), (100, 100, "p80"), (79, 100, "p50"), (4, 5, "p80"),
    (50, 100, "p50"), (49, 100, "p20"), (1, 2, "p50"),
    (20, 100, "p20"), (19, 100, "p0"), (0, 100, "p0"), (0, 0, "none"), (3, 0, "none"),
])
def test_a_province_is_classed_by_its_share_of_communes(part, whole, css):
    assert share_class(part, whole) == css


@pytest.mark.parametrize(("lang", "labels"), [
    ("vi", ["Đạt đủ tiêu chí", "Còn thiếu 1–2 tiêu chí", "Còn thiếu 3–5 tiêu chí", "Còn thiếu từ 6 tiêu chí",
            "Chưa có kết quả"]),
    ("en", ["Meets every criterion", "1–2 criteria to go", "3–5 criteria to go", "6 or more criteria to go",
            "No result yet"]),
])
def test_score_classes_read_in_the_readers_language(lang, labels):
    with translation.override(lang):
        assert [_class_label(css) for css in SCORE_CLASSES] == labels


@pytest.mark.parametrize(("lang", "labels"), [
    ("vi", ["Từ 80 % số xã trở lên", "Từ 50 đến 79 % số xã", "Từ 20 đến 49 % số xã", "Dưới 20 % số xã"]),
    ("en", ["80 % of communes or more", "50 to 79 % of communes", "20 to 49 % of communes",
            "Under 20 % of communes"]),
])
def test_share_classes_name_their_bounds(lang, labels):
    with translation.override(lang):
        assert [_class_label(css) for css in SHARE_CLASSES[:4]] == labels


def test_wards_and_statuses_have_their_own_words():
    with translation.override("en"):
        assert _class_label("ward") == "Ward: not rated on the rural criteria"
        assert _class_label("met") == "Met"
    with translation.override("vi"):
        assert _class_label("met") == "Đạt" and _class_label("not_met") == "Chưa đạt"


def test_every_class_has_a_symbol_and_neighbouring_classes_differ():
    for classes in (SCORE_CLASSES, SHARE_CLASSES, STATUS_CLASSES):
        symbols = [_symbol(css) for css in classes]
        assert all(symbols) and len(set(symbols)) == len(symbols), classes


def unit(key: str, css: str, shape: dict | None = SQUARE) -> MapUnit:
    return MapUnit(key=key, name=f"Xã {key}", css=css, symbol=_symbol(css), value="7/10", text=_class_label(css),
                   href=f"/commune/{key}/", shape=shape)


def test_the_legend_counts_each_class_in_order_even_when_empty():
    units = [unit("a", "reached"), unit("b", "near"), unit("c", "near"), unit("d", "none", shape=None)]
    with translation.override("vi"):
        legend = _legend(SCORE_CLASSES, units)
    assert [(item.css, item.count) for item in legend] == [("reached", 1), ("near", 2), ("mid", 0), ("far", 0),
                                                           ("none", 1)]
    assert legend[0].label == "Đạt đủ tiêu chí" and legend[0].symbol == "●"


def data(units, background=()) -> MapData:
    return MapData(area=None, level="ntm", year=2026, colour=SCORE, colour_choices=(), colour_label="",
                   set_name="", units=tuple(units), legend=(), attributions=(), background=tuple(background))


def test_only_units_with_a_boundary_are_drawn_and_the_others_listed():
    drawn, missing = unit("c1", "reached"), unit("c2", "far", shape=None)
    ward, bare_ward = unit("w1", "ward"), unit("w2", "ward", shape=None)
    map_data = data([drawn, missing], background=[ward, bare_ward])
    assert map_data.shaped == 1 and map_data.missing == (missing,)
    features = map_data.features()
    assert features["type"] == "FeatureCollection"
    assert [f["properties"]["key"] for f in features["features"]] == ["w1", "c1"], "wards underneath"


def test_a_feature_carries_what_the_tooltip_and_the_link_need():
    feature = unit("c28084", "near").feature()
    assert feature["geometry"] == SQUARE
    assert feature["properties"] == {"key": "c28084", "name": "Xã c28084", "css": "near", "value": "7/10",
                                     "text": "Còn thiếu 1–2 tiêu chí", "href": "/commune/c28084/"}


class Crit:
    def __init__(self, code, number, name_vi, name_en):
        self.code, self.number, self.name_vi, self.name_en = code, number, name_vi, name_en


@pytest.mark.parametrize(("lang", "first", "second"), [
    ("vi", "Số tiêu chí đạt (n/N)", "Tiêu chí 10. Thu nhập"),
    ("en", "Criteria met (n/N)", "Criterion 10. Income"),
])
def test_colours_offer_the_score_then_each_criterion(lang, first, second):
    with translation.override(lang):
        choices = _colour_choices([Crit("10", "10", "Thu nhập", "Income"), Crit("17", "17", "Môi trường", "")])
    assert choices[0] == (SCORE, first) and choices[1] == ("10", second)
    assert choices[2][1].endswith("17. Môi trường"), "a criterion without an English name keeps its own"
