"""Boundary files read and checked without Django: GeoJSON or TopoJSON in, one `Shape` per feature out, every
problem collected with the feature it is about. Geometry validity and topology-preserving simplification come
from shapely (GEOS); TopoJSON is decoded here (arcs, delta encoding and transform: a few lines, and no
well-kept Python package decodes it)."""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from typing import Any

import shapely
from shapely.geometry import mapping, shape
from shapely.validation import explain_validity

POLYGONAL = ("Polygon", "MultiPolygon")
WGS84_NAMES = ("EPSG:4326", "urn:ogc:def:crs:OGC:1.3:CRS84", "urn:ogc:def:crs:EPSG::4326", "CRS84")
DEFAULT_TOLERANCE = 0.0005  # degrees, about 50 m: invisible at the scale of a province's map
DECIMALS = 5  # about 1 m: the web copy needs no more


@dataclass(frozen=True)
class Problem:
    """What is wrong (`what`), with the feature it is about when there is one (`index` from 1)."""

    what: str
    index: int | None = None
    code: str = ""
    prop: str = ""


@dataclass(frozen=True)
class Feature:
    """One feature as read from the file: its position, its unit code (raw) and its geometry."""

    index: int  # from 1, in file order
    code: str
    prop: str  # where the code was read from: a property name or "id"
    geometry: Any


@dataclass(frozen=True)
class Shape:
    """A checked feature: its geometry as GeoJSON text, and a lighter copy for the web."""

    index: int
    code: str
    geometry: str
    simplified: str
    points: int
    simplified_points: int
    shape: Any = field(default=None, compare=False, repr=False)  # the shapely geometry, for simplify_together


@dataclass(frozen=True)
class Messages:
    """The wording of problems; the Django side passes translated strings (Vietnamese first)."""

    not_json: str = "not JSON: line %(line)s, column %(column)s: %(error)s"
    wrong_type: str = "type %(kind)s is not supported: a GeoJSON FeatureCollection or Feature, or a TopoJSON Topology"
    crs: str = "coordinate system %(crs)s: the file must use WGS 84 longitude/latitude (EPSG:4326)"
    no_code: str = "no unit code: property %(prop)s is missing or empty"
    no_geometry: str = "no geometry"
    geometry_type: str = "geometry type %(kind)s is not supported: only Polygon or MultiPolygon"
    bad_coordinates: str = "%(where)s: coordinates are not lists of [longitude, latitude] positions"
    where_geometry: str = "the geometry"
    where_polygon: str = "polygon %(polygon)s"
    where_ring: str = "ring %(ring)s of polygon %(polygon)s"
    short_ring: str = "ring %(ring)s of polygon %(polygon)s has %(count)s positions: a ring needs at least 4"
    open_ring: str = "ring %(ring)s of polygon %(polygon)s is not closed: its last position differs from its first"
    out_of_range: str = ("position (%(x)s, %(y)s) is out of longitude/latitude range: the file must use WGS 84 "
                    "(EPSG:4326), "
                    "not projected coordinates such as VN-2000")
    invalid: str = "invalid polygon: %(reason)s"
    bad_arc: str = "arc %(arc)s does not exist in the topology"
    empty: str = "the file has no feature"


