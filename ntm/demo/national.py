"""The national synthetic data set (`ntm demo --national`): every unit of both eras from `vietnam-provinces`
(the project's unit import), illustrative commune groups for the communes formed on 1/7/2025, and several
years of synthetic figures, all marked demo, then the stored results — for measuring pages and jobs at
the scale of the whole country (benchmarks/bench_pages.py) and for trying the national views.

What each year gets (the catalog decides which sets are in force, `Catalog.set_for` per level):

* 2023, 2024: every pre-2025 commune (xã; wards are not assessed) on the NTM set, the communes at the
  NTM level or above also on the advanced (NTMNC) set, those at NTMNC or above on the model set; every
  pre-2025 district its own indicators of the district NTM and NTMNC sets (the shares of communes are
  computed from the communes' results, as always).
* 2025: the communes formed on 1/7/2025 on the same sets (their first year-end assessment).
* 2026: the same communes on the sets of 2026 (the 2026–2030 NTM set, the advanced and model sets still
  in force).

A commune's level, its progress from one year to the next and the indicators it misses are fixed by a
hash of its key (the same on every machine, every run); values sit above or below the threshold that
applies to the commune (region, or TDMNPB when specially disadvantaged; group for the 2026 set). Figures
carry `is_demo` (the pages show "dữ liệu minh họa") and a source note saying they are synthetic; they
are written in bulk (COPY on PostgreSQL, one executemany per batch on SQLite), without audit entries.

Running it again adds only what is missing: units and figures already there are left alone, so
`--provinces 2` followed by a full run completes the country. It refuses to write where a unit already
has figures that are not its own for a set and year it fills (a real database is not a place for it).
"""

from __future__ import annotations

import time
import zlib
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal

from django.db import connection, transaction
from django.test.utils import override_settings

from ntm.catalog_source import get_catalog
from ntm.core.catalog import Comparison, CriteriaSet, Indicator, UnitKind, scope_of
from ntm.evaluation.actions import refresh_results, valid_in
from ntm.figures.models import Figure
from ntm.units import sources
from ntm.units.actions import Decision, classify_many, import_units
from ntm.units.models import Kind, Unit

YEARS = (2023, 2024, 2025, 2026)
NEW_ERA = sources.EFFECTIVE  # 1/7/2025
SOURCE_NOTE = ("Số liệu tổng hợp minh họa (demo) toàn quốc, sinh tự động bởi `ntm demo --national`; "
               "không phải số liệu thật / synthetic figures for the whole country, not real data")
JUDGED_BY = "Kết luận minh họa (dữ liệu tổng hợp)"
ENTERED_AT = datetime(2026, 1, 15, 2, 0, tzinfo=UTC)
GROUPS_DECISION = Decision("(minh họa) 00/QĐ-DEMO", date(2025, 7, 1), "Dữ liệu tổng hợp toàn quốc — minh họa (demo)")
GROUPS_NOTE = "Phân nhóm xã minh họa (demo) của bộ dữ liệu toàn quốc, không phải quyết định thật"
GROUP_SHARES = (("G1", 12), ("G2", 70), ("G3", 18))  # percent of the communes formed on 1/7/2025
# A commune's level: 0 none, 1 NTM, 2 advanced (NTMNC), 3 model; percent of communes in 2024.
LEVEL_SHARES = ((0, 22), (1, 45), (2, 25), (3, 8))
LEVEL_RANK = {"ntm": 1, "ntmnc": 2, "model": 3}
PROGRESS = 15  # percent of communes one level lower the year before
BATCH = 5000


class NationalDataError(ValueError):
    pass


@dataclass
class NationalReport:
    provinces: int = 0  # pre-2025 provinces imported
    units: int = 0  # units in the import's scope (both eras)
    figures: Counter[int] = field(default_factory=Counter)  # year → figures written
    results: Counter[int] = field(default_factory=Counter)  # year → unit results written
    grouped: int = 0  # communes given an illustrative group
    seconds: dict[str, float] = field(default_factory=dict)

    @property
    def total_figures(self) -> int:
        return self.figures.total()

    def lines(self) -> list[str]:
        per_year = ", ".join(f"{y}: {n:,}" for y, n in sorted(self.figures.items())) or "0"
        timing = ", ".join(f"{k} {v:.1f} s" for k, v in self.seconds.items())
        return [
            f"Dữ liệu tổng hợp toàn quốc (minh họa) / national synthetic data: {self.provinces} tỉnh trước 2025 "
            f"/ pre-2025 provinces, {self.units:,} đơn vị / units, {self.grouped:,} xã được xếp nhóm / communes "
            f"grouped.",
            f"Số liệu mới / figures written: {self.total_figures:,} ({per_year}); kết quả lưu / results stored: "
            f"{self.results.total():,}.",
            f"Thời gian / time: {timing}.",
        ]


