"""Read-only queries behind the public portal and the search. The home page needs a fixed number of
queries however many districts have results; verdicts come from stored results, never computed here.
Only public facts leave this module: counts, n/N, targets and recognitions, no people and no notes."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from functools import cache

from django.db.models import Max, Q
from django.urls import reverse
from django.utils.translation import get_language

from ntm.accounts.access import readable_units
from ntm.catalog_source import get_catalog
from ntm.core.catalog import CriteriaSet
from ntm.evaluation import presenters
from ntm.evaluation.models import UnitResult
from ntm.figures.models import Figure
from ntm.units.models import Kind, Recognition, Succession, Target, Unit
from ntm.units.text import split_prefix

from . import generation, search

LEVEL_ORDER = {"ntm": 0, "ntmnc": 1, "model": 2}
DEFAULT_LEVEL = "ntm"


def _english() -> bool:
    return (get_language() or "vi").startswith("en")


def _level_key(level: str) -> tuple[int, str]:
    return LEVEL_ORDER.get(level, 9), level


# --- Home page ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LevelCount:
    """How many of an area's evaluated communes meet every criterion of one level's set."""

    level: str
    reached: int
    evaluated: int

    @property
    def label(self) -> str:
        return presenters.level_label(self.level)


@dataclass(frozen=True)
class Score:
    """One unit's n/N for a level, e.g. a pilot commune at NTMNC, or the district's own set."""

    key: str
    name: str
    level: str
    met: int
    total: int

    @property
    def reached(self) -> bool:
        return self.met == self.total

    @property
    def level_label(self) -> str:
        return presenters.level_label(self.level)


@dataclass(frozen=True)
class RecognitionInfo:
    unit_name: str
    level: str
    year: int
    decision: str
    demo: bool

    @property
    def level_label(self) -> str:
        return presenters.level_label(self.level)


@dataclass(frozen=True)
class AreaProgress:
    """A district (or, from 1/7/2025, a province whose communes report to it directly) for its latest
    year with commune results, at the level its communes are most often targeted at."""

    key: str
    name: str
    province: str
    year: int
    level: str
    communes: int  # communes with a stored result that year
    levels: tuple[LevelCount, ...]
    average_met: Decimal | None
    average_total: int
    pilots: tuple[Score, ...]  # communes targeted at `level` in `year`
    own_results: tuple[Score, ...]  # the district's (province's) own sets
    own_targets: tuple[str, ...]  # e.g. "NTMNC 2024"
    own_recognitions: tuple[RecognitionInfo, ...]
    recognitions: tuple[RecognitionInfo, ...]  # its communes'
    demo: bool
    province_key: str = ""
    province_until: date | None = None

    @property
    def level_label(self) -> str:
        return presenters.level_label(self.level)

    @property
    def average_text(self) -> str:
        return presenters.number(self.average_met) if self.average_met is not None else "—"


@dataclass(frozen=True)
class _CommuneResult:
    unit_id: int
    key: str
    name: str
    area_id: int
    level: str
    met: int
    total: int


@dataclass(frozen=True)
class ProvinceProgress:
    """A province's line on the national home page: its areas with results, summed; opening it shows them."""

    key: str
    name: str
    until: date | None  # a pre-2025 province's last day
    areas: int  # its districts with results, or 1: itself (from 1/7/2025 its communes report to it)
    districts: int  # of which districts
    communes: int
    levels: tuple[LevelCount, ...]
    demo: bool


@dataclass(frozen=True)
class Published:
    """What the home page publishes, built once per generation of the results."""

    provinces: tuple[ProvinceProgress, ...]
    areas: dict[str, tuple[AreaProgress, ...]]  # by province key
    every_area: tuple[AreaProgress, ...]  # by province name, then name
    rendered: dict[tuple, str] = field(default_factory=dict, compare=False)  # the views' HTML of these figures

    def areas_of(self, key: str) -> tuple[AreaProgress, ...]:
        """The areas of a province, or the one area of that key (a district)."""
        if key in self.areas:
            return self.areas[key]
        return tuple(a for areas in self.areas.values() for a in areas if a.key == key)


