"""How stored results follow the figures: the receiver of `ntm.figures.signals.figures_changed`
(connected in `EvaluationConfig.ready`).

A save refreshes only the sets whose figures changed, for the units that changed; a district's
results (whose derived indicators count the communes that reached a level) only when one of its
communes reached or lost that level, or had no stored result yet. Then `results_refreshed` tells the
apps above (alerts) what changed. The query count does not grow with the size of the commune's
district or province."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection

from ntm.core.catalog import Catalog, UnitKind
from ntm.core.engine import Status
from ntm.units.models import Kind, Unit

from .actions import refresh_results
from .catalog_source import get_catalog
from .models import CriterionResult
from .signals import results_refreshed

Statuses = dict[tuple[int, str], dict[str, Status]]  # (unit id, set id) → criterion → status


def criterion_statuses(unit_ids: Collection[int], year: int, set_ids: Collection[str] | None = None) -> Statuses:
    """The stored criterion statuses of these units in `year` (of those sets, or every set), one query."""
    out: Statuses = defaultdict(dict)
    rows = CriterionResult.objects.filter(unit_id__in=unit_ids, year=year)
    if set_ids is not None:
        rows = rows.filter(criteria_set__in=set_ids)
    for unit_id, set_id, code, status in rows.values_list("unit_id", "criteria_set", "criterion", "status"):
        out[(unit_id, set_id)][code] = Status(status)
    return dict(out)


def _reached(statuses: dict[str, Status] | None) -> bool:
    """Every criterion met (a unit without a stored result has not reached the level)."""
    if not statuses:
        return False
    return all(s is Status.MET for s in statuses.values())


def _district_sets_counting(catalog: Catalog, levels: Collection[str], year: int) -> set[str]:
    """District sets in force whose derived indicators count communes that reached one of `levels`."""
    return {d.id for d in catalog.sets if d.unit_kind is UnitKind.DISTRICT and d.in_force(year) and any(
        i.derived and i.derived.share_of_communes_meeting in levels for i in d.indicators)}


def refresh_after_figures(sender, *, year: int, unit_ids: list[int], set_ids: Collection[str], **_kw) -> None:
    """Refresh the stored results the changed figures rest on, then announce `results_refreshed`."""
    catalog = get_catalog()
    known = {s.id: s for s in catalog.sets if s.in_force(year)}
    sets = {s for s in set_ids if s in known}
    if not sets:
        return
    before = criterion_statuses(unit_ids, year, sets)
    refresh_results(year, communes=unit_ids, catalog=catalog, set_ids=sets)
    after = criterion_statuses(unit_ids, year, sets)
    _refresh_districts_if_reached_changed(catalog, year, before, after)
    results_refreshed.send(sender="evaluation", year=year, unit_ids=unit_ids, before=before, after=after)


def _refresh_districts_if_reached_changed(catalog: Catalog, year: int, before: Statuses, after: Statuses) -> None:
    """Communes that reached or lost a level (or got their first result) change their district's shares."""
    levels_by_unit: dict[int, set[str]] = defaultdict(set)
    for key, statuses in after.items():
        unit_id, set_id = key
        cset = catalog.get(set_id)
        if cset.unit_kind is UnitKind.COMMUNE and (key not in before or _reached(before[key]) != _reached(statuses)):
            levels_by_unit[unit_id].add(cset.level)
    if not levels_by_unit:
        return
    levels = set().union(*levels_by_unit.values())
    district_sets = _district_sets_counting(catalog, levels, year)
    if not district_sets:
        return
    parents = set(Unit.objects.filter(pk__in=levels_by_unit, parent__kind=Kind.DISTRICT)
                  .values_list("parent_id", flat=True))
    if parents:
        refresh_results(year, communes=sorted(parents), catalog=catalog, set_ids=district_sets)
