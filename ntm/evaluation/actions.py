"""Refreshing stored results: the one place where evaluation results are written."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable
from datetime import date

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from ntm.core.catalog import Catalog, CriteriaSet, UnitKind
from ntm.core.engine import Figure, UnitFacts, UnitResult, derived_figures, evaluate_units
from ntm.figures.models import Figure as FigureRow
from ntm.units.models import Kind, Unit

from . import models
from .catalog_source import get_catalog


def valid_in(year: int) -> Q:
    return (Q(valid_from__isnull=True) | Q(valid_from__lte=date(year, 12, 31))) & (
        Q(valid_to__isnull=True) | Q(valid_to__gte=date(year, 1, 1))
    )


def load_figures(set_id: str, year: int, unit_ids: Collection[int] | None) -> dict[tuple[str, str], Figure]:
    """Current figures of one set and year, in one query, keyed by (unit id, indicator code)."""
    rows = FigureRow.objects.filter(criteria_set=set_id, year=year, superseded_at__isnull=True)
    if unit_ids is not None:
        rows = rows.filter(unit_id__in=unit_ids)
    return {
        (str(unit_id), code): Figure(value, verdict)
        for unit_id, code, value, verdict in rows.values_list("unit_id", "indicator", "value", "verdict")
    }


def _facts(units: Iterable[tuple[int, str, str, str, bool]], cset: CriteriaSet) -> list[UnitFacts]:
    out = []
    for pk, _kind, region, group, disadvantaged in units:
        if cset.dimension == "region":
            scope = "TDMNPB" if disadvantaged else region
        else:
            scope = group if cset.dimension == "group" else ""
        out.append(UnitFacts(str(pk), scope))
    return out


def _store(cset: CriteriaSet, year: int, results: dict[str, UnitResult]) -> None:
    now = timezone.now()
    ids = [int(k) for k in results]
    for chunk_start in range(0, len(ids), 5000):
        chunk = ids[chunk_start:chunk_start + 5000]
        models.CriterionResult.objects.filter(criteria_set=cset.id, year=year, unit_id__in=chunk).delete()
        models.UnitResult.objects.filter(criteria_set=cset.id, year=year, unit_id__in=chunk).delete()
    models.UnitResult.objects.bulk_create(
        (models.UnitResult(unit_id=int(k), criteria_set=cset.id, set_version=cset.version, level=cset.level,
                           year=year, met=r.met, total=r.total, unmet=list(r.unmet), evaluated_at=now)
         for k, r in results.items()),
        batch_size=2000,
    )
    models.CriterionResult.objects.bulk_create(
        (models.CriterionResult(
            unit_id=int(k), criteria_set=cset.id, year=year, criterion=c.code, status=c.status.value,
            provisional=c.provisional, indicators=[_indicator_json(i) for i in c.indicators])
         for k, r in results.items() for c in r.criteria),
        batch_size=2000,
    )


def _indicator_json(i) -> dict:
    def num(d):
        return None if d is None else str(d.normalize())

    return {"code": i.code, "status": i.status.value, "basis": i.basis.value, "value": num(i.value),
            "threshold": num(i.threshold), "gap": num(i.gap), "provisional": i.provisional}


UNIT_FIELDS = ("pk", "kind", "region", "commune_group", "specially_disadvantaged")


@transaction.atomic
def refresh_results(year: int, *, communes: Collection[int] | None = None, catalog: Catalog | None = None,
                    set_ids: Collection[str] | None = None) -> int:
    """Re-evaluate communes (all valid in `year`, or only those ids) against every commune set in
    force that year, then the districts they belong to. Returns the number of unit results written."""
    catalog = catalog or get_catalog()
    unit_rows = Unit.objects.filter(valid_in(year), kind=Kind.COMMUNE)
    if communes is not None:
        unit_rows = unit_rows.filter(pk__in=communes)
    commune_list = list(unit_rows.values_list(*UNIT_FIELDS))
    written = 0
    wanted = [s for s in catalog.sets if s.in_force(year) and (set_ids is None or s.id in set_ids)]
    for cset in (s for s in wanted if s.unit_kind is UnitKind.COMMUNE):
        figures = load_figures(cset.id, year, communes)
        results = evaluate_units(cset, _facts(commune_list, cset), figures, year)
        _store(cset, year, results)
        written += len(results)
    district_ids = {p for p in unit_rows.values_list("parent_id", flat=True) if p} if communes is not None else None
    for dset in (s for s in wanted if s.unit_kind is UnitKind.DISTRICT):
        written += _refresh_districts(catalog, dset, year, district_ids)
    return written


def _refresh_districts(catalog: Catalog, dset: CriteriaSet, year: int, district_ids: set[int] | None) -> int:
    districts = Unit.objects.filter(valid_in(year), kind=Kind.DISTRICT)
    if district_ids is not None:
        districts = districts.filter(pk__in=district_ids)
    district_list = list(districts.values_list(*UNIT_FIELDS))
    members: dict[str, list[str]] = defaultdict(list)
    for pk, parent in Unit.objects.filter(valid_in(year), kind=Kind.COMMUNE,
                                          parent_id__in=[d[0] for d in district_list]).values_list("pk", "parent"):
        members[str(parent)].append(str(pk))
    reached: dict[str, dict[str, bool]] = defaultdict(dict)
    levels = {i.derived.share_of_communes_meeting for i in dset.indicators if i.derived}
    level_sets = {lvl: catalog.set_for(UnitKind.COMMUNE, lvl, year) for lvl in levels}
    for lvl, cset in level_sets.items():
        if cset is None:
            continue
        rows = models.UnitResult.objects.filter(criteria_set=cset.id, year=year,
                                                unit__parent_id__in=[d[0] for d in district_list])
        for unit_id, met, total in rows.values_list("unit_id", "met", "total"):
            reached[lvl][str(unit_id)] = met == total
    figures = load_figures(dset.id, year, [d[0] for d in district_list])
    figures.update(derived_figures(dset, members, reached))
    results = evaluate_units(dset, _facts(district_list, dset), figures, year)
    _store(dset, year, results)
    return len(results)
