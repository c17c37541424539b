"""Who may watch revocation risk: the district's coordination office and leaders, the province
office, administrators. (A candidate for `ntm.accounts.access` once that module's owner agrees.)"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from ntm.accounts.access import is_admin, memberships_of, unit_for_reader
from ntm.accounts.models import Role
from ntm.units.models import Kind, Unit

OVERSIGHT_ROLES = {Role.DISTRICT_OFFICE, Role.LEADER, Role.PROVINCE_OFFICE}


def district_for_oversight(user, key: str) -> Unit:
    """The district `key` if the user oversees it; 404 if it is not a district, 403 otherwise."""
    district = unit_for_reader(user, key)
    if district.kind != Kind.DISTRICT:
        raise Http404(key)
    if is_admin(user):
        return district
    scopes = (district.pk, district.parent_id)
    if not any(m.role in OVERSIGHT_ROLES and m.unit_id in scopes for m in memberships_of(user)):
        raise PermissionDenied
    return district
