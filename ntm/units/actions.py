"""Importing administrative units and their lineage from the `vietnam-provinces` package."""

from __future__ import annotations

import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache, partial
from pathlib import Path

import yaml
from django.db import models, transaction
from django.utils import timezone

from . import sources
from .models import Attribute, Classification, Succession, Unit
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

    def rank(key: str, code: int) -> tuple[int, int, int]:
        return votes[key][code], whole[key][code], -code

    province_votes: dict[str, Counter[str]] = defaultdict(Counter)
    for row in new:
        if row.kind == "province" or not votes[row.key]:
            continue
        best = max(votes[row.key], key=partial(rank, row.key))
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
    and data/regions.yaml, except a region set by a decision (`classify`), which is kept. The commune
    group and the flags (specially disadvantaged, mountain, island, coastal) are never touched: neither
    `vietnam-provinces` nor the reference gives them (groups come from each province's decision list,
    Area II/III from Decision 60/QĐ-BDTTG), so offices set them with their decisions. Units and
    successions missing from the package are left alone.

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
    decided = set(Classification.objects.filter(attribute=Attribute.REGION, superseded_at__isnull=True)
                  .values_list("unit_id", flat=True))
    region_at = _UNIT_FIELDS.index("region")
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
            if current is not None and current[0] in decided:  # a decision set the region: keep it
                wanted = (*wanted[:region_at], current[1 + region_at], *wanted[region_at + 1:])
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


# --- What decides a threshold: region, commune group and flags, with their decisions --------------------


@dataclass(frozen=True)
class Decision:
    """The decision that sets a classification: number ("123/QĐ-UBND"), date signed, issuer."""

    number: str
    date: date | None
    issuer: str = ""


class ClassificationRefused(ValueError):
    """Nothing was written; `problems` lists (message_vi, message_en) pairs."""

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        super().__init__("\n".join(vi for vi, _en in problems))
        self.problems = problems

    def messages(self, lang: str = "vi") -> list[str]:
        return [en if lang == "en" else vi for vi, en in self.problems]


@dataclass
class ClassifyReport:
    written: int = 0
    unchanged: int = 0
    unit_ids: list[int] = field(default_factory=list)
    job: object | None = None  # the RefreshJob that re-evaluates the units' stored results


_GROUPS = {"1": "G1", "2": "G2", "3": "G3", "g1": "G1", "g2": "G2", "g3": "G3"}


def parse_group(raw: object) -> str | None:
    """"1", 1, "G1", "nhóm 1", "Xã nhóm 1" → "G1"; "" → ""; anything else → None."""
    if raw is None:
        return ""
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    text = fold(str(raw)).replace(" ", "")
    for prefix in ("xanhom", "nhom", "group"):
        text = text.removeprefix(prefix)
    if not text:
        return ""
    return _GROUPS.get(text)


def _check_value(attribute: str, value: object) -> tuple[str | bool | None, str | None]:
    """(the Unit field's value, None) or (None, a problem) for a wanted value."""
    from .models import FLAG_ATTRIBUTES, Attribute, Region

    if attribute == Attribute.GROUP:
        group = parse_group(value)
        return (group, None) if group is not None else (None, "group")
    if attribute == Attribute.REGION:
        return (value, None) if isinstance(value, str) and value in Region.values else (None, "region")
    if attribute in FLAG_ATTRIBUTES:
        return (value, None) if isinstance(value, bool) else (None, "flag")
    return None, "attribute"


def classify(units_or_ids, attribute: str, value: object, *, decision: Decision, valid_from: date, by=None,
             note: str = "") -> ClassifyReport:
    """Set one attribute ("region", "commune_group"/"group", "specially_disadvantaged", "mountain",
    "island", "coastal") of several units to `value` by `decision`, from `valid_from`. See classify_many."""
    ids = [u if isinstance(u, int) else u.pk for u in units_or_ids]
    return classify_many([(i, attribute, value) for i in ids], decision=decision, valid_from=valid_from,
                         by=by, note=note)


