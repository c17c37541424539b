"""`ntm units boundaries FILE`: what an administrator sees when importing a boundary file, good or bad."""

from __future__ import annotations

import json
from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from ntm.maps.models import Boundary
from ntm.units.models import Kind, Unit

from .shapes import square, squares, write

NEW = date(2025, 7, 1)


@pytest.fixture
def province(db) -> Unit:
    return Unit.objects.create(key="p91-2025", code="91", name="Thử", division_type="tỉnh", kind=Kind.PROVINCE,
                               valid_from=NEW)


@pytest.fixture
def communes(province) -> list[Unit]:
    return [Unit.objects.create(key=f"c{code}-2025", code=str(code), name=f"Xã {code}", division_type="xã",
                                kind=Kind.COMMUNE, parent=province, valid_from=NEW)
            for code in (30001, 30002, 30003)]


def run(path, *args: str) -> str:
    out = StringIO()
    call_command("units", "boundaries", str(path), *args, stdout=out)
    return out.getvalue()


def refusal(path, *args: str) -> str:
    with pytest.raises(CommandError) as caught:
        run(path, *args)
    return str(caught.value)


def test_a_geojson_file_is_stored_for_each_commune_with_a_lighter_copy_for_the_web(tmp_path, communes):
    data = squares([c.code for c in communes])
    # one side of the first square drawn with 50 points on a straight line: the web copy drops them
    x, y = 106.0, 10.5
    ring = [[x + i * 0.001, y] for i in range(50)] + [[x + 0.05, y], [x + 0.05, y + 0.05], [x, y + 0.05], [x, y]]
    data["features"][0]["geometry"] = {"type": "Polygon", "coordinates": [ring]}

    out = run(write(tmp_path, data), "--attribution", "Ô vuông tổng hợp")

    assert "Đã nhập ranh giới của 3 đơn vị (3 xã)" in out
    stored = {b.unit.code: b for b in Boundary.objects.select_related("unit")}
    assert set(stored) == {"30001", "30002", "30003"}
    first = stored["30001"]
    assert first.points == 54 and first.simplified_points == 5
    assert json.loads(first.geometry)["coordinates"][0] == ring  # the file's outline is kept as given
    assert first.attribution == "Ô vuông tổng hợp" and first.source == "boundaries.geojson"


def test_a_second_import_replaces_the_boundaries_it_names(tmp_path, communes):
    run(write(tmp_path, squares([c.code for c in communes])))
    moved = squares([communes[0].code], origin=(107.0, 11.0))

    out = run(write(tmp_path, moved, "moved.geojson"))

    assert "1 ranh giới cũ được thay" in out
    assert Boundary.objects.count() == 3
    assert json.loads(Boundary.objects.get(unit=communes[0]).geometry)["coordinates"][0][0] == [107.0, 11.0]


def test_a_topojson_file_is_decoded_into_polygons(tmp_path, communes):
    # two unit squares side by side sharing their middle edge (arc 0), quantized with a transform
    topology = {
        "type": "Topology",
        "transform": {"scale": [0.01, 0.01], "translate": [106.0, 10.0]},
        "arcs": [
            [[10, 0], [0, 10]],  # shared edge: (10,0) → (10,10)
            [[10, 10], [-10, 0], [0, -10], [10, 0]],  # left square's other sides, back to (10,0)
            [[10, 0], [10, 0], [0, 10], [-10, 0]],  # right square's other sides, to (10,10)
        ],
        "objects": {"xa": {"type": "GeometryCollection", "geometries": [
            {"type": "Polygon", "arcs": [[0, 1]], "properties": {"ma_xa": "30001"}},
            {"type": "Polygon", "arcs": [[2, -1]], "properties": {"ma_xa": "30002"}},
        ]}},
    }

    out = run(write(tmp_path, topology, "xa.topojson"), "--property", "ma_xa")

    assert "Đã nhập ranh giới của 2 đơn vị" in out
    left = json.loads(Boundary.objects.get(unit=communes[0]).geometry)["coordinates"][0]
    right = json.loads(Boundary.objects.get(unit=communes[1]).geometry)["coordinates"][0]
    rounded = [[[round(x, 6), round(y, 6)] for x, y in ring] for ring in (left, right)]
    assert rounded[0] == [[106.1, 10.0], [106.1, 10.1], [106.0, 10.1], [106.0, 10.0], [106.1, 10.0]]
    assert rounded[1] == [[106.1, 10.0], [106.2, 10.0], [106.2, 10.1], [106.1, 10.1], [106.1, 10.0]]


