"""Importing administrative units and their lineage from the `vietnam-provinces` package."""

from __future__ import annotations

import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path

import yaml
from django.db import transaction

from . import sources
from .models import Succession, Unit
from .selectors import UnitNotFound
from .sources import SuccessionRow, UnitRow
from .text import fold, split_prefix

REGIONS_FILE = Path(__file__).parent / "data" / "regions.yaml"
BATCH = 500
_UNIT_FIELDS = ("code", "name", "division_type", "kind", "parent_id", "valid_from", "valid_to", "region",
                "search_name")
_LEVELS = (("province",), ("district",), ("commune", "ward"))


@dataclass
class ImportReport:
    """What `import_units` did. Counters are keyed by unit kind."""

    provinces: list[str] = field(default_factory=list)  # pre-2025 provinces imported (all when full)
    created: Counter[str] = field(default_factory=Counter)
    updated: Counter[str] = field(default_factory=Counter)
    unchanged: Counter[str] = field(default_factory=Counter)
    successions_created: int = 0
    successions_updated: int = 0
    successions_unchanged: int = 0
    seconds: float = 0.0

    @property
    def units_created(self) -> int:
        return self.created.total()

    @property
    def units_updated(self) -> int:
        return self.updated.total()

    @property
    def units_unchanged(self) -> int:
        return self.unchanged.total()

    @property
    def total(self) -> int:
        """Units in the import's scope (created, updated or unchanged)."""
        return self.units_created + self.units_updated + self.units_unchanged

    @property
    def successions_total(self) -> int:
        return self.successions_created + self.successions_updated + self.successions_unchanged

    @property
    def changed(self) -> bool:
        return bool(self.units_created or self.units_updated or self.successions_created
                    or self.successions_updated)


@cache
def province_regions() -> dict[int, str]:
    """Pre-2025 province code → region, from data/regions.yaml."""
    raw = yaml.safe_load(REGIONS_FILE.read_text(encoding="utf-8"))
    return {int(code): entry["region"] for code, entry in raw.items()}


def _regions(legacy: tuple[UnitRow, ...], new: tuple[UnitRow, ...],
             lineage: list[SuccessionRow]) -> dict[str, str]:
    """Unit key → region, for every unit of both eras (independent of what is being imported).

    Pre-2025 units: their province's region. A 2025 commune/ward: the region of the old province most
    of its predecessors came from (ties: more wholly merged predecessors, then the lower province code).
    A 2025 province: the region most of its communes got. Units without predecessors: their province's.
    """
    by_province = province_regions()
    regions = {row.key: by_province[row.province_code] for row in legacy}
    old_province = {row.key: row.province_code for row in legacy}
    votes: dict[str, Counter[int]] = defaultdict(Counter)
    whole: dict[str, Counter[int]] = defaultdict(Counter)
    for s in lineage:
        if s.predecessor_key in old_province and not s.predecessor_key.startswith("p"):
            code = old_province[s.predecessor_key]
            votes[s.successor_key][code] += 1
            whole[s.successor_key][code] += not s.partial
    province_votes: dict[str, Counter[str]] = defaultdict(Counter)
    for row in new:
        if row.kind == "province" or not votes[row.key]:
            continue
        best = max(votes[row.key], key=lambda c, k=row.key: (votes[k][c], whole[k][c], -c))
        regions[row.key] = by_province[best]
        province_votes[row.parent_key or ""][by_province[best]] += 1
    for row in new:
        if row.kind == "province":
            regions[row.key] = province_votes[row.key].most_common(1)[0][0] if province_votes[row.key] else ""
    for row in new:
        regions.setdefault(row.key, regions.get(row.parent_key or "", ""))
    return regions


def _official(row: UnitRow) -> str:
    return f"{row.division_type.capitalize()} {row.name}"


def _select(province_names: list[str]) -> tuple[list[str], set[int]]:
    """Pre-2025 province names (diacritics- and prefix-insensitive) → (official names, codes)."""
    provinces = {row.search_name: row for row in sources.legacy_units() if row.kind == "province"}
    names, codes, missing = [], set(), []
    for wanted in province_names:
        row = provinces.get(split_prefix(wanted)[1]) or provinces.get(fold(wanted))
        if row is None:
            missing.append(wanted)
            continue
        names.append(_official(row))
        codes.add(row.province_code)
    if missing:
        listed = ", ".join(missing)
        raise UnitNotFound(f"Không có tỉnh/thành phố (trước 1/7/2025) tên: {listed}.",
                           f"No (pre-2025) province named: {listed}.", query=listed)
    return names, codes


