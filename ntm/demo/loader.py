"""Load the Tân Trụ demo: Long An's units, targets and illustrative figures for 2023 and 2024, and the
demo's own criteria layers (invented levels, marked demo), which never live in the production catalog.
With `with_2026`, also the new Tây Ninh province (Long An + Tây Ninh since 1/7/2025) in 2025 and 2026:
all its communes, illustrative commune groups and verdicts against the 2026–2030 set (data/tay-ninh-2026.yaml)."""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import yaml
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone, translation

from ntm.accounts.demo_users import create_demo_users
from ntm.catalog_source import get_catalog, reload_catalog
from ntm.catalogs.actions import VersionRefused, check_text
from ntm.catalogs.models import CatalogVersion, State
from ntm.figures.actions import FigureInput, record_figures
from ntm.recognition.demo import create_demo_dossiers
from ntm.resources.demo import create_demo_funding
from ntm.units.actions import Decision, classify_many, import_units
from ntm.units.models import Kind, Recognition, Target, Unit
from ntm.workflow.demo import create_demo_workflow

DEMO_FILE = Path(__file__).parent / "data" / "tan-tru.yaml"
DEMO_2026_FILE = Path(__file__).parent / "data" / "tay-ninh-2026.yaml"
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
            lang = "en" if (translation.get_language() or "").startswith("en") else "vi"  # that of `exc`
            problems = "; ".join(p.render(lang) for p in exc.problems)
            raise DemoDataError(f"{path.name}: {exc} {problems}".strip()) from exc
        if not facts.demo or not facts.base:
            raise DemoDataError(f"{path.name}: tệp mẫu phải là một lớp (base: …) có demo: true / "
                                f"a demo file must be a layer (base: …) with demo: true")
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
        value: Decimal | None = None
        verdict: bool | None = None
        judged_by = ""
        if ind.comparison.is_numeric:
            if ind.code not in values:
                continue
            value = values[ind.code]
            if ind.code in verdicts:
                verdict, judged_by = verdicts[ind.code], data["judged_by"]
        else:
            verdict, judged_by = ind.code not in not_met, data["judged_by"]
        out.append(FigureInput(unit=unit, criteria_set=cset.id, indicator=ind.code, year=year, value=value,
                               verdict=verdict, judged_by=judged_by, source_note=data["source_note"], is_demo=True))
    return out


def _recognitions(data: dict, district: Unit, communes: dict[str, Unit]) -> None:
    for r in data.get("recognitions") or []:
        unit = district if "district" in r else communes.get(r["commune"])
        if unit is None:
            raise DemoDataError(f"recognition: {r} names no unit of the district")
        Recognition.objects.update_or_create(unit=unit, level=r["level"], revoked_on=None,
                                             defaults={"year": r["year"], "decision": r["decision"], "is_demo": True})


def _stable(key: str, salt: str) -> int:
    """A number 0–99 fixed by a unit key (the same on every machine and every run)."""
    return zlib.crc32(f"{salt}:{key}".encode()) % 100


def spread_for(key: str, spread: dict) -> tuple[str, dict[int, list[str]]]:
    """The group and the unmet criteria (2025, 2026) the demo gives a commune it does not list:
    about one in seven meets all 10 in 2026, most miss 1–4; most were one criterion further in 2025,
    one in six lost a criterion from 2025 to 2026."""
    roll, total, group = _stable(key, "group"), 0, "G2"
    for name, percent in spread["groups"].items():
        total += percent
        if roll < total:
            group = name
            break
    often = [str(c) for c in spread["often_unmet"]]
    level = _stable(key, "level")
    count = 0 if level < 14 else 1 if level < 32 else 2 if level < 60 else 3 if level < 85 else 4
    start = _stable(key, "start") % 3
    unmet_2026 = often[start:start + count]
    trend = _stable(key, "trend")
    if trend < 17 and unmet_2026:
        unmet_2025 = unmet_2026[1:]  # lost that criterion in 2026
    elif trend < 85:
        unmet_2025 = often[start:start + count + 1]  # one criterion more to do in 2025
    else:
        unmet_2025 = list(unmet_2026)
    return group, {2025: unmet_2025, 2026: unmet_2026}


