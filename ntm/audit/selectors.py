"""Which audit entries a user may read: administrators all; a province office those of the units of its
province(s) and its own actions; nobody else."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from ntm.accounts.access import is_admin, memberships_of
from ntm.accounts.models import Role

from .models import AuditEntry


def _province_ids(user) -> list[int]:
    return [m.unit_id for m in memberships_of(user) if m.role == Role.PROVINCE_OFFICE and m.unit_id]


def may_read_audit(user) -> bool:
    return getattr(user, "is_authenticated", False) and (is_admin(user) or bool(_province_ids(user)))


def under(unit_id: int) -> Q:
    """Entries about a unit and everything under it (province → districts → communes)."""
    return Q(unit_id=unit_id) | Q(unit__parent_id=unit_id) | Q(unit__parent__parent_id=unit_id)


def readable_entries(user) -> QuerySet[AuditEntry]:
    entries = AuditEntry.objects.select_related("actor", "unit", "content_type")
    if is_admin(user):
        return entries
    scope = Q(actor_id=user.pk)
    for province_id in _province_ids(user):
        scope |= under(province_id)
    return entries.filter(scope)