def read(raw: bytes, prop: str, msg: type[Messages] | Messages = Messages) -> tuple[list[Feature], list[Problem]]:
    """The features of a GeoJSON or TopoJSON file, with the problems found reading it."""
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        return [], [Problem(msg.not_json % {"line": 1, "column": exc.start + 1, "error": "UTF-8"})]
    except json.JSONDecodeError as exc:
        return [], [Problem(msg.not_json % {"line": exc.lineno, "column": exc.colno, "error": exc.msg})]
    kind = data.get("type") if isinstance(data, dict) else type(data).__name__
    crs = _crs_name(data)
    if crs and crs not in WGS84_NAMES:
        return [], [Problem(msg.crs % {"crs": crs})]
    if kind == "FeatureCollection" and isinstance(data.get("features"), list):
        raw_features = list(data["features"])
    elif kind == "Feature":
        raw_features = [data]
    elif kind == "Topology" and isinstance(data.get("objects"), dict):
        try:
            raw_features = list(_topology_features(data))
        except _ArcError as exc:
            return [], [Problem(msg.bad_arc % {"arc": exc.args[0]})]
    else:
        return [], [Problem(msg.wrong_type % {"kind": kind})]
    if not raw_features:
        return [], [Problem(msg.empty)]
    features, problems = [], []
    for index, item in enumerate(raw_features, 1):
        item = item if isinstance(item, dict) else {}
        props = found if isinstance(found := item.get("properties"), dict) else {}
        code, where = props.get(prop), prop
        if code in (None, "") and item.get("id") not in (None, ""):
            code, where = item["id"], "id"
        if code in (None, "") or isinstance(code, dict | list | bool):
            problems.append(Problem(msg.no_code % {"prop": prop}, index, "", prop))
            continue
        features.append(Feature(index, str(code).strip(), where, item.get("geometry")))
    return features, problems


def _crs_name(data: Any) -> str:
    crs = data.get("crs") if isinstance(data, dict) else None
    if isinstance(crs, dict) and isinstance(crs.get("properties"), dict):
        return str(crs["properties"].get("name") or "")
    return ""


class _ArcError(Exception):
    pass


def _topology_features(topology: dict) -> Iterator[dict]:
    """Each geometry of each object of a TopoJSON topology, as a GeoJSON feature (TopoJSON spec 1.0)."""
    arcs = _decoded_arcs(topology)
    for obj in topology["objects"].values():
        geometries = obj.get("geometries", []) if obj.get("type") == "GeometryCollection" else [obj]
        for geom in geometries:
            if not isinstance(geom, dict):
                yield {}
                continue
            feature = {"type": "Feature", "properties": geom.get("properties") or {},
                       "geometry": _topo_geometry(geom, arcs)}
            if "id" in geom:
                feature["id"] = geom["id"]
            yield feature


def _decoded_arcs(topology: dict) -> list[list[list[float]]]:
    transform = topology.get("transform")
    arcs = []
    for arc in topology.get("arcs") or []:
        if transform:
            (sx, sy), (tx, ty) = transform["scale"], transform["translate"]
            x = y = 0
            points = []
            for dx, dy, *_rest in arc:  # quantized and delta-encoded
                x, y = x + dx, y + dy
                points.append([x * sx + tx, y * sy + ty])
            arcs.append(points)
        else:
            arcs.append([list(p[:2]) for p in arc])
    return arcs


def _ring(indexes: list, arcs: list) -> list:
    ring: list = []
    for i in indexes:
        if not isinstance(i, int) or not -len(arcs) <= i < len(arcs):
            raise _ArcError(i)
        points = arcs[i] if i >= 0 else arcs[~i][::-1]
        ring.extend(points if not ring else points[1:])  # arcs share their end points
    return ring


def _topo_geometry(geom: dict, arcs: list) -> dict | None:
    kind = geom.get("type")
    if kind == "Polygon":
        return {"type": kind, "coordinates": [_ring(r, arcs) for r in geom.get("arcs") or []]}
    if kind == "MultiPolygon":
        return {"type": kind, "coordinates": [[_ring(r, arcs) for r in p] for p in geom.get("arcs") or []]}
    if kind is None:
        return None
    return {"type": kind, "coordinates": geom.get("coordinates")}  # refused later, by type


