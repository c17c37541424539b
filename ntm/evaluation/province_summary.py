"""What a province office works from (50–200 communes) and the national view (34 provinces): each commune's
standing — the highest level whose set it meets in full, else "not reached", else "no figures" — counted by
commune group, by former district (lineage) and by province; what was lost since the year before; targets;
filters over the commune list. Reads stored results only, in a fixed number of queries however many
communes there are; the communes × criteria matrix itself is `matrix.district_matrix`."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date
from functools import lru_cache
from urllib.parse import urlencode

from django.db.models import Q, QuerySet
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from ntm.accounts.access import is_admin
from ntm.catalog_source import get_catalog
from ntm.core.catalog import Dimension, UnitKind
from ntm.core.engine import Status
from ntm.figures.models import Figure
from ntm.units.classification import values_in_year
from ntm.units.models import Attribute, Kind, Succession, Target, Unit
from ntm.units.text import fold

from . import presenters
from .matrix import DistrictMatrix, MatrixRow
from .models import CriterionResult, UnitResult
from .selectors import TargetInfo, _full, area_communes, commune_levels

NOT_REACHED = "not_reached"
NO_FIGURES = "no_figures"
NONE = "none"  # the filter value for "no group" / "no former district known"
GROUPS = ("G1", "G2", "G3")


# --- Standing: the highest level met in full ----------------------------------------------------------


@dataclass(frozen=True)
class Standing:
    """One column of the counts: a level reached in full, not reached, or no figures."""

    code: str

    @property
    def label(self) -> str:
        return _standing_label(self.code, get_language() or "")

    @property
    def symbol(self) -> str:
        """A shape per standing, so that colour is never the only signal."""
        return {NOT_REACHED: "✗", NO_FIGURES: "—"}.get(self.code, "✓")

    @property
    def css(self) -> str:
        return {NOT_REACHED: Status.NOT_MET.value, NO_FIGURES: Status.NO_DATA.value}.get(self.code, Status.MET.value)


@lru_cache(maxsize=64)
def _standing_label(code: str, language: str) -> str:
    """Translated once per standing and language: the list shows one per commune (issue 12)."""
    if code == NOT_REACHED:
        return _("Chưa đủ tiêu chí")
    if code == NO_FIGURES:
        return _("Chưa có số liệu")
    return _("Đủ tiêu chí %(level)s") % {"level": presenters.level_label(code)}


def level_sets(year: int) -> list[tuple[str, str]]:
    """(level, set id) of every commune level with a set in force in `year`, highest level first."""
    catalog = get_catalog()
    found = [(lvl, catalog.set_for(UnitKind.COMMUNE, lvl, year)) for lvl in reversed(commune_levels())]
    return [(lvl, cset.id) for lvl, cset in found if cset is not None]


def standings_for(year: int, level: str, with_figures: set[str]) -> tuple[Standing, ...]:
    """The columns: the page's level and every level with some figure that year (a level nobody entered
    figures for cannot have been reached), then not reached and no figures."""
    levels = [lvl for lvl, set_id in level_sets(year) if lvl == level or set_id in with_figures]
    return (*(Standing(lvl) for lvl in levels), Standing(NOT_REACHED), Standing(NO_FIGURES))


def standings(units: list[int] | QuerySet, ids: Iterable[int], year: int,
              figures: set[tuple[int, str]] | None = None) -> tuple[dict[int, str], set[str]]:
    """Unit id → its standing in `year`, and the sets with some figure that year: two queries (one when
    `figures`, the (unit id, set id) pairs with a current figure that year, is known). `units` filters the
    rows (ids, or a queryset of units for the national view); `ids` are the units to answer for."""
    sets = level_sets(year)
    level_of = {set_id: lvl for lvl, set_id in sets}
    reached: dict[int, set[str]] = defaultdict(set)
    rows = UnitResult.objects.filter(unit_id__in=units, year=year, criteria_set__in=list(level_of))
    for unit_id, set_id, met, total in rows.values_list("unit_id", "criteria_set", "met", "total"):
        if total and met >= total:
            reached[unit_id].add(level_of[set_id])
    if figures is None:
        figures = set(Figure.objects.filter(
            unit_id__in=units, year=year, criteria_set__in=list(level_of), superseded_at__isnull=True)
            .values_list("unit_id", "criteria_set").distinct())
    with_figures = {u for u, set_id in figures if set_id in level_of}
    order = [lvl for lvl, _id in sets]
    out = {}
    for uid in ids:
        top = next((lvl for lvl in order if lvl in reached[uid]), None)
        out[uid] = top or (NOT_REACHED if uid in with_figures else NO_FIGURES)
    return out, {set_id for _u, set_id in figures}


def reaches(standing: str, level: str) -> bool:
    """The standing is `level` or a higher one."""
    levels = commune_levels()
    return standing in levels and level in levels and levels.index(standing) >= levels.index(level)


# --- Tallies -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Tally:
    """Counts per standing for one group, former district or province."""

    key: str  # the filter value ("G1", a district key, "none") or a province key
    label: str
    n: int
    counts: tuple[int, ...]  # aligned with the page's standings
    reached: int  # at the page's level or higher
    evaluated: int  # with a stored result for the page's set
    met_sum: int
    total_sum: int
    link: bool = True  # the reader may open it (national view)
    codes: tuple[str, ...] = ()  # the standings `counts` are aligned with

    @property
    def mean_met(self) -> float | None:
        return self.met_sum / self.evaluated if self.evaluated else None

    @property
    def mean_total(self) -> int | None:
        return round(self.total_sum / self.evaluated) if self.evaluated else None

    @property
    def reached_percent(self) -> float:
        return 100 * self.reached / self.n if self.n else 0.0

    @property
    def no_figures(self) -> int:
        return self.counts[-1] if self.counts else 0

    @property
    def cells(self) -> list[tuple[str, int]]:
        return list(zip(self.codes, self.counts, strict=True))


def _tally(key: str, label: str, lines: list[CommuneLine], columns: tuple[Standing, ...], level: str,
           link: bool = True) -> Tally:
    counts = Counter(line.standing for line in lines)
    evaluated = [line for line in lines if line.counted]
    return Tally(key, label, len(lines), tuple(counts[c.code] for c in columns),
                 sum(1 for line in lines if reaches(line.standing, level)), len(evaluated),
                 sum(line.row.met for line in evaluated), sum(line.row.total for line in evaluated), link,
                 tuple(c.code for c in columns))


# --- The province page ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class CommuneLine:
    """One commune of the list: its matrix row (n/N, targets, change) and what the summary adds."""

    row: MatrixRow
    group: str  # "G1".."G3" in force in the year, "" for none
    districts: tuple[tuple[str, str], ...]  # (key, name) of its (former) district(s), the main one first
    standing: str
    lost: tuple[int, ...]  # numbers of criteria met the year before and not met now
    has_figures: bool = True  # a current figure of the page's set that year (else its stored n/N says nothing)
    rank: int | None = None

    @property
    def counted(self) -> bool:
        """Its n/N counts in ranks and means: a stored result resting on some figure."""
        return self.row.evaluated and self.has_figures

    @property
    def district_key(self) -> str:
        return self.districts[0][0] if self.districts else NONE

    @property
    def district_names(self) -> str:
        return ", ".join(name for _key, name in self.districts)

    @property
    def group_label(self) -> str:
        return group_label(self.group)

    @property
    def standing_view(self) -> Standing:
        return Standing(self.standing)

    @property
    def lost_text(self) -> str:
        return ", ".join(str(n) for n in self.lost)


def group_label(group: str) -> str:
    return _group_label(group, get_language() or "")


@lru_cache(maxsize=64)
def _group_label(group: str, language: str) -> str:
    labels = {"G1": _("Nhóm 1"), "G2": _("Nhóm 2"), "G3": _("Nhóm 3")}
    return labels.get(group, _("Chưa xếp nhóm"))


@dataclass(frozen=True)
class Filters:
    """What the office narrowed the list to (GET parameters, applied on the server)."""

    group: str = ""  # G1, G2, G3 or "none"
    district: str = ""  # a (former) district's key or "none"
    status: str = ""  # a standing code
    lost: bool = False
    pilot: bool = False  # targeted at the page's level and year
    q: str = ""  # part of the name, with or without diacritics
    sort: str = "rank"  # or "name"

    @classmethod
    def from_query(cls, params: Mapping[str, str]) -> Filters:
        return cls(group=params.get("group", "").strip(), district=params.get("district", "").strip(),
                   status=params.get("status", "").strip(), lost=params.get("lost") == "1",
                   pilot=params.get("pilot") == "1", q=params.get("q", "").strip()[:80],
                   sort="name" if params.get("sort") == "name" else "rank")

    @property
    def active(self) -> bool:
        return any((self.group, self.district, self.status, self.lost, self.pilot, self.q))

    def params(self) -> dict[str, str]:
        out = {"group": self.group, "district": self.district, "status": self.status,
               "lost": "1" if self.lost else "", "pilot": "1" if self.pilot else "", "q": self.q,
               "sort": "" if self.sort == "rank" else self.sort}
        return {k: v for k, v in out.items() if v}

    def keeps(self, line: CommuneLine) -> bool:
        if self.group and (line.group or NONE) != self.group:
            return False
        if self.district and line.district_key != self.district:
            return False
        if self.status and line.standing != self.status:
            return False
        if self.lost and not line.lost:
            return False
        if self.pilot and not line.row.pilot:
            return False
        return not self.q or fold(self.q) in fold(line.row.name)


@dataclass(frozen=True)
class LostSince:
    """What can be said about criteria lost since the year before, honestly."""

    previous_year: int
    compared: int  # communes with a result of the same set both years
    communes: int  # of them, those that lost at least one criterion

    @property
    def comparable(self) -> bool:
        return self.compared > 0


@dataclass(frozen=True)
class TargetCount:
    """Communes targeted at `level` in the page's year, and how many of them meet that level in full."""

    level: str
    communes: int
    reached: int

    @property
    def label(self) -> str:
        return presenters.level_label(self.level)


