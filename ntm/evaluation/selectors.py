"""Read-only queries behind the evaluation pages (the communes × criteria matrix is in `matrix.py`). Each
runs a fixed number of queries, however many communes a district has; the verdicts come from stored
results, never computed here."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import Decimal

from django.db.models import Q, QuerySet
from django.utils.translation import get_language

from ntm import shared_reads
from ntm.accounts.names import display_name
from ntm.catalog_source import get_catalog
from ntm.core import levels
from ntm.core.catalog import Catalog, CriteriaSet, Criterion, Indicator, LayerRef, UnitKind
from ntm.core.engine import Basis, Status
from ntm.core.provenance import citation
from ntm.figures.models import Figure
from ntm.units.classification import scopes_in_year
from ntm.units.models import Kind, Succession, Target, Unit
from ntm.units.selectors import province_key_of

from . import presenters
from .actions import valid_in
from .models import CriterionResult, RefreshJob, UnitResult
from .wording import bounded_gap, value_with_bound

DEFAULT_LEVEL = levels.DEFAULT


def _english() -> bool:
    return (get_language() or "vi").startswith("en")


def _name(obj: Criterion | Indicator | CriteriaSet) -> str:
    return obj.name_en if _english() and obj.name_en else obj.name_vi


def _set_title(cset: CriteriaSet) -> str:
    """The set's name with the decision it comes from, e.g. "… 2021 - 2025 (318/QĐ-TTg)"."""
    document = get_catalog().documents.get(cset.document)
    return f"{_name(cset)} ({document.number})" if document else _name(cset)



# --- Which criteria apply ----------------------------------------------------------------------------


@dataclass(frozen=True)
class AppliedSet:
    """The criteria that apply to the units of one province in one year (`Catalog.resolve`: the national
    set with the province's layers and, with the demo loaded, its demo overlay), and how pages name them."""

    cset: CriteriaSet
    basis: str  # "Long An 8151/QĐ-UBND, trên nền 318/QĐ-TTg"
    province: str  # the province's unit key ("p80"), "" for none

    @property
    def version(self) -> str:
        return self.cset.version

    @property
    def layers(self) -> tuple[LayerRef, ...]:
        return self.cset.layers

    @property
    def demo(self) -> bool:
        """Some layer composed in is a demo overlay: its values are illustrative, not official."""
        return self.cset.demo

    @property
    def basis_line(self) -> str:
        return presenters.basis_line(self.basis)


def applied_in(province: str, set_id: str, year: int, catalog: Catalog | None = None) -> AppliedSet:
    """The set `set_id` as it applies in `province` (a unit key) in `year`; for pages over many units of one
    province (resolve once, never per unit)."""
    catalog = catalog or get_catalog()
    cset = catalog.resolve(set_id, province, year)
    return AppliedSet(cset, catalog.describe(cset, "en" if _english() else "vi"), province)


def applied_set(unit: Unit, set_id: str, year: int, catalog: Catalog | None = None) -> AppliedSet:
    """The set `set_id` as it applies to `unit` in `year`: what every page, export and API answer about
    the unit shows, thresholds and names alike."""
    return applied_in(province_key_of(unit), set_id, year, catalog)


@dataclass(frozen=True)
class Staleness:
    """Stored results made with another version of the set than the one that applies now."""

    stale: int  # how many
    total: int  # of how many stored results
    job_percent: int | None  # a re-evaluation queued or running: how far it got

    def __bool__(self) -> bool:
        return self.stale > 0

    @property
    def refreshing(self) -> bool:
        return self.job_percent is not None

    def text(self, *, area: bool) -> str:
        return presenters.staleness_text(self.stale, self.total, self.job_percent, area=area)

    @property
    def commune_text(self) -> str:
        return self.text(area=False)

    @property
    def area_text(self) -> str:
        return self.text(area=True)


def _active_job_percent(set_id: str) -> int | None:
    """Progress of the newest re-evaluation queued or running that covers `set_id` (None: none)."""
    jobs = RefreshJob.objects.filter(state__in=[RefreshJob.State.QUEUED, RefreshJob.State.RUNNING])
    for job in jobs.order_by("-created_at")[:20]:
        if not job.set_ids or set_id in job.set_ids:
            return job.percent if job.state == RefreshJob.State.RUNNING else 0
    return None


