"""Read-only queries behind the evaluation pages. Each runs a fixed number of queries, however many
communes a district has; the verdicts come from stored results, never computed here."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.db.models import Count, Max
from django.utils import timezone
from django.utils.translation import get_language

from ntm.core.catalog import Catalog, CriteriaSet, Criterion, Indicator, UnitKind
from ntm.core.engine import Basis, Status
from ntm.figures.models import Figure
from ntm.units.models import Kind, Succession, Target, Unit

from . import presenters
from .actions import valid_in
from .catalog_source import get_catalog
from .models import CriterionResult, UnitResult

DEFAULT_LEVEL = "ntm"


def _english() -> bool:
    return (get_language() or "vi").startswith("en")


def _name(obj: Criterion | Indicator | CriteriaSet) -> str:
    return obj.name_en if _english() and obj.name_en else obj.name_vi


def _set_title(cset: CriteriaSet) -> str:
    """The set's name with the decision it comes from, e.g. "… 2021 - 2025 (318/QĐ-TTg)"."""
    document = get_catalog().documents.get(cset.document)
    return f"{_name(cset)} ({document.number})" if document else _name(cset)


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


@dataclass(frozen=True)
class Cell:
    code: str
    status: str
    provisional: bool

    @property
    def label(self) -> str:
        return presenters.status_label(self.status)

    @property
    def symbol(self) -> str:
        return presenters.status_symbol(self.status)


@dataclass(frozen=True)
class MatrixRow:
    key: str
    name: str
    cells: tuple[Cell, ...]
    met: int
    total: int
    evaluated: bool  # a stored result exists for the set and year
    targets: tuple[TargetInfo, ...]
    pilot: bool  # targeted at the page's level and year
    demo: bool
    provisional: bool


@dataclass(frozen=True)
class DistrictMatrix:
    district: Unit
    level: str
    year: int
    set_id: str | None
    set_name: str
    columns: tuple[Column, ...]
    rows: tuple[MatrixRow, ...]

    @property
    def demo(self) -> bool:
        return any(r.demo for r in self.rows)

    @property
    def provisional(self) -> bool:
        return any(r.provisional for r in self.rows)


def _targets_by_unit(unit_ids: list[int]) -> dict[int, list[TargetInfo]]:
    out: dict[int, list[TargetInfo]] = defaultdict(list)
    rows = Target.objects.filter(unit_id__in=unit_ids).order_by("year", "level")
    for unit_id, level, year, basis, is_demo in rows.values_list("unit_id", "level", "year", "basis", "is_demo"):
        out[unit_id].append(TargetInfo(level, year, basis, is_demo))
    return out


def district_matrix(district: Unit, *, level: str, year: int) -> DistrictMatrix:
    """Communes × criteria of the set in force for `level` in `year`: five queries."""
    cset = get_catalog().set_for(UnitKind.COMMUNE, level, year)
    communes = list(Unit.objects.filter(valid_in(year), kind=Kind.COMMUNE, parent=district).order_by("name"))
    ids = [c.pk for c in communes]
    targets = _targets_by_unit(ids)
    if cset is None:
        rows = tuple(_row(c, (), None, {}, targets[c.pk], level, year, demo=False) for c in communes)
        return DistrictMatrix(district, level, year, None, "", (), rows)
    results = {r.unit_id: r for r in UnitResult.objects.filter(unit_id__in=ids, criteria_set=cset.id, year=year)}
    cells: dict[int, dict[str, tuple[str, bool]]] = defaultdict(dict)
    for unit_id, code, status, provisional in CriterionResult.objects.filter(
        unit_id__in=ids, criteria_set=cset.id, year=year
    ).values_list("unit_id", "criterion", "status", "provisional"):
        cells[unit_id][code] = (status, provisional)
    demo_units = set(Figure.objects.filter(unit_id__in=ids, criteria_set=cset.id, year=year,
                                           superseded_at__isnull=True, is_demo=True)
                     .values_list("unit_id", flat=True).distinct())
    rows = tuple(
        _row(c, cset.criteria, results.get(c.pk), cells[c.pk], targets[c.pk], level, year,
             demo=c.pk in demo_units)
        for c in communes
    )
    columns = tuple(Column(c.code, c.number, _name(c)) for c in cset.criteria)
    return DistrictMatrix(district, level, year, cset.id, _set_title(cset), columns, rows)