_published: tuple[str, Published] | None = None  # (generation, figures) of this process


def published() -> Published:
    """The home page's figures, from this process's memory while the results keep their generation
    (`generation`), so a visit costs one query however large the country."""
    global _published
    token = generation.current()
    if token is not None and _published is not None and _published[0] == token:
        return _published[1]
    data = _group(public_progress())
    if token is not None:
        _published = (token, data)
    return data


def area_title(data: Published, key: str) -> str | None:
    """The name of a province or district for its page on the portal, whether or not it has results yet;
    None when there is no such province or district."""
    if province := next((p for p in data.provinces if p.key == key), None):
        return province.name
    if areas := data.areas_of(key):
        return areas[0].name
    unit = Unit.objects.filter(key=key, kind__in=(Kind.PROVINCE, Kind.DISTRICT)).first()
    return unit.full_name if unit else None


def _group(progress: tuple[AreaProgress, ...]) -> Published:
    by_province: dict[str, list[AreaProgress]] = defaultdict(list)
    for area in progress:
        by_province[area.province_key].append(area)
    provinces = []
    for key, areas in by_province.items():
        reached: Counter[str] = Counter()
        evaluated: Counter[str] = Counter()
        for area in areas:
            for lc in area.levels:
                reached[lc.level] += lc.reached
                evaluated[lc.level] += lc.evaluated
        provinces.append(ProvinceProgress(
            key, areas[0].province, areas[0].province_until, len(areas), sum(a.key != key for a in areas),
            sum(a.communes for a in areas),
            tuple(LevelCount(lvl, reached[lvl], evaluated[lvl]) for lvl in sorted(evaluated, key=_level_key)),
            any(a.demo for a in areas)))
    provinces.sort(key=lambda p: (p.until is not None, p.name))
    return Published(tuple(provinces), {key: tuple(areas) for key, areas in by_province.items()}, progress)


def public_progress() -> tuple[AreaProgress, ...]:
    """Every area with commune results, in seven queries; each input is grouped by area once."""
    latest: dict[int, int] = dict(UnitResult.objects.filter(unit__kind=Kind.COMMUNE, unit__parent__isnull=False)
                                  .values_list("unit__parent_id").annotate(year=Max("year")))
    if not latest:
        return ()
    area_ids, years = list(latest), set(latest.values())
    mine = Q(unit__parent_id__in=area_ids) | Q(unit_id__in=area_ids)
    results: dict[int, list[_CommuneResult]] = defaultdict(list)
    for uid, key, name, area, level, year, met, total in UnitResult.objects.filter(
            unit__kind=Kind.COMMUNE, unit__parent_id__in=area_ids, year__in=years,
    ).values_list("unit_id", "unit__key", "unit__name", "unit__parent_id", "level", "year", "met", "total"):
        if area in latest and latest[area] == year:  # always in latest (unit__parent_id__in)
            results[area].append(_CommuneResult(uid, key, name, area, level, met, total))
    areas = {u.pk: u for u in Unit.objects.filter(pk__in=area_ids).select_related("parent")}
    inputs: dict[int, _AreaInputs] = defaultdict(_AreaInputs)
    demo_areas = set()
    for uid, parent, level, year, is_demo in Target.objects.filter(mine, year__in=years).values_list(
            "unit_id", "unit__parent_id", "level", "year", "is_demo"):
        if parent in latest and year == latest[parent]:
            inputs[parent].commune_targets.append(level)
            inputs[parent].pilot_ids.setdefault(level, set()).add(uid)
        if uid in latest:
            inputs[uid].own_targets.append((level, year))
        if is_demo:
            demo_areas.add(parent if parent in latest else uid)
    for r in Recognition.objects.filter(mine, revoked_on__isnull=True).select_related("unit").order_by(
            "-year", "unit__name"):
        if r.unit_id in latest:
            inputs[r.unit_id].own_recognitions.append(_recognition(r))
        if r.unit.parent_id in latest:
            inputs[r.unit.parent_id].recognitions.append(_recognition(r))
        if r.is_demo:
            demo_areas.add(r.unit.parent_id if r.unit.parent_id in latest else r.unit_id)
    for uid, key, name, level, year, met, total in UnitResult.objects.filter(
            unit_id__in=area_ids, year__in=years).values_list(
            "unit_id", "unit__key", "unit__name", "level", "year", "met", "total"):
        if year == latest[uid]:
            inputs[uid].own_results.append(Score(key, name, level, met, total))
    demo_units = set(Figure.objects.filter(mine, year__in=years, is_demo=True, superseded_at__isnull=True)
                     .values_list("unit_id", "unit__parent_id").distinct())
    demo_areas |= {area if area in latest else uid for uid, area in demo_units}
    progress = [_area(areas[a], latest[a], results[a], inputs[a], demo=a in demo_areas) for a in area_ids]
    return tuple(sorted(progress, key=lambda p: (p.province, p.name)))


