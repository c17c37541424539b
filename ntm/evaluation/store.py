"""Storage of evaluation results: every SQL statement that reads or writes stored results for the
evaluation, on SQLite, PostgreSQL and (through the ORM) any other database.

A unit's stored result carries `inputs_digest`, a digest of everything its evaluation rests on: the
applied set (its whole content, not only its version), the unit's scope, its current figures and the
engine's own code. A refresh computes that digest first and evaluates and writes only the units whose
digest differs from the stored one, so a refresh where nothing changed reads and writes little.

Writes are set-based: PostgreSQL copies the rows into temporary tables (COPY) and merges them with one
INSERT … ON CONFLICT DO UPDATE per table; SQLite runs one prepared upsert for every row."""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from ntm.core import engine
from ntm.core.catalog import CriteriaSet
from ntm.core.engine import Figure, UnitFacts, UnitResult

from . import models

# Bump when what is stored for a result changes shape (e.g. `indicator_json`): every digest changes, so
# the next refresh rewrites every result once. Changes to the engine's code are caught by its source.
FORMAT = "1"
_SEP = "\x1f"  # between the fields of one figure
_ROW = "\x1e"  # between the figures of one unit


# --- digests ----------------------------------------------------------------------------------

@cache
def _engine_source() -> bytes:
    return Path(engine.__file__).read_bytes()


def set_fingerprint(cset: CriteriaSet) -> str:
    """What the evaluation of any unit against `cset` rests on besides its scope and its figures: the set's
    whole content (thresholds edited without a new version count) and the engine's code."""
    h = hashlib.blake2b(digest_size=16)
    h.update(FORMAT.encode())
    h.update(_engine_source())
    h.update(repr(cset).encode())
    return h.hexdigest()


def unit_digest(fingerprint: str, scope: str, figures: str) -> str:
    """The digest stored with a unit's result: the set's fingerprint, the unit's scope and a digest of
    its figures (as `figure_digests` or `digests_of` give it)."""
    return hashlib.blake2b(_SEP.join((fingerprint, scope, figures)).encode(), digest_size=16).hexdigest()


def figure_digests(set_id: str, year: int, unit_ids: Collection[int] | None) -> dict[int, str]:
    """Unit id → digest of its current figures of that set and year, computed by the database in one
    statement (units without figures are absent). Only the digests travel, not the figures."""
    if unit_ids is not None and not unit_ids:
        return {}
    q = connection.ops.quote_name
    table = q(_figure_table())
    params: list[Any] = [set_id, year]
    where = ""
    if unit_ids is not None:
        unit_where, unit_params = id_filter("unit_id", list(unit_ids))
        where, params = f" AND {unit_where}", [*params, *unit_params]
    if connection.vendor == "postgresql":
        row = ("indicator || chr(31) || coalesce(value::text, '') || chr(31) || coalesce(verdict::text, '')"
               " || chr(31) || bound")
        sql = (f"SELECT unit_id, md5(string_agg({row}, chr(30) ORDER BY indicator)) FROM {table} "
               f"WHERE criteria_set = %s AND year = %s AND superseded_at IS NULL{where} GROUP BY unit_id")
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return dict(cursor.fetchall())
    # SQLite (and others): the figures of a unit joined in the database, hashed here. group_concat's
    # order is not guaranteed, so the parts are sorted before hashing.
    concat = "group_concat" if connection.vendor == "sqlite" else "string_agg"
    row = ("indicator || char(31) || coalesce(value, '') || char(31) || coalesce(verdict, '') || char(31) || bound"
           if connection.vendor == "sqlite" else
           "concat(indicator, chr(31), coalesce(value, ''), chr(31), coalesce(verdict, ''), chr(31), bound)")
    sep = "char(30)" if connection.vendor == "sqlite" else "chr(30)"
    sql = (f"SELECT unit_id, {concat}({row}, {sep}) FROM {table} "
           f"WHERE criteria_set = %s AND year = %s AND superseded_at IS NULL{where} GROUP BY unit_id")
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {uid: _hash_parts(text.split(_ROW)) for uid, text in cursor.fetchall()}


def digests_of(figures: Mapping[tuple[str, str], Figure]) -> dict[str, str]:
    """Unit key → digest of its figures, from figures in memory (districts: their own figures and the
    shares computed from their communes' results)."""
    parts: dict[str, list[str]] = defaultdict(list)
    for (key, code), f in figures.items():
        value = "" if f.value is None else format(f.value.normalize(), "f")
        verdict = "" if f.verdict is None else str(f.verdict)
        parts[key].append(_SEP.join((code, value, verdict, f.bound)))
    return {key: _hash_parts(p) for key, p in parts.items()}


