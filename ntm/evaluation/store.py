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
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from ntm.core import engine
from ntm.core.catalog import CriteriaSet
from ntm.core.engine import Figure, UnitFacts, UnitResult

from . import models

# Bump when what is stored for a result changes shape (e.g. `indicator_json`): every digest changes, so
# the next refresh rewrites every result once. Changes to the engine's code are caught by its source.
FORMAT = "2"
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
    """Unit id → a fingerprint of its current figures of that set and year, from one aggregate statement
    (units without figures are absent). Only one short text per unit travels, not the figures, and no row
    is sorted: PostgreSQL XORs a 64-bit hash of every row (rows of a unit differ by their indicator, so
    none cancels another); SQLite, which has no hash function, sums the rows' ids weighted by their
    content. Both change with any row added, superseded or edited in place."""
    if unit_ids is not None and not unit_ids:
        return {}
    table = connection.ops.quote_name(_figure_table())
    params: list[Any] = [set_id, year]
    where = ""
    if unit_ids is not None:
        unit_where, unit_params = id_filter("unit_id", list(unit_ids))
        where, params = f" AND {unit_where}", [*params, *unit_params]
    marker = figure_digest_sql()
    sql = (f"SELECT unit_id, {marker} FROM {table} "
           f"WHERE criteria_set = %s AND year = %s AND superseded_at IS NULL{where} GROUP BY unit_id")
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return dict(cursor.fetchall())


def figure_digest_sql(table: str = "", over: str = "") -> str:
    """The SQL of `figure_digests`' fingerprint: its columns prefixed with `table` (quoted, with its dot,
    when the statement joins others), each aggregate followed by `over` (" OVER ()": one unit's figures read
    with their fingerprint in one statement). "%" doubled, as for a statement with parameters."""
    t = table

    def agg(call: str) -> str:
        return f"({call}{over})"

    if connection.vendor == "postgresql":
        row = (f"{t}indicator || chr(31) || coalesce({t}value::text, '') || chr(31) || coalesce({t}verdict::text, '')"
               f" || chr(31) || {t}bound")
        return (f"{agg('count(*)')}::text || ':' || {agg(f'bit_xor(hashtextextended({row}, 0))')}::text")
    if connection.vendor == "sqlite":
        weight = (f"{t}id * (coalesce({t}verdict, 2) + 1 + 4 * length({t}bound) + 16 * coalesce(unicode({t}bound), 0)"
                  f" + 4096 * length({t}indicator))")
        return (f"{agg('count(*)')} || ':' || {agg(f'max({t}id)')} || ':' || {agg(f'sum({t}id)')} || ':' || "
                f"{agg(f'sum({weight})')} || ':' || printf('%%.17g', {agg(f'total({t}id * {t}value)')})")
    return (f"concat({agg('count(*)')}, ':', {agg(f'max({t}id)')}, ':', {agg(f'sum({t}id)')}, ':', "
            f"{agg(f'sum({t}id * {t}value)')})")


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

def write(cset: CriteriaSet, year: int, results: Mapping[str, UnitResult], digests: Mapping[str, str], *,
          existing: Collection[int] | None = None) -> int:
    """Store the results of these units (replacing what they had, criterion rows the set no longer has
    included), each with its inputs' digest. `existing`: the units known to have a stored result of this
    set and year (the others are inserted without looking for one: a first write); None when unknown.
    Returns the number of units written."""
    if not results:
        return 0
    now = timezone.now()
    codes = _same_codes(results)
    with transaction.atomic(savepoint=False):  # inside a refresh: no savepoint (two statements fewer)
        if connection.vendor == "postgresql":
            _write_pg(cset, year, results, digests, now, existing, codes)
        elif connection.vendor == "sqlite":
            _write_sqlite(cset, year, results, digests, now, existing, codes)
        else:
            _write_orm(cset, year, results, digests, now)
    return len(results)