def staleness(results: list[UnitResult], applied: AppliedSet) -> Staleness:
    stale = sum(1 for r in results if r.set_version != applied.version)
    return Staleness(stale, len(results), _active_job_percent(applied.cset.id) if stale else None)


class ShowsStatus:
    """Label and symbol of a verdict the engine computed (`status`), for templates."""

    status: str

    @property
    def label(self) -> str:
        return presenters.status_label(self.status)

    @property
    def symbol(self) -> str:
        return presenters.status_symbol(self.status)


@dataclass(frozen=True)
class TargetInfo:
    level: str
    year: int
    basis: str
    is_demo: bool

    @property
    def label(self) -> str:
        return f"{presenters.level_label(self.level)} {self.year}"


@dataclass(frozen=True)
class Column:
    code: str
    number: int
    name: str


def _targets_by_unit(unit_ids: list[int]) -> dict[int, list[TargetInfo]]:
    out: dict[int, list[TargetInfo]] = defaultdict(list)
    rows = Target.objects.filter(unit_id__in=unit_ids).order_by("year", "level")
    for unit_id, level, year, basis, is_demo in rows.values_list("unit_id", "level", "year", "basis", "is_demo"):
        out[unit_id].append(TargetInfo(level, year, basis, is_demo))
    return out


def under(area: Unit, prefix: str = "") -> Q:
    """Units directly under `area` or one level further: a district's communes, a province's districts
    and, before 1/7/2025, their communes; after it, the communes whose parent is the province. With a
    prefix (rows about units), the units are a subquery: an OR across joined tables would make the
    database scan every row of the country (a district's years: 30 ms → 3 ms nationally)."""
    units = Q(parent=area) | Q(parent__parent=area)
    if prefix:
        return Q(**{f"{prefix}in": Unit.objects.filter(units).values("pk")})
    return units


def area_communes(area: Unit, year: int) -> list[Unit]:
    """The communes of a district or province valid in `year`, by name: one query."""
    return list(Unit.objects.filter(under(area), valid_in(year), kind=Kind.COMMUNE).order_by("name", "key"))


def area_province(area: Unit) -> str:
    """The province key of a district's or province's communes."""
    return area.key if area.kind == Kind.PROVINCE else province_key_of(area)


def rests_on_demo(indicators: list | str | None) -> bool:
    """Whether a stored criterion result's indicators rest on a demo threshold (stored key "demo")."""
    if isinstance(indicators, str):  # a backend that hands JSON back as text
        import json

        indicators = json.loads(indicators)
    return any(isinstance(i, dict) and i.get("demo") for i in indicators or ())


# --- One commune -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class IndicatorLine:
    code: str
    name: str
    unit: str  # in the active language
    comparison: str  # ">=", "<=", "=", "met"
    status: str
    basis: str
    value: Decimal | None
    verdict: bool | None
    threshold: Decimal | None
    threshold_status: str  # "official", "provisional" or "missing"
    threshold_document: str  # the document's number, e.g. "318/QĐ-TTg"
    threshold_note: str
    gap: Decimal | None
    provisional: bool
    judged_by: str
    entered_by: str
    entered_at: datetime | None
    source_note: str
    demo: bool  # the figure is demo data
    threshold_demo: bool = False  # the threshold shown was invented for the demo (a demo layer)
    result_demo: bool = False  # the stored verdict rests on a threshold invented for the demo
    bound: str = ""  # the figure is a bound: ">", ">=", "<", "<=" ("> 96 %")

    @property
    def status_label(self) -> str:
        return presenters.status_label(self.status)

    @property
    def status_symbol(self) -> str:
        return presenters.status_symbol(self.status)

    @property
    def comparison_label(self) -> str:
        return presenters.comparison_label(self.comparison)

    @property
    def value_text(self) -> str:
        return value_with_bound(presenters.value_text(self), self.bound)

    @property
    def threshold_text(self) -> str:
        return presenters.threshold_text(self)

    @property
    def gap_text(self) -> str:
        return bounded_gap(self, self.bound, presenters.gap_wording(self))

    @property
    def basis_label(self) -> str:
        return presenters.basis_label(self.basis)

    @property
    def threshold_status_label(self) -> str:
        return presenters.source_status_label(self.threshold_status)


