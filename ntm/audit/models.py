"""The audit trail: one row per change of a tracked object, and per log-in, log-out or failed log-in.
django-auditlog's entry (who, when, from which address, what changed: field → [before, after]) plus the
administrative unit the change concerns, so that a province office can read the entries of its province."""

from __future__ import annotations

from auditlog.models import AbstractLogEntry, LogEntryManager
from django.contrib.auth import get_user_model
from django.db import models
from django.utils.translation import gettext_lazy as _

from ntm.units.models import Unit


class AuditEntryManager(LogEntryManager):
    def log_create(self, instance, force_log: bool = False, **kwargs):
        from .scope import unit_id_of

        kwargs.setdefault("unit_id", unit_id_of(instance))
        return super().log_create(instance, force_log=force_log, **kwargs)

    def log_m2m_changes(self, changed_queryset, instance, operation, field_name, **kwargs):
        from .scope import unit_id_of

        kwargs.setdefault("unit_id", unit_id_of(instance))
        return super().log_m2m_changes(changed_queryset, instance, operation, field_name, **kwargs)


def request_actor():
    """The user a request acts for: the session's, else the API token's (known only once the API has
    authenticated the caller, after the middleware ran)."""
    from .context import current

    context = current()
    user = context.get("actor")
    if user is None:
        request = context.get("request")
        user = getattr(request, "auth", None) if request is not None else None
    return user if isinstance(user, get_user_model()) and user.is_authenticated else None


class AuditEntry(AbstractLogEntry):
    unit = models.ForeignKey(Unit, models.SET_NULL, null=True, blank=True, related_name="+", db_index=True,
                             verbose_name=_("đơn vị"))

    objects = AuditEntryManager()

    class Meta(AbstractLogEntry.Meta):
        verbose_name = _("mục nhật ký")
        verbose_name_plural = _("nhật ký thay đổi")
        indexes = [models.Index(fields=["content_type", "timestamp"], name="audit_type_time")]

    def save(self, *args, **kwargs):
        if self.actor_id is None and (actor := request_actor()) is not None:
            self.actor = actor
            self.actor_email = actor.email or None
        super().save(*args, **kwargs)
