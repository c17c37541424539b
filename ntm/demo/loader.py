"""Load the Tân Trụ demo: Long An's units, targets and illustrative figures for 2023 and 2024, and the
demo's own criteria layers (invented levels, marked demo), which never live in the production catalog."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import yaml
from django.db import transaction
from django.utils import timezone

from ntm.accounts.demo_users import create_demo_users
from ntm.catalogs.actions import VersionRefused, check_text
from ntm.catalogs.models import CatalogVersion, State
from ntm.evaluation.catalog_source import get_catalog, reload_catalog
from ntm.figures.actions import FigureInput, record_figures
from ntm.recognition.demo import create_demo_dossiers
from ntm.resources.demo import create_demo_funding
from ntm.units.actions import import_units
from ntm.units.models import Kind, Recognition, Target, Unit
from ntm.workflow.demo import create_demo_workflow

DEMO_FILE = Path(__file__).parent / "data" / "tan-tru.yaml"
DEMO_CATALOG_DIR = Path(__file__).parent / "catalog"  # demo layers: `demo: true`, for Long An (p80)


class DemoDataError(ValueError):
    pass


@dataclass(frozen=True)
class DemoReport:
    units: int
    targets: int
    figures: int
    users: int


def _district(data: dict) -> Unit:
    matches = list(Unit.objects.filter(kind=Kind.DISTRICT, name=data["district"],
                                       parent__name=data["province"]))
    if len(matches) != 1:
        raise DemoDataError(f"district {data['district']} of {data['province']}: {len(matches)} matches")
    return matches[0]


def _communes(district: Unit) -> dict[str, Unit]:
    return {u.name: u for u in Unit.objects.filter(parent=district)}


def load_demo_layers(directory: Path = DEMO_CATALOG_DIR) -> int:
    """Store the demo's layers as published versions marked demo, each validated by the catalog loader
    against everything in force (the rules of `ntm catalog check`), then reload the catalog. Loading
    twice changes nothing; an edited demo file replaces its stored text. Returns the layers stored."""
    stored = 0
    for path in sorted(directory.glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        try:
            facts = check_text(text)
        except VersionRefused as exc:
            problems = "; ".join(p.render("en") for p in exc.problems)
            raise DemoDataError(f"{path.name}: {exc} {problems}".strip()) from exc
        if not facts.demo or not facts.base:
            raise DemoDataError(f"{path.name}: a demo file must be a layer (base: …) with demo: true")
        found = CatalogVersion.objects.filter(set_id=facts.set_id, version=facts.version).first()
        if found is not None and found.text == text and found.state == State.PUBLISHED and found.demo:
            continue
        CatalogVersion.objects.update_or_create(
            set_id=facts.set_id, version=facts.version,
            defaults={"kind": facts.kind, "base": facts.base, "text": text, "state": State.PUBLISHED,
                      "demo": True, "note": "demo", "approved_at": timezone.now(),
                      "takes_effect": timezone.localdate(),
                      "decision_note": "Dữ liệu mẫu (demo) nạp bởi `ntm demo` / loaded by `ntm demo`"})
        stored += 1
    reload_catalog()
    return stored


def _figure_inputs(data: dict, communes: dict[str, Unit]) -> list[FigureInput]:
    catalog = get_catalog()
    out: list[FigureInput] = []
    for set_id, years in data["figures"].items():
        cset = catalog.get(set_id)
        shared = (data.get("figures_shared") or {}).get(set_id) or {}
        for year, per_commune in years.items():
            for name, spec in per_commune.items():
                unit = communes.get(name)
                if unit is None:
                    raise DemoDataError(f"{set_id} {year}: commune {name!r} is not in the district")
                spec = {**spec, **{key: {**(shared.get(key) or {}), **(spec.get(key) or {})}
                                   for key in ("values", "verdicts")}}
                out.extend(_unit_figures(cset, int(year), unit, spec, data))
    return out


def _maintained_inputs(data: dict, communes: dict[str, Unit]) -> list[FigureInput]:
    """Sets every commune keeps meeting; numbers shared by all, or copied from another set's figures."""
    out: list[FigureInput] = []
    for set_id, spec in (data.get("maintained") or {}).items():
        cset = get_catalog().get(set_id)
        copy = spec.get("copy") or {}
        for year in spec["years"]:
            source = data["figures"].get(copy.get("from"), {}).get(year, {})
            for name, unit in communes.items():
                if unit.kind != Kind.COMMUNE:
                    continue
                theirs = (source.get(name) or {}).get("values") or {}
                copied = {ours: theirs[other] for ours, other in (copy.get("indicators") or {}).items()
                          if other in theirs}
                own = {"values": {**spec.get("values", {}), **copied}, "verdicts": spec.get("verdicts", {})}
                out.extend(_unit_figures(cset, int(year), unit, own, data))
    return out