@dataclass(frozen=True)
class CriterionBlock(ShowsStatus):
    code: str
    number: int
    name: str
    status: str
    provisional: bool
    indicators: tuple[IndicatorLine, ...]
    responsible: tuple[str, ...] = ()  # "Nguyễn Văn An (10.1, hạn 30/06/2024)", from the assignments

    @property
    def threshold_demo(self) -> bool:
        """The criterion's verdict rests on (or shows) a threshold invented for the demo."""
        return any(i.threshold_demo or i.result_demo for i in self.indicators)


@dataclass(frozen=True)
class SuccessorInfo:
    key: str
    name: str
    effective: date
    partial: bool


@dataclass(frozen=True)
class YearScore:
    year: int
    met: int
    total: int


@dataclass(frozen=True)
class CommuneDetail:
    commune: Unit
    district: Unit | None
    level: str
    year: int
    set_id: str | None
    set_name: str
    region: str  # the scope's name in the active language, e.g. "Đồng bằng sông Cửu Long"
    criteria: tuple[CriterionBlock, ...]
    met: int
    total: int
    evaluated: bool
    targets: tuple[TargetInfo, ...]
    successors: tuple[SuccessorInfo, ...]
    history: tuple[YearScore, ...] = ()
    applied: AppliedSet | None = None
    staleness: Staleness | None = None

    @property
    def basis(self) -> str:
        """The documents the verdicts rest on: "Long An 8151/QĐ-UBND, trên nền 318/QĐ-TTg"."""
        return self.applied.basis if self.applied else ""

    @property
    def demo(self) -> bool:
        return any(i.demo for c in self.criteria for i in c.indicators) or any(t.is_demo for t in self.targets)

    @property
    def threshold_demo(self) -> bool:
        """Some threshold shown or verdict stored rests on a value invented for the demo."""
        return any(c.threshold_demo for c in self.criteria)

    @property
    def provisional(self) -> bool:
        return any(c.provisional for c in self.criteria)

    @property
    def pilot(self) -> bool:
        return any(t.level == self.level and t.year == self.year for t in self.targets)


def _scope_name(catalog: Catalog, scope: str) -> str:
    for r in (*catalog.regions, *catalog.groups):
        if r.code == scope:
            return r.name_en if _english() else r.name_vi
    return scope


@dataclass(frozen=True)
class Successions:
    """What a commune became (by date) and what it came from (by the old commune's name)."""

    became: tuple[Succession, ...]
    came_from: tuple[Succession, ...]

    @property
    def successors(self) -> tuple[SuccessorInfo, ...]:
        return tuple(SuccessorInfo(s.successor.key, s.successor.full_name, s.effective, s.partial)
                     for s in self.became)


def successions_of(commune: Unit) -> Successions:
    """Both sides of a commune's successions in one query (the commune page's header and lineage)."""
    rows = list(Succession.objects.filter(Q(predecessor=commune) | Q(successor=commune))
                .select_related("successor__parent", "predecessor__parent__parent").order_by("predecessor__name"))
    return Successions(tuple(sorted((s for s in rows if s.predecessor_id == commune.pk), key=lambda s: s.effective)),
                       tuple(s for s in rows if s.successor_id == commune.pk))


