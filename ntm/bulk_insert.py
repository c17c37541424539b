"""Many rows into one table in a few multi-row INSERT statements, on SQLite and PostgreSQL alike, for the
writes that are large by nature (an Excel import's figures and their audit entries).

`Model.objects.bulk_create` compiles every value through the generic query compiler (expressions, pre-save
hooks, per-value adapters): about 40 µs a row for a figure, 0.4 s for 10,000. Here each column's adapter
is chosen once (none for text, numbers, booleans and plain foreign keys; the field's own
`get_db_prep_save` for dates, decimals, JSON and anything else), so the values go to the driver as they
are; on PostgreSQL rows without RETURNING go through COPY. Model instances (or plain rows) in, the same
database rows out; no signals, as with `bulk_create`."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from functools import partial
from operator import attrgetter, itemgetter

from django.db import connections, models

_AS_IS = (models.CharField, models.TextField, models.IntegerField, models.BooleanField)
_POSTGRES_PARAMS = 65535  # the protocol's limit on parameters per statement


def column_of(field: models.Field) -> str:
    """A concrete field's column (Django types `column` as optional: it is None only for fields stored in no
    column, which a row insert never names)."""
    if field.column is None:
        raise ValueError(f"{field} is stored in no column")
    return field.column


def _adapter(field: models.Field, connection) -> Callable | None:
    """None when the driver takes the Python value as it is."""
    if isinstance(field, models.ForeignKey):
        return _adapter(field.target_field, connection)
    if isinstance(field, _AS_IS) and not isinstance(field, models.GenericIPAddressField):
        return None
    return lambda value: field.get_db_prep_save(value, connection)


def _reader(field: models.Field) -> Callable:
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        return lambda obj: field.pre_save(obj, True)
    return attrgetter(field.attname)


def insert(model: type[models.Model], objs: Sequence[models.Model], *, returning: Sequence[str] = (),
           using: str = "default") -> list[tuple]:
    """Insert `objs` (their primary keys unset); with `returning` (column names), those columns of the
    inserted rows, in no promised order: callers match them by value, not by position."""
    fields = _fields(model)
    return _run(model, objs, fields, [_reader(f) for f in fields], returning, using)


def insert_rows(model: type[models.Model], rows: Sequence[Mapping], *, using: str = "default") -> None:
    """Insert plain rows: {field attname: value}; a field left out takes its default (a callable default,
    such as a timestamp's `now`, is called once for all the rows). No model instance is built."""
    fields = _fields(model)
    readers: list[Callable] = []
    for f in fields:
        if rows and all(f.attname in row for row in rows[:1]):
            readers.append(itemgetter(f.attname))
        else:
            default = f.get_default()
            readers.append(lambda row, name=f.attname, default=default: row.get(name, default))
    _run(model, rows, fields, readers, (), using)


def _fields(model: type[models.Model]) -> list[models.Field]:
    return [f for f in model._meta.concrete_fields if not (f.primary_key and isinstance(f, models.AutoField))]


def _run(model, objs: Sequence, fields: list[models.Field], getters: list[Callable], returning: Sequence[str],
         using: str) -> list[tuple]:
    if not objs:
        return []
    connection = connections[using]
    readers = [(get, _adapter(f, connection)) for get, f in zip(getters, fields, strict=True)]
    quote = connection.ops.quote_name
    if connection.vendor == "postgresql" and not returning:
        _copy(connection, model, objs, fields, readers)
        return []
    head = f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(quote(column_of(f)) for f in fields)}) VALUES "
    tail = f" RETURNING {', '.join(quote(c) for c in returning)}" if returning else ""
    limit = connection.features.max_query_params or _POSTGRES_PARAMS
    per_statement = max(1, min(limit // len(fields), 5000))
    one = "(" + ", ".join(["%s"] * len(fields)) + ")"
    out: list[tuple] = []
    with connection.cursor() as cursor:
        for start in range(0, len(objs), per_statement):
            chunk = objs[start:start + per_statement]
            params = []
            last: dict[int, tuple] = {}  # column → (value, adapted): a default shared by every row adapts once
            for obj in chunk:
                for n, (read, adapt) in enumerate(readers):
                    value = read(obj)
                    if adapt is None or value is None:
                        params.append(value)
                        continue
                    seen = last.get(n)
                    if seen is None or seen[0] is not value:
                        seen = last[n] = (value, adapt(value))
                    params.append(seen[1])
            cursor.execute(head + ", ".join([one] * len(chunk)) + tail, params)
            if returning:
                out.extend(cursor.fetchall())
    return out


def _copy(connection, model, objs: Sequence, fields: list[models.Field], readers: list) -> None:
    """PostgreSQL: COPY … FROM STDIN, several times faster than a multi-row INSERT of the same rows."""
    quote = connection.ops.quote_name
    sql = f"COPY {quote(model._meta.db_table)} ({', '.join(quote(column_of(f)) for f in fields)}) FROM STDIN"
    readers = [(read, partial(json.dumps, cls=f.encoder) if isinstance(f, models.JSONField) else adapt)
               for (read, adapt), f in zip(readers, fields, strict=True)]  # JSON as text: COPY parses it
    with connection.cursor() as cursor, connection.wrap_database_errors, cursor.cursor.copy(sql) as copy:
        for obj in objs:
            row = []
            for read, adapt in readers:
                value = read(obj)
                row.append(value if adapt is None or value is None else adapt(value))
            copy.write_row(row)