def feature(code: str, geometry: dict | None) -> dict:
    return {"type": "Feature", "properties": {"code": code}, "geometry": geometry}


BAD_FILES = [
    pytest.param("{not json", "tệp không phải JSON: dòng 1, cột 2", id="not-json"),
    pytest.param({"type": "GeometryCollection", "geometries": []}, "loại “GeometryCollection” không được hỗ trợ",
                 id="wrong-file-type"),
    pytest.param([feature("30001", square(106, 10)),
                  feature("30002", {"type": "LineString", "coordinates": [[106, 10], [106.1, 10.1]]})],
                 "Đối tượng 2 (mã 30002, thuộc tính “code”): kiểu hình học “LineString” không được hỗ trợ",
                 id="wrong-geometry-type"),
    pytest.param([feature("30001", square(106, 10)), feature("77777", square(106.1, 10))],
                 "Đối tượng 2 (mã 77777, thuộc tính “code”): không có đơn vị hành chính nào mang mã này",
                 id="unknown-code"),
    pytest.param([feature("30001", {"type": "Polygon", "coordinates": [[[106, 10], [106.1, 10.1], [106.1, 10],
                                                                        [106, 10.1], [106, 10]]]})],
                 "Đối tượng 1 (mã 30001, thuộc tính “code”): đa giác không hợp lệ: Self-intersection",
                 id="self-intersecting-polygon"),
    pytest.param([feature("30001", {"type": "Polygon", "coordinates": [[[106, 10], [106.1, 10], [106.1, 10.1],
                                                                        [106, 10.1]]]})],
                 "Đối tượng 1 (mã 30001, thuộc tính “code”): vòng 1 của đa giác 1 không khép kín",
                 id="open-ring"),
    pytest.param([feature("30001", {"type": "Polygon", "coordinates": [[[106, 10], [106.1, 10], [106, 10]]]})],
                 "vòng 1 của đa giác 1 chỉ có 3 điểm", id="too-short-ring"),
    pytest.param([feature("30001", square(580000, 1150000, 1000))],
                 "Đối tượng 1 (mã 30001, thuộc tính “code”): điểm (580000, 1150000) nằm ngoài phạm vi kinh độ/vĩ độ",
                 id="projected-coordinates"),
    pytest.param([feature("30001", square(106, 10)), feature("30001", square(106.1, 10))],
                 "Đối tượng 2 (mã 30001, thuộc tính “code”): trùng mã: Xã Xã 30001 đã có ở đối tượng 1",
                 id="duplicate-code"),
    pytest.param({"type": "Topology", "arcs": [[[106, 10], [106.1, 10], [106.1, 10.1], [106, 10]]],
                  "objects": {"xa": {"type": "GeometryCollection", "geometries": [
                      {"type": "Polygon", "arcs": [[0, 5]], "properties": {"code": "30001"}}]}}},
                 "cung (arc) 5 không có trong topology", id="topojson-missing-arc"),
    pytest.param([{"type": "Feature", "properties": {"ten": "Xã A"}, "geometry": square(106, 10)}],
                 "Đối tượng 1: không có mã đơn vị: thiếu thuộc tính “code”", id="no-code"),
]


@pytest.mark.parametrize(("content", "message"), BAD_FILES)
def test_a_bad_file_is_refused_naming_the_feature_and_what_is_wrong(tmp_path, communes, content, message):
    if isinstance(content, list):
        content = {"type": "FeatureCollection", "features": content}

    said = refusal(write(tmp_path, content))

    assert "không nhập gì" in said
    assert message in said
    assert not Boundary.objects.exists()


