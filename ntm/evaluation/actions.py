"""Refreshing stored results: the one place where evaluation results are written."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Sequence
from datetime import date
from typing import Any

from django.db import connection, transaction
from django.db.models import Q

from ntm.catalog_source import get_catalog
from ntm.core.catalog import Catalog, CriteriaSet, UnitKind, scope_of
from ntm.core.engine import Figure, UnitFacts, UnitResult, derived_figures, evaluate_units
from ntm.figures.models import Figure as FigureRow
from ntm.units.classification import rows_for_year
from ntm.units.models import Kind, Unit
from ntm.units.selectors import province_keys

from . import models, store
from .signals import results_written


def valid_in(year: int) -> Q:
    return (Q(valid_from__isnull=True) | Q(valid_from__lte=date(year, 12, 31))) & (
        Q(valid_to__isnull=True) | Q(valid_to__gte=date(year, 1, 1))
    )


def load_figures(set_id: str, year: int, unit_ids: Collection[int] | None) -> dict[tuple[str, str], Figure]:
    """Current figures of one set and year, in one query, keyed by (unit id, indicator code)."""
    if unit_ids is not None and not unit_ids:
        return {}  # no unit (e.g. no district after 1/7/2025): an empty IN () has no SQL
    rows = FigureRow.objects.filter(criteria_set=set_id, year=year, superseded_at__isnull=True)
    if unit_ids is not None:
        rows = rows.filter(unit_id__in=unit_ids)
    # The ORM's SQL, read with a plain cursor: the rows are many, so the ORM's per-row work is skipped.
    query = rows.values_list("unit_id", "indicator", "value", "verdict", "bound").query
    sql, params = query.get_compiler(using=rows.db).as_sql()
    to_value, to_verdict = _converter(FigureRow, "value"), _converter(FigureRow, "verdict")
    # Figures are immutable: rows with the same raw value, verdict and bound share one object, converted
    # once (the column has a fixed scale, so equal raw values convert to the same Decimal).
    shared: dict[tuple, Figure] = {}
    keys: dict[int, str] = {}
    out: dict[tuple[str, str], Figure] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for row in cursor.fetchall():
            unit_id = row[0]
            key = keys.get(unit_id)
            if key is None:
                key = keys[unit_id] = str(unit_id)
            raw = row[2:]
            figure = shared.get(raw)
            if figure is None:
                value, verdict, bound = raw
                figure = shared[raw] = Figure(None if value is None else to_value(value),
                                              None if verdict is None else to_verdict(verdict), bound)
            out[(key, row[1])] = figure
    return out


def _converter(model, name: str) -> Callable[[Any], Any]:
    """What the ORM applies to a value of that field read from the database."""
    field = model._meta.get_field(name)
    col = field.get_col(model._meta.db_table)
    converters = [*connection.ops.get_db_converters(col), *col.get_db_converters(connection)]

    def convert(value):
        for conv in converters:
            value = conv(value, col, connection)
        return value

    return convert


def _facts(units: Iterable[tuple], cset: CriteriaSet) -> list[UnitFacts]:
    return [UnitFacts(str(row[0]), scope_of(cset.dimension, region=row[2], group=row[3],
                                            specially_disadvantaged=row[4]))
            for row in units]


def by_province(units: Sequence[tuple], catalog: Catalog, cset: CriteriaSet, year: int,
                provinces: dict[int, str] | None = None) -> list[tuple[CriteriaSet, list[tuple]]]:
    """Units (UNIT_FIELDS rows) grouped by the set that applies to them: the national set, or the set
    as a province layer specifies it. The one bulk use of `Catalog.resolve`."""
    layered = catalog.provinces_with_layers(cset.id)
    if not layered:
        return [(cset, list(units))]
    if provinces is None:
        provinces = _province_keys_of(units) if len(units) <= _FEW_UNITS else province_keys()
    groups: dict[str, list[tuple]] = defaultdict(list)
    for row in units:
        key = provinces.get(row[5], "") if row[1] != Kind.PROVINCE else ""
        groups[key if key in layered else ""].append(row)
    return [(catalog.resolve(cset.id, key, year) if key else cset, rows) for key, rows in groups.items()]


_FEW_UNITS = 50


def _province_keys_of(units: Sequence[tuple]) -> dict[int, str]:
    """`province_keys()` for the parents of a few units only (one save's commune), in one query."""
    parents = {row[5] for row in units if row[5]}
    rows = Unit.objects.filter(pk__in=parents).values_list("pk", "kind", "key", "parent__kind", "parent__key")
    return {pk: key if kind == Kind.PROVINCE else (up_key if up_kind == Kind.PROVINCE else "")
            for pk, kind, key, up_kind, up_key in rows}


def evaluate_rows(catalog: Catalog, cset: CriteriaSet, year: int, units: Sequence[tuple],
                  figures: dict[tuple[str, str], Figure]) -> dict[str, tuple[CriteriaSet, UnitResult]]:
    """Evaluate units against the set that applies to each; unit key → (that set, result)."""
    out: dict[str, tuple[CriteriaSet, UnitResult]] = {}
    for applied, rows in by_province(units, catalog, cset, year):
        for key, result in evaluate_units(applied, _facts(rows, applied), figures, year).items():
            out[key] = (applied, result)
    return out


_indicator_json = store.indicator_json  # how an indicator's outcome is stored (verify.py compares with it)


UNIT_FIELDS = ("pk", "kind", "region", "commune_group", "specially_disadvantaged", "parent_id")


@transaction.atomic
def refresh_results(year: int, *, communes: Collection[int] | None = None, catalog: Catalog | None = None,
                    set_ids: Collection[str] | None = None, force: bool = False) -> int:
    """Re-evaluate communes (all valid in `year`, or only the units of those ids) against every commune
    set in force that year, then the districts concerned: those of the communes, and any district among
    the ids (its own figures changed). Only the units whose inputs changed since their last evaluation
    (their set, scope or figures: see store.py) are evaluated and written; `force` writes them all.
    Returns the number of unit results now up to date (written or found unchanged)."""
    catalog = catalog or get_catalog()
    unit_rows = Unit.objects.filter(valid_in(year), kind=Kind.COMMUNE)
    if communes is not None:
        unit_rows = unit_rows.filter(pk__in=communes)
    commune_list = rows_for_year(unit_rows.values_list(*UNIT_FIELDS), year)  # classification in force
    refreshed = changed = 0
    wanted = [s for s in catalog.sets if s.in_force(year) and (set_ids is None or s.id in set_ids)]
    for cset in (s for s in wanted if s.unit_kind is UnitKind.COMMUNE):
        changed += _refresh_communes(catalog, cset, year, commune_list, communes, force)
        refreshed += len(commune_list)
    district_sets = [s for s in wanted if s.unit_kind is UnitKind.DISTRICT]
    district_ids = None
    if communes is not None and district_sets:
        district_ids = {p for p in unit_rows.values_list("parent_id", flat=True) if p}
        district_ids |= set(Unit.objects.filter(pk__in=communes, kind=Kind.DISTRICT).values_list("pk", flat=True))
    for dset in district_sets:
        n, w = _refresh_districts(catalog, dset, year, district_ids, force)
        refreshed, changed = refreshed + n, changed + w
    if changed:
        # Keep this wherever results end up written (helper "home", issue 12): the public home page is
        # cached until the portal hears of it. Announcing only when rows changed is fine.
        results_written.send(sender="evaluation")
    return refreshed


def _refresh_communes(catalog: Catalog, cset: CriteriaSet, year: int, commune_list: list[tuple],
                      communes: Collection[int] | None, force: bool) -> int:
    """Evaluate and store the communes whose inputs changed; returns how many were written. The digests
    of the figures are read before the figures: a figure committed meanwhile leaves a stored digest that
    the next refresh finds different, never a stale result that looks current."""
    figure_digests = store.figure_digests(cset.id, year, communes)
    stored = store.stored_digests(cset.id, year, communes)
    todo = []
    for applied, rows in by_province(commune_list, catalog, cset, year):
        facts = _facts(rows, applied)
        digests = _digests(applied, facts, lambda key: figure_digests.get(int(key), ""))
        todo.append((applied, facts if force else store.changed(facts, digests, stored), digests))
    stale = [int(f.key) for _applied, facts, _digests in todo for f in facts]
    if not stale:
        return 0
    # Most units changed (a first write, a new version): one query for all, no list of ids.
    figures = load_figures(cset.id, year, communes if 2 * len(stale) > len(commune_list) else stale)
    return sum(store.write(applied, year, evaluate_units(applied, facts, figures, year), digests, existing=stored)
               for applied, facts, digests in todo)


def _digests(applied: CriteriaSet, facts: list[UnitFacts], figures_digest: Callable[[str], str]) -> dict[str, str]:
    """Unit key → digest of the inputs of its evaluation against `applied`."""
    fingerprint = store.set_fingerprint(applied)
    return {f.key: store.unit_digest(fingerprint, f.scope, figures_digest(f.key)) for f in facts}


def _refresh_districts(catalog: Catalog, dset: CriteriaSet, year: int, district_ids: set[int] | None,
                       force: bool) -> tuple[int, int]:
    """(districts up to date, results written or deleted) for one district set."""
    district_list, figures = district_inputs(catalog, dset, year, district_ids)
    removed = 0
    if dset.applies_to:  # results left from before the set said which districts it applies to
        removed = store.delete_except(dset.id, year, district_ids, [d[0] for d in district_list])
    figure_digests = store.digests_of(figures)
    stored = {} if force else store.stored_digests(dset.id, year, [d[0] for d in district_list])
    written = 0
    for applied, rows in by_province(district_list, catalog, dset, year):
        facts = _facts(rows, applied)
        digests = _digests(applied, facts, lambda key: figure_digests.get(key, ""))
        results = evaluate_units(applied, store.changed(facts, digests, stored), figures, year)
        written += store.write(applied, year, results, digests)
    return len(district_list), written + removed


def district_inputs(catalog: Catalog, dset: CriteriaSet, year: int, district_ids: Collection[int] | None
                    ) -> tuple[list[tuple], dict[tuple[str, str], Figure]]:
    """Districts (as UNIT_FIELDS rows) and their figures, including the shares of their communes that
    reached a level, computed from the communes' stored results."""
    districts = Unit.objects.filter(valid_in(year), kind=Kind.DISTRICT)
    if district_ids is not None:
        districts = districts.filter(pk__in=district_ids)
    district_list = rows_for_year(districts.values_list(*UNIT_FIELDS), year)
    if dset.applies_to == "without_communes":  # 211/QĐ-TTg: only districts with no commune-level unit
        with_communes = set(Unit.objects.filter(kind__in=[Kind.COMMUNE, Kind.WARD],
                                                parent_id__in=[d[0] for d in district_list])
                            .values_list("parent_id", flat=True).distinct())
        district_list = [d for d in district_list if d[0] not in with_communes]
    members: dict[str, list[str]] = defaultdict(list)
    for pk, parent in Unit.objects.filter(valid_in(year), kind=Kind.COMMUNE,
                                          parent_id__in=[d[0] for d in district_list]).values_list("pk", "parent"):
        members[str(parent)].append(str(pk))
    reached: dict[str, dict[str, bool]] = defaultdict(dict)
    levels = {i.derived.share_of_communes_meeting for i in dset.indicators if i.derived}
    level_sets = {lvl: catalog.set_for(UnitKind.COMMUNE, lvl, year) for lvl in levels}
    for lvl, cset in level_sets.items():
        if cset is None:
            continue  # no commune set at that level this year: the share is unknown
        # A commune without a stored result has no figures at that level, so it has not reached it.
        reached[lvl] = {c: False for communes in members.values() for c in communes}
        rows = models.UnitResult.objects.filter(criteria_set=cset.id, year=year,
                                                unit__parent_id__in=[d[0] for d in district_list])
        for unit_id, met, total in rows.values_list("unit_id", "met", "total"):
            reached[lvl][str(unit_id)] = met == total
    figures = load_figures(dset.id, year, [d[0] for d in district_list])
    figures.update(derived_figures(dset, members, reached))
    return district_list, figures