def _new_province_plan(data: dict) -> tuple[Unit, list[tuple[Unit, str, dict[int, list[str]]]]]:
    """The new province and, for each of its communes (wards are not assessed for NTM), the demo's
    group and unmet criteria per year."""
    province = Unit.objects.filter(key=data["province_key"], kind=Kind.PROVINCE).first()
    if province is None:
        raise DemoDataError(f"province {data['province_key']} is not imported")
    communes = list(Unit.objects.filter(parent=province, kind=Kind.COMMUNE).order_by("key"))
    by_name = {u.name: u for u in communes}
    listed = data.get("communes") or {}
    unknown = sorted(set(listed) - set(by_name))
    if unknown:
        raise DemoDataError(f"{data['province_key']}: no commune named {unknown}")
    plan = []
    for unit in communes:
        if unit.name in listed:
            spec = listed[unit.name]
            unmet = {int(y): [str(c) for c in v] for y, v in spec["unmet"].items()}
            plan.append((unit, spec["group"], unmet))
        else:
            plan.append((unit, *spread_for(unit.key, data["spread"])))
    return province, plan


def _load_2026(data: dict) -> tuple[list[FigureInput], int]:
    """Groups set by the demo decision (re-evaluated inline when the load commits), 2026 targets, and
    the verdict inputs for 2025 and 2026. Returns (figure inputs, targets)."""
    province, plan = _new_province_plan(data)
    cset = get_catalog().get(data["criteria_set"])
    verdicts = {c.code: f"{c.code}.0" for c in cset.criteria}  # each criterion judged as a whole
    d = data["groups_decision"]
    with override_settings(NTM_JOBS_INLINE=True):  # no thread left running when `ntm demo` exits
        classify_many([(unit.pk, "group", group) for unit, group, _u in plan],
                      decision=Decision(d["number"], d["date"], d["issuer"]), valid_from=d["valid_from"],
                      note=d["note"])
    by_name = {unit.name: unit for unit, _g, _u in plan}
    targets = 0
    for t in data.get("targets") or []:
        Target.objects.update_or_create(unit=by_name[t["commune"]], level=t["level"], year=t["year"],
                                        defaults={"basis": t.get("basis", ""), "is_demo": True})
        targets += 1
    inputs: list[FigureInput] = []
    for unit, _group, unmet in plan:
        for year in data["years"]:
            missed = set(unmet[int(year)])
            unknown = missed - set(verdicts)
            if unknown:
                raise DemoDataError(f"{unit.name} {year}: no criterion {sorted(unknown)} in {cset.id}")
            inputs.extend(FigureInput(unit=unit, criteria_set=cset.id, indicator=code, year=int(year),
                                      verdict=criterion not in missed, judged_by=data["judged_by"],
                                      source_note=data["source_note"], is_demo=True)
                          for criterion, code in verdicts.items())
    return inputs, targets


@transaction.atomic
def load_demo(path: Path = DEMO_FILE, *, with_work: bool = True, with_2026: bool = True,
              path_2026: Path = DEMO_2026_FILE) -> DemoReport:
    """Units, targets, figures and users; with `with_work`, also the titles held, the plan, assignments,
    inspection, dossiers and funding (tests of those parts load them themselves); with `with_2026`, the
    new Tây Ninh province in 2025–2026 (all its communes, groups, verdicts against the 2026–2030 set)."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data_2026 = yaml.safe_load(path_2026.read_text(encoding="utf-8")) if with_2026 else None
    load_demo_layers()  # before any figure is recorded: results are evaluated with the demo's levels
    provinces = [data["province"], *[p for p in (data_2026 or {}).get("pre_2025_provinces", [])
                                     if p != data["province"]]]
    units_report = import_units(province_names=provinces)
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
    inputs_2026: list[FigureInput] = []
    if data_2026 is not None:
        inputs_2026, targets_2026 = _load_2026(data_2026)
        targets += targets_2026
    figures = record_figures(_figure_inputs(data, communes) + _maintained_inputs(data, communes) + district_inputs
                             + inputs_2026)
    users = create_demo_users()
    if with_work:
        _recognitions(data, district, communes)
        create_demo_workflow()
        create_demo_dossiers()
        create_demo_funding()
    return DemoReport(units=units_report.total, targets=targets, figures=figures, users=users)