def _stable(key: str, salt: str, modulo: int = 100) -> int:
    """A number fixed by a unit key (the same on every machine and every run)."""
    return zlib.crc32(f"{salt}:{key}".encode()) % modulo


def _pick[T](roll: int, shares: Sequence[tuple[T, int]]) -> T:
    total = 0
    for value, percent in shares:
        total += percent
        if roll < total:
            return value
    return shares[-1][0]


def level_of(key: str, year: int) -> int:
    """The commune's level reached in `year` (0 none … 3 model): fixed for 2024 and later, one lower
    the year before for one commune in seven."""
    level = _pick(_stable(key, "level"), LEVEL_SHARES)
    if year < 2024 and level > 0 and _stable(key, "progress") < PROGRESS:
        level -= 1
    return level


def group_of(key: str) -> str:
    return _pick(_stable(key, "group"), GROUP_SHARES)


def province_choice(count: int | None) -> list[str] | None:
    """The names of the `count` pre-2025 provinces with the fewest communes (None: every province)."""
    if count is None:
        return None
    if count < 1:
        raise NationalDataError("--provinces cần một số từ 1 trở lên / needs a number of 1 or more")
    legacy = sources.legacy_units()
    communes = Counter(r.province_code for r in legacy if r.kind in ("commune", "ward"))
    provinces = sorted((communes[r.province_code], r.province_code, r.name) for r in legacy if r.kind == "province")
    if count >= len(provinces):
        return None
    return [name for _n, _code, name in provinces[:count]]


# --- Values ------------------------------------------------------------------------------------------

def _evaluable(ind: Indicator, scope: str, year: int) -> bool:
    if ind.derived:
        return False
    if not ind.comparison.is_numeric:
        return True
    t = ind.threshold_for(scope, year)
    return t is not None and t.value is not None


def _number(ind: Indicator, scope: str, year: int, met: bool, roll: int) -> Decimal:
    """A value on the right side of the threshold (inside the indicator's range)."""
    low, high = ind.minimum, ind.maximum
    t = ind.threshold_for(scope, year)
    if t is None or t.value is None:  # no level known: a plausible value in the range
        base = ((low if low is not None else Decimal(0)) + (high if high is not None else Decimal(100))) / 2
        value = base + Decimal(roll % 200 - 100) / 100
    else:
        step = Decimal(roll % 1000) / 100  # 0–9.99
        if ind.comparison == Comparison.AT_LEAST:
            value = t.value + step if met else t.value - step - Decimal("0.01")
        elif ind.comparison == Comparison.AT_MOST:
            value = t.value - step if met else t.value + step + Decimal("0.01")
        else:
            value = t.value if met else t.value + 1
    if high is not None and value > high:
        value = high
    if low is not None and value < low:
        value = low
    return value.quantize(Decimal("0.01"))


def _unit_rows(cset: CriteriaSet, year: int, unit_id: int, key: str, scope: str, meets: bool,
               ) -> Iterable[tuple]:
    """The figure rows (unit_id, set, indicator, year, value, verdict) of one unit on one set."""
    indicators = [i for i in cset.indicators if not i.derived]
    missed: set[str] = set()
    if not meets:
        evaluable = [i.code for i in indicators if _evaluable(i, scope, year)]
        if evaluable:
            count = 1 + _stable(key, f"{cset.id}:{year}:count", 4)
            start = _stable(key, f"{cset.id}:{year}:start", len(evaluable))
            missed = {evaluable[(start + k * 3) % len(evaluable)] for k in range(count)}
    for n, ind in enumerate(indicators):
        met = ind.code not in missed
        if ind.comparison.is_numeric:
            roll = _stable(key, f"{cset.id}:{year}:{n}", 100_000)
            yield unit_id, cset.id, ind.code, year, _number(ind, scope, year, met, roll), None
        else:
            yield unit_id, cset.id, ind.code, year, None, met


