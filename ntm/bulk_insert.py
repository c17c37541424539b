"""Many rows into one table in a few multi-row INSERT statements, on SQLite and PostgreSQL alike, for the
writes that are large by nature (an Excel import's figures and their audit entries).

`Model.objects.bulk_create` compiles every value through the generic query compiler (expressions, pre-save
hooks, per-value adapters): about 40 µs a row for a figure, 0.4 s for 10,000. Here each column's adapter
is chosen once (none for text, numbers, booleans and plain foreign keys; the field's own
`get_db_prep_save` for dates, decimals, JSON and anything else), so the values go to the driver as they
are, one tuple a row; on PostgreSQL rows without RETURNING go through COPY. Values every row shares (a
timestamp, who wrote them, a default) are bound once per statement on SQLite (`INSERT … SELECT …, %s FROM
(VALUES …)`): fewer parameters to bind and SQL to convert. Model instances (or plain rows) in, the same database
rows out; no signals, as with `bulk_create`."""

from __future__ import annotations

import json
from collections.abc import Callable, Collection, Mapping, Sequence
from decimal import Decimal
from functools import partial
from itertools import chain
from operator import attrgetter, itemgetter

from django.db import connections, models

_AS_IS = (models.CharField, models.TextField, models.IntegerField, models.BooleanField)
_POSTGRES_PARAMS = 65535  # the protocol's limit on parameters per statement
_UNSET = object()


def column_of(field: models.Field) -> str:
    """A concrete field's column (Django types `column` as optional: it is None only for fields stored in no
    column, which a row insert never names)."""
    if field.column is None:
        raise ValueError(f"{field} is stored in no column")
    return field.column


def _adapter(field: models.Field, connection, *, copy: bool = False, encoded: bool = False) -> Callable | None:
    """None when the driver takes the Python value as it is; else the column's adapter, remembering its
    last value (a timestamp or a change shared by every row is adapted once). COPY takes JSON as text;
    `encoded`: a JSON column whose values are JSON text already."""
    if isinstance(field, models.ForeignKey):
        return _adapter(field.target_field, connection, copy=copy)
    if isinstance(field, _AS_IS) and not isinstance(field, models.GenericIPAddressField):
        return None
    if isinstance(field, models.JSONField):
        if encoded and (copy or connection.vendor == "sqlite"):
            return None  # the text as it is
        adapt = _json_adapter(field, connection, copy=copy, encoded=encoded)
    elif isinstance(field, models.DecimalField):
        prep = partial(field.get_db_prep_save, connection=connection)

        def adapt(value):  # a finite Decimal is what `get_db_prep_save` would give back (a copy)
            return value if type(value) is Decimal and value.is_finite() else prep(value)
        return adapt
    else:
        adapt = partial(field.get_db_prep_save, connection=connection)
    last = [_UNSET, None]

    def remembering(value):
        if value is not last[0]:
            last[:] = [value, adapt(value)]
        return last[1]
    return remembering


class JSONText(str):
    """A JSON column's value already encoded (`json.dumps`' text): stored as it is, not encoded again."""


def _json_adapter(field: models.JSONField, connection, *, copy: bool, encoded: bool = False) -> Callable:
    """COPY and SQLite take JSON as text; elsewhere the driver's own JSON parameter."""
    dump = partial(json.dumps, cls=field.encoder) if copy else partial(field.get_db_prep_save, connection=connection)
    as_text = copy or connection.vendor == "sqlite"

    def adapt(value):
        if encoded or isinstance(value, JSONText):
            return str(value) if as_text else dump(json.loads(value))
        return dump(value)
    return adapt


def _row_adapter(fields: Sequence[models.Field], connection, *, copy: bool,
                 encoded: Collection[str] = ()) -> Callable[[tuple], tuple] | None:
    """tuple of values → tuple for the driver, None when no column needs adapting."""
    adapters = [(n, a) for n, f in enumerate(fields)
                if (a := _adapter(f, connection, copy=copy, encoded=f.attname in encoded)) is not None]
    if not adapters:
        return None

    def adapt(values: tuple) -> tuple:
        out = list(values)
        for n, adapter in adapters:
            if (value := out[n]) is not None:
                out[n] = adapter(value)
        return tuple(out)
    return adapt


def _getter(names: Sequence[str], get: Callable) -> Callable[[object], tuple]:
    """obj → the tuple of its `names` (`attrgetter`/`itemgetter` give a bare value for one name)."""
    one = get(*names)
    return one if len(names) > 1 else (lambda obj: (one(obj),))