def test_problems_are_said_in_english_when_asked(tmp_path, communes):
    bad = {"type": "FeatureCollection", "features": [feature("77777", square(106, 10))]}

    said = refusal(write(tmp_path, bad), "--lang", "en")

    assert "nothing imported" in said
    assert "Feature 1 (code 77777, property “code”): no administrative unit has this code on" in said


def test_one_bad_feature_stores_nothing_and_keeps_what_was_there(tmp_path, communes):
    run(write(tmp_path, squares([communes[0].code])))
    before = Boundary.objects.get(unit=communes[0]).geometry
    data = squares([c.code for c in communes], origin=(107.0, 11.0))
    data["features"][2]["geometry"]["coordinates"][0].pop()  # the third square's ring no longer closes

    said = refusal(write(tmp_path, data, "mixed.geojson"))

    assert "1 lỗi" in said and "Đối tượng 3 (mã 30003" in said
    assert list(Boundary.objects.values_list("unit__code", flat=True)) == ["30001"]
    assert Boundary.objects.get(unit=communes[0]).geometry == before


def test_codes_name_the_units_in_force_on_the_date_given(tmp_path, communes):
    old = Unit.objects.create(key="c30001", code="30001", name="Cũ", division_type="xã", kind=Kind.COMMUNE,
                              valid_to=date(2025, 6, 30))
    path = write(tmp_path, squares(["30001"]))

    run(path)
    assert Boundary.objects.get().unit == communes[0]  # today: the commune since 1/7/2025

    run(path, "--on", "2025-06-30")
    assert set(Boundary.objects.values_list("unit", flat=True)) == {communes[0].pk, old.pk}


def test_a_code_shared_by_two_levels_asks_for_the_level_unless_zero_padding_says_it(tmp_path, province):
    commune = Unit.objects.create(key="c91-2025", code="91", name="Chín Mốt", division_type="xã",
                                  kind=Kind.COMMUNE, parent=province, valid_from=NEW)

    said = refusal(write(tmp_path, squares(["91"])))
    assert "mã này trùng giữa" in said and "Tỉnh Thử" in said and "Xã Chín Mốt" in said and "--level" in said

    run(write(tmp_path, squares(["00091"]), "padded.geojson"))  # five digits: a commune's code
    run(write(tmp_path, squares(["91"]), "provinces.geojson"), "--level", "province")
    assert set(Boundary.objects.values_list("unit", flat=True)) == {commune.pk, province.pk}


def test_neighbours_keep_one_shared_border_after_simplification(tmp_path, communes):
    # two communes whose common border wiggles by ~5 m, drawn with 41 points in both files' rings
    border = [[106.1 + (0.00005 if i % 2 else 0.0), 10.0 + i * 0.0025] for i in range(41)]
    left = [[106.0, 10.0], *border, [106.0, 10.1], [106.0, 10.0]]
    right = [border[0], [106.2, 10.0], [106.2, 10.1], *border[::-1]]
    data = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"code": "30001"}, "geometry": {"type": "Polygon", "coordinates": [left]}},
        {"type": "Feature", "properties": {"code": "30002"}, "geometry": {"type": "Polygon", "coordinates": [right]}},
    ]}

    run(write(tmp_path, data))

    stored = {b.unit.code: b for b in Boundary.objects.select_related("unit")}
    on_border = [{tuple(p) for p in json.loads(stored[code].simplified)["coordinates"][0] if 106.09 < p[0] < 106.11}
                 for code in ("30001", "30002")]
    assert on_border[0] == on_border[1]  # the same line on both sides: no sliver, no overlap
    assert stored["30001"].simplified_points < stored["30001"].points


def test_a_negative_tolerance_is_refused(tmp_path, communes):
    said = refusal(write(tmp_path, squares(["30001"])), "--tolerance", "-1")

    assert "--tolerance phải từ 0 trở lên" in said