def _same_codes(results: Mapping[str, UnitResult]) -> list[str] | None:
    """The criterion codes of every result when all have the same (results of one set: the usual case),
    so that the criterion rows the results no longer have are found without a list per unit; else None."""
    first: tuple[str, ...] | None = None
    for r in results.values():
        codes = tuple(c.code for c in r.criteria)
        if first is None:
            first = codes
        elif codes != first:
            return None
    return list(first or ())


CritRow = tuple[str, str, bool, str]  # code, status, provisional, indicators JSON


def _rows(results: Mapping[str, UnitResult], digests: Mapping[str, str]
          ) -> tuple[list[tuple], list[tuple[int, CritRow]]]:
    """(unit rows: id, met, total, unmet JSON, digest; criterion rows: id, (code, status, provisional,
    indicators JSON)). Engine results share objects, so each criterion's values are made once per object
    and shared by the rows (the COPY lines escape them once too)."""
    unit_rows: list[tuple] = []
    criterion_rows: list[tuple[int, CritRow]] = []
    crit_rows: dict[int, CritRow] = {}  # id(engine CriterionResult) → row values
    ind_texts: dict[int, str] = {}  # id(engine IndicatorResult) → JSON text
    unmet_texts: dict[tuple[str, ...], str] = {}
    texts = _Texts()
    # Every engine result stays referenced by `results` meanwhile, so ids are not reused.
    for key, r in results.items():
        uid = int(key)
        unmet = unmet_texts.get(r.unmet)
        if unmet is None:
            unmet = unmet_texts[r.unmet] = json.dumps(list(r.unmet), ensure_ascii=False)
        met = 0
        for c in r.criteria:
            row = crit_rows.get(id(c))
            if row is None:
                parts = []
                for i in c.indicators:
                    text = ind_texts.get(id(i))
                    if text is None:
                        text = ind_texts[id(i)] = texts.indicator(i)
                    parts.append(text)
                row = crit_rows[id(c)] = (c.code, c.status.value, c.provisional, "[" + ", ".join(parts) + "]")
            if row[1] == "met":
                met += 1
            criterion_rows.append((uid, row))
        unit_rows.append((uid, met, len(r.criteria), unmet, digests[key]))
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


class _Texts:
    """`json.dumps(indicator_json(i), ensure_ascii=False)`, written directly: a first write makes some
    40,000 of them for a nation. Codes and numbers repeat, so their texts are kept."""

    def __init__(self):
        self.strings: dict[str, str] = {}
        self.numbers: dict[Decimal, str] = {}

    def string(self, text: str) -> str:
        out = self.strings.get(text)
        if out is None:
            out = self.strings[text] = json.dumps(text, ensure_ascii=False)
        return out

    def number(self, d: Decimal | None) -> str:
        if d is None:
            return "null"
        out = self.numbers.get(d)
        if out is None:  # equal decimals ("1.0", "1") normalize to the same text
            out = self.numbers[d] = '"' + format(d.normalize(), "f") + '"'
        return out

    def indicator(self, i: engine.IndicatorResult) -> str:
        text = (f'{{"code": {self.string(i.code)}, "status": "{i.status.value}", "basis": "{i.basis.value}", '
                f'"value": {self.number(i.value)}, "threshold": {self.number(i.threshold)}, '
                f'"gap": {self.number(i.gap)}, "provisional": {_JSON_BOOL[bool(i.provisional)]}, '
                f'"demo": {_JSON_BOOL[bool(i.demo)]}')
        if i.bound:
            text += f', "bound": {self.string(i.bound)}'
        return text + "}"


_JSON_BOOL = ("false", "true")


COPY_FROM = 1000  # rows from which PostgreSQL gets them by COPY into a temporary table (fewer: arrays)
_UNIT_COLUMNS = (("unit_id", "bigint"), ("met", "smallint"), ("total", "smallint"), ("unmet", "text"),
                 ("digest", "text"))
