"""Reading and checking boundary files without Django (`ntm.maps.geometry`): the cases the import command's
tests do not reach — coordinate systems, encodings, where a code is read from, MultiPolygons and holes, values
JSON allows but a map cannot use, and simplifying neighbours together only when they tile."""

from __future__ import annotations

import json

import pytest

from ntm.maps.geometry import Feature, Problem, Shape, check, read, simplify_together

from .shapes import square


def collection(*features: dict, **extra) -> bytes:
    return json.dumps({"type": "FeatureCollection", "features": list(features), **extra}).encode()


def feature(geometry: dict | None, **properties) -> dict:
    return {"type": "Feature", "properties": properties, "geometry": geometry}


def problems(raw: bytes, prop: str = "code") -> list[str]:
    return [p.what for p in read(raw, prop)[1]]


# --- reading ------------------------------------------------------------------------------------------------

def test_a_file_saved_with_a_byte_order_mark_is_read():
    features, found = read(b"\xef\xbb\xbf" + collection(feature(square(106, 10), code="30001")), "code")

    assert found == [] and [f.code for f in features] == ["30001"]


def test_a_file_not_in_utf8_is_refused_with_where_it_breaks():
    raw = '{"type": "Feature", "properties": {"ten": "Xã Đạ Huoai"}}'.encode("cp1258", errors="replace")

    [what] = problems(raw)

    assert what.startswith("not JSON: line 1, column ") and what.endswith(": UTF-8")


@pytest.mark.parametrize("crs", ["EPSG:3405", "urn:ogc:def:crs:EPSG::32648"])
def test_a_projected_coordinate_system_is_refused_by_name(crs):
    raw = collection(feature(square(106, 10), code="1"), crs={"type": "name", "properties": {"name": crs}})

    assert problems(raw) == [f"coordinate system {crs}: the file must use WGS 84 longitude/latitude (EPSG:4326)"]


def test_wgs84_named_either_way_is_accepted():
    for crs in ("urn:ogc:def:crs:OGC:1.3:CRS84", "EPSG:4326"):
        raw = collection(feature(square(106, 10), code="1"), crs={"type": "name", "properties": {"name": crs}})
        assert problems(raw) == []


@pytest.mark.parametrize(
    ("raw", "what"),
    [
        (b"[]", "type list is not supported"),
        (b'{"type": "FeatureCollection", "features": []}', "the file has no feature"),
        (b'{"type": "FeatureCollection"}', "type FeatureCollection is not supported"),
        (b'{"type": "Topology"}', "type Topology is not supported"),
    ],
    ids=["a bare list", "no feature", "a collection without its features", "a topology without objects"],
)
def test_a_file_that_is_no_usable_collection_is_refused(raw, what):
    [found] = problems(raw)

    assert found.startswith(what)


def test_a_single_feature_is_a_file_of_one():
    raw = json.dumps(feature(square(106, 10), ma_xa="30001")).encode()

    features, found = read(raw, "ma_xa")

    assert found == [] and [(f.index, f.code, f.prop) for f in features] == [(1, "30001", "ma_xa")]


def test_the_code_falls_back_to_the_feature_id_and_numbers_become_text():
    raw = collection({"type": "Feature", "id": 30002, "properties": {"ten": "Xã B"}, "geometry": square(106, 10)},
                     feature(square(106.1, 10), code=" 30003 "))

    features, found = read(raw, "code")

    assert found == []
    assert [(f.code, f.prop) for f in features] == [("30002", "id"), ("30003", "code")]


@pytest.mark.parametrize("code", ["", None, True, ["30001"], {"ma": "30001"}])
def test_a_code_that_is_empty_or_not_a_value_is_refused_with_the_feature(code):
    raw = collection(feature(square(106, 10), code="30001"), feature(square(106.1, 10), code=code))

    features, found = read(raw, "code")

    assert [f.index for f in features] == [1]
    assert found == [Problem("no unit code: property code is missing or empty", 2, "", "code")]


def test_an_entry_that_is_not_an_object_is_counted_and_refused():
    features, found = read(b'{"type": "FeatureCollection", "features": [42]}', "code")

    assert features == [] and found[0].index == 1


def test_a_topojson_arc_index_that_is_not_a_number_is_named():
    topology = {"type": "Topology", "arcs": [[[106, 10], [106.1, 10], [106.1, 10.1], [106, 10]]],
                "objects": {"xa": {"type": "Polygon", "arcs": [["0"]], "properties": {"code": "1"}}}}

    assert problems(json.dumps(topology).encode()) == ["arc 0 does not exist in the topology"]


def test_a_topojson_multipolygon_and_a_reversed_arc_are_decoded_without_a_transform():
    ring = [[106.0, 10.0], [106.1, 10.0], [106.1, 10.1], [106.0, 10.0]]
    topology = {"type": "Topology", "arcs": [ring],
                "objects": {"xa": {"type": "GeometryCollection", "geometries": [
                    {"type": "MultiPolygon", "arcs": [[[0]], [[-1]]], "id": "30001"}]}}}

    [f], found = read(json.dumps(topology).encode(), "code")

    assert found == [] and (f.code, f.prop) == ("30001", "id")
    assert f.geometry == {"type": "MultiPolygon", "coordinates": [[ring], [ring[::-1]]]}