def commune_detail(commune: Unit, *, level: str, year: int, figures: dict[str, Figure] | None = None,
                   lean: bool = False, successions: Successions | None = None) -> CommuneDetail:
    """A commune against the set in force for `level` in `year` as it applies in its province.
    `figures`: the current figures of that set and year by indicator, when the caller read them (with
    `entered_by`). `lean`: only what a row of the entry page shows (no targets, successors, people
    responsible, history or staleness), e.g. the answer to one save. `successions`: when the caller read them."""
    catalog = get_catalog()
    national = catalog.set_for(UnitKind.COMMUNE, level, year)
    targets = () if lean else tuple(_targets_by_unit([commune.pk])[commune.pk])
    successors = () if lean else successions.successors if successions else tuple(
        SuccessorInfo(s.successor.key, s.successor.full_name, s.effective, s.partial)
        for s in Succession.objects.filter(predecessor=commune).select_related("successor").order_by("effective")
    )
    district = commune.parent if commune.parent_id else None
    region = _scope_name(catalog, commune.region)
    if national is None:
        return CommuneDetail(commune, district, level, year, None, "", region, (), 0, 0, False, targets, successors)
    applied = applied_set(commune, national.id, year, catalog)
    cset = applied.cset
    scope = scopes_in_year([commune], cset.dimension, year)[commune.pk]
    result, stored = stored_result(commune, cset.id, year)
    if figures is None:
        figures = {f.indicator: f for f in Figure.objects.filter(
            unit=commune, criteria_set=cset.id, year=year, superseded_at__isnull=True).select_related("entered_by")}
    people = defaultdict(tuple) if lean else _responsible(commune, cset.id, year)
    blocks = tuple(replace(_block(catalog, c, stored.get(c.code), figures, scope, year), responsible=people[c.code])
                   for c in cset.criteria)
    met = result.met if result else sum(1 for b in blocks if b.status == Status.MET)
    history = () if lean else tuple(YearScore(*r) for r in UnitResult.objects.filter(unit=commune, criteria_set=cset.id)
                                    .order_by("year").values_list("year", "met", "total"))
    return CommuneDetail(commune, district, level, year, cset.id, _set_title(cset), _scope_name(catalog, scope), blocks,
                         met, result.total if result else len(blocks), result is not None, targets, successors,
                         history, applied, None if lean else staleness([result] if result else [], applied))


# Who answers for each criterion of a commune ({criterion code: names}): the workflow app's assignments
# (`ntm.workflow.selectors.responsible_by_criterion`), registered in `WorkflowConfig.ready`, since workflow
# builds on this app. Nobody while none is registered.
_responsible_sources: list[Callable[[Unit, str, int], Mapping[str, tuple[str, ...]]]] = []


def read_responsible_from(source: Callable[[Unit, str, int], Mapping[str, tuple[str, ...]]]) -> None:
    _responsible_sources[:] = [source]


def stored_result(unit: Unit, set_id: str, year: int) -> tuple[UnitResult | None, dict[str, CriterionResult]]:
    """The unit's stored result of that set and year and its criterion rows by code. Within a save, the
    ones its refresh has just written (ntm.shared_reads), not read again."""
    def read():
        result = UnitResult.objects.filter(unit=unit, criteria_set=set_id, year=year).first()
        rows = CriterionResult.objects.filter(unit=unit, criteria_set=set_id, year=year)
        return result, {r.criterion: r for r in rows}

    return shared_reads.get(("results", unit.pk, set_id, year), read)


def _responsible(commune: Unit, set_id: str, year: int) -> dict[str, tuple[str, ...]]:
    """Who answers for each criterion of the commune (a criterion nobody answers for: ())."""
    out: dict[str, tuple[str, ...]] = defaultdict(tuple)
    for source in _responsible_sources:
        out.update(source(commune, set_id, year))
    return out


def _block(catalog: Catalog, crit: Criterion, stored: CriterionResult | None, figures: dict[str, Figure],
           scope: str, year: int) -> CriterionBlock:
    outcomes = {i["code"]: i for i in (stored.indicators if stored else [])}
    lines = tuple(_line(catalog, ind, outcomes.get(ind.code, {}), figures.get(ind.code), scope, year)
                  for ind in crit.indicators)
    status = stored.status if stored else Status.NO_DATA.value
    return CriterionBlock(crit.code, crit.number, _name(crit), status, bool(stored and stored.provisional), lines)


def _decimal(raw: str | None) -> Decimal | None:
    return None if raw is None else Decimal(raw)


