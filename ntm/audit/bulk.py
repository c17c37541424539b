"""Writes made in bulk (`bulk_create`, `update`) send no signal, so django-auditlog cannot see them: the
actions that write audited rows in bulk (figures, classifications) record them here explicitly, in bulk too,
with the same who / from where as a signal-recorded entry."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import UTC, datetime

from auditlog.cid import get_cid
from auditlog.diff import model_instance_diff, track_field
from auditlog.registry import auditlog
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.encoding import smart_str

from ntm import bulk_insert
from ntm.bulk_insert import JSONText

from .context import current
from .models import AuditEntry, request_actor
from .scope import UNIT_FIELDS, _fk, unit_id_of


def _who() -> dict:
    actor = request_actor()
    return {"actor": actor, "actor_email": (actor.email or None) if actor else None,
            "remote_addr": current().get("remote_addr"), "cid": get_cid()}


def _who_ids() -> dict:
    """`_who()` by key (assigning a related object per entry costs more than the rest of the entry)."""
    who = _who()
    actor = who.pop("actor")
    return {**who, "actor_id": actor.pk if actor else None}


def record_bulk_create(objs: Sequence[models.Model]) -> int:
    """One CREATE entry per saved object (each must have its primary key)."""
    if not objs:
        return 0
    who = _who_ids()
    content_type = ContentType.objects.get_for_model(type(objs[0]))
    entries = [{"content_type_id": content_type.pk, "object_pk": str(obj.pk), "object_id": obj.pk,
                "object_repr": str(obj)[:2000], "action": AuditEntry.Action.CREATE, "changes": changes,
                "unit_id": unit_id_of(obj), **who}
               for obj, changes in zip(objs, _creation_changes(objs), strict=True)]
    bulk_insert.insert_rows(AuditEntry, entries)  # multi-row INSERTs, no model instance per entry
    return len(entries)


def record_rows_written(model: type[models.Model], *, created: Sequence[tuple[Mapping, str, int | None]] = (),
                        changed: Sequence[tuple[int, str, int | None]] = (), change: Mapping | None = None,
                        shared: Mapping | None = None) -> int:
    """The entries of a set-based write that built no model instance, in one multi-row insert: one CREATE
    entry per `created` (row: attribute → value, its primary key included, but for the values `shared` by
    every created row; its text; its unit id), as `record_bulk_create` would write it, and one UPDATE entry per
    `changed` (primary key, text, unit id), all with the same `change` ({field: (before, after)}, a supersede:
    encoded once for every row)."""
    if not created and not changed:
        return 0
    pk = model._meta.pk.attname
    entries: list[tuple] = []
    if created:
        texts = _texts(model)
        if texts is None:
            raise ValueError(f"{model._meta.label}: auditlog must record these rows itself (record_bulk_create)")
        common = shared or {}
        diffs = _diffs(texts, [[common[attname]] * len(created) if attname in common else
                               [row[attname] for row, _repr, _unit in created]
                               for _name, attname, _shown, _always in texts])
        action = AuditEntry.Action.CREATE
        entries += [(str(row[pk]), row[pk], text[:2000], action, diff, unit_id)
                    for (row, text, unit_id), diff in zip(created, diffs, strict=True)]
    if changed:
        changes = json.dumps({field: [_text(old), _text(new)] for field, (old, new) in (change or {}).items()})
        action = AuditEntry.Action.UPDATE
        entries += [(str(key), key, text[:2000], action, changes, unit_id) for key, text, unit_id in changed]
    bulk_insert.insert_values(AuditEntry, _WRITTEN, entries, encoded=("changes",),
                              shared={**_who_ids(), "content_type_id": ContentType.objects.get_for_model(model).pk})
    return len(entries)


_WRITTEN = ("object_pk", "object_id", "object_repr", "action", "changes", "unit_id")  # what differs by entry


def _creation_changes(objs: Sequence[models.Model]) -> Sequence[dict | JSONText]:
    """`model_instance_diff(None, obj)` for each object, as a signal-recorded CREATE entry holds it (as JSON
    text), with the field list and each field's text worked out once (auditlog looks them up per object and
    field: about 0.4 ms an object, 4 s for a 10,000-row import). Models with filtered or masked fields, fields
    only the object can render (JSON), or when changes are stored as JSON, go through auditlog itself."""
    model = type(objs[0])
    texts = _texts(model)
    if texts is None:
        return [model_instance_diff(None, obj) or {} for obj in objs]
    return list(map(JSONText, _diffs(texts, [[getattr(obj, attname) for obj in objs]
                                             for _name, attname, _shown, _always in texts])))


def _texts(model: type[models.Model]) -> list[tuple[str, str, Callable, bool]] | None:
    """(field name, attribute, value → the text auditlog writes, whether auditlog always records it) for
    each field a CREATE entry holds; None when auditlog must compute the entry itself."""
    config = auditlog.get_model_fields(model)
    if (config["include_fields"] or config["exclude_fields"] or config["mask_fields"]
            or getattr(settings, "AUDITLOG_STORE_JSON_CHANGES", False)):
        return None
    out = []
    for field in (f for f in model._meta.get_fields() if track_field(f)):
        if isinstance(field, models.JSONField) or not hasattr(field, "attname"):
            return None
        out.append((field.name, field.attname, *_text_of(field)))
    return out


def _text_of(field) -> tuple[Callable, bool]:
    """(value → what auditlog writes for it, whether auditlog always records the field)."""
    if isinstance(field, models.DateTimeField):
        return _datetime_text(field), True
    if (not settings.AUDITLOG_USE_FK_STRING_REPRESENTATION and (field.one_to_one or field.many_to_one)
            and hasattr(field, "rel_class")):
        return str, True  # the related row's id
    if isinstance(field, _PLAIN):
        return (lambda value: value if type(value) is str else str(value)), False
    return smart_str, False


def _datetime_text(field) -> Callable:
    """auditlog's text of a datetime (naive UTC); the last one remembered, since a bulk write stamps every
    row with the same instant."""
    last: list = [object(), ""]

    def text(value) -> str:
        if value is not last[0]:
            shown = field.to_python(value)
            if shown is not None and settings.USE_TZ and not timezone.is_naive(shown):
                shown = timezone.make_naive(shown, timezone=UTC)
            last[:] = [value, str(shown)]
        return last[1]
    return text


def _diffs(texts: list[tuple[str, str, Callable, bool]], columns: Sequence[Sequence]) -> list[str]:
    """The CREATE changes of rows given column by column, in the order of `texts`, as the JSON text
    `json.dumps` gives for auditlog's {field: ["None", text]}: a value repeated down a column (the set, the
    year, who entered it, when) is rendered once."""
    if not columns or not columns[0]:
        return []
    pieces = [_column(name, text, always, column) for (name, _attname, text, always), column in
              zip(texts, columns, strict=True)]
    return ["{" + ", ".join(filter(None, row)) + "}" for row in zip(*pieces, strict=True)]


_EXACT = {str, int, bool, datetime, type(None)}  # equal values of these types read the same (not so Decimal)


def _column(name: str, text: Callable, always: bool, values: Sequence) -> Sequence[str]:
    """Each value → `"name": ["None", "text"]`, or "" when auditlog leaves the field out."""
    head = json.dumps(name) + ': ["None", '

    def piece(value) -> str:
        new = text(value)
        return head + json.dumps(new) + "]" if always or new != "None" else ""  # "None": the missing old object

    types = set(map(type, values))
    if types <= _EXACT and len(types - {type(None)}) <= 1:
        memo = {value: piece(value) for value in set(values)}
        return [memo[value] for value in values]
    return list(map(piece, values))


_PLAIN = (models.CharField, models.TextField, models.IntegerField, models.BooleanField, models.DecimalField)


def record_bulk_changes(model: type[models.Model], changes: Mapping[int, Mapping[str, tuple]],
                        objs: Iterable[models.Model] | None = None) -> int:
    """One UPDATE entry per row a bulk `update()` / `bulk_update()` changed: `changes` maps each primary key
    to {field: (before, after)}. `objs`: those rows, if the caller has them (spares reading them again)."""
    if not changes:
        return 0
    if objs is None:
        related = [name for name in UNIT_FIELDS if _fk(model, name) is not None]  # str() and unit, no query
        rows = model._base_manager.filter(pk__in=list(changes))
        objs = rows.select_related(*related) if related else rows
    who = _who_ids()
    content_type = ContentType.objects.get_for_model(model)
    entries = [{"content_type_id": content_type.pk, "object_pk": str(obj.pk), "object_id": obj.pk,
                "object_repr": str(obj)[:2000], "action": AuditEntry.Action.UPDATE,
                "changes": {field: [_text(before), _text(after)] for field, (before, after) in changes[obj.pk].items()},
                "unit_id": unit_id_of(obj), **who}
               for obj in objs if obj.pk in changes]
    bulk_insert.insert_rows(AuditEntry, entries)
    return len(entries)


def _text(value) -> str:
    return "None" if value is None else str(value)


def record_classified(sender, *, created: Sequence[models.Model],
                      changes: Sequence[tuple[type[models.Model], Mapping[int, Mapping]]], **_kw) -> None:
    """Receiver of `ntm.units.signals.classified`: the classification's bulk writes, as entries."""
    for model, by_pk in changes:
        record_bulk_changes(model, by_pk)
    record_bulk_create(created)