def import_units(*, province_names: list[str] | None = None) -> ImportReport:
    """Create or update the units of both eras and the 1/7/2025 successions, in one transaction.

    Idempotent: a second run changes nothing. Names, parents, validity and regions follow the package
    and data/regions.yaml; `commune_group` and `specially_disadvantaged` are never touched (offices
    set them). Units and successions missing from the package are left alone.

    With `province_names`, only those pre-2025 provinces (with their districts and communes), the 2025
    communes/wards that succeeded their communes (and those communes' 2025 provinces), and the
    successions between the imported units.
    """
    started = time.perf_counter()
    legacy, new = sources.legacy_units(), sources.new_units()
    lineage = list(sources.successions())
    regions = _regions(legacy, new, lineage)
    report = ImportReport()

    if province_names is None:
        rows = [*legacy, *new]
        pairs = lineage
        report.provinces = [_official(r) for r in legacy if r.kind == "province"]
    else:
        report.provinces, codes = _select(province_names)
        old = [r for r in legacy if r.province_code in codes]
        old_keys = {r.key for r in old}
        pairs = [s for s in lineage if s.predecessor_key in old_keys]
        successor_keys = {s.successor_key for s in pairs}
        new_communes = [r for r in new if r.key in successor_keys and r.kind != "province"]
        successor_keys |= {r.parent_key for r in new_communes if r.parent_key}
        rows = [*old, *(r for r in new if r.key in successor_keys)]
        pairs = [s for s in pairs if s.successor_key in successor_keys]

    with transaction.atomic():
        ids = _upsert_units(rows, regions, report)
        _upsert_successions(pairs, ids, report)
    report.seconds = time.perf_counter() - started
    return report


def _upsert_units(rows: list[UnitRow], regions: dict[str, str], report: ImportReport) -> dict[str, int]:
    """Bulk create/update `rows` level by level (parents first); returns key → id of all units."""
    existing = {values[0]: values[1:] for values in Unit.objects.values_list("key", "id", *_UNIT_FIELDS)}
    ids = {key: values[0] for key, values in existing.items()}
    legacy_to = sources.LEGACY_VALID_TO
    for kinds in _LEVELS:
        to_create: list[Unit] = []
        to_update: list[Unit] = []
        for row in rows:
            if row.kind not in kinds:
                continue
            wanted = (row.code, row.name, row.division_type, row.kind,
                      ids[row.parent_key] if row.parent_key else None,
                      sources.EFFECTIVE if row.new else None, None if row.new else legacy_to,
                      regions.get(row.key, ""), row.search_name)
            current = existing.get(row.key)
            values = dict(zip(_UNIT_FIELDS, wanted, strict=True))
            if current is None:
                to_create.append(Unit(key=row.key, **values))
                report.created[row.kind] += 1
            elif tuple(current[1:]) != wanted:
                to_update.append(Unit(id=current[0], key=row.key, **values))
                report.updated[row.kind] += 1
            else:
                report.unchanged[row.kind] += 1
        created = Unit.objects.bulk_create(to_create, batch_size=BATCH)
        if any(unit.pk is None for unit in created):  # backends that cannot return ids from bulk inserts
            ids.update(Unit.objects.values_list("key", "id"))
        else:
            ids.update((unit.key, unit.pk) for unit in created)
        Unit.objects.bulk_update(to_update, [f.removesuffix("_id") for f in _UNIT_FIELDS], batch_size=BATCH)
    return ids


def _upsert_successions(pairs: list[SuccessionRow], ids: dict[str, int], report: ImportReport) -> None:
    existing = {
        (pred, succ): (pk, effective, partial, source)
        for pk, pred, succ, effective, partial, source in Succession.objects.values_list(
            "id", "predecessor_id", "successor_id", "effective", "partial", "source")
    }
    to_create: list[Succession] = []
    to_update: list[Succession] = []
    seen: set[tuple[int, int]] = set()
    for s in pairs:
        pair = (ids[s.predecessor_key], ids[s.successor_key])
        if pair in seen:
            continue
        seen.add(pair)
        wanted: tuple[date, bool, str] = (s.effective, s.partial, s.source)
        current = existing.get(pair)
        fields = dict(predecessor_id=pair[0], successor_id=pair[1], effective=s.effective, partial=s.partial,
                      source=s.source)
        if current is None:
            to_create.append(Succession(**fields))
            report.successions_created += 1
        elif current[1:] != wanted:
            to_update.append(Succession(id=current[0], **fields))
            report.successions_updated += 1
        else:
            report.successions_unchanged += 1
    Succession.objects.bulk_create(to_create, batch_size=BATCH)
    Succession.objects.bulk_update(to_update, ["effective", "partial", "source"], batch_size=BATCH)