@dataclass(frozen=True)
class ProvinceSummary:
    matrix: DistrictMatrix  # every commune of the province, unfiltered
    columns: tuple[Standing, ...]
    lines: tuple[CommuneLine, ...]  # every commune, ranked
    shown: tuple[CommuneLine, ...]  # after the filters, in the order asked for
    filters: Filters
    total: Tally
    by_group: tuple[Tally, ...]  # empty when the set does not use commune groups
    by_district: tuple[Tally, ...]
    lineage: bool  # districts are the former ones (a province formed on 1/7/2025)
    lost: LostSince
    targets: tuple[TargetCount, ...]
    own_targets: tuple[TargetInfo, ...]  # the province's own

    @property
    def level(self) -> str:
        return self.matrix.level

    @property
    def year(self) -> int:
        return self.matrix.year

    @property
    def shown_matrix(self) -> DistrictMatrix:
        """The matrix narrowed to the communes listed (its hard criteria count those)."""
        return replace(self.matrix, rows=tuple(line.row for line in self.shown), pilot_only=self.filters.pilot)

    @property
    def total_counts(self) -> list[tuple[Standing, int]]:
        return list(zip(self.columns, self.total.counts, strict=True))

    @property
    def group_keys(self) -> tuple[tuple[str, str], ...]:
        return tuple((t.key, t.label) for t in self.by_group)

    @property
    def district_keys(self) -> tuple[tuple[str, str], ...]:
        return tuple((t.key, t.label) for t in self.by_district)

    def query(self, **extra: str) -> str:
        """The page's query with the period and `extra` (summary links open the list narrowed)."""
        return urlencode({"level": self.level, "year": str(self.year), **extra})

    @property
    def filter_query(self) -> str:
        """The period and the filters in force (paging and the matrix link keep them)."""
        return self.query(**self.filters.params())