# --- Writing -----------------------------------------------------------------------------------------

_COLUMNS = ("unit_id", "criteria_set", "indicator", "year", "value", "verdict", "bound", "judged_by",
            "source_note", "entered_at", "is_demo")


def _insert(rows: list[tuple]) -> int:
    """Write figure rows in bulk: COPY on PostgreSQL, executemany in batches elsewhere."""
    if not rows:
        return 0
    table = connection.ops.quote_name(Figure._meta.db_table)
    column = {f.attname: f.column for f in Figure._meta.concrete_fields if f.column}  # "unit_id" → its column
    columns = ", ".join(connection.ops.quote_name(column[c]) for c in _COLUMNS)
    ops = connection.ops
    if connection.vendor == "postgresql":
        with connection.cursor() as c, c.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            for unit_id, cset, code, year, value, verdict in rows:
                copy.write_row((unit_id, cset, code, year, value, verdict, "",
                                JUDGED_BY if verdict is not None else "", SOURCE_NOTE, ENTERED_AT, True))
        return len(rows)
    entered = ops.adapt_datetimefield_value(ENTERED_AT)
    field_value = Figure._meta.get_field("value")
    sql = f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(_COLUMNS))})"
    with connection.cursor() as c:
        for start in range(0, len(rows), BATCH):
            c.executemany(sql, [
                (unit_id, cset, code, year,
                 None if value is None else ops.adapt_decimalfield_value(value, field_value.max_digits,
                                                                          field_value.decimal_places),
                 verdict, "", JUDGED_BY if verdict is not None else "", SOURCE_NOTE, entered, True)
                for unit_id, cset, code, year, value, verdict in rows[start:start + BATCH]])
    return len(rows)


def _present(year: int, set_ids: Sequence[str], unit_ids: Sequence[int]) -> tuple[set[tuple[int, str]], list]:
    """(unit, set) pairs that already have current figures in `year`; those not written by this builder."""
    have: set[tuple[int, str]] = set()
    foreign: list[tuple[int, str]] = []
    rows = (Figure.objects.filter(year=year, criteria_set__in=set_ids, superseded_at__isnull=True)
            .values_list("unit_id", "criteria_set", "source_note").distinct())
    wanted = set(unit_ids)
    for unit_id, set_id, note in rows:
        if unit_id not in wanted:
            continue
        have.add((unit_id, set_id))
        if note != SOURCE_NOTE:
            foreign.append((unit_id, set_id))
    return have, foreign


def _province_keys(units: Sequence[tuple]) -> dict[int, str]:
    """Unit id → the key of its province (for the catalog's province layers)."""
    parents = dict(Unit.objects.filter(kind__in=[Kind.DISTRICT, Kind.PROVINCE]).values_list("pk", "parent_id"))
    keys = dict(Unit.objects.filter(kind=Kind.PROVINCE).values_list("pk", "key"))
    out = {}
    for pk, *_rest, parent in units:
        p = parent
        while p is not None and p not in keys:
            p = parents.get(p)
        out[pk] = keys.get(p, "")
    return out


def _year_rows(year: int, kind: str, levels: Sequence[str], units: Sequence[tuple], have: set,
               level_for: Callable[[str], int]) -> tuple[list[tuple], set[str]]:
    catalog = get_catalog()
    unit_kind = UnitKind.COMMUNE if kind == Kind.COMMUNE else UnitKind.DISTRICT
    provinces = _province_keys(units)
    rows: list[tuple] = []
    used: set[str] = set()
    for name in levels:
        base = catalog.set_for(unit_kind, name, year)
        if base is None:
            continue
        for pk, key, region, group, disadvantaged, _parent in units:
            level = level_for(key)
            if (pk, base.id) in have or (kind == Kind.COMMUNE and level < LEVEL_RANK[name] - 1):
                continue  # a commune works on the next level up at most
            cset = catalog.resolve(base.id, provinces[pk], year)
            scope = scope_of(cset.dimension, region=region, group=group, specially_disadvantaged=disadvantaged)
            rows.extend(_unit_rows(cset, year, pk, key, scope, level >= LEVEL_RANK[name]))
            used.add(base.id)
    return rows, used


_UNIT_FIELDS = ("pk", "key", "region", "commune_group", "specially_disadvantaged", "parent_id")