def _hash_parts(parts: list[str]) -> str:
    parts.sort()
    return hashlib.blake2b(_ROW.join(parts).encode(), digest_size=16).hexdigest()


def stored_digests(set_id: str, year: int, unit_ids: Collection[int] | None) -> dict[int, str]:
    """Unit id → digest stored with its result of that set and year (units without a result are absent)."""
    rows = models.UnitResult.objects.filter(criteria_set=set_id, year=year)
    if unit_ids is not None:
        if not unit_ids:
            return {}
        rows = rows.filter(unit_id__in=list(unit_ids))
    return dict(rows.values_list("unit_id", "inputs_digest"))


def changed(facts: Iterable[UnitFacts], digests: Mapping[str, str], stored: Mapping[int, str]) -> list[UnitFacts]:
    """The units whose inputs' digest differs from the one stored with their result."""
    return [f for f in facts if stored.get(int(f.key)) != digests[f.key]]


# --- writes -----------------------------------------------------------------------------------

def write(cset: CriteriaSet, year: int, results: Mapping[str, UnitResult], digests: Mapping[str, str]) -> int:
    """Store the results of these units (replacing what they had, criterion rows the set no longer has
    included), each with its inputs' digest. Returns the number of units written."""
    if not results:
        return 0
    now = timezone.now()
    with transaction.atomic():
        if connection.vendor == "postgresql":
            _write_pg(cset, year, results, digests, now)
        elif connection.vendor == "sqlite":
            _write_sqlite(cset, year, results, digests, now)
        else:
            _write_orm(cset, year, results, digests, now)
    return len(results)


def _rows(results: Mapping[str, UnitResult], digests: Mapping[str, str]
          ) -> tuple[list[tuple], list[tuple]]:
    """(unit rows: id, met, total, unmet JSON, digest; criterion rows: id, code, status, provisional,
    indicators JSON). Engine results share objects, so each JSON text is made once per object."""
    unit_rows, criterion_rows = [], []
    crit_rows: dict[int, tuple[str, str, bool, str]] = {}  # id(engine CriterionResult) → row values
    ind_texts: dict[int, str] = {}  # id(engine IndicatorResult) → JSON text
    unmet_texts: dict[tuple[str, ...], str] = {}
    # Every engine result stays referenced by `results` meanwhile, so ids are not reused.
    for key, r in results.items():
        uid = int(key)
        unmet = unmet_texts.get(r.unmet)
        if unmet is None:
            unmet = unmet_texts[r.unmet] = json.dumps(list(r.unmet), ensure_ascii=False)
        unit_rows.append((uid, r.met, r.total, unmet, digests[key]))
        for c in r.criteria:
            row = crit_rows.get(id(c))
            if row is None:
                parts = []
                for i in c.indicators:
                    text = ind_texts.get(id(i))
                    if text is None:
                        text = ind_texts[id(i)] = json.dumps(indicator_json(i), ensure_ascii=False)
                    parts.append(text)
                row = crit_rows[id(c)] = (c.code, c.status.value, c.provisional, "[" + ", ".join(parts) + "]")
            criterion_rows.append((uid, *row))
    return unit_rows, criterion_rows


def indicator_json(i: engine.IndicatorResult) -> dict:
    """How one indicator's outcome is stored in `CriterionResult.indicators`."""
    def num(d):
        return None if d is None else format(d.normalize(), "f")  # "100", never "1E+2"

    out = {"code": i.code, "status": i.status.value, "basis": i.basis.value, "value": num(i.value),
           "threshold": num(i.threshold), "gap": num(i.gap), "provisional": i.provisional, "demo": i.demo}
    if i.bound:  # only on bounded figures, so every other stored result keeps its text
        out["bound"] = i.bound
    return out


COPY_FROM = 1000  # rows from which PostgreSQL gets them by COPY into a temporary table (fewer: arrays)
_UNIT_COLUMNS = (("unit_id", "bigint"), ("met", "smallint"), ("total", "smallint"), ("unmet", "text"),
                 ("digest", "text"))
_CRIT_COLUMNS = (("unit_id", "bigint"), ("criterion", "text"), ("status", "text"), ("provisional", "boolean"),
                 ("indicators", "text"))