# --- checking one feature -----------------------------------------------------------------------------------

def checked(geometry, code: str = "30001") -> Shape | Problem:
    return check(Feature(3, code, "code", geometry))


def test_a_multipolygon_with_a_hole_is_accepted_and_its_points_counted():
    outer = [[106.0, 10.0], [106.2, 10.0], [106.2, 10.2], [106.0, 10.2], [106.0, 10.0]]
    hole = [[106.05, 10.05], [106.1, 10.05], [106.1, 10.1], [106.05, 10.05]]
    islet = square(107.0, 10.0)["coordinates"]

    shape = checked({"type": "MultiPolygon", "coordinates": [[outer, hole], islet]})

    assert isinstance(shape, Shape)
    assert shape.points == 5 + 4 + 5
    assert shape.shape.area == pytest.approx(0.04 - 0.00125 + 0.0025)
    assert json.loads(shape.geometry)["coordinates"][0][1] == hole  # the file's outline, hole included


def test_the_web_copy_is_rounded_to_about_a_metre():
    ring = [[106.123456789, 10.0], [106.2, 10.0], [106.2, 10.2], [106.123456789, 10.0]]

    shape = checked({"type": "Polygon", "coordinates": [ring]})

    assert json.loads(shape.simplified)["coordinates"][0][0] == [106.12346, 10.0]
    assert json.loads(shape.geometry)["coordinates"][0][0] == [106.123456789, 10.0]


@pytest.mark.parametrize(
    ("geometry", "what"),
    [
        (None, "no geometry"),
        ({"coordinates": []}, "no geometry"),
        ({"type": "Point", "coordinates": [106, 10]}, "geometry type Point is not supported"),
        ({"type": "MultiPolygon", "coordinates": []}, "the geometry: coordinates are not lists"),
        ({"type": "Polygon", "coordinates": []}, "polygon 1: coordinates are not lists"),
        ({"type": "MultiPolygon", "coordinates": [square(106, 10)["coordinates"], []]},
         "polygon 2: coordinates are not lists"),
        ({"type": "Polygon", "coordinates": [[[106, 10], [106.1, True], [106.1, 10.1], [106, 10]]]},
         "ring 1 of polygon 1: coordinates are not lists"),
        ({"type": "Polygon", "coordinates": [[[106, 10], [106.1], [106.1, 10.1], [106, 10]]]},
         "ring 1 of polygon 1: coordinates are not lists"),
        ({"type": "Polygon", "coordinates": [[[106, 10], [float("nan"), 10], [106.1, 10.1], [106, 10]]]},
         "position (nan, 10) is out of longitude/latitude range"),
        ({"type": "Polygon", "coordinates": [[[106, 10], [106.1, 91], [106.1, 10.1], [106, 10]]]},
         "position (106.1, 91) is out of longitude/latitude range"),
    ],
    ids=["none", "no type", "a point", "no polygon", "a polygon without rings", "an empty second polygon",
         "a true for a latitude", "a position without latitude", "NaN, which JSON readers accept",
         "latitude past the pole"],
)
def test_a_geometry_a_map_cannot_draw_is_refused_naming_the_feature(geometry, what):
    found = checked(geometry)

    assert isinstance(found, Problem)
    assert (found.index, found.code, found.prop) == (3, "30001", "code")
    assert found.what.startswith(what)


def test_the_edges_of_the_world_are_in_range():
    ring = [[-180, -90], [180, -90], [180, 90], [-180, 90], [-180, -90]]

    assert isinstance(checked({"type": "Polygon", "coordinates": [ring]}), Shape)


# --- simplifying neighbours together ------------------------------------------------------------------------

def shapes_of(*geometries: dict) -> list[Shape]:
    shapes = []
    for i, g in enumerate(geometries, 1):
        shape = check(Feature(i, str(i), "code", g))
        assert isinstance(shape, Shape), shape
        shapes.append(shape)
    return shapes


def test_overlapping_shapes_keep_their_own_simplification():
    overlapping = shapes_of(square(106.0, 10.0, 0.1), square(106.05, 10.0, 0.1))

    assert simplify_together(overlapping) == overlapping


def test_one_shape_or_no_tolerance_leaves_the_shapes_as_they_are():
    one = shapes_of(square(106.0, 10.0))
    two = shapes_of(square(106.0, 10.0), square(106.05, 10.0))

    assert simplify_together(one) == one
    assert simplify_together(two, tolerance=0) == two


def test_tiling_shapes_are_simplified_together_and_keep_their_codes():
    # a straight shared border drawn with many points: together, both sides drop the same points
    border = [[106.1, 10.0 + i * 0.005] for i in range(21)]
    left = {"type": "Polygon", "coordinates": [[[106.0, 10.0], *border, [106.0, 10.1], [106.0, 10.0]]]}
    right = {"type": "Polygon", "coordinates": [[border[0], [106.2, 10.0], [106.2, 10.1], *border[::-1]]]}

    together = simplify_together(shapes_of(left, right))

    assert [s.code for s in together] == ["1", "2"]
    assert [s.simplified_points for s in together] == [5, 5]
    assert [s.points for s in together] == [24, 24]
