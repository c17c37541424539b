"""`ntm units boundaries FILE`: read a GeoJSON or TopoJSON file keyed by official unit codes, check every
feature (type, rings, coordinate range, validity, known code, no duplicate), simplify it for the web, and store
all of it or nothing. Problems name the feature (position, code, property) and say what is wrong."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ntm.units.models import Kind, Unit

from . import geometry
from .models import Boundary

LEVEL_KINDS = {"province": (Kind.PROVINCE,), "district": (Kind.DISTRICT,), "commune": (Kind.COMMUNE, Kind.WARD)}
PADDED_LEVEL = {2: "province", 3: "district", 5: "commune"}  # the statistics office writes codes zero-padded


class BoundaryImportError(Exception):
    """The file was refused: nothing was stored. `problems` lists every problem found."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass
class ImportReport:
    stored: int = 0
    replaced: int = 0
    by_kind: Counter = field(default_factory=Counter)
    points: int = 0
    simplified_points: int = 0


def messages() -> geometry.Messages:
    """The problems' wording in the active language (Vietnamese first)."""
    return geometry.Messages(
        not_json=_("tệp không phải JSON: dòng %(line)s, cột %(column)s: %(error)s"),
        wrong_type=_("loại “%(kind)s” không được hỗ trợ: cần FeatureCollection hoặc Feature (GeoJSON), "
                     "hoặc Topology (TopoJSON)"),
        crs=_("hệ tọa độ “%(crs)s”: tệp phải dùng kinh độ/vĩ độ WGS 84 (EPSG:4326)"),
        no_code=_("không có mã đơn vị: thiếu thuộc tính “%(prop)s” hoặc thuộc tính trống"),
        no_geometry=_("không có hình học (geometry)"),
        geometry_type=_("kiểu hình học “%(kind)s” không được hỗ trợ: chỉ nhận Polygon hoặc MultiPolygon"),
        bad_coordinates=_("%(where)s: tọa độ không phải danh sách các điểm [kinh độ, vĩ độ]"),
        where_geometry=_("hình học"),
        where_polygon=_("đa giác %(polygon)s"),
        where_ring=_("vòng %(ring)s của đa giác %(polygon)s"),
        short_ring=_("vòng %(ring)s của đa giác %(polygon)s chỉ có %(count)s điểm: một vòng cần ít nhất 4 điểm"),
        open_ring=_("vòng %(ring)s của đa giác %(polygon)s không khép kín: điểm cuối khác điểm đầu"),
        out_of_range=_("điểm (%(x)s, %(y)s) nằm ngoài phạm vi kinh độ/vĩ độ: tệp phải dùng WGS 84 (EPSG:4326), "
                       "không dùng tọa độ phẳng như VN-2000"),
        invalid=_("đa giác không hợp lệ: %(reason)s"),
        bad_arc=_("cung (arc) %(arc)s không có trong topology"),
        empty=_("tệp không có đối tượng nào"),
    )


def describe(problem: geometry.Problem) -> str:
    """A problem as one line: "Đối tượng 3 (mã 25486, thuộc tính “code”): …"."""
    if problem.index is None:
        return problem.what
    if problem.code:
        where = _("Đối tượng %(index)s (mã %(code)s, thuộc tính “%(prop)s”)") % {
            "index": problem.index, "code": problem.code, "prop": problem.prop}
    else:
        where = _("Đối tượng %(index)s") % {"index": problem.index}
    return f"{where}: {problem.what}"