def _write_pg(cset: CriteriaSet, year: int, results, digests, now) -> None:
    unit_rows, criterion_rows = _rows(results, digests)
    ur, cr = models.UnitResult._meta.db_table, models.CriterionResult._meta.db_table
    with connection.cursor() as cursor:
        units, unit_params = _pg_source(cursor, "ntm_store_units", _UNIT_COLUMNS, unit_rows)
        crits, crit_params = _pg_source(cursor, "ntm_store_criteria", _CRIT_COLUMNS, criterion_rows)
        cursor.execute(
            f"INSERT INTO {ur} (unit_id, criteria_set, set_version, level, year, met, total, unmet, evaluated_at, "
            f"inputs_digest) SELECT unit_id, %s, %s, %s, %s, met, total, unmet::jsonb, %s, digest FROM {units} "
            f"ON CONFLICT (unit_id, criteria_set, year) DO UPDATE SET set_version = excluded.set_version, "
            f"level = excluded.level, met = excluded.met, total = excluded.total, unmet = excluded.unmet, "
            f"evaluated_at = excluded.evaluated_at, inputs_digest = excluded.inputs_digest",
            [cset.id, cset.version, cset.level, year, now, *unit_params])
        # Criterion rows of these units that the new results do not have (a criterion the set dropped).
        cursor.execute(
            f"DELETE FROM {cr} c WHERE c.criteria_set = %s AND c.year = %s AND c.unit_id = ANY(%s) AND NOT EXISTS "
            f"(SELECT 1 FROM {crits} WHERE src.unit_id = c.unit_id AND src.criterion = c.criterion)",
            [cset.id, year, [row[0] for row in unit_rows], *crit_params])
        cursor.execute(
            f"INSERT INTO {cr} (unit_id, criteria_set, year, criterion, status, provisional, indicators) "
            f"SELECT unit_id, %s, %s, criterion, status, provisional, indicators::jsonb FROM {crits} "
            f"ON CONFLICT (unit_id, criteria_set, year, criterion) DO UPDATE SET status = excluded.status, "
            f"provisional = excluded.provisional, indicators = excluded.indicators",
            [cset.id, year, *crit_params])


def _pg_source(cursor, temp: str, columns: Sequence[tuple[str, str]], rows: list[tuple]) -> tuple[str, list]:
    """A FROM item named `src` that yields `rows`, and its parameters: arrays, one per column, for a few
    rows; a temporary table filled by COPY for many (it lives until the transaction ends)."""
    names = ", ".join(name for name, _type in columns)
    if len(rows) < COPY_FROM:
        arrays = ", ".join(f"%s::{type_}[]" for _name, type_ in columns)
        values = [list(col) for col in zip(*rows, strict=True)] if rows else [[] for _c in columns]
        return f"unnest({arrays}) AS src ({names})", values
    cursor.execute(f"CREATE TEMP TABLE IF NOT EXISTS {temp} "
                   f"({', '.join(f'{name} {type_}' for name, type_ in columns)}) ON COMMIT DROP")
    cursor.execute(f"TRUNCATE {temp}")  # a second write in the same transaction
    _copy(cursor, f"COPY {temp} ({names}) FROM STDIN", rows)
    cursor.execute(f"ANALYZE {temp}")  # without statistics the planner joins it by nested loops
    return f"{temp} AS src", []


def _copy(cursor, sql: str, rows: list[tuple]) -> None:
    """COPY rows into a table (text format, written in large blocks)."""
    with cursor.cursor.copy(sql) as copy:
        for start in range(0, len(rows), 5000):
            copy.write("".join(_copy_line(row) for row in rows[start:start + 5000]))


_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_line(row: tuple) -> str:
    out = []
    for v in row:
        if v is None:
            out.append("\\N")
        elif v is True:
            out.append("t")
        elif v is False:
            out.append("f")
        elif isinstance(v, int):
            out.append(str(v))
        else:
            out.append(str(v).translate(_COPY_ESCAPES))
    return "\t".join(out) + "\n"