def _units(year: int, kind: str, new_era: bool) -> list[tuple]:
    rows = Unit.objects.filter(valid_in(year), kind=kind)
    rows = rows.filter(valid_from=NEW_ERA) if new_era else rows.filter(valid_from__isnull=True)
    return list(rows.order_by("pk").values_list(*_UNIT_FIELDS))


def _check_foreign(year: int, units: list[tuple], set_ids: list[str]) -> set:
    have, foreign = _present(year, set_ids, [u[0] for u in units])
    if foreign:
        raise NationalDataError(
            f"{len(foreign)} đơn vị đã có số liệu thật (không phải dữ liệu tổng hợp) năm {year}; hãy dùng một cơ sở "
            f"dữ liệu trống / {len(foreign)} units already hold figures of their own for {year}: use an empty "
            f"database for the national synthetic data.")
    return have


def write_year(year: int) -> int:
    """The synthetic figures of one year (only those missing). Returns the rows written."""
    catalog = get_catalog()
    new_era = year >= NEW_ERA.year
    written = 0
    for kind, levels in ((Kind.COMMUNE, ("ntm", "ntmnc", "model")), (Kind.DISTRICT, ("ntm", "ntmnc"))):
        if kind == Kind.DISTRICT and new_era:
            continue  # no district after 1/7/2025
        units = _units(year, kind, new_era)
        unit_kind = UnitKind.COMMUNE if kind == Kind.COMMUNE else UnitKind.DISTRICT
        set_ids = [s.id for name in levels if (s := catalog.set_for(unit_kind, name, year))]
        have = _check_foreign(year, units, set_ids)
        if kind == Kind.COMMUNE:
            rows, _used = _year_rows(year, kind, levels, units, have, lambda key: level_of(key, year))
        else:
            rows, _used = _year_rows(year, kind, levels, units, have,
                                     lambda key: 2 if _stable(key, "district") < 30 else 1)
        written += _insert(rows)
    return written


def _group_new_communes() -> int:
    """Illustrative groups (G1/G2/G3) for the communes formed on 1/7/2025 that have none, by one decision
    marked demo (the 2026–2030 set's levels depend on the group)."""
    ungrouped = list(Unit.objects.filter(kind=Kind.COMMUNE, valid_from=NEW_ERA, commune_group="")
                     .values_list("pk", "key"))
    if not ungrouped:
        return 0
    with override_settings(NTM_JOBS_INLINE=True):  # the re-evaluation it schedules runs before we go on
        classify_many([(pk, "group", group_of(key)) for pk, key in ungrouped], decision=GROUPS_DECISION,
                      valid_from=NEW_ERA, note=GROUPS_NOTE)
    return len(ungrouped)


def build_national(*, provinces: int | None = None, years: Sequence[int] = YEARS,
                   progress: Callable[[str], None] | None = None) -> NationalReport:
    """Import the units (all, or the `provinces` pre-2025 provinces with the fewest communes and what they
    became), group the new communes, write the missing synthetic figures of `years` and store the results."""
    say = progress or (lambda _text: None)
    report = NationalReport()
    unknown = sorted(set(years) - set(YEARS))
    if unknown:
        raise NationalDataError(f"năm không hỗ trợ / years not supported: {unknown} (chỉ / only {list(YEARS)})")
    started = time.perf_counter()
    names = province_choice(provinces)
    imported = import_units(province_names=names)
    report.provinces, report.units = len(imported.provinces), imported.total
    report.seconds["units"] = time.perf_counter() - started
    say(f"units: {imported.total:,} ({report.seconds['units']:.1f} s)")
    started = time.perf_counter()
    report.grouped = _group_new_communes()
    report.seconds["groups"] = time.perf_counter() - started
    for year in sorted(years):
        started = time.perf_counter()
        with transaction.atomic():
            report.figures[year] = write_year(year)
        report.seconds[f"figures {year}"] = time.perf_counter() - started
        say(f"figures {year}: {report.figures[year]:,} ({report.seconds[f'figures {year}']:.1f} s)")
    for year in sorted(years):
        started = time.perf_counter()
        report.results[year] = refresh_results(year)
        report.seconds[f"results {year}"] = time.perf_counter() - started
        say(f"results {year}: {report.results[year]:,} ({report.seconds[f'results {year}']:.1f} s)")
    return report