def import_boundaries(raw: bytes, *, source: str, prop: str = "code", level: str | None = None,
                      on: date | None = None, attribution: str = "", tolerance: float = geometry.DEFAULT_TOLERANCE,
                      user=None) -> ImportReport:
    """Check every feature, then store every boundary in one transaction; raise `BoundaryImportError` with
    every problem and store nothing when any feature is wrong. Codes name units valid on `on` (default:
    today, i.e. the units since 1/7/2025); `level` picks provinces, districts or communes when a code is
    ambiguous."""
    msg = messages()
    features, problems = geometry.read(raw, prop, msg)
    units = _units_by_code(on or timezone.localdate(), level)
    seen: dict[int, int] = {}
    shapes: list[tuple[Unit, geometry.Shape]] = []
    for feature in features:
        checked = geometry.check(feature, tolerance, msg)
        if isinstance(checked, geometry.Problem):
            problems.append(checked)
            continue
        unit = _resolve(feature, units, level, on)
        if isinstance(unit, geometry.Problem):
            problems.append(unit)
        elif unit.pk in seen:
            problems.append(geometry.Problem(
                _("trùng mã: %(unit)s đã có ở đối tượng %(first)s") % {"unit": unit.full_name,
                                                                        "first": seen[unit.pk]},
                feature.index, feature.code, feature.prop))
        else:
            seen[unit.pk] = feature.index
            shapes.append((unit, checked))
    if problems:
        raise BoundaryImportError([describe(p) for p in sorted(problems, key=lambda p: p.index or 0)])
    together = geometry.simplify_together([s for _unit, s in shapes], tolerance)
    return _store([(unit, s) for (unit, _s), s in zip(shapes, together, strict=True)], source=source,
                  attribution=attribution, user=user)


def _normal(code: str) -> str:
    return str(int(code)) if code.isdigit() else code


def _units_by_code(on: date, level: str | None) -> dict[str, list[Unit]]:
    valid = ((Q(valid_from__isnull=True) | Q(valid_from__lte=on)) & (Q(valid_to__isnull=True) | Q(valid_to__gte=on)))
    kinds = LEVEL_KINDS[level] if level else (Kind.PROVINCE, Kind.DISTRICT, Kind.COMMUNE, Kind.WARD)
    out: dict[str, list[Unit]] = defaultdict(list)
    for unit in Unit.objects.filter(valid, kind__in=kinds).only("pk", "code", "kind", "name", "division_type"):
        out[_normal(unit.code)].append(unit)
    return out


def _resolve(feature: geometry.Feature, units: dict[str, list[Unit]], level: str | None,
             on: date | None) -> Unit | geometry.Problem:
    candidates = units.get(_normal(feature.code), [])
    padded = PADDED_LEVEL.get(len(feature.code)) if feature.code.startswith("0") and not level else None
    if padded:
        candidates = [u for u in candidates if u.kind in LEVEL_KINDS[padded]]
    if len(candidates) == 1:
        return candidates[0]
    if not candidates:
        what = _("không có đơn vị hành chính nào mang mã này vào ngày %(on)s") % {
            "on": (on or timezone.localdate()).strftime("%d/%m/%Y")}
    else:
        what = _("mã này trùng giữa %(units)s: chọn cấp bằng --level province|district|commune") % {
            "units": ", ".join(u.full_name for u in candidates)}
    return geometry.Problem(what, feature.index, feature.code, feature.prop)


@transaction.atomic
def _store(shapes: list[tuple[Unit, geometry.Shape]], *, source: str, attribution: str, user) -> ImportReport:
    report = ImportReport()
    ids = [unit.pk for unit, _shape in shapes]
    report.replaced = Boundary.objects.filter(unit_id__in=ids).delete()[0]
    now = timezone.now()
    Boundary.objects.bulk_create([
        Boundary(unit=unit, geometry=s.geometry, simplified=s.simplified, points=s.points,
                 simplified_points=s.simplified_points, source=source[:300], attribution=attribution[:500],
                 imported_at=now, imported_by=user)
        for unit, s in shapes
    ], batch_size=500)
    report.stored = len(shapes)
    report.by_kind = Counter(unit.kind for unit, _shape in shapes)
    report.points = sum(s.points for _unit, s in shapes)
    report.simplified_points = sum(s.simplified_points for _unit, s in shapes)
    return report