_CRIT_COLUMNS = (("unit_id", "bigint"), ("criterion", "text"), ("status", "text"), ("provisional", "boolean"),
                 ("indicators", "text"))


def _split(unit_rows: list[tuple], criterion_rows: list[tuple[int, CritRow]], existing: Collection[int] | None
           ) -> tuple[tuple[list, list], tuple[list, list]]:
    """(rows of units without a stored result, rows of the others); all "others" when `existing` is None."""
    if existing is None:
        return ([], []), (unit_rows, criterion_rows)
    old = existing if isinstance(existing, (set, frozenset, dict)) else set(existing)
    if not old:
        return (unit_rows, criterion_rows), ([], [])
    return (([r for r in unit_rows if r[0] not in old], [r for r in criterion_rows if r[0] not in old]),
            ([r for r in unit_rows if r[0] in old], [r for r in criterion_rows if r[0] in old]))


def _write_pg(cset: CriteriaSet, year: int, results, digests, now, existing, codes: list[str] | None) -> None:
    unit_rows, criterion_rows = _rows(results, digests)
    (new_units, new_crits), (old_units, old_crits) = _split(unit_rows, criterion_rows, existing)
    if new_units:
        try:
            with transaction.atomic():  # a savepoint: a result stored meanwhile by another writer
                _insert_pg(cset, year, new_units, new_crits, now)
        except IntegrityError:
            old_units, old_crits = unit_rows, criterion_rows
    if old_units:
        _upsert_pg(cset, year, old_units, old_crits, now, codes)


def _insert_pg(cset: CriteriaSet, year: int, unit_rows: list[tuple], criterion_rows: list[tuple[int, CritRow]],
               now) -> None:
    """Units without a stored result: their rows COPYed straight into the tables (criterion rows left
    from an earlier result, which a unit without a result should not have, are deleted first)."""
    ur, cr = models.UnitResult._meta.db_table, models.CriterionResult._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {cr} WHERE criteria_set = %s AND year = %s AND unit_id = ANY(%s)",
                       [cset.id, year, [row[0] for row in unit_rows]])
        head = "\t".join(_copy_text(v) for v in (cset.id, cset.version, cset.level, str(year)))
        at = now.isoformat()
        _copy_lines(cursor, f"COPY {ur} (unit_id, criteria_set, set_version, level, year, met, total, unmet, "
                            f"evaluated_at, inputs_digest) FROM STDIN",
                    (f"{uid}\t{head}\t{met}\t{total}\t{_copy_text(unmet)}\t{at}\t{digest}\n"
                     for uid, met, total, unmet, digest in unit_rows))
        head = f"{_copy_text(cset.id)}\t{year}\t"
        tails: dict[int, str] = {}

        def blocks() -> Iterator[str]:  # a plain loop (190,000 rows for a nation), sent block by block
            lines: list[str] = []
            append = lines.append
            for uid, row in criterion_rows:
                tail = tails.get(id(row))
                if tail is None:
                    code, status, provisional, indicators = row
                    tail = tails[id(row)] = (f"{_copy_text(code)}\t{status}\t{'t' if provisional else 'f'}\t"
                                             f"{_copy_text(indicators)}\n")
                append(f"{uid}\t{head}{tail}")
                if len(lines) == 5000:
                    yield "".join(lines)
                    lines.clear()
            yield "".join(lines)

        with connection.wrap_database_errors, cursor.cursor.copy(
                f"COPY {cr} (unit_id, criteria_set, year, criterion, status, provisional, indicators) FROM STDIN"
        ) as copy:
            for block in blocks():
                copy.write(block)