def _line(catalog: Catalog, ind: Indicator, outcome: dict, figure: Figure | None, scope: str,
          year: int) -> IndicatorLine:
    threshold = ind.threshold_for(scope, year) if ind.comparison.is_numeric else None
    threshold_status = "missing" if threshold is None or threshold.missing else threshold.source.status.value
    doc_id = threshold.source.document if threshold else None
    document = catalog.documents[doc_id].number if doc_id is not None and doc_id in catalog.documents else ""
    user = figure.entered_by if figure else None
    return IndicatorLine(
        code=ind.code, name=_name(ind),
        unit=catalog.units_en.get(ind.unit, ind.unit) if _english() else ind.unit,
        comparison=ind.comparison.value,
        status=outcome.get("status", Status.NO_DATA.value),
        basis=outcome.get("basis", Basis.NONE.value),
        value=figure.value if figure else None,
        verdict=figure.verdict if figure else None,
        threshold=threshold.value if threshold else None,
        threshold_status=threshold_status if ind.comparison.is_numeric else "",
        threshold_document=document,
        threshold_note=citation(catalog, threshold.source, "en" if _english() else "vi") if threshold else "",
        gap=_decimal(outcome.get("gap")),
        provisional=bool(outcome.get("provisional")),
        judged_by=figure.judged_by if figure else "",
        entered_by=display_name(user),
        entered_at=figure.entered_at if figure else None,
        source_note=figure.source_note if figure else "",
        demo=bool(figure and figure.is_demo),
        threshold_demo=bool(threshold and threshold.source.demo),
        result_demo=bool(outcome.get("demo")),
        bound=figure.bound if figure else "",
    )


# --- Defaults and lists ------------------------------------------------------------------------------


def commune_levels() -> tuple[str, ...]:
    """Levels that have a commune criteria set in the catalog, in a stable order."""
    found = {s.level for s in get_catalog().sets if s.unit_kind is UnitKind.COMMUNE}
    return tuple(sorted(found | {DEFAULT_LEVEL}, key=levels.sort_key))


def result_years(unit_filter: dict | Q) -> list[int]:
    rows = UnitResult.objects.filter(unit_filter) if isinstance(unit_filter, Q) else UnitResult.objects.filter(
        **unit_filter)
    return sorted(set(rows.values_list("year", flat=True)), reverse=True)


# --- One criterion across an area's communes ---------------------------------------------------------


@dataclass(frozen=True)
class CriterionCommune(ShowsStatus):
    key: str
    name: str
    status: str
    provisional: bool
    pilot: bool
    indicators: tuple[IndicatorLine, ...]


@dataclass(frozen=True)
class CriterionAcross:
    area: Unit
    set_id: str
    set_name: str
    level: str
    year: int
    in_force: bool
    code: str
    number: int
    name: str
    indicators: tuple[Column, ...]  # code, position, name of each indicator
    communes: tuple[CriterionCommune, ...]
    applied: AppliedSet | None = None

    @property
    def basis(self) -> str:
        return self.applied.basis if self.applied else ""

    @property
    def threshold_demo(self) -> bool:
        return any(i.threshold_demo or i.result_demo for c in self.communes for i in c.indicators)

    @property
    def met(self) -> int:
        return sum(1 for c in self.communes if c.status == Status.MET)

    @property
    def demo(self) -> bool:
        return any(i.demo for c in self.communes for i in c.indicators)

    @property
    def provisional(self) -> bool:
        return any(c.provisional for c in self.communes)


def find_criterion(set_id: str, code: str) -> tuple[CriteriaSet, Criterion] | None:
    try:
        cset = get_catalog().get(set_id)
    except KeyError:
        return None
    crit = next((c for c in cset.criteria if c.code == code), None)
    return (cset, crit) if crit and cset.unit_kind is UnitKind.COMMUNE else None


def criterion_across(area: Unit, cset: CriteriaSet, crit: Criterion, *, year: int) -> CriterionAcross:
    """One criterion of one set, as it applies in the area's province, in every commune of a district or
    province: five queries."""
    catalog = get_catalog()
    applied = applied_in(area_province(area), cset.id, year, catalog)
    cset = applied.cset
    crit = next((c for c in cset.criteria if c.code == crit.code), crit)
    communes = area_communes(area, year)
    ids = [c.pk for c in communes]
    targets = _targets_by_unit(ids)
    stored = {r.unit_id: r for r in CriterionResult.objects.filter(
        unit_id__in=ids, criteria_set=cset.id, year=year, criterion=crit.code)}
    figures: dict[int, dict[str, Figure]] = defaultdict(dict)
    for f in Figure.objects.filter(unit_id__in=ids, criteria_set=cset.id, year=year, superseded_at__isnull=True,
                                   indicator__in=[i.code for i in crit.indicators]).select_related("entered_by"):
        figures[f.unit_id][f.indicator] = f
    scopes = scopes_in_year(communes, cset.dimension, year)
    rows = tuple(
        _criterion_commune(catalog, c, crit, stored.get(c.pk), figures[c.pk], scopes[c.pk],
                           pilot=any(t.level == cset.level and t.year == year for t in targets[c.pk]), year=year)
        for c in communes
    )
    indicators = tuple(Column(i.code, n, _name(i)) for n, i in enumerate(crit.indicators, 1))
    return CriterionAcross(area, cset.id, _set_title(cset), cset.level, year, cset.in_force(year), crit.code,
                           crit.number, _name(crit), indicators, rows, applied)