def former_districts(area: Unit, communes: list[Unit]) -> dict[int, tuple[tuple[str, str], ...]]:
    """Commune id → (key, name) of its district: the parent for a commune under a district (before
    1/7/2025), else the districts its predecessors belonged to (lineage), the one most came from first.
    Two queries at most."""
    direct = {c.pk: c.parent_id for c in communes if c.parent_id and c.parent_id != area.pk}
    rest = [c.pk for c in communes if c.pk not in direct]
    names: dict[int, tuple[str, str]] = {}
    if direct:
        for pk, key, name, dtype in Unit.objects.filter(pk__in=set(direct.values())).values_list(
                "pk", "key", "name", "division_type"):
            names[pk] = (key, _full(dtype, name))
    came_from: dict[int, Counter[int]] = defaultdict(Counter)
    if rest:
        provinces: dict[int, str] = {}
        # The district's kind is checked here, not in SQL: a condition on the joined unit lets SQLite (no
        # statistics) start from every district instead of the successors (≈ 400 ms → 1 ms nationally).
        for successor, district, key, name, dtype, province, kind in Succession.objects.filter(
                successor_id__in=rest).values_list(
                "successor_id", "predecessor__parent_id", "predecessor__parent__key", "predecessor__parent__name",
                "predecessor__parent__division_type", "predecessor__parent__parent__name",
                "predecessor__parent__kind"):
            if kind != Kind.DISTRICT or district is None:
                continue
            names[district] = (key, _full(dtype, name))
            provinces[district] = province or ""
            came_from[successor][district] += 1
        # Two former provinces may each have had a "Huyện Châu Thành": name the province then.
        seen = Counter(name for _key, name in names.values())
        names = {pk: (key, f"{name} ({provinces.get(pk)})" if seen[name] > 1 and provinces.get(pk) else name)
                 for pk, (key, name) in names.items()}
    out: dict[int, tuple[tuple[str, str], ...]] = {}
    for c in communes:
        if c.pk in direct:
            out[c.pk] = (names[direct[c.pk]],)
        else:
            ranked = sorted(came_from[c.pk].items(), key=lambda kv: (-kv[1], names[kv[0]][1]))
            out[c.pk] = tuple(names[pk] for pk, _n in ranked)
    return out