def check(feature: Feature, tolerance: float = DEFAULT_TOLERANCE,
          msg: type[Messages] | Messages = Messages) -> Shape | Problem:
    """The feature's polygon checked (type, structure, range, validity) and simplified for the web."""

    def problem(what: str) -> Problem:
        return Problem(what, feature.index, feature.code, feature.prop)

    geom = feature.geometry
    if not isinstance(geom, dict) or not geom.get("type"):
        return problem(msg.no_geometry)
    if geom["type"] not in POLYGONAL:
        return problem(msg.geometry_type % {"kind": geom["type"]})
    polygons = [geom.get("coordinates")] if geom["type"] == "Polygon" else geom.get("coordinates")
    if not isinstance(polygons, list) or not polygons:
        return problem(msg.bad_coordinates % {"where": msg.where_geometry})
    points = 0
    for p, rings in enumerate(polygons, 1):
        if not isinstance(rings, list) or not rings:
            return problem(msg.bad_coordinates % {"where": msg.where_polygon % {"polygon": p}})
        for r, ring in enumerate(rings, 1):
            found = _ring_problem(ring, p, r, msg)
            if found:
                return problem(found)
            points += len(ring)
    try:
        geometry = shape(geom)
    except (ValueError, TypeError, shapely.errors.ShapelyError) as exc:
        return problem(msg.invalid % {"reason": str(exc)})
    if not geometry.is_valid:
        return problem(msg.invalid % {"reason": explain_validity(geometry)})
    light = shapely.simplify(geometry, tolerance, preserve_topology=True)
    if light.is_empty or not light.is_valid:
        light = geometry
    light_geojson = _rounded(mapping(light))
    return Shape(feature.index, feature.code, json.dumps(geom, separators=(",", ":")),
                 json.dumps(light_geojson, separators=(",", ":")), points, _count(light_geojson), geometry)


def simplify_together(shapes: list[Shape], tolerance: float = DEFAULT_TOLERANCE) -> list[Shape]:
    """Neighbours simplified together (GEOS coverage simplification), so that a border two communes share stays
    one line: no slivers or overlaps between them on the map. Only when the features form a coverage (no
    overlaps, matching vertices along shared borders); otherwise each keeps its own simplification."""
    geometries = [s.shape for s in shapes]
    if len(shapes) < 2 or tolerance <= 0 or any(g is None for g in geometries):
        return shapes
    if not shapely.coverage_is_valid(geometries):
        return shapes
    together = []
    for s, light in zip(shapes, shapely.coverage_simplify(geometries, tolerance), strict=True):
        if light.is_empty or not light.is_valid:
            together.append(s)
            continue
        light_geojson = _rounded(mapping(light))
        together.append(replace(s, simplified=json.dumps(light_geojson, separators=(",", ":")),
                                simplified_points=_count(light_geojson)))
    return together


def _ring_problem(ring: Any, polygon: int, number: int, msg: type[Messages] | Messages) -> str:
    where = msg.where_ring % {"ring": number, "polygon": polygon}
    if not isinstance(ring, list):
        return msg.bad_coordinates % {"where": where}
    for pos in ring:
        if (not isinstance(pos, list) or len(pos) < 2
                or not all(isinstance(v, int | float) and not isinstance(v, bool) for v in pos[:2])):
            return msg.bad_coordinates % {"where": where}
        x, y = pos[0], pos[1]
        if not (math.isfinite(x) and math.isfinite(y) and -180 <= x <= 180 and -90 <= y <= 90):
            return msg.out_of_range % {"x": x, "y": y}
    if len(ring) < 4:
        return msg.short_ring % {"ring": number, "polygon": polygon, "count": len(ring)}
    if ring[0][:2] != ring[-1][:2]:
        return msg.open_ring % {"ring": number, "polygon": polygon}
    return ""


def _rounded(geojson: Any) -> Any:
    if isinstance(geojson, dict):
        return {k: _rounded(v) for k, v in geojson.items()}
    if isinstance(geojson, list | tuple):
        if geojson and all(isinstance(v, float | int) for v in geojson):
            return [round(float(v), DECIMALS) for v in geojson[:2]]
        return [_rounded(v) for v in geojson]
    return geojson


def _count(geojson: dict) -> int:
    coords = geojson["coordinates"]
    polygons = [coords] if geojson["type"] == "Polygon" else coords
    return sum(len(ring) for rings in polygons for ring in rings)