@dataclass
class _AreaInputs:
    """What one area's section needs besides its communes' results, gathered in one pass over each query."""

    commune_targets: list[str] = field(default_factory=list)  # levels its communes are targeted at
    pilot_ids: dict[str, set[int]] = field(default_factory=dict)  # level → communes targeted at it
    own_targets: list[tuple[str, int]] = field(default_factory=list)
    own_results: list[Score] = field(default_factory=list)
    own_recognitions: list[RecognitionInfo] = field(default_factory=list)
    recognitions: list[RecognitionInfo] = field(default_factory=list)  # its communes'


def _area(area: Unit, year: int, results: list[_CommuneResult], inputs: _AreaInputs, *, demo: bool
          ) -> AreaProgress:
    level = _main_level(inputs.commune_targets)
    pilot_ids = inputs.pilot_ids.get(level, set())
    at_level = [r for r in results if r.level == level]
    reached: Counter[str] = Counter()
    evaluated: Counter[str] = Counter()
    for r in results:
        evaluated[r.level] += 1
        reached[r.level] += r.met == r.total
    province = area.parent if area.kind == Kind.DISTRICT and area.parent else area
    return AreaProgress(
        key=area.key, name=area.full_name, province=province.full_name,
        year=year, level=level,
        communes=len({r.unit_id for r in results}),
        levels=tuple(LevelCount(lvl, reached[lvl], evaluated[lvl]) for lvl in sorted(evaluated, key=_level_key)),
        average_met=_average([r.met for r in at_level]),
        average_total=max((r.total for r in at_level), default=0),
        pilots=tuple(sorted((Score(r.key, r.name, r.level, r.met, r.total) for r in at_level
                             if r.unit_id in pilot_ids), key=lambda s: (-s.met, s.name))),
        own_results=tuple(sorted(inputs.own_results, key=lambda s: _level_key(s.level))),
        own_targets=tuple(f"{presenters.level_label(lvl)} {y}" for lvl, y in inputs.own_targets),
        own_recognitions=tuple(inputs.own_recognitions),
        recognitions=tuple(inputs.recognitions),
        demo=demo,
        province_key=province.key, province_until=province.valid_to,
    )


def _main_level(levels: list[str]) -> str:
    """The level the area's communes are most often targeted at in its year, else NTM."""
    counts = Counter(levels)
    if not counts:
        return DEFAULT_LEVEL
    return min(counts, key=lambda lvl: (-counts[lvl], _level_key(lvl)))


