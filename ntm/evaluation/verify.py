"""Comparing every stored result with a fresh evaluation: what `ntm results verify` prints."""

from __future__ import annotations

import json
from collections.abc import Collection
from dataclasses import dataclass

from ntm.catalog_source import get_catalog
from ntm.core.catalog import UnitKind
from ntm.figures.models import Figure as FigureRow
from ntm.units.classification import rows_for_year
from ntm.units.models import Kind, Unit

from . import models
from .actions import UNIT_FIELDS, _indicator_json, district_inputs, evaluate_rows, load_figures, valid_in


@dataclass(frozen=True)
class Difference:
    unit_key: str
    unit_name: str
    set_id: str
    year: int
    what: str  # "missing", "extra", "version", "count", "criterion X"
    stored: str
    fresh: str

    def render(self) -> str:
        return (f"{self.unit_key} {self.unit_name} — {self.set_id} {self.year} — {self.what}: "
                f"{self.stored} ≠ {self.fresh}")


def differences(*, set_ids: Collection[str] | None = None, years: Collection[int] | None = None,
                unit_ids: Collection[int] | None = None) -> list[Difference]:
    """Every difference between stored results and a fresh evaluation (per set and year, in bulk)."""
    catalog = get_catalog()
    stored_pairs = models.UnitResult.objects.values_list("criteria_set", "year").distinct()
    pairs = {(s, y) for s, y in stored_pairs}
    known = {s.id for s in catalog.sets}
    out: list[Difference] = []
    for set_id, year in sorted(pairs):
        if (set_ids and set_id not in set_ids) or (years and year not in years):
            continue
        if set_id not in known:
            out.append(Difference("*", "", set_id, year, "set", "stored", "not in the catalog"))
            continue
        out.extend(_compare(catalog, catalog.get(set_id), year, unit_ids))
    return out


def _compare(catalog, cset, year: int, unit_ids) -> list[Difference]:
    kind = Kind.COMMUNE if cset.unit_kind is UnitKind.COMMUNE else Kind.DISTRICT
    units = Unit.objects.filter(valid_in(year), kind=kind).filter(pk__in=_concerned(catalog, cset, year))
    if unit_ids:
        units = units.filter(pk__in=unit_ids)
    rows = rows_for_year(units.values_list(*UNIT_FIELDS), year)
    if kind == Kind.DISTRICT:
        rows, figures = district_inputs(catalog, cset, year, [r[0] for r in rows])
    else:
        figures = load_figures(cset.id, year, [r[0] for r in rows] if unit_ids else None)
    fresh = evaluate_rows(catalog, cset, year, rows, figures)
    names = dict(units.values_list("pk", "key"))
    stored = {u.unit_id: u for u in models.UnitResult.objects.filter(criteria_set=cset.id, year=year,
                                                                         unit_id__in=list(names))}
    crits: dict[int, dict[str, models.CriterionResult]] = {}
    for stored_crit in models.CriterionResult.objects.filter(criteria_set=cset.id, year=year,
                                                             unit_id__in=list(names)):
        crits.setdefault(stored_crit.unit_id, {})[stored_crit.criterion] = stored_crit
    out: list[Difference] = []

    def diff(uid: int, what: str, a, b) -> None:
        out.append(Difference(names.get(uid, str(uid)), "", cset.id, year, what, str(a), str(b)))

    for key, (applied, result) in fresh.items():
        uid = int(key)
        row = stored.pop(uid, None)
        if row is None:
            diff(uid, "missing", "—", f"{result.met}/{result.total}")
            continue
        if row.set_version != applied.version:
            diff(uid, "version", row.set_version, applied.version)
        if (row.met, row.total, list(row.unmet)) != (result.met, result.total, list(result.unmet)):
            diff(uid, "count", f"{row.met}/{row.total} {row.unmet}",
                 f"{result.met}/{result.total} {list(result.unmet)}")
        theirs = crits.get(uid, {})
        for c in result.criteria:
            st = theirs.pop(c.code, None)
            indicators = [_indicator_json(i) for i in c.indicators]
            if st is None:
                diff(uid, f"criterion {c.code}", "—", c.status.value)
            elif (st.status, bool(st.provisional), _norm(st.indicators)) != (c.status.value, c.provisional,
                                                                              _norm(indicators)):
                diff(uid, f"criterion {c.code}", f"{st.status} {_norm(st.indicators)}",
                     f"{c.status.value} {_norm(indicators)}")
        for code in theirs:
            diff(uid, f"criterion {code}", "stored", "not in the set")
    for uid, row in stored.items():
        diff(uid, "extra", f"{row.met}/{row.total}", "unit not evaluated that year")
    return out


def _concerned(catalog, cset, year: int) -> set[int]:
    """Units that must have a result: those with one stored or with figures, and districts whose
    communes have results at a level the district set counts. A unit with none of these has no data,
    stored or not."""
    ids = set(models.UnitResult.objects.filter(criteria_set=cset.id, year=year).values_list("unit_id", flat=True))
    ids |= set(FigureRow.objects.filter(criteria_set=cset.id, year=year, superseded_at__isnull=True)
               .values_list("unit_id", flat=True).distinct())
    levels = {i.derived.share_of_communes_meeting for i in cset.indicators if i.derived}
    counted = [s.id for lvl in levels if (s := catalog.set_for(UnitKind.COMMUNE, lvl, year)) is not None]
    if counted:
        parents = (models.UnitResult.objects.filter(criteria_set__in=counted, year=year)
                   .values_list("unit__parent_id", flat=True).distinct())
        ids |= {pid for pid in parents if pid is not None}
    return ids


def _norm(value) -> str:
    if isinstance(value, str):
        value = json.loads(value)
    return json.dumps(value, sort_keys=True, ensure_ascii=False)
