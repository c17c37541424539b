"""What the maps show: each unit's standing as a class (for colour and pattern) and in words (for the table and
the tooltip), and its simplified outline when one was imported. Verdicts come from stored results in bulk
(the province map reuses the communes × criteria matrix); nothing is evaluated here."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from ntm.catalog_source import get_catalog
from ntm.core.catalog import UnitKind
from ntm.core.engine import Status
from ntm.evaluation import presenters
from ntm.evaluation.matrix import district_matrix
from ntm.evaluation.models import CriterionResult, UnitResult
from ntm.evaluation.selectors import under
from ntm.units.models import Kind, Unit

from .models import Boundary

SCORE = "score"  # colour by n/N; otherwise by one criterion, named by its code


@dataclass(frozen=True)
class LegendItem:
    css: str  # the class that gives colour and pattern
    label: str
    symbol: str  # a shape in the table, so colour is never the only signal
    count: int


@dataclass(frozen=True)
class MapUnit:
    key: str
    name: str
    css: str
    symbol: str
    value: str  # "7/10" for a commune, "12/80 xã (15 %)" for a province
    text: str  # the class in words
    href: str
    shape: dict | None  # simplified GeoJSON geometry; None: no boundary imported

    def feature(self) -> dict:
        return {"type": "Feature", "geometry": self.shape,
                "properties": {"key": self.key, "name": self.name, "css": self.css, "value": self.value,
                               "text": self.text, "href": self.href}}


@dataclass(frozen=True)
class MapData:
    area: Unit | None  # the province; None for the national map
    level: str
    year: int
    colour: str
    colour_choices: tuple[tuple[str, str], ...]
    colour_label: str
    set_name: str
    units: tuple[MapUnit, ...]
    legend: tuple[LegendItem, ...]
    attributions: tuple[str, ...]
    background: tuple[MapUnit, ...] = ()  # wards drawn for a whole territory, not rated on rural criteria

    @property
    def shaped(self) -> int:
        return sum(1 for u in self.units if u.shape)

    @property
    def missing(self) -> tuple[MapUnit, ...]:
        return tuple(u for u in self.units if not u.shape)

    def features(self) -> dict:
        drawn = [u.feature() for u in (*self.background, *self.units) if u.shape]
        return {"type": "FeatureCollection", "features": drawn}


def _shapes(unit_ids: list[int]) -> tuple[dict[int, dict], tuple[str, ...]]:
    """Simplified outlines by unit id and the attributions of those drawn: one query."""
    shapes, attributions = {}, []
    for unit_id, simplified, attribution in Boundary.objects.filter(unit_id__in=unit_ids).values_list(
            "unit_id", "simplified", "attribution"):
        shapes[unit_id] = json.loads(simplified)
        if attribution and attribution not in attributions:
            attributions.append(attribution)
    return shapes, tuple(attributions)


def _name(obj) -> str:
    """A catalog object's name in the active language (Column already carries one)."""
    if hasattr(obj, "name"):
        return obj.name
    english = (get_language() or "vi").startswith("en")
    return obj.name_en if english and obj.name_en else obj.name_vi


def _criterion_label(crit) -> str:
    return _("Tiêu chí %(number)s. %(name)s") % {"number": crit.number, "name": _name(crit)}


def _colour_choices(criteria) -> tuple[tuple[str, str], ...]:
    return ((SCORE, _("Số tiêu chí đạt (n/N)")), *((c.code, _criterion_label(c)) for c in criteria))


# --- Classes -----------------------------------------------------------------------------------------

SCORE_CLASSES = ("reached", "near", "mid", "far", "none")
SHARE_CLASSES = ("p80", "p50", "p20", "p0", "none")
STATUS_CLASSES = (Status.MET.value, Status.NOT_MET.value, Status.NOT_EVALUABLE.value, Status.NO_DATA.value)
SYMBOLS = {"reached": "●", "near": "◕", "mid": "◑", "far": "○", "none": "—",
           "p80": "●", "p50": "◕", "p20": "◑", "p0": "○"}


def _class_label(css: str) -> str:
    return {
        "reached": _("Đạt đủ tiêu chí"), "near": _("Còn thiếu 1–2 tiêu chí"), "mid": _("Còn thiếu 3–5 tiêu chí"),
        "far": _("Còn thiếu từ 6 tiêu chí"), "none": _("Chưa có kết quả"),
        "ward": _("Phường: không xét tiêu chí nông thôn mới"),
        "p80": _("Từ %(low)s %% số xã trở lên") % {"low": 80},
        "p50": _("Từ %(low)s đến %(high)s %% số xã") % {"low": 50, "high": 79},
        "p20": _("Từ %(low)s đến %(high)s %% số xã") % {"low": 20, "high": 49},
        "p0": _("Dưới %(high)s %% số xã") % {"high": 20},
    }.get(css) or presenters.status_label(css)


def _symbol(css: str) -> str:
    return SYMBOLS.get(css) or presenters.status_symbol(css)


def score_class(met: int, total: int, evaluated: bool) -> str:
    if not evaluated:
        return "none"
    missing = total - met
    return "reached" if missing <= 0 else "near" if missing <= 2 else "mid" if missing <= 5 else "far"


def share_class(part: int, whole: int) -> str:
    if not whole:
        return "none"
    share = part / whole
    return "p80" if share >= 0.8 else "p50" if share >= 0.5 else "p20" if share >= 0.2 else "p0"


def _legend(classes: tuple[str, ...], units: list[MapUnit]) -> tuple[LegendItem, ...]:
    counts: dict[str, int] = defaultdict(int)
    for u in units:
        counts[u.css] += 1
    return tuple(LegendItem(c, _class_label(c), _symbol(c), counts[c]) for c in classes)


