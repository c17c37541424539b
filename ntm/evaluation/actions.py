"""Refreshing stored results: the one place where evaluation results are written."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Sequence
from datetime import date
from typing import Any

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from ntm.core.catalog import Catalog, CriteriaSet, UnitKind, scope_of
from ntm.core.engine import Figure, UnitFacts, UnitResult, derived_figures, evaluate_units
from ntm.figures.models import Figure as FigureRow
from ntm.units.classification import rows_for_year
from ntm.units.models import Kind, Unit
from ntm.units.selectors import province_keys

from . import models
from .catalog_source import get_catalog


def valid_in(year: int) -> Q:
    return (Q(valid_from__isnull=True) | Q(valid_from__lte=date(year, 12, 31))) & (
        Q(valid_to__isnull=True) | Q(valid_to__gte=date(year, 1, 1))
    )


def load_figures(set_id: str, year: int, unit_ids: Collection[int] | None) -> dict[tuple[str, str], Figure]:
    """Current figures of one set and year, in one query, keyed by (unit id, indicator code)."""
    if unit_ids is not None and not unit_ids:
        return {}  # no unit (e.g. no district after 1/7/2025): an empty IN () has no SQL
    rows = FigureRow.objects.filter(criteria_set=set_id, year=year, superseded_at__isnull=True)
    if unit_ids is not None:
        rows = rows.filter(unit_id__in=unit_ids)
    # The ORM's SQL, read with a plain cursor: the rows are many and mostly verdicts, so the
    # ORM's per-row work is skipped and the field converters are applied to non-null values only.
    query = rows.values_list("unit_id", "indicator", "value", "verdict", "bound").query
    sql, params = query.get_compiler(using=rows.db).as_sql()
    to_value, to_verdict = _converter(FigureRow, "value"), _converter(FigureRow, "verdict")
    verdicts: dict[Any, Figure] = {}  # figures without a value are few distinct objects: share them
    keys: dict[int, str] = {}
    out: dict[tuple[str, str], Figure] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for unit_id, code, value, verdict, bound in cursor.fetchall():
            key = keys.get(unit_id)
            if key is None:
                key = keys[unit_id] = str(unit_id)
            if verdict is not None:
                verdict = to_verdict(verdict)
            if value is None:
                figure = verdicts.get(verdict)
                if figure is None:
                    figure = verdicts[verdict] = Figure(None, verdict)
            else:
                figure = Figure(to_value(value), verdict, bound)  # a bound always has a value
            out[(key, code)] = figure
    return out


def _converter(model, name: str) -> Callable[[Any], Any]:
    """What the ORM applies to a value of that field read from the database."""
    field = model._meta.get_field(name)
    col = field.get_col(model._meta.db_table)
    converters = [*connection.ops.get_db_converters(col), *col.get_db_converters(connection)]

    def convert(value):
        for conv in converters:
            value = conv(value, col, connection)
        return value

    return convert


def _facts(units: Iterable[tuple], cset: CriteriaSet) -> list[UnitFacts]:
    return [UnitFacts(str(row[0]), scope_of(cset.dimension, region=row[2], group=row[3],
                                            specially_disadvantaged=row[4]))
            for row in units]


def by_province(units: Sequence[tuple], catalog: Catalog, cset: CriteriaSet, year: int,
                provinces: dict[int, str] | None = None) -> list[tuple[CriteriaSet, list[tuple]]]:
    """Units (UNIT_FIELDS rows) grouped by the set that applies to them: the national set, or the set
    as a province layer specifies it. The one bulk use of `Catalog.resolve`."""
    layered = catalog.provinces_with_layers(cset.id)
    if not layered:
        return [(cset, list(units))]
    provinces = province_keys() if provinces is None else provinces
    groups: dict[str, list[tuple]] = defaultdict(list)
    for row in units:
        key = provinces.get(row[5], "") if row[1] != Kind.PROVINCE else ""
        groups[key if key in layered else ""].append(row)
    return [(catalog.resolve(cset.id, key, year) if key else cset, rows) for key, rows in groups.items()]


def evaluate_rows(catalog: Catalog, cset: CriteriaSet, year: int, units: Sequence[tuple],
                  figures: dict[tuple[str, str], Figure]) -> dict[str, tuple[CriteriaSet, UnitResult]]:
    """Evaluate units against the set that applies to each; unit key → (that set, result)."""
    out: dict[str, tuple[CriteriaSet, UnitResult]] = {}
    for applied, rows in by_province(units, catalog, cset, year):
        for key, result in evaluate_units(applied, _facts(rows, applied), figures, year).items():
            out[key] = (applied, result)
    return out


def _store(cset: CriteriaSet, year: int, results: dict[str, UnitResult]) -> None:
    """Store the results of these units: the rows that changed are upserted, criterion rows the set
    no longer has are deleted, and unchanged unit rows only get their `evaluated_at` moved on."""
    if connection.vendor not in ("sqlite", "postgresql"):
        _store_orm(cset, year, results)
        return
    now = timezone.now()
    pg = connection.vendor == "postgresql"
    as_text = _pg_json if pg else json.dumps  # the text the database gives back for a JSON value
    ur, cr = models.UnitResult._meta, models.CriterionResult._meta
    q = connection.ops.quote_name
    ids = [int(k) for k in results]
    where, where_params = _unit_filter(ids)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT unit_id, set_version, level, met, total, unmet FROM {q(ur.db_table)} "
                       f"WHERE criteria_set = %s AND year = %s AND {where}", [cset.id, year, *where_params])
        stored_units = {row[0]: row[1:] for row in cursor.fetchall()}
        cursor.execute(f"SELECT id, unit_id, criterion, status, provisional, indicators FROM {q(cr.db_table)} "
                       f"WHERE criteria_set = %s AND year = %s AND {where}", [cset.id, year, *where_params])
        stored_criteria = {(row[1], row[2]): (row[0], row[3], row[4], row[5]) for row in cursor.fetchall()}

        evaluated_at = ur.get_field("evaluated_at").get_db_prep_value(now, connection)
        unit_rows, unchanged, criterion_rows = [], [], []
        texts: dict[int, tuple[str, bool, str]] = {}  # id(engine CriterionResult) → row values
        ind_texts: dict[int, str] = {}  # id(engine IndicatorResult) → JSON text
        unmet_texts: dict[tuple[str, ...], str] = {}
        # Every engine result stays referenced by `results` meanwhile, so ids are not reused.
        for uid, r in zip(ids, results.values(), strict=True):
            unmet = unmet_texts.get(r.unmet)
            if unmet is None:
                unmet = unmet_texts[r.unmet] = as_text(list(r.unmet))
            met, total = r.met, r.total
            old = stored_units.get(uid)
            if old is not None and old[:4] == (cset.version, cset.level, met, total) and _same(old[4], unmet):
                unchanged.append(uid)
            else:
                unit_rows.append((uid, cset.id, cset.version, cset.level, year, met, total, unmet, evaluated_at))
            for c in r.criteria:
                row = texts.get(id(c))
                if row is None:
                    parts = []
                    for i in c.indicators:
                        text = ind_texts.get(id(i))
                        if text is None:
                            text = ind_texts[id(i)] = as_text(_indicator_json(i))
                        parts.append(text)
                    row = texts[id(c)] = (c.status.value, c.provisional, "[" + ", ".join(parts) + "]")
                status, provisional, indicators = row
                old = stored_criteria.pop((uid, c.code), None)
                if (old is None or old[1] != status or bool(old[2]) != provisional
                        or not _same(old[3], indicators)):
                    criterion_rows.append((uid, cset.id, year, c.code, status, provisional, indicators))

        stale = [old[0] for old in stored_criteria.values()]  # criteria the set no longer has
        if stale:
            id_where, id_params = _id_filter("id", stale)
            cursor.execute(f"DELETE FROM {q(cr.db_table)} WHERE {id_where}", id_params)
        if unchanged:
            id_where, id_params = _unit_filter(unchanged)
            cursor.execute(f"UPDATE {q(ur.db_table)} SET evaluated_at = %s WHERE criteria_set = %s AND year = %s "
                           f"AND {id_where}", [evaluated_at, cset.id, year, *id_params])
        _upsert(cursor, models.UnitResult,
                ("unit_id", "criteria_set", "set_version", "level", "year", "met", "total", "unmet", "evaluated_at"),
                ("unit_id", "criteria_set", "year"), unit_rows, json_columns={"unmet"})
        _upsert(cursor, models.CriterionResult,
                ("unit_id", "criteria_set", "year", "criterion", "status", "provisional", "indicators"),
                ("unit_id", "criteria_set", "year", "criterion"), criterion_rows, json_columns={"indicators"})


def _same(stored: Any, text: str) -> bool:
    """Whether a stored JSON value equals the one whose text is `text`. Texts are compared first; the
    values are parsed only when the texts differ (e.g. a row written with another formatting)."""
    if stored == text:
        return True
    if isinstance(stored, str):
        try:
            stored = json.loads(stored)
        except ValueError:
            return False
    return stored == json.loads(text)


def _pg_json(value: Any) -> str:
    """JSON text as PostgreSQL prints a jsonb value: object keys ordered by length, then bytes."""
    def order(v):
        if isinstance(v, dict):
            return {k: order(v[k]) for k in sorted(v, key=lambda k: (len(k.encode()), k.encode()))}
        if isinstance(v, list):
            return [order(x) for x in v]
        return v

    return json.dumps(order(value), ensure_ascii=False)


def _id_filter(column: str, ids: Sequence[int]) -> tuple[str, list]:
    """`column` among `ids`, with one parameter however many ids there are."""
    q = connection.ops.quote_name(column)
    if connection.vendor == "postgresql":
        return f"{q} = ANY(%s)", [list(ids)]
    if connection.vendor == "sqlite":
        return f"{q} IN (SELECT value FROM json_each(%s))", [json.dumps(list(ids))]
    return f"{q} IN ({', '.join(['%s'] * len(ids))})", list(ids)


def _unit_filter(ids: Sequence[int]) -> tuple[str, list]:
    return _id_filter("unit_id", ids)


UPSERT_ROWS = 20000  # rows per statement on PostgreSQL


def _upsert(cursor, model, columns: Sequence[str], unique: Sequence[str], rows: list[tuple],
            json_columns: Collection[str] = ()) -> None:
    """Insert rows, updating those whose unique columns already exist. SQLite: one prepared
    statement run for every row; PostgreSQL: one statement per batch, a column array per parameter."""
    if not rows:
        return
    q = connection.ops.quote_name
    names = ", ".join(q(c) for c in columns)
    tail = (f" ON CONFLICT ({', '.join(q(c) for c in unique)}) DO UPDATE SET "
            + ", ".join(f"{q(c)} = excluded.{q(c)}" for c in columns if c not in unique))
    if connection.vendor != "postgresql":
        cursor.executemany(f"INSERT INTO {q(model._meta.db_table)} ({names}) VALUES "
                           f"({', '.join(['%s'] * len(columns))}){tail}", rows)
        return
    fields = {f.column: f for f in model._meta.concrete_fields}
    arrays = ", ".join("%s::text[]" if c in json_columns else f"%s::{fields[c].db_type(connection)}[]"
                       for c in columns)
    select = ", ".join(f"{q(c)}::jsonb" if c in json_columns else q(c) for c in columns)
    sql = (f"INSERT INTO {q(model._meta.db_table)} ({names}) SELECT {select} "
           f"FROM unnest({arrays}) AS t ({names}){tail}")
    for start in range(0, len(rows), UPSERT_ROWS):
        cursor.execute(sql, [list(col) for col in zip(*rows[start:start + UPSERT_ROWS], strict=True)])


def _store_orm(cset: CriteriaSet, year: int, results: dict[str, UnitResult]) -> None:
    """Other databases: delete the units' rows, then insert them again."""
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
        return None if d is None else format(d.normalize(), "f")  # "100", never "1E+2"

    out = {"code": i.code, "status": i.status.value, "basis": i.basis.value, "value": num(i.value),
           "threshold": num(i.threshold), "gap": num(i.gap), "provisional": i.provisional, "demo": i.demo}
    if i.bound:  # only on bounded figures, so every other stored result keeps its text
        out["bound"] = i.bound
    return out