def _groups_in_year(communes: list[Unit], year: int) -> dict[int, str]:
    """Commune id → its group in force in `year` (the decision's history first): one query."""
    history = values_in_year([c.pk for c in communes], year, [Attribute.GROUP])
    return {c.pk: str(history.get((c.pk, Attribute.GROUP.value), c.commune_group) or "") for c in communes}


def _lost(communes: list[Unit], matrix: DistrictMatrix, figures: set[tuple[int, str, int]]
          ) -> tuple[dict[str, tuple[int, ...]], LostSince]:
    """Criteria met the year before (same set) and not met now, per commune key, among the communes with
    figures of the set both years: one query."""
    previous = matrix.year - 1
    pk_of = {c.key: c.pk for c in communes}
    compared = [r for r in matrix.rows if r.evaluated and r.change.previous_met is not None
                and (pk_of.get(r.key), matrix.set_id, matrix.year) in figures
                and (pk_of.get(r.key), matrix.set_id, previous) in figures]
    if not matrix.set_id or not compared:
        return {}, LostSince(previous, 0, 0)
    key_of = {c.pk: c.key for c in communes}
    was_met = set()
    for unit_id, code in CriterionResult.objects.filter(
            unit_id__in=list(key_of), criteria_set=matrix.set_id, year=previous,
            status=Status.MET.value).values_list("unit_id", "criterion"):
        was_met.add((key_of[unit_id], code))
    numbers = {c.code: c.number for c in matrix.columns}
    lost = {}
    for row in compared:
        gone = tuple(numbers[cell.code] for cell in row.cells
                     if cell.status == Status.NOT_MET and (row.key, cell.code) in was_met)
        if gone:
            lost[row.key] = gone
    return lost, LostSince(previous, len(compared), len(lost))


