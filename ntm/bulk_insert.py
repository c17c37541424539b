"""Many rows into one table in a few multi-row INSERT statements, on SQLite and PostgreSQL alike, for the
writes that are large by nature (an Excel import's figures and their audit entries).

`Model.objects.bulk_create` compiles every value through the generic query compiler (expressions, pre-save
hooks, per-value adapters): about 40 µs a row for a figure, 0.4 s for 10,000. Here each column's adapter
is chosen once (none for text, numbers, booleans and plain foreign keys; the field's own
`get_db_prep_save` for dates, decimals, JSON and anything else), so the values go to the driver as they
are, one tuple a row; on PostgreSQL rows without RETURNING go through COPY. Model instances (or plain rows) in, the same
database rows out; no signals, as with `bulk_create`."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
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


def _adapter(field: models.Field, connection, *, copy: bool = False) -> Callable | None:
    """None when the driver takes the Python value as it is; else the column's adapter, remembering its
    last value (a timestamp or a change shared by every row is adapted once). COPY takes JSON as text."""
    if isinstance(field, models.ForeignKey):
        return _adapter(field.target_field, connection, copy=copy)
    if isinstance(field, _AS_IS) and not isinstance(field, models.GenericIPAddressField):
        return None
    if isinstance(field, models.JSONField):
        adapt = _json_adapter(field, connection, copy=copy)
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


def _json_adapter(field: models.JSONField, connection, *, copy: bool) -> Callable:
    """COPY and SQLite take JSON as text; elsewhere the driver's own JSON parameter."""
    dump = partial(json.dumps, cls=field.encoder) if copy else partial(field.get_db_prep_save, connection=connection)
    as_text = copy or connection.vendor == "sqlite"

    def adapt(value):
        if isinstance(value, JSONText):
            return str(value) if as_text else dump(json.loads(value))
        return dump(value)
    return adapt


def _row_adapter(fields: Sequence[models.Field], connection, *, copy: bool) -> Callable[[tuple], tuple] | None:
    """tuple of values → tuple for the driver, None when no column needs adapting."""
    adapters = [(n, a) for n, f in enumerate(fields) if (a := _adapter(f, connection, copy=copy)) is not None]
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


def insert_rows(model: type[models.Model], rows: Sequence[Mapping], *, using: str = "default") -> None:
    """Insert plain rows: {field attname: value}, every row with the keys of the first; a field left out
    takes its default (a callable default, such as a timestamp's `now`, is called once for all the rows).
    No model instance is built."""
    if not rows:
        return
    fields = _fields(model)
    given = [f for f in fields if f.attname in rows[0]]
    fixed = [f for f in fields if f.attname not in rows[0]]
    get = _getter([f.attname for f in given], itemgetter)
    _run(model, given + fixed, list(map(get, rows)), (), using, tail=tuple(f.get_default() for f in fixed))


def _fields(model: type[models.Model]) -> list[models.Field]:
    return [f for f in model._meta.concrete_fields if not (f.primary_key and isinstance(f, models.AutoField))]


def _run(model, fields: list[models.Field], rows: list[tuple], returning: Sequence[str], using: str,
         tail: tuple = ()) -> list[tuple]:
    """`rows`: one tuple of Python values per row, in the order of `fields`, the last of which take the
    values of `tail` in every row."""
    if not rows:
        return []
    connection = connections[using]
    copy = connection.vendor == "postgresql" and not returning
    if (adapt := _row_adapter(fields[:len(fields) - len(tail)], connection, copy=copy)) is not None:
        rows = list(map(adapt, rows))
    if tail:
        adapt_tail = _row_adapter(fields[len(fields) - len(tail):], connection, copy=copy)
        tail = adapt_tail(tail) if adapt_tail else tail
        rows = [row + tail for row in rows]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(column_of(f)) for f in fields)
    if copy:
        _copy(connection, f"COPY {quote(model._meta.db_table)} ({columns}) FROM STDIN", rows)
        return []
    head = f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES "
    back = f" RETURNING {', '.join(quote(c) for c in returning)}" if returning else ""
    limit = connection.features.max_query_params or _POSTGRES_PARAMS
    per_statement = max(1, min(limit // len(fields), 5000))
    one = "(" + ", ".join(["%s"] * len(fields)) + ")"
    out: list[tuple] = []
    with connection.cursor() as cursor:
        for start in range(0, len(rows), per_statement):
            chunk = rows[start:start + per_statement]
            cursor.execute(head + ", ".join([one] * len(chunk)) + back, list(chain.from_iterable(chunk)))
            if returning:
                out.extend(cursor.fetchall())
    return out


def _copy(connection, sql: str, rows: list[tuple]) -> None:
    """PostgreSQL: COPY … FROM STDIN, several times faster than a multi-row INSERT of the same rows."""
    with connection.cursor() as cursor, connection.wrap_database_errors, cursor.cursor.copy(sql) as copy:
        for row in rows:
            copy.write_row(row)