def insert(model: type[models.Model], objs: Sequence[models.Model], *, returning: Sequence[str] = (),
           using: str = "default") -> list[tuple]:
    """Insert `objs` (their primary keys unset); with `returning` (column names), those columns of the
    inserted rows, in no promised order: callers match them by value, not by position."""
    fields = _fields(model)
    for f in fields:
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            for obj in objs:
                f.pre_save(obj, True)
    get = _getter([f.attname for f in fields], attrgetter)
    return _run(model, fields, list(map(get, objs)), returning, using)


def insert_rows(model: type[models.Model], rows: Sequence[Mapping], *, shared: Mapping[str, object] | None = None,
                using: str = "default") -> None:
    """Insert plain rows: {field attname: value}, every row with the keys of the first; `shared`: {attname: value}
    the same in every row; a field in neither takes its default (a callable default, such as a timestamp's
    `now`, is called once for all the rows). No model instance is built."""
    if rows:
        names = list(rows[0])
        insert_values(model, names, list(map(_getter(names, itemgetter), rows)), shared=shared, using=using)


def insert_values(model: type[models.Model], names: Sequence[str], rows: Sequence[tuple], *,
                  shared: Mapping[str, object] | None = None, encoded: Collection[str] = (),
                  using: str = "default") -> None:
    """`insert_rows` for rows already given as tuples, in the order of `names` (field attnames); `encoded`:
    the JSON columns given as JSON text (plain `str`, which the collector need not track, unlike `JSONText`)."""
    if not rows:
        return
    fields = {f.attname: f for f in _fields(model)}
    shared = shared or {}
    fixed = [f for name, f in fields.items() if name not in names]
    _run(model, [fields[name] for name in names] + fixed, rows, (), using,
         tail=tuple(shared[f.attname] if f.attname in shared else f.get_default() for f in fixed), encoded=encoded)


def _fields(model: type[models.Model]) -> list[models.Field]:
    return [f for f in model._meta.concrete_fields if not (f.primary_key and isinstance(f, models.AutoField))]


def _run(model, fields: list[models.Field], rows: Sequence[tuple], returning: Sequence[str], using: str,
         tail: tuple = (), encoded: Collection[str] = ()) -> list[tuple]:
    """`rows`: one tuple of Python values per row, in the order of `fields`, the last of which take the
    values of `tail` in every row."""
    if not rows:
        return []
    connection = connections[using]
    copy = connection.vendor == "postgresql" and not returning
    width = len(fields) - len(tail)
    if (adapt := _row_adapter(fields[:width], connection, copy=copy, encoded=encoded)) is not None:
        rows = list(map(adapt, rows))
    if tail:
        adapt_tail = _row_adapter(fields[width:], connection, copy=copy, encoded=encoded)
        tail = adapt_tail(tail) if adapt_tail else tail
    quote = connection.ops.quote_name
    columns = ", ".join(quote(column_of(f)) for f in fields)
    table = quote(model._meta.db_table)
    if copy:
        _copy(connection, f"COPY {table} ({columns}) FROM STDIN", [row + tail for row in rows] if tail else rows)
        return []
    once = bool(tail) and connection.vendor == "sqlite" and not returning
    if tail and not once:
        rows = [row + tail for row in rows]
        width = len(fields)
    head = f"INSERT INTO {table} ({columns}) "
    head += ("SELECT " + ", ".join([f"column{n}" for n in range(1, width + 1)] + ["%s"] * len(tail))
             + " FROM (VALUES ") if once else "VALUES "
    end = (")" if once else "") + (f" RETURNING {', '.join(quote(c) for c in returning)}" if returning else "")
    limit = (connection.features.max_query_params or _POSTGRES_PARAMS) - (len(tail) if once else 0)
    per_statement = max(1, min(limit // width, 5000))
    one = "(" + ", ".join(["%s"] * width) + ")"
    first = list(tail) if once else []
    out: list[tuple] = []
    with connection.cursor() as cursor:
        for start in range(0, len(rows), per_statement):
            chunk = rows[start:start + per_statement]
            cursor.execute(head + ", ".join([one] * len(chunk)) + end, first + list(chain.from_iterable(chunk)))
            if returning:
                out.extend(cursor.fetchall())
    return out


def _copy(connection, sql: str, rows: Sequence[tuple]) -> None:
    """PostgreSQL: COPY … FROM STDIN, several times faster than a multi-row INSERT of the same rows."""
    with connection.cursor() as cursor, connection.wrap_database_errors, cursor.cursor.copy(sql) as copy:
        for row in rows:
            copy.write_row(row)