def _criterion_commune(catalog: Catalog, commune: Unit, crit: Criterion, stored: CriterionResult | None,
                       figures: dict[str, Figure], scope: str, *, pilot: bool, year: int) -> CriterionCommune:
    block = _block(catalog, crit, stored, figures, scope, year)
    return CriterionCommune(commune.key, commune.name, block.status, block.provisional, pilot, block.indicators)


# --- The overview index ------------------------------------------------------------------------------


@dataclass(frozen=True)
class AreaLink:
    key: str
    name: str
    kind: str  # "district", "province" or "commune": which page the link opens
    communes: int  # communes with results


@dataclass(frozen=True)
class ProvinceGroup:
    key: str
    name: str
    link: AreaLink | None  # the province's own overview, when the reader may open it
    districts: tuple[AreaLink, ...]
    communes: tuple[AreaLink, ...]  # communes the reader may open but not their district


def areas_with_results(readable: QuerySet[Unit]) -> tuple[ProvinceGroup, ...]:
    """The provinces, districts and communes with stored commune results that the reader may open,
    grouped by province: three queries at most."""
    rows = list(UnitResult.objects.filter(unit__kind=Kind.COMMUNE, unit__in=readable)
                .values("unit_id", "unit__key", "unit__name", "unit__division_type",
                        "unit__parent__id", "unit__parent__key", "unit__parent__name", "unit__parent__division_type",
                        "unit__parent__kind", "unit__parent__parent__id", "unit__parent__parent__key",
                        "unit__parent__parent__name", "unit__parent__parent__division_type")
                .distinct())
    parents = {r["unit__parent__id"] for r in rows} | {r["unit__parent__parent__id"] for r in rows}
    may_open = set(readable.filter(pk__in=parents - {None}).values_list("pk", flat=True))
    groups: dict[str, dict] = {}
    for r in rows:
        in_province = r["unit__parent__kind"] == Kind.PROVINCE
        if in_province:  # the province: the commune's parent, or its grandparent
            key, division_type, name, pid = (r["unit__parent__key"], r["unit__parent__division_type"],
                                             r["unit__parent__name"], r["unit__parent__id"])
        else:
            key, division_type, name, pid = (r["unit__parent__parent__key"], r["unit__parent__parent__division_type"],
                                             r["unit__parent__parent__name"], r["unit__parent__parent__id"])
        group = groups.setdefault(key or "", {
            "name": _full(division_type, name), "id": pid, "n": set(), "districts": {}, "communes": {}})
        group["n"].add(r["unit_id"])
        if not in_province and r["unit__parent__id"] in may_open:
            district = group["districts"].setdefault(r["unit__parent__key"], [
                _full(r["unit__parent__division_type"], r["unit__parent__name"]), set()])
            district[1].add(r["unit_id"])
        elif group["id"] not in may_open:
            group["communes"][r["unit__key"]] = _full(r["unit__division_type"], r["unit__name"])
    return tuple(_group(key, g, may_open) for key, g in sorted(groups.items(), key=lambda kv: kv[1]["name"]))


def _group(key: str, g: dict, may_open: set[int]) -> ProvinceGroup:
    link = AreaLink(key, g["name"], "province", len(g["n"])) if g["id"] in may_open else None
    districts = tuple(sorted((AreaLink(k, name, "district", len(ids)) for k, (name, ids) in g["districts"].items()),
                             key=lambda a: a.name))
    communes = tuple(sorted((AreaLink(k, name, "commune", 1) for k, name in g["communes"].items()),
                            key=lambda a: a.name))
    return ProvinceGroup(key, g["name"], link, districts, communes)


def _full(division_type: str | None, name: str | None) -> str:
    return f"{(division_type or '').capitalize()} {name or ''}".strip()
