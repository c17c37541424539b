"""How stored results follow the figures: the receiver of `ntm.figures.signals.figures_changed`
(connected in `EvaluationConfig.ready`).

A save refreshes only the sets whose figures changed, for the units that changed; a district's
results (whose derived indicators count the communes that reached a level) only when one of its
communes reached or lost that level, or had no stored result yet. Then `results_refreshed` tells the
apps above (alerts) what changed. The query count does not grow with the size of the commune's
district or province."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Collection, Sequence
from datetime import date

from django.db import connection
from django.db.models import OuterRef, Subquery
from django.db.models.expressions import RawSQL
from django.utils import timezone

from ntm import shared_reads
from ntm.catalog_source import get_catalog
from ntm.core.catalog import Catalog, CriteriaSet, UnitKind
from ntm.core.engine import Figure, Status, evaluate_units
from ntm.figures.models import Figure as FigureRow
from ntm.units.classification import rows_for_year
from ntm.units.models import Kind, Unit
from ntm.units.selectors import province_key_of

from . import store
from .actions import _digests, _facts, by_province, refresh_results
from .models import CriterionResult, UnitResult
from .signals import results_refreshed, results_written

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


def refresh_after_figures(sender, *, year: int, unit_ids: list[int], set_ids: Collection[str],
                          units: Sequence[Unit] = (), **_kw) -> None:
    """Refresh the stored results the changed figures rest on, then announce `results_refreshed`.
    `units`: the changed units when the sender has them (one save: its commune, with its parents)."""
    catalog = get_catalog()
    known = {s.id: s for s in catalog.sets if s.in_force(year)}
    sets = {s for s in set_ids if s in known}
    if not sets:
        return
    one = units[0] if len(units) == 1 and list(unit_ids) == [units[0].pk] else None
    if one is not None and _commune_in(one, year) and all(known[s].unit_kind is UnitKind.COMMUNE for s in sets):
        before, after = _refresh_commune(catalog, one, year, [known[s] for s in sorted(sets)])
    else:
        before = criterion_statuses(unit_ids, year, sets)
        refresh_results(year, communes=unit_ids, catalog=catalog, set_ids=sets)
        after = criterion_statuses(unit_ids, year, sets)
    _refresh_districts_if_reached_changed(catalog, year, before, after)
    results_refreshed.send(sender="evaluation", year=year, unit_ids=unit_ids, before=before, after=after,
                           units=units)


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


# --- One commune's save -------------------------------------------------------------------------------


def _commune_in(unit: Unit, year: int) -> bool:
    """A commune valid in `year` (what `refresh_results` evaluates)."""
    return (unit.kind == Kind.COMMUNE and (unit.valid_from is None or unit.valid_from <= date(year, 12, 31))
            and (unit.valid_to is None or unit.valid_to >= date(year, 1, 1)))


def _refresh_commune(catalog: Catalog, unit: Unit, year: int, csets: list[CriteriaSet]) -> tuple[Statuses, Statuses]:
    """`refresh_results(year, communes=[unit], set_ids=…)` for one commune and commune sets, in fewer
    queries: the unit and its province come with it, its statuses before and the stored digests are read
    together, the statuses after are those just computed. What is written is kept for the rest of the
    save (`shared_reads`): the entry row shown next reads neither the figures nor the results again.
    Returns the statuses (before, after)."""
    row = (unit.pk, unit.kind, unit.region, unit.commune_group, unit.specially_disadvantaged, unit.parent_id)
    rows = rows_for_year([row], year)
    provinces = {unit.parent_id: province_key_of(unit)} if unit.parent_id else {}
    before, stored = _stored(unit.pk, year, [c.id for c in csets])
    after: Statuses = {k: v for k, v in before.items()}
    written = 0
    for cset in csets:
        key = str(unit.pk)
        current, figures_digest = _figures_and_digest(unit.pk, cset.id, year)
        for applied, unit_rows in by_province(rows, catalog, cset, year, provinces):
            facts = _facts(unit_rows, applied)
            digests = _digests(applied, facts, _always(figures_digest))
            if stored.get(cset.id) == digests[key]:
                continue  # nothing its result rests on changed
            figures = {(key, code): Figure(f.value, f.verdict, f.bound) if f.value is not None
                       else Figure(None, f.verdict) for code, f in current.items()}
            results = evaluate_units(applied, facts, figures, year)
            written += store.write(applied, year, results, digests)
            result = results[key]
            after[(unit.pk, cset.id)] = {c.code: c.status for c in result.criteria}
            shared_reads.put(("figures", unit.pk, cset.id, year), current)
            shared_reads.put(("results", unit.pk, cset.id, year), _as_stored(unit, applied, year, result, digests[key]))
    if written:
        results_written.send(sender="evaluation")  # as refresh_results does when it wrote
    return before, after


def _always(digest: str) -> Callable[[str], str]:
    """The figures' digest of every unit key: one unit's."""
    return lambda _key: digest


def _figures_and_digest(unit_id: int, set_id: str, year: int) -> tuple[dict[str, FigureRow], str]:
    """The unit's current figures of that set and year by indicator (with who entered them, for the row
    shown next), and their digest as every refresh computes it (`store.figure_digests`), in one statement:
    the fingerprint is the same aggregate over the same rows, as a window over the rows read."""
    table = connection.ops.quote_name(FigureRow._meta.db_table)
    marker = RawSQL(store.figure_digest_sql(f"{table}.", " OVER ()"), ())
    rows = (FigureRow.objects.filter(unit_id=unit_id, criteria_set=set_id, year=year, superseded_at__isnull=True)
            .select_related("entered_by").annotate(figures_digest=marker))
    current: dict[str, FigureRow] = {}
    digest = ""
    for f in rows:
        current[f.indicator], digest = f, str(f.figures_digest)
    return current, digest


def _stored(unit_id: int, year: int, set_ids: list[str]) -> tuple[Statuses, dict[str, str]]:
    """The unit's stored criterion statuses by set and the digest stored with each set's result, one query."""
    digest = UnitResult.objects.filter(unit_id=OuterRef("unit_id"), criteria_set=OuterRef("criteria_set"),
                                       year=year).values("inputs_digest")[:1]
    statuses: Statuses = defaultdict(dict)
    digests: dict[str, str] = {}
    for set_id, code, status, stored_digest in (
            CriterionResult.objects.filter(unit_id=unit_id, year=year, criteria_set__in=set_ids)
            .annotate(digest=Subquery(digest)).values_list("criteria_set", "criterion", "status", "digest")):
        statuses[(unit_id, set_id)][code] = Status(status)
        digests[set_id] = stored_digest
    return dict(statuses), digests


def _as_stored(unit: Unit, applied: CriteriaSet, year: int, result, digest: str
               ) -> tuple[UnitResult, dict[str, CriterionResult]]:
    """The rows `store.write` has just written for this result, as the entry page reads them."""
    unit_result = UnitResult(unit=unit, criteria_set=applied.id, set_version=applied.version, level=applied.level,
                             year=year, met=result.met, total=result.total, unmet=list(result.unmet),
                             evaluated_at=timezone.now(), inputs_digest=digest)
    criteria = {c.code: CriterionResult(unit=unit, criteria_set=applied.id, year=year, criterion=c.code,
                                        status=c.status.value, provisional=c.provisional,
                                        indicators=[store.indicator_json(i) for i in c.indicators])
                for c in result.criteria}
    return unit_result, criteria