def _upsert_pg(cset: CriteriaSet, year: int, unit_rows: list[tuple], criterion_rows: list[tuple[int, CritRow]],
               now, codes: list[str] | None) -> None:
    ur, cr = models.UnitResult._meta.db_table, models.CriterionResult._meta.db_table
    with connection.cursor() as cursor:
        units, unit_params = _pg_source(cursor, "ntm_store_units", _UNIT_COLUMNS, unit_rows)
        crits, crit_params = _pg_source(cursor, "ntm_store_criteria", _CRIT_COLUMNS,
                                        [(uid, *row) for uid, row in criterion_rows])
        # One statement (a save writes one commune: one round trip): the unit rows, the criterion rows of
        # these units that the new results do not have (a criterion the set dropped), the criterion rows.
        ids = [row[0] for row in unit_rows]
        if codes is not None:
            dropped = "criterion <> ALL(%s)"
            dropped_params: list = [codes]
        else:
            dropped = (f"NOT EXISTS (SELECT 1 FROM {crits} WHERE src.unit_id = c.unit_id "
                       f"AND src.criterion = c.criterion)")
            dropped_params = crit_params
        cursor.execute(
            f"WITH u AS (INSERT INTO {ur} (unit_id, criteria_set, set_version, level, year, met, total, unmet, "
            f"evaluated_at, inputs_digest) SELECT unit_id, %s, %s, %s, %s, met, total, unmet::jsonb, %s, digest "
            f"FROM {units} ON CONFLICT (unit_id, criteria_set, year) DO UPDATE SET set_version = excluded.set_version, "
            f"level = excluded.level, met = excluded.met, total = excluded.total, unmet = excluded.unmet, "
            f"evaluated_at = excluded.evaluated_at, inputs_digest = excluded.inputs_digest), "
            f"d AS (DELETE FROM {cr} c WHERE c.criteria_set = %s AND c.year = %s AND c.unit_id = ANY(%s) "
            f"AND {dropped}) "
            f"INSERT INTO {cr} (unit_id, criteria_set, year, criterion, status, provisional, indicators) "
            f"SELECT unit_id, %s, %s, criterion, status, provisional, indicators::jsonb FROM {crits} "
            f"ON CONFLICT (unit_id, criteria_set, year, criterion) DO UPDATE SET status = excluded.status, "
            f"provisional = excluded.provisional, indicators = excluded.indicators",
            [cset.id, cset.version, cset.level, year, now, *unit_params, cset.id, year, ids, *dropped_params,
             cset.id, year, *crit_params])


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
    _copy_lines(cursor, f"COPY {temp} ({names}) FROM STDIN", (_copy_line(row) for row in rows))
    cursor.execute(f"ANALYZE {temp}")  # without statistics the planner joins it by nested loops
    return f"{temp} AS src", []


def _copy_lines(cursor, sql: str, lines: Iterable[str]) -> None:
    """COPY lines of text format into a table, written in large blocks."""
    with connection.wrap_database_errors, cursor.cursor.copy(sql) as copy:  # Django's IntegrityError, …
        block: list[str] = []
        for text in lines:
            block.append(text)
            if len(block) == 5000:
                copy.write("".join(block))
                block = []
        if block:
            copy.write("".join(block))


_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_text(v: str) -> str:
    if "\\" in v or "\t" in v or "\n" in v or "\r" in v:  # rare: checking is faster than translating
        return v.translate(_COPY_ESCAPES)
    return v


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