UNIT_FIELDS = ("pk", "kind", "region", "commune_group", "specially_disadvantaged", "parent_id")


@transaction.atomic
def refresh_results(year: int, *, communes: Collection[int] | None = None, catalog: Catalog | None = None,
                    set_ids: Collection[str] | None = None) -> int:
    """Re-evaluate communes (all valid in `year`, or only the units of those ids) against every commune
    set in force that year, then the districts concerned: those of the communes, and any district among
    the ids (its own figures changed). Returns the number of unit results written."""
    catalog = catalog or get_catalog()
    unit_rows = Unit.objects.filter(valid_in(year), kind=Kind.COMMUNE)
    if communes is not None:
        unit_rows = unit_rows.filter(pk__in=communes)
    commune_list = rows_for_year(unit_rows.values_list(*UNIT_FIELDS), year)  # classification in force
    written = 0
    wanted = [s for s in catalog.sets if s.in_force(year) and (set_ids is None or s.id in set_ids)]
    for cset in (s for s in wanted if s.unit_kind is UnitKind.COMMUNE):
        figures = load_figures(cset.id, year, communes)
        for applied, rows in by_province(commune_list, catalog, cset, year):
            results = evaluate_units(applied, _facts(rows, applied), figures, year)
            _store(applied, year, results)
            written += len(results)
    district_sets = [s for s in wanted if s.unit_kind is UnitKind.DISTRICT]
    district_ids = None
    if communes is not None and district_sets:
        district_ids = {p for p in unit_rows.values_list("parent_id", flat=True) if p}
        district_ids |= set(Unit.objects.filter(pk__in=communes, kind=Kind.DISTRICT).values_list("pk", flat=True))
    for dset in district_sets:
        written += _refresh_districts(catalog, dset, year, district_ids)
    return written