def _row(commune: Unit, criteria: tuple[Criterion, ...], result: UnitResult | None,
         cells: dict[str, tuple[str, bool]], targets: list[TargetInfo], level: str, year: int,
         *, demo: bool) -> MatrixRow:
    row_cells = tuple(
        Cell(c.code, *cells.get(c.code, (Status.NO_DATA.value, False))) for c in criteria
    )
    met = result.met if result else sum(1 for c in row_cells if c.status == Status.MET)
    return MatrixRow(
        key=commune.key, name=commune.name, cells=row_cells, met=met,
        total=result.total if result else len(criteria), evaluated=result is not None,
        targets=tuple(targets), pilot=any(t.level == level and t.year == year for t in targets),
        demo=demo or any(t.is_demo for t in targets), provisional=any(c.provisional for c in row_cells),
    )


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
    demo: bool

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
        return presenters.value_text(self)

    @property
    def threshold_text(self) -> str:
        return presenters.threshold_text(self)

    @property
    def gap_text(self) -> str:
        return presenters.gap_wording(self)

    @property
    def basis_label(self) -> str:
        return presenters.basis_label(self.basis)

    @property
    def threshold_status_label(self) -> str:
        return presenters.source_status_label(self.threshold_status)


@dataclass(frozen=True)
class CriterionBlock:
    code: str
    number: int
    name: str
    status: str
    provisional: bool
    indicators: tuple[IndicatorLine, ...]

    @property
    def label(self) -> str:
        return presenters.status_label(self.status)

    @property
    def symbol(self) -> str:
        return presenters.status_symbol(self.status)


@dataclass(frozen=True)
class SuccessorInfo:
    key: str
    name: str
    effective: date
    partial: bool


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

    @property
    def demo(self) -> bool:
        return any(i.demo for c in self.criteria for i in c.indicators) or any(t.is_demo for t in self.targets)

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


def commune_detail(commune: Unit, *, level: str, year: int) -> CommuneDetail:
    catalog = get_catalog()
    cset = catalog.set_for(UnitKind.COMMUNE, level, year)
    targets = tuple(_targets_by_unit([commune.pk])[commune.pk])
    successors = tuple(
        SuccessorInfo(s.successor.key, s.successor.full_name, s.effective, s.partial)
        for s in Succession.objects.filter(predecessor=commune).select_related("successor").order_by("effective")
    )
    district = commune.parent if commune.parent_id else None
    region = _scope_name(catalog, commune.region)
    if cset is None:
        return CommuneDetail(commune, district, level, year, None, "", region, (), 0, 0, False, targets, successors)
    scope = commune.scope_for(cset.dimension)
    result = UnitResult.objects.filter(unit=commune, criteria_set=cset.id, year=year).first()
    stored = {r.criterion: r for r in CriterionResult.objects.filter(unit=commune, criteria_set=cset.id, year=year)}
    figures = {f.indicator: f for f in Figure.objects.filter(
        unit=commune, criteria_set=cset.id, year=year, superseded_at__isnull=True).select_related("entered_by")}
    blocks = tuple(_block(catalog, c, stored.get(c.code), figures, scope, year) for c in cset.criteria)
    met = result.met if result else sum(1 for b in blocks if b.status == Status.MET)
    return CommuneDetail(commune, district, level, year, cset.id, _set_title(cset), _scope_name(catalog, scope), blocks,
                         met, result.total if result else len(blocks), result is not None, targets, successors)


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
    document = catalog.documents[doc_id].number if doc_id in catalog.documents else ""
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
        threshold_note=threshold.source.note if threshold else "",
        gap=_decimal(outcome.get("gap")),
        provisional=bool(outcome.get("provisional")),
        judged_by=figure.judged_by if figure else "",
        entered_by=(user.get_full_name() or user.get_username()) if user else "",
        entered_at=figure.entered_at if figure else None,
        source_note=figure.source_note if figure else "",
        demo=bool(figure and figure.is_demo),
    )


