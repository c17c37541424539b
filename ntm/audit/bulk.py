"""Writes made in bulk (`bulk_create`, `update`) send no signal, so django-auditlog cannot see them: the
actions that write audited rows in bulk (figures, classifications) record them here explicitly, in bulk too,
with the same who / from where as a signal-recorded entry."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from auditlog.cid import get_cid
from auditlog.context import auditlog_value
from auditlog.diff import model_instance_diff
from django.contrib.contenttypes.models import ContentType
from django.db import models

from .models import AuditEntry, request_actor
from .scope import UNIT_FIELDS, _fk, unit_id_of


def _who() -> dict:
    try:
        context = auditlog_value.get()
    except LookupError:
        context = {}
    actor = request_actor()
    return {"actor": actor, "actor_email": (actor.email or None) if actor else None,
            "remote_addr": context.get("remote_addr"), "cid": get_cid()}


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


def record_bulk_update(model: type[models.Model], pks: Iterable[int], changes: dict[str, tuple]) -> int:
    """One UPDATE entry per row that `queryset.update(**…)` changed: `changes` is {field: (before, after)}
    (as text)."""
    related = [name for name in UNIT_FIELDS if _fk(model, name) is not None]  # for str() without a query a row
    rows = list(model._base_manager.filter(pk__in=list(pks)).select_related(*related))
    if not rows:
        return 0
    who = _who()
    content_type = ContentType.objects.get_for_model(model)
    shown = {field: [str(before), str(after)] for field, (before, after) in changes.items()}
    entries = [AuditEntry(content_type=content_type, object_pk=str(obj.pk), object_id=obj.pk,
                          object_repr=str(obj)[:2000], action=AuditEntry.Action.UPDATE, changes=shown,
                          unit_id=unit_id_of(obj), **who)
               for obj in rows]
    AuditEntry.objects.bulk_create(entries, batch_size=1000)
    return len(entries)