def _unit_figures(cset, year: int, unit: Unit, spec: dict, data: dict) -> list[FigureInput]:
    not_met, no_data = set(spec.get("not_met", [])), set(spec.get("no_data", []))
    values = {str(k): Decimal(str(v)) for k, v in (spec.get("values") or {}).items()}
    verdicts = {str(k): bool(v) for k, v in (spec.get("verdicts") or {}).items()}
    codes = {i.code for i in cset.indicators}
    unknown = (not_met | no_data | set(values) | set(verdicts)) - codes
    if unknown:
        raise DemoDataError(f"{cset.id} {year} {unit.name}: unknown indicators {sorted(unknown)}")
    out = []
    for ind in cset.indicators:
        if ind.code in no_data:
            continue
        if ind.comparison.is_numeric:
            if ind.code not in values:
                continue
            kwargs = {"value": values[ind.code]}
            if ind.code in verdicts:
                kwargs |= {"verdict": verdicts[ind.code], "judged_by": data["judged_by"]}
        else:
            kwargs = {"verdict": ind.code not in not_met, "judged_by": data["judged_by"]}
        out.append(FigureInput(unit=unit, criteria_set=cset.id, indicator=ind.code, year=year,
                               source_note=data["source_note"], is_demo=True, **kwargs))
    return out


def _recognitions(data: dict, district: Unit, communes: dict[str, Unit]) -> None:
    for r in data.get("recognitions") or []:
        unit = district if "district" in r else communes.get(r["commune"])
        if unit is None:
            raise DemoDataError(f"recognition: {r} names no unit of the district")
        Recognition.objects.update_or_create(unit=unit, level=r["level"], revoked_on=None,
                                             defaults={"year": r["year"], "decision": r["decision"], "is_demo": True})


@transaction.atomic
def load_demo(path: Path = DEMO_FILE, *, with_work: bool = True) -> DemoReport:
    """Units, targets, figures and users; with `with_work`, also the titles held, the plan, assignments,
    inspection, dossiers and funding (tests of those parts load them themselves)."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    load_demo_layers()  # before any figure is recorded: results are evaluated with the demo's levels
    units_report = import_units(province_names=[data["province"]])
    district = _district(data)
    communes = _communes(district)
    targets = 0
    for t in data["targets"]:
        unit = district if "district" in t else communes.get(t["commune"])
        if unit is None:
            raise DemoDataError(f"target: commune {t['commune']!r} is not in the district")
        Target.objects.update_or_create(unit=unit, level=t["level"], year=t["year"],
                                        defaults={"basis": t.get("basis", ""), "is_demo": True})
        targets += 1
    district_inputs = [
        item for set_id, years in (data.get("district_figures") or {}).items()
        for year, spec in years.items()
        for item in _unit_figures(get_catalog().get(set_id), int(year), district, spec, data)
    ]
    figures = record_figures(_figure_inputs(data, communes) + _maintained_inputs(data, communes) + district_inputs)
    users = create_demo_users()
    if with_work:
        _recognitions(data, district, communes)
        create_demo_workflow()
        create_demo_dossiers()
        create_demo_funding()
    return DemoReport(units=units_report.total, targets=targets, figures=figures, users=users)