def _refresh_districts(catalog: Catalog, dset: CriteriaSet, year: int, district_ids: set[int] | None) -> int:
    district_list, figures = district_inputs(catalog, dset, year, district_ids)
    if dset.applies_to:  # results left from before the set said which districts it applies to
        for model in (models.UnitResult, models.CriterionResult):
            rows = model.objects.filter(criteria_set=dset.id, year=year)
            if district_ids is not None:
                rows = rows.filter(unit_id__in=district_ids)
            rows.exclude(unit_id__in=[d[0] for d in district_list]).delete()
    written = 0
    for applied, rows in by_province(district_list, catalog, dset, year):
        results = evaluate_units(applied, _facts(rows, applied), figures, year)
        _store(applied, year, results)
        written += len(results)
    return written


def district_inputs(catalog: Catalog, dset: CriteriaSet, year: int, district_ids: Collection[int] | None
                    ) -> tuple[list[tuple], dict[tuple[str, str], Figure]]:
    """Districts (as UNIT_FIELDS rows) and their figures, including the shares of their communes that
    reached a level, computed from the communes' stored results."""
    districts = Unit.objects.filter(valid_in(year), kind=Kind.DISTRICT)
    if district_ids is not None:
        districts = districts.filter(pk__in=district_ids)
    district_list = rows_for_year(districts.values_list(*UNIT_FIELDS), year)
    if dset.applies_to == "without_communes":  # 211/QĐ-TTg: only districts with no commune-level unit
        with_communes = set(Unit.objects.filter(kind__in=[Kind.COMMUNE, Kind.WARD],
                                                parent_id__in=[d[0] for d in district_list])
                            .values_list("parent_id", flat=True).distinct())
        district_list = [d for d in district_list if d[0] not in with_communes]
    members: dict[str, list[str]] = defaultdict(list)
    for pk, parent in Unit.objects.filter(valid_in(year), kind=Kind.COMMUNE,
                                          parent_id__in=[d[0] for d in district_list]).values_list("pk", "parent"):
        members[str(parent)].append(str(pk))
    reached: dict[str, dict[str, bool]] = defaultdict(dict)
    levels = {i.derived.share_of_communes_meeting for i in dset.indicators if i.derived}
    level_sets = {lvl: catalog.set_for(UnitKind.COMMUNE, lvl, year) for lvl in levels}
    for lvl, cset in level_sets.items():
        if cset is None:
            continue  # no commune set at that level this year: the share is unknown
        # A commune without a stored result has no figures at that level, so it has not reached it.
        reached[lvl] = {c: False for communes in members.values() for c in communes}
        rows = models.UnitResult.objects.filter(criteria_set=cset.id, year=year,
                                                unit__parent_id__in=[d[0] for d in district_list])
        for unit_id, met, total in rows.values_list("unit_id", "met", "total"):
            reached[lvl][str(unit_id)] = met == total
    figures = load_figures(dset.id, year, [d[0] for d in district_list])
    figures.update(derived_figures(dset, members, reached))
    return district_list, figures
