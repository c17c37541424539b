"""Writes made in bulk (`bulk_create`, `update`) send no signal, so django-auditlog cannot see them: the
actions that write audited rows in bulk (figures, classifications) record them here explicitly, in bulk too,
with the same who / from where as a signal-recorded entry."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC
from operator import attrgetter

from auditlog.cid import get_cid
from auditlog.diff import get_field_value, get_fields_in_model, model_instance_diff
from auditlog.registry import auditlog
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.encoding import smart_str

from ntm import bulk_insert

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


def _creation_changes(objs: Sequence[models.Model]) -> list[dict]:
    """`model_instance_diff(None, obj)` for each object, as a signal-recorded CREATE entry holds it, with
    the field list and each field's reader worked out once (auditlog looks them up per object and field:
    about 0.4 ms an object, 4 s for a 10,000-row import). Models with filtered or masked fields, or when
    changes are stored as JSON, go through auditlog itself."""
    model = type(objs[0])
    config = auditlog.get_model_fields(model)
    if (config["include_fields"] or config["exclude_fields"] or config["mask_fields"]
            or getattr(settings, "AUDITLOG_STORE_JSON_CHANGES", False)):
        return [model_instance_diff(None, obj) or {} for obj in objs]
    readers = [(field.name, *_reader(field)) for field in get_fields_in_model(objs[0])]
    out = []
    for obj in objs:
        changes = {}
        for name, read, always in readers:
            new = read(obj)
            new = new if type(new) is str else str(new)  # what smart_str gives for these values
            if always or new != "None":  # auditlog compares with "None", the missing old object's value
                changes[name] = ["None", new]
        out.append(changes)
    return out


def _reader(field) -> tuple:
    """(obj → the field's value, which str() turns into what auditlog writes; whether auditlog always
    records it)."""
    if isinstance(field, models.DateTimeField):
        use_tz = settings.USE_TZ

        def read_datetime(obj):
            value = field.to_python(getattr(obj, field.name))
            if value is not None and use_tz and not timezone.is_naive(value):
                value = timezone.make_naive(value, timezone=UTC)
            return value
        return read_datetime, True
    # auditlog.conf sets this default on settings at import; ntm.settings does not name it, so the stubs cannot.
    if (not getattr(settings, "AUDITLOG_USE_FK_STRING_REPRESENTATION", False) and (field.one_to_one or field.many_to_one)
            and hasattr(field, "rel_class")):
        return attrgetter(field.get_attname()), True
    if isinstance(field, models.JSONField):
        return (lambda obj: smart_str(get_field_value(obj, field))), False
    return (lambda obj: smart_str(getattr(obj, field.name))) if isinstance(field, models.Field) and not isinstance(
        field, _PLAIN) else attrgetter(field.name), False


_PLAIN = (models.CharField, models.TextField, models.IntegerField, models.BooleanField, models.DecimalField)


def record_bulk_changes(model: type[models.Model], changes: dict[int, dict[str, tuple]],
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
