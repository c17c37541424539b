"""Writes made in bulk (`bulk_create`, `update`) send no signal, so django-auditlog cannot see them: the
actions that write audited rows in bulk (figures, classifications) record them here explicitly, in bulk too,
with the same who / from where as a signal-recorded entry."""

from __future__ import annotations

from collections.abc import Sequence

from auditlog.cid import get_cid
from auditlog.diff import model_instance_diff
from django.contrib.contenttypes.models import ContentType
from django.db import models

from .context import current
from .models import AuditEntry, request_actor
from .scope import UNIT_FIELDS, _fk, unit_id_of


def _who() -> dict:
    actor = request_actor()
    return {"actor": actor, "actor_email": (actor.email or None) if actor else None,
            "remote_addr": current().get("remote_addr"), "cid": get_cid()}


def record_bulk_create(objs: Sequence[models.Model]) -> int:
    """One CREATE entry per saved object (each must have its primary key)."""
    if not objs:
        return 0
    who = _who()
    content_type = ContentType.objects.get_for_model(type(objs[0]))
    entries = [AuditEntry(content_type=content_type, object_pk=str(obj.pk), object_id=obj.pk,
                          object_repr=str(obj)[:2000], action=AuditEntry.Action.CREATE,
                          changes=model_instance_diff(None, obj) or {}, unit_id=unit_id_of(obj), **who)
               for obj in objs]
    AuditEntry.objects.bulk_create(entries, batch_size=1000)
    return len(entries)


def record_bulk_changes(model: type[models.Model], changes: dict[int, dict[str, tuple]]) -> int:
    """One UPDATE entry per row a bulk `update()` / `bulk_update()` changed: `changes` maps each primary key
    to {field: (before, after)}."""
    if not changes:
        return 0
    related = [name for name in UNIT_FIELDS if _fk(model, name) is not None]  # str() and unit without a query
    rows = model._base_manager.filter(pk__in=list(changes))
    rows = rows.select_related(*related) if related else rows
    who = _who()
    content_type = ContentType.objects.get_for_model(model)
    entries = [AuditEntry(content_type=content_type, object_pk=str(obj.pk), object_id=obj.pk,
                          object_repr=str(obj)[:2000], action=AuditEntry.Action.UPDATE,
                          changes={field: [_text(before), _text(after)]
                                   for field, (before, after) in changes[obj.pk].items()},
                          unit_id=unit_id_of(obj), **who)
               for obj in rows]
    AuditEntry.objects.bulk_create(entries, batch_size=1000)
    return len(entries)


def _text(value) -> str:
    return "None" if value is None else str(value)