def _average(values: list[int]) -> Decimal | None:
    if not values:
        return None
    return (Decimal(sum(values)) / len(values)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _recognition(r: Recognition) -> RecognitionInfo:
    return RecognitionInfo(r.unit.full_name, r.level, r.year, r.decision, r.is_demo)


# --- Search ------------------------------------------------------------------------------------------

MAX_UNITS = 20
MAX_CATALOG = 30
SEARCHED_KINDS = (Kind.COMMUNE, Kind.WARD, Kind.DISTRICT, Kind.PROVINCE)
KIND_ORDER: dict[str, int] = {Kind.PROVINCE: 0, Kind.DISTRICT: 1, Kind.COMMUNE: 2, Kind.WARD: 2}


@dataclass(frozen=True)
class Lineage:
    """A unit an old unit became (or a new unit came from), named and linked for the searching user."""

    name: str
    url: str
    partial: bool  # only part of the old unit went into the new one


@dataclass(frozen=True)
class UnitHit:
    key: str
    name: str
    kind: str
    within: str  # the parent's full name
    until: date | None  # the last day it existed (e.g. 30/6/2025 for units merged on 1/7/2025)
    url: str
    private: bool  # the link leads to the unit's own page (the user may read it)
    since: date | None = None  # the first day it existed (1/7/2025 for the new units)
    now_in: tuple[Lineage, ...] = ()  # what an old unit became: "nay thuộc Xã Nhựt Tảo"
    formed_from: tuple[Lineage, ...] = ()  # what a new unit came from

    @property
    def kind_label(self) -> str:
        return str(Kind(self.kind).label)


def search_units(query: str, user) -> list[UnitHit]:
    """Communes, wards, districts and provinces of both eras (before and from 1/7/2025) whose names hold
    every word of `query`, with or without diacritics; an old unit says what it became, a new one what it
    came from. Names are public: everyone finds every unit. A signed-in user's link leads to the unit's own
    page when they may read it, otherwise (and for anyone else) to its area on the public home page, so no
    link answers 403. Three queries whatever the number of hits."""
    prefix, rest = split_prefix(query)
    terms = search.words(rest)
    if not terms:
        return []
    units = Unit.objects.filter(kind__in=SEARCHED_KINDS).select_related("parent")
    for term in terms:
        units = units.filter(search_name__contains=term)
    ranked = []
    for unit in units[:500]:
        r = search.rank(rest, unit.search_name)
        if r is not None:
            wrong_prefix = bool(prefix) and search.fold(unit.division_type) != prefix
            ranked.append(((wrong_prefix, r, KIND_ORDER[unit.kind], unit.valid_to is not None, unit.name), unit))
    ranked.sort(key=lambda pair: pair[0])
    hits = [u for _key, u in ranked[:MAX_UNITS]]
    if not hits:
        return []
    ids = [u.pk for u in hits]
    links = list(Succession.objects.filter(Q(predecessor_id__in=ids) | Q(successor_id__in=ids))
                 .select_related("predecessor__parent", "successor__parent")
                 .order_by("successor__name", "predecessor__name"))
    readable = _readable_ids(user, {*ids, *(s.predecessor_id for s in links), *(s.successor_id for s in links)})
    now_in: dict[int, list[Lineage]] = defaultdict(list)
    formed_from: dict[int, list[Lineage]] = defaultdict(list)
    for s in links:
        if s.predecessor_id in ids:
            now_in[s.predecessor_id].append(_lineage(s.successor, s.partial, readable))
        if s.successor_id in ids:
            formed_from[s.successor_id].append(_lineage(s.predecessor, s.partial, readable))
    return [
        UnitHit(u.key, u.full_name, u.kind, u.parent.full_name if u.parent else "", u.valid_to,
                *_unit_link(u, u.pk in readable), since=u.valid_from,
                now_in=tuple(now_in[u.pk]), formed_from=tuple(formed_from[u.pk]))
        for u in hits
    ]


def _readable_ids(user, ids: set[int]) -> set[int]:
    """Which of `ids` the user may open the own page of (none for an anonymous visitor), in one query."""
    if not getattr(user, "is_authenticated", False):
        return set()
    return set(readable_units(user).filter(pk__in=ids).values_list("pk", flat=True))


def _lineage(unit: Unit, partial: bool, readable: set[int]) -> Lineage:
    return Lineage(unit.full_name, _unit_link(unit, unit.pk in readable)[0], partial)


def _unit_link(unit: Unit, readable: bool) -> tuple[str, bool]:
    """The unit's own page when the user may read it (communes, districts and provinces have one), else a
    commune's public page, else the public page of the district or province (its districts' progress)."""
    if readable and unit.kind == Kind.COMMUNE:
        return reverse("evaluation:commune", args=[unit.key]), True
    if readable and unit.kind == Kind.DISTRICT:
        return reverse("evaluation:district", args=[unit.key]), True
    if readable and unit.kind == Kind.PROVINCE:
        return reverse("evaluation:province", args=[unit.key]), True
    if unit.kind in (Kind.COMMUNE, Kind.WARD):
        return reverse("portal:commune", args=[unit.key]), False
    return reverse("portal:area", args=[unit.key]), False


@dataclass(frozen=True)
class _Entry:
    set_id: str
    criterion: int
    indicator: str  # "" for the criterion itself
    code: str
    names: tuple[str, ...]  # folded: Vietnamese, English, "tieu chi 10"


@cache
def _catalog_index() -> tuple[_Entry, ...]:
    """Every criterion and indicator of the catalog with its names folded, once per process."""
    entries = []
    for cset in get_catalog().sets:
        for crit in cset.criteria:
            entries.append(_Entry(cset.id, crit.number, "", crit.code, (
                search.fold(crit.name_vi), search.fold(crit.name_en), f"tieu chi {crit.number}",
                f"criterion {crit.number}")))
            for ind in crit.indicators:
                entries.append(_Entry(cset.id, crit.number, ind.code, ind.code, (
                    search.fold(ind.name_vi), search.fold(ind.name_en), f"chi tieu {ind.code}",
                    f"indicator {ind.code}")))
    return tuple(entries)


@dataclass(frozen=True)
class CatalogHit:
    set_id: str
    set_name: str
    criterion_number: int
    criterion_name: str
    indicator_code: str
    indicator_name: str
    url: str


def search_catalog(query: str) -> list[CatalogHit]:
    """Criteria and indicators whose name (Vietnamese or English) or code matches `query`."""
    folded = search.fold(query)
    if not folded:
        return []
    order = {s.id: n for n, s in enumerate(get_catalog().sets)}
    ranked = []
    for entry in _catalog_index():
        ranks = [r for r in (search.code_rank(folded, entry.code), *(search.rank(folded, n) for n in entry.names))
                 if r is not None]
        if ranks:
            # The criterion before its indicators when both match equally well.
            ranked.append(((min(ranks), bool(entry.indicator), order[entry.set_id], entry.criterion), entry))
    ranked.sort(key=lambda pair: pair[0])
    return [_catalog_hit(e) for _key, e in ranked[:MAX_CATALOG]]


def _catalog_hit(entry: _Entry) -> CatalogHit:
    cset = get_catalog().get(entry.set_id)
    crit = next(c for c in cset.criteria if c.number == entry.criterion)
    ind = next((i for i in crit.indicators if i.code == entry.indicator), None)
    anchor = f"ct-{ind.code}" if ind else f"tc-{crit.number}"
    return CatalogHit(
        set_id=cset.id, set_name=set_title(cset), criterion_number=crit.number, criterion_name=_name(crit),
        indicator_code=ind.code if ind else "", indicator_name=_name(ind) if ind else "",
        url=f"{reverse('portal:criteria_set', args=[cset.id])}#{anchor}",
    )


def _name(obj) -> str:
    return obj.name_en if _english() and obj.name_en else obj.name_vi


def set_title(cset: CriteriaSet) -> str:
    """The set's name with the decision it comes from, e.g. "… 2021 - 2025 (318/QĐ-TTg)"."""
    document = get_catalog().documents.get(cset.document)
    return f"{_name(cset)} ({document.number})" if document else _name(cset)


def criteria_set(set_id: str) -> CriteriaSet | None:
    try:
        return get_catalog().get(set_id)
    except KeyError:
        return None


@dataclass(frozen=True)
class IndicatorRow:
    code: str
    name: str
    unit: str
    comparison: str


@dataclass(frozen=True)
class CriterionRow:
    number: int
    name: str
    indicators: tuple[IndicatorRow, ...]


def criteria_rows(cset: CriteriaSet) -> tuple[CriterionRow, ...]:
    """The set's criteria and indicators in the active language, for the public catalog page."""
    units_en = get_catalog().units_en
    return tuple(
        CriterionRow(c.number, _name(c), tuple(
            IndicatorRow(i.code, _name(i), units_en.get(i.unit, i.unit) if _english() else i.unit,
                         presenters.comparison_label(i.comparison.value))
            for i in c.indicators))
        for c in cset.criteria
    )