def _write_sqlite(cset: CriteriaSet, year: int, results, digests, now) -> None:
    unit_rows, criterion_rows = _rows(results, digests)
    ur, cr = models.UnitResult._meta.db_table, models.CriterionResult._meta.db_table
    evaluated_at = models.UnitResult._meta.get_field("evaluated_at").get_db_prep_value(now, connection)
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {ur} (unit_id, criteria_set, set_version, level, year, met, total, unmet, evaluated_at, "
            f"inputs_digest) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s) "
            f"ON CONFLICT (unit_id, criteria_set, year) DO UPDATE SET set_version = excluded.set_version, "
            f"level = excluded.level, met = excluded.met, total = excluded.total, unmet = excluded.unmet, "
            f"evaluated_at = excluded.evaluated_at, inputs_digest = excluded.inputs_digest",
            [(uid, cset.id, cset.version, cset.level, year, met, total, unmet, evaluated_at, digest)
             for uid, met, total, unmet, digest in unit_rows])
        # Criterion rows of these units that the new results do not have (a criterion the set dropped).
        codes: dict[int, list[str]] = defaultdict(list)
        for uid, code, *_rest in criterion_rows:
            codes[uid].append(code)
        cursor.execute(
            f"DELETE FROM {cr} WHERE criteria_set = %s AND year = %s AND unit_id IN "
            f"(SELECT key FROM json_each(%s)) AND criterion NOT IN "
            f"(SELECT value FROM json_each(%s, '$.\"' || unit_id || '\"'))",
            [cset.id, year, json.dumps({str(u): 0 for u, *_r in unit_rows}),
             json.dumps({str(u): c for u, c in codes.items()})])
        cursor.executemany(
            f"INSERT INTO {cr} (unit_id, criteria_set, year, criterion, status, provisional, indicators) "
            f"VALUES (%s, %s, %s, %s, %s, %s, %s) ON CONFLICT (unit_id, criteria_set, year, criterion) "
            f"DO UPDATE SET status = excluded.status, provisional = excluded.provisional, "
            f"indicators = excluded.indicators",
            [(uid, cset.id, year, code, status, provisional, indicators)
             for uid, code, status, provisional, indicators in criterion_rows])


def _write_orm(cset: CriteriaSet, year: int, results, digests, now) -> None:
    """Other databases: delete the units' rows, then insert them again."""
    ids = [int(k) for k in results]
    for start in range(0, len(ids), 5000):
        chunk = ids[start:start + 5000]
        models.CriterionResult.objects.filter(criteria_set=cset.id, year=year, unit_id__in=chunk).delete()
        models.UnitResult.objects.filter(criteria_set=cset.id, year=year, unit_id__in=chunk).delete()
    models.UnitResult.objects.bulk_create(
        (models.UnitResult(unit_id=int(k), criteria_set=cset.id, set_version=cset.version, level=cset.level,
                           year=year, met=r.met, total=r.total, unmet=list(r.unmet), evaluated_at=now,
                           inputs_digest=digests[k])
         for k, r in results.items()),
        batch_size=2000,
    )
    models.CriterionResult.objects.bulk_create(
        (models.CriterionResult(
            unit_id=int(k), criteria_set=cset.id, year=year, criterion=c.code, status=c.status.value,
            provisional=c.provisional, indicators=[indicator_json(i) for i in c.indicators])
         for k, r in results.items() for c in r.criteria),
        batch_size=2000,
    )


def delete_except(set_id: str, year: int, unit_ids: Collection[int] | None, keep: Collection[int]) -> int:
    """Delete the results of that set and year (of those units, or all) except those of `keep`; returns
    the number of units whose results were deleted (looked up first: usually there are none)."""
    stale: set[int] = set()
    for model in (models.UnitResult, models.CriterionResult):
        rows = model.objects.filter(criteria_set=set_id, year=year)
        if unit_ids is not None:
            rows = rows.filter(unit_id__in=list(unit_ids))
        stale |= set(rows.exclude(unit_id__in=list(keep)).values_list("unit_id", flat=True).distinct())
    if stale:
        for model in (models.CriterionResult, models.UnitResult):
            model.objects.filter(criteria_set=set_id, year=year, unit_id__in=list(stale)).delete()
    return len(stale)


# --- helpers ----------------------------------------------------------------------------------

def _figure_table() -> str:
    from ntm.figures.models import Figure as FigureRow

    return FigureRow._meta.db_table


def id_filter(column: str, ids: Sequence[int]) -> tuple[str, list]:
    """`column` among `ids`, with one parameter however many ids there are."""
    q = connection.ops.quote_name(column)
    if connection.vendor == "postgresql":
        return f"{q} = ANY(%s)", [list(ids)]
    if connection.vendor == "sqlite":
        return f"{q} IN (SELECT value FROM json_each(%s))", [json.dumps(list(ids))]
    return f"{q} IN ({', '.join(['%s'] * len(ids))})", list(ids)