def _ranked(lines: list[CommuneLine]) -> list[CommuneLine]:
    """By n/N, best first (ties share a rank); communes without a result last, unranked."""
    def score(line: CommuneLine) -> tuple:
        r = line.row
        return (-(r.met / r.total) if r.total else 0, -r.met)

    evaluated = sorted((x for x in lines if x.counted), key=lambda x: (*score(x), fold(x.row.name)))
    out, last, rank = [], None, 0
    for position, line in enumerate(evaluated, 1):
        if score(line) != last:
            rank, last = position, score(line)
        out.append(replace(line, rank=rank))
    return out + sorted((x for x in lines if not x.counted), key=lambda x: fold(x.row.name))


def province_summary(area: Unit, matrix: DistrictMatrix, filters: Filters,
                     communes: list[Unit] | None = None) -> ProvinceSummary:
    """The summary of every commune in `matrix` (built by `district_matrix` for the province, unfiltered)
    and the list narrowed by `filters`: six queries besides the matrix's (five with the area's `communes`)."""
    level, year = matrix.level, matrix.year
    communes = area_communes(area, year) if communes is None else communes
    ids = [c.pk for c in communes]
    by_key = {c.key: c for c in communes}
    sets = {set_id for _lvl, set_id in level_sets(year)}
    # The sets are compared here, not in SQL (see `district_matrix`'s demo marks): 65 → 5 ms for a province.
    wanted = {*sets, matrix.set_id or ""}
    figures = {(u, s, y) for u, s, y in Figure.objects.filter(
        unit_id__in=ids, year__in=[year - 1, year], superseded_at__isnull=True)
        .values_list("unit_id", "criteria_set", "year").distinct() if s in wanted}
    standing, entered = standings(ids, ids, year, {(u, s) for u, s, y in figures if y == year and s in sets})
    groups = _groups_in_year(communes, year)
    districts = former_districts(area, communes)
    lost, lost_since = _lost(communes, matrix, figures)
    lines = _ranked([
        CommuneLine(row, groups[c.pk], districts[c.pk], standing[c.pk], lost.get(row.key, ()),
                    (c.pk, matrix.set_id, year) in figures)
        for row in matrix.rows if (c := by_key.get(row.key)) is not None
    ])
    columns = standings_for(year, level, entered)
    shown = [line for line in lines if filters.keeps(line)]
    if filters.sort == "name":
        shown.sort(key=lambda line: fold(line.row.name))
    uses_groups = bool(matrix.applied and matrix.applied.cset.dimension == Dimension.GROUP)
    by_group: list[Tally] = []
    if uses_groups:
        for g in (*GROUPS, ""):
            members = [line for line in lines if line.group == g]
            if members or g:
                by_group.append(_tally(g or NONE, group_label(g), members, columns, level))
    named: dict[str, str] = {}
    for line in lines:
        named.setdefault(line.district_key, line.districts[0][1] if line.districts else _("Không rõ"))
    by_district = [_tally(key, name, [line for line in lines if line.district_key == key], columns, level)
                   for key, name in sorted(named.items(), key=lambda kv: (kv[0] == NONE, fold(kv[1])))]
    targeted: dict[str, list[CommuneLine]] = defaultdict(list)
    for line in lines:
        for t in line.row.targets:
            if t.year == year:
                targeted[t.level].append(line)
    levels = commune_levels()
    targets = tuple(TargetCount(lvl, len(targeted[lvl]), sum(1 for x in targeted[lvl] if reaches(x.standing, lvl)))
                    for lvl in sorted(targeted, key=lambda lvl: levels.index(lvl) if lvl in levels else 9))
    own = tuple(TargetInfo(*t) for t in Target.objects.filter(unit=area, year__gte=year).order_by("year", "level")
                .values_list("level", "year", "basis", "is_demo"))
    lineage = any(c.parent_id == area.pk for c in communes)
    return ProvinceSummary(matrix, columns, tuple(lines), tuple(shown), filters,
                           _tally("", area.full_name, lines, columns, level), tuple(by_group), tuple(by_district),
                           lineage, lost_since, targets, own)


