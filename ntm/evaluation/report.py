"""One unit's evaluation as plain data, for the `ntm evaluate` command (text and JSON)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from ntm.catalog_source import get_catalog
from ntm.core.catalog import Catalog, CriteriaSet, UnitKind
from ntm.core.engine import UnitFacts, UnitResult, evaluate_units
from ntm.figures.models import Figure as FigureRow
from ntm.units.classification import scopes_in_year
from ntm.units.models import Kind, Unit

from .actions import district_inputs, load_figures
from .selectors import applied_set


class NoCriteriaSet(LookupError):
    pass


@dataclass(frozen=True)
class UnitEvaluation:
    unit: Unit
    cset: CriteriaSet
    scope: str
    result: UnitResult
    catalog: Catalog
    demo_data: bool  # some figure used is demo data

    @property
    def result_demo(self) -> bool:
        """Some verdict rests on a threshold invented for the demo."""
        return any(c.demo for c in self.result.criteria)


def evaluate_unit(unit: Unit, *, level: str, year: int, catalog: Catalog | None = None) -> UnitEvaluation:
    """Evaluate one unit now, against the set in force for its kind, `level` and `year`."""
    catalog = catalog or get_catalog()
    kind = UnitKind.DISTRICT if unit.kind == Kind.DISTRICT else UnitKind.COMMUNE
    cset = catalog.set_for(kind, level, year)
    if cset is None:
        raise NoCriteriaSet(level, year)
    cset = applied_set(unit, cset.id, year, catalog).cset  # as the unit's province specifies it (or the demo)
    scope = scopes_in_year([unit], cset.dimension, year)[unit.pk]
    if kind is UnitKind.DISTRICT:
        _, figures = district_inputs(catalog, cset, year, [unit.pk])
    else:
        figures = load_figures(cset.id, year, [unit.pk])
    result = evaluate_units(cset, [UnitFacts(str(unit.pk), scope)], figures, year)[str(unit.pk)]
    demo = FigureRow.objects.filter(unit=unit, criteria_set=cset.id, year=year, superseded_at__isnull=True,
                                    is_demo=True).exists()
    return UnitEvaluation(unit, cset, scope, result, catalog, demo)


def layer_json(layer) -> dict:
    """A province layer (or demo overlay) composed into the set that applies, as answers name it."""
    return {"id": layer.id, "version": layer.version, "name_vi": layer.name_vi, "name_en": layer.name_en,
            "provinces": layer.provinces, "demo": layer.demo}


def _num(d: Decimal | None) -> float | None:
    return None if d is None else float(d)


def as_json(ev: UnitEvaluation) -> dict:
    names = {c.code: c for c in ev.cset.criteria}
    inds = {i.code: i for i in ev.cset.indicators}
    return {
        "unit": {"key": ev.unit.key, "name": ev.unit.full_name, "code": ev.unit.code},
        "criteria_set": ev.cset.id, "version": ev.cset.version, "level": ev.cset.level,
        "criteria_basis": ev.catalog.describe(ev.cset, "vi"), "criteria_basis_en": ev.catalog.describe(ev.cset, "en"),
        "layers": [layer_json(layer) for layer in ev.cset.layers], "demo": ev.result_demo,
        "document": ev.catalog.documents[ev.cset.document].number, "year": ev.result.year, "scope": ev.scope,
        "demo_data": ev.demo_data, "met": ev.result.met, "total": ev.result.total, "unmet": list(ev.result.unmet),
        "criteria": [
            {"code": c.code, "name_vi": names[c.code].name_vi, "name_en": names[c.code].name_en,
             "status": c.status.value, "provisional": c.provisional, "demo": c.demo,
             "indicators": [
                 {"code": i.code, "name_vi": inds[i.code].name_vi, "name_en": inds[i.code].name_en,
                  "unit": inds[i.code].unit, "comparison": inds[i.code].comparison.value,
                  "status": i.status.value, "basis": i.basis.value, "value": _num(i.value),
                  "threshold": _num(i.threshold), "gap": _num(i.gap), "provisional": i.provisional,
                  "demo": i.demo}
                 for i in c.indicators]}
            for c in ev.result.criteria
        ],
    }