# --- Defaults and lists ------------------------------------------------------------------------------


def default_year(district: Unit) -> int:
    """The latest year with results for the district's communes, else the current year."""
    latest = UnitResult.objects.filter(unit__parent=district).aggregate(latest=Max("year"))["latest"]
    return latest or timezone.localdate().year


def default_level(district: Unit, year: int) -> str:
    """The level its communes are most often targeted at in `year`, else "ntm"."""
    top = (Target.objects.filter(unit__parent=district, unit__kind=Kind.COMMUNE, year=year)
           .values("level").annotate(n=Count("id")).order_by("-n", "level").first())
    return top["level"] if top else DEFAULT_LEVEL


def default_commune_year(commune: Unit) -> int:
    latest = UnitResult.objects.filter(unit=commune).aggregate(latest=Max("year"))["latest"]
    return latest or timezone.localdate().year


def default_commune_level(commune: Unit, year: int) -> str:
    """Its target's level in `year`, else the level its district's communes are most targeted at."""
    own = Target.objects.filter(unit=commune, year=year).order_by("level").values_list("level", flat=True).first()
    if own:
        return own
    return default_level(commune.parent, year) if commune.parent_id else DEFAULT_LEVEL


def commune_levels() -> tuple[str, ...]:
    """Levels that have a commune criteria set in the catalog, in a stable order."""
    order = {"ntm": 0, "ntmnc": 1, "model": 2}
    levels = {s.level for s in get_catalog().sets if s.unit_kind is UnitKind.COMMUNE}
    return tuple(sorted(levels | {DEFAULT_LEVEL}, key=lambda lvl: (order.get(lvl, 9), lvl)))


def result_years(unit_filter: dict) -> list[int]:
    return sorted(set(UnitResult.objects.filter(**unit_filter).values_list("year", flat=True)), reverse=True)


@dataclass(frozen=True)
class DistrictLink:
    key: str
    name: str
    communes: int  # communes with results


@dataclass(frozen=True)
class ProvinceGroup:
    key: str
    name: str
    districts: tuple[DistrictLink, ...]


def districts_with_results() -> tuple[ProvinceGroup, ...]:
    """Provinces and their districts whose communes have stored results: one query."""
    rows = (UnitResult.objects.filter(unit__kind=Kind.COMMUNE, unit__parent__kind=Kind.DISTRICT)
            .values("unit__parent__key", "unit__parent__name", "unit__parent__division_type",
                    "unit__parent__parent__key", "unit__parent__parent__name",
                    "unit__parent__parent__division_type")
            .annotate(n=Count("unit", distinct=True))
            .order_by("unit__parent__parent__name", "unit__parent__name"))
    groups: dict[str, tuple[str, list[DistrictLink]]] = {}
    for r in rows:
        province = r["unit__parent__parent__key"] or ""
        pname = _full(r["unit__parent__parent__division_type"], r["unit__parent__parent__name"])
        groups.setdefault(province, (pname, []))[1].append(
            DistrictLink(r["unit__parent__key"], _full(r["unit__parent__division_type"], r["unit__parent__name"]),
                         r["n"]))
    return tuple(ProvinceGroup(k, name, tuple(ds)) for k, (name, ds) in groups.items())


def _full(division_type: str | None, name: str | None) -> str:
    return f"{(division_type or '').capitalize()} {name or ''}".strip()