# --- The national view ---------------------------------------------------------------------------------


def may_open_national(user) -> bool:
    """Who may open the national view: those who read every province (administrators; `access` has no
    national role of its own)."""
    return is_admin(user)


@dataclass(frozen=True)
class NationalSummary:
    level: str
    year: int
    columns: tuple[Standing, ...]
    provinces: tuple[Tally, ...]
    total: Tally


def national_provinces(year: int) -> QuerySet[Unit]:
    """The provinces in force at the end of `year`: the 34 since 1/7/2025, the 63 before."""
    end = date(year, 12, 31)
    return Unit.objects.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=end),
                               Q(valid_to__isnull=True) | Q(valid_to__gte=end), kind=Kind.PROVINCE)


def national_summary(level: str, year: int, readable: Callable[[Unit], bool]) -> NationalSummary:
    """One row per province in force at the end of `year`: its communes counted by standing, how many reach
    `level`, how many have no figures. Five queries, whatever the number of communes."""
    provinces = {p.pk: p for p in national_provinces(year).order_by("search_name", "key")}
    end = date(year, 12, 31)
    communes = Unit.objects.filter(
        Q(parent_id__in=list(provinces)) | Q(parent__parent_id__in=list(provinces)), kind=Kind.COMMUNE).filter(
        Q(valid_from__isnull=True) | Q(valid_from__lte=end), Q(valid_to__isnull=True) | Q(valid_to__gte=end))
    rows = list(communes.values_list("pk", "parent_id", "parent__parent_id"))
    province_of: dict[int, int] = {}
    for pk, parent, grand in rows:
        province = parent if parent in provinces else grand
        assert province is not None  # the query keeps communes whose parent or grandparent is one of `provinces`
        province_of[pk] = province
    standing, entered = standings(communes.values("pk"), province_of, year)
    cset = get_catalog().set_for(UnitKind.COMMUNE, level, year)
    results: dict[int, tuple[int, int]] = {}
    if cset is not None:
        results = {u: (m, t) for u, m, t in UnitResult.objects.filter(
            unit_id__in=communes.values("pk"), criteria_set=cset.id, year=year).values_list("unit_id", "met", "total")}
    columns = standings_for(year, level, entered)
    members: dict[int, list[tuple[str, tuple[int, int] | None]]] = defaultdict(list)
    for pk, province in province_of.items():
        members[province].append((standing[pk], results.get(pk) if standing[pk] != NO_FIGURES else None))
    tallies = tuple(_national_tally(p.key, p.full_name, members[p.pk], columns, level, readable(p))
                    for p in provinces.values())
    everyone = [m for p in provinces for m in members[p]]
    return NationalSummary(level, year, columns, tallies,
                           _national_tally("", _("Cả nước"), everyone, columns, level, False))


def _national_tally(key: str, label: str, members: list[tuple[str, tuple[int, int] | None]],
                    columns: tuple[Standing, ...], level: str, link: bool) -> Tally:
    counts = Counter(s for s, _r in members)
    evaluated = [r for _s, r in members if r is not None]
    return Tally(key, label, len(members), tuple(counts[c.code] for c in columns),
                 sum(1 for s, _r in members if reaches(s, level)), len(evaluated),
                 sum(m for m, _t in evaluated), sum(t for _m, t in evaluated), link, tuple(c.code for c in columns))

