"""Who may add fundings: the commune's officials and the district office (and administrators);
leaders, departments and everyone else who may read the commune only read."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from ntm.accounts.access import covers, is_admin, memberships_of
from ntm.accounts.models import Role
from ntm.units.models import Unit

FUNDING_ROLES = {Role.COMMUNE_OFFICIAL, Role.DISTRICT_OFFICE}


def can_add_funding(user, commune: Unit) -> bool:
    return is_admin(user) or any(m.role in FUNDING_ROLES and m.unit and covers(m.unit, commune)
                                 for m in memberships_of(user))


def require_funding_editor(user, commune: Unit) -> None:
    if not can_add_funding(user, commune):
        raise PermissionDenied