def _write_sqlite(cset: CriteriaSet, year: int, results, digests, now, existing, codes: list[str] | None) -> None:
    del existing  # an upsert costs SQLite no more than an insert
    unit_rows, criterion_rows = _rows(results, digests)
    ur, cr = models.UnitResult._meta.db_table, models.CriterionResult._meta.db_table
    evaluated_at = models.UnitResult._meta.get_field("evaluated_at").get_db_prep_value(now, connection)
    with connection.cursor() as cursor:
        # Unit rows from one JSON text too (10,000 rows: fewer parameters bound one by one).
        cursor.execute(
            f"INSERT INTO {ur} (unit_id, criteria_set, set_version, level, year, met, total, unmet, evaluated_at, "
            f"inputs_digest) SELECT r.value ->> 0, %s, %s, %s, %s, r.value ->> 1, r.value ->> 2, r.value ->> 3, %s, "
            f"r.value ->> 4 FROM json_each(%s) r WHERE true "
            f"ON CONFLICT (unit_id, criteria_set, year) DO UPDATE SET set_version = excluded.set_version, "
            f"level = excluded.level, met = excluded.met, total = excluded.total, unmet = excluded.unmet, "
            f"evaluated_at = excluded.evaluated_at, inputs_digest = excluded.inputs_digest",
            [cset.id, cset.version, cset.level, year, evaluated_at, json.dumps(unit_rows, ensure_ascii=False)])
        # Criterion rows of these units that the new results do not have (a criterion the set dropped):
        # one list of codes when all have the same, else a lookup per row (≈ 1 s for 345 communes).
        unit_ids = json.dumps([u for u, *_r in unit_rows])
        if codes is not None:
            cursor.execute(f"DELETE FROM {cr} WHERE criteria_set = %s AND year = %s AND unit_id IN "
                           f"(SELECT value FROM json_each(%s)) AND criterion NOT IN (SELECT value FROM json_each(%s))",
                           [cset.id, year, unit_ids, json.dumps(codes)])
        else:
            by_unit: dict[int, list[str]] = defaultdict(list)
            for uid, row in criterion_rows:
                by_unit[uid].append(row[0])
            cursor.execute(
                f"DELETE FROM {cr} WHERE criteria_set = %s AND year = %s AND unit_id IN "
                f"(SELECT value FROM json_each(%s)) AND criterion NOT IN "
                f"(SELECT value FROM json_each(%s, '$.\"' || unit_id || '\"'))",
                [cset.id, year, unit_ids, json.dumps({str(u): c for u, c in by_unit.items()})])
        # One statement for all rows: SQLite reads them from one JSON text (binding every parameter of
        # 200,000 rows one by one costs more than the JSON parser).
        cursor.execute(
            f"INSERT INTO {cr} (unit_id, criteria_set, year, criterion, status, provisional, indicators) "
            f"SELECT r.value ->> 0, %s, %s, r.value ->> 1, r.value ->> 2, r.value ->> 3, r.value ->> 4 "
            f"FROM json_each(%s) r WHERE true "
            f"ON CONFLICT (unit_id, criteria_set, year, criterion) "
            f"DO UPDATE SET status = excluded.status, provisional = excluded.provisional, "
            f"indicators = excluded.indicators",
            [cset.id, year, _sqlite_rows_json(criterion_rows)])


def _sqlite_rows_json(criterion_rows: list[tuple[int, CritRow]]) -> str:
    """The criterion rows as one JSON array of [unit id, code, status, provisional, indicators text]."""
    tails: dict[int, str] = {}
    strings: dict[str, str] = {}
    parts = []
    for uid, row in criterion_rows:
        tail = tails.get(id(row))
        if tail is None:
            code, status, provisional, indicators = row
            text = strings.get(code)
            if text is None:
                text = strings[code] = json.dumps(code, ensure_ascii=False)
            # The indicators' text as a JSON string (it has no control character: json.dumps wrote it), so
            # that it is stored as written (the matrix reads '"demo": true' in it).
            quoted = indicators.replace("\\", "\\\\").replace('"', '\\"')
            tail = tails[id(row)] = f'{text}, "{status}", {int(provisional)}, "{quoted}"]'
        parts.append(f"[{uid}, {tail}")
    return "[" + ", ".join(parts) + "]"


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
    if connection.vendor == "sqlite" and len(ids) > _FEW_IDS:
        return f"{q} IN (SELECT value FROM json_each(%s))", [json.dumps(list(ids))]
    # A few ids (one save's commune) as a plain list: SQLite, without statistics, reads an IN over
    # json_each by the (set, year) index instead: 0.4 s for one commune with the whole country loaded.
    return f"{q} IN ({', '.join(['%s'] * len(ids))})", list(ids)


_FEW_IDS = 50