# --- A province's communes ---------------------------------------------------------------------------


def province_map(area: Unit, *, level: str, year: int, colour: str, commune_href: Callable[[str], str]) -> MapData:
    """The communes of a province valid in `year`, classed by n/N or by one criterion's status: the matrix's
    six queries and one for the outlines."""
    matrix = district_matrix(area, level=level, year=year)
    codes = {c.code for c in matrix.columns}
    colour = colour if colour in codes else SCORE
    index = next((i for i, c in enumerate(matrix.columns) if c.code == colour), None)
    keys = [r.key for r in matrix.rows]
    ids = dict(Unit.objects.filter(key__in=keys).values_list("key", "pk"))
    shapes, attributions = _shapes(list(ids.values()))
    shape_of = {key: shapes.get(pk) for key, pk in ids.items()}
    wards = _wards(area, year)
    units = []
    for row in matrix.rows:
        value = f"{row.met}/{row.total}" if row.evaluated else f"—/{row.total}"  # n/N beside either colouring
        css = score_class(row.met, row.total, row.evaluated) if index is None else row.cells[index].status
        units.append(MapUnit(row.key, row.name, css, _symbol(css), value, _class_label(css),
                             commune_href(row.key), shape_of.get(row.key)))
    column = matrix.columns[index] if index is not None else None
    legend = _legend(SCORE_CLASSES if index is None else STATUS_CLASSES, units)
    if wards:
        legend += (LegendItem("ward", _class_label("ward"), "▫", len(wards)),)
    return MapData(
        area, level, year, colour, _colour_choices(matrix.columns),
        _criterion_label(column) if column else _("Số tiêu chí đạt (n/N)"),
        matrix.set_name, tuple(units), legend, attributions, wards)


def _wards(area: Unit, year: int) -> tuple[MapUnit, ...]:
    """The area's wards that have an outline: drawn so that an imported territory has no holes, one query."""
    rows = Boundary.objects.filter(under(area, "unit__"), unit__kind=Kind.WARD).filter(
        Q(unit__valid_from__isnull=True) | Q(unit__valid_from__lte=date(year, 12, 31)),
        Q(unit__valid_to__isnull=True) | Q(unit__valid_to__gte=date(year, 1, 1)))
    return tuple(
        MapUnit(key, f"{(kind or '').capitalize()} {name}".strip(), "ward", "▫", "", _class_label("ward"), "",
                json.loads(simplified))
        for key, name, kind, simplified in rows.order_by("unit__name").values_list(
            "unit__key", "unit__name", "unit__division_type", "simplified"))


# --- The provinces of the country --------------------------------------------------------------------


def national_map(provinces: list[Unit], *, level: str, year: int, colour: str,
                 province_href: Callable[[Unit], str]) -> MapData:
    """The provinces given (those in force in `year` that the reader may see), classed by the share of their
    evaluated communes that meet every criterion (n/N) or one criterion: four queries."""
    cset = get_catalog().set_for(UnitKind.COMMUNE, level, year)
    criteria = cset.criteria if cset else ()
    codes = {c.code for c in criteria}
    colour = colour if colour in codes else SCORE
    by_id = {p.pk: p for p in provinces}
    end = date(year, 12, 31)
    in_year = (Q(unit__valid_from__isnull=True) | Q(unit__valid_from__lte=end)) & (
        Q(unit__valid_to__isnull=True) | Q(unit__valid_to__gte=date(year, 1, 1)))
    area = Q(unit__parent_id__in=list(by_id)) | Q(unit__parent__parent_id__in=list(by_id))
    counts: dict[int, list[int]] = defaultdict(lambda: [0, 0])  # province id → [meeting, evaluated]
    if cset is not None:
        if colour == SCORE:
            rows = UnitResult.objects.filter(area, in_year, unit__kind=Kind.COMMUNE, criteria_set=cset.id, year=year)
            values = ((p, g, met >= total) for p, g, met, total in rows.values_list(
                "unit__parent_id", "unit__parent__parent_id", "met", "total"))
        else:
            criterion_rows = CriterionResult.objects.filter(
                area, in_year, unit__kind=Kind.COMMUNE, criteria_set=cset.id, year=year, criterion=colour)
            values = ((p, g, status == Status.MET) for p, g, status in criterion_rows.values_list(
                "unit__parent_id", "unit__parent__parent_id", "status"))
        for parent, grand, meets in values:
            province = parent if parent in by_id else grand
            assert province is not None  # communes under these provinces (the `area` filter)
            tally = counts[province]
            tally[0] += int(meets)
            tally[1] += 1
    shapes, attributions = _shapes(list(by_id))
    units = []
    for p in provinces:
        meeting, evaluated = counts[p.pk]
        css = share_class(meeting, evaluated)
        value = (_("%(n)s/%(of)s xã (%(percent)s %%)") % {"n": meeting, "of": evaluated,
                                                           "percent": round(100 * meeting / evaluated)}
                 if evaluated else "—")
        units.append(MapUnit(p.key, p.full_name, css, _symbol(css), value, _class_label(css), province_href(p),
                             shapes.get(p.pk)))
    column = next((c for c in criteria if c.code == colour), None)
    label = (_("Số xã đạt %(criterion)s, trên số xã đã đánh giá") % {"criterion": _criterion_label(column)}
             if column else _("Số xã đạt đủ tiêu chí, trên số xã đã đánh giá"))
    set_name = _name(cset) if cset else ""
    return MapData(None, level, year, colour, _colour_choices(criteria), label, set_name, tuple(units),
                   _legend(SHARE_CLASSES, units), attributions)