def classify_many(assignments, *, decision: Decision, valid_from: date, by=None, note: str = "") -> ClassifyReport:
    """Record (unit id, attribute, value) assignments made by one decision, all or nothing.

    For each: the record in force at `valid_from` is closed the day before, records starting on or after
    it are replaced, the new record is written, and the Unit field takes the value (the latest decided).
    A unit's value before its first recorded decision is kept as a record without a decision. The stored
    results of the units are then re-evaluated in the background. Raises ClassificationRefused.
    """
    from .classification import to_python, to_stored
    from .models import FLAG_ATTRIBUTES, Attribute, Classification, Kind
    from .signals import classified

    problems: list[tuple[str, str]] = []
    wanted: dict[tuple[int, str], str | bool | None] = {}
    number = (decision.number or "").strip()
    if not number:
        problems.append(("Thiếu số quyết định.", "The decision number is missing."))
    if decision.date is None:
        problems.append(("Thiếu ngày ký quyết định.", "The decision date is missing."))
    if valid_from is None:
        problems.append(("Thiếu ngày có hiệu lực.", "The date it takes effect is missing."))
    units = Unit.objects.in_bulk({a[0] for a in assignments})
    for unit_id, attribute, value in assignments:
        attribute = Attribute.GROUP.value if attribute == "group" else attribute
        unit = units.get(unit_id)
        if unit is None:
            problems.append((f"Không có đơn vị mã số {unit_id}.", f"No unit with id {unit_id}."))
            continue
        checked, problem = _check_value(attribute, value)
        if problem == "attribute":
            problems.append((f"Không có thuộc tính «{attribute}».", f"No attribute “{attribute}”."))
            continue
        if problem:
            problems.append((f"{unit.full_name}: giá trị «{value}» không hợp lệ cho {Attribute(attribute).label}.",
                             f"{unit.full_name}: “{value}” is not a valid {attribute}."))
            continue
        if attribute == Attribute.GROUP and unit.kind != Kind.COMMUNE:
            problems.append((f"{unit.full_name}: chỉ xã mới được xếp nhóm (đây là {unit.get_kind_display()}).",
                             f"{unit.full_name}: only communes have a group (this is a {unit.kind})."))
            continue
        if attribute in FLAG_ATTRIBUTES and unit.kind not in (Kind.COMMUNE, Kind.WARD):
            problems.append((f"{unit.full_name}: chỉ đơn vị cấp xã mới có thuộc tính này.",
                             f"{unit.full_name}: only commune-level units have this flag."))
            continue
        if (unit_id, attribute) in wanted and wanted[(unit_id, attribute)] != checked:
            problems.append((f"{unit.full_name}: hai giá trị khác nhau cho {Attribute(attribute).label}.",
                             f"{unit.full_name}: two different values for {attribute}."))
            continue
        wanted[(unit_id, attribute)] = checked
    if problems:
        raise ClassificationRefused(problems)

    report = ClassifyReport()
    day_before = valid_from - timedelta(days=1)
    now = timezone.now()
    with transaction.atomic():
        list(Unit.objects.select_for_update().filter(pk__in=list(units)).values_list("pk", flat=True))
        live: dict[tuple[int, str], list[Classification]] = defaultdict(list)
        for record in Classification.objects.filter(unit_id__in=list(units), superseded_at__isnull=True,
                                                    attribute__in={a for _u, a in wanted}):
            live[(record.unit_id, record.attribute)].append(record)
        to_create: list[Classification] = []
        to_close: list[Classification] = []
        to_supersede: list[int] = []
        changed: dict[tuple[str, object], list[int]] = defaultdict(list)
        for (unit_id, attribute), value in wanted.items():
            stored = to_stored(attribute, value)
            records = live[(unit_id, attribute)]
            latest = max(records, key=lambda r: (r.valid_from or date.min, r.pk), default=None)
            if (latest is not None and latest.value == stored and latest.valid_from == valid_from
                    and latest.decision_number == number):
                report.unchanged += 1
                continue
            current = getattr(units[unit_id], attribute)
            if not records and current not in ("", False):
                # The value the unit had before (the import's region, an earlier entry): kept as history.
                to_create.append(Classification(
                    unit_id=unit_id, attribute=attribute, value=to_stored(attribute, current), valid_from=None,
                    valid_to=day_before, recorded_by=by if getattr(by, "pk", None) else None,
                    note="Giá trị trước quyết định đầu tiên ghi trong hệ thống"))
            for record in records:
                if record.valid_from is not None and record.valid_from >= valid_from:
                    to_supersede.append(record.pk)
                elif record.valid_to is None or record.valid_to >= valid_from:
                    record.valid_to = day_before
                    to_close.append(record)
            to_create.append(Classification(
                unit_id=unit_id, attribute=attribute, value=stored, decision_number=number,
                decision_date=decision.date, decision_issuer=decision.issuer.strip(), valid_from=valid_from,
                recorded_by=by if getattr(by, "pk", None) else None, note=note[:300]))
            changed[(attribute, to_python(attribute, stored))].append(unit_id)
            report.written += 1
        closed_before = dict(Classification.objects.filter(pk__in=[r.pk for r in to_close])
                             .values_list("pk", "valid_to"))
        Classification.objects.filter(pk__in=to_supersede).update(superseded_at=now)
        Classification.objects.bulk_update(to_close, ["valid_to"], batch_size=BATCH)
        created = Classification.objects.bulk_create(to_create, batch_size=BATCH)
        changes: list[tuple[type[models.Model], dict]] = [
            (Classification, {pk: {"superseded_at": (None, now)} for pk in to_supersede}),
            (Classification, {r.pk: {"valid_to": (closed_before.get(r.pk), r.valid_to)} for r in to_close})]
        for (attribute, value), ids in changed.items():
            before = dict(Unit.objects.filter(pk__in=ids).values_list("pk", attribute))
            Unit.objects.filter(pk__in=ids).update(**{attribute: value})
            changes.append((Unit, {pk: {attribute: (old, value)} for pk, old in before.items() if old != value}))
        report.unit_ids = sorted({u for ids in changed.values() for u in ids})
        what = ", ".join(sorted({f"{Attribute(a).label}={v}" for a, v in changed}))
        answers = classified.send(sender=Classification, created=created, changes=changes,
                                  unit_ids=report.unit_ids, reason=f"Phân loại {len(report.unit_ids)} đơn vị "
                                  f"({what}) theo {number}", by=by)
        report.job = next((job for _receiver, job in answers if job is not None), None)
    return report
