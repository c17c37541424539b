"""Who may watch revocation risk: the district's coordination office and leaders, the province
office, administrators (the rule itself: `ntm.accounts.access.oversees`)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from ntm.accounts.access import oversees, unit_for_reader
from ntm.units.models import Kind, Unit


def district_for_oversight(user, key: str) -> Unit:
    """The district `key` if the user oversees it; 404 if it is not a district, 403 otherwise."""
    district = unit_for_reader(user, key)
    if district.kind != Kind.DISTRICT:
        raise Http404(key)
    if not oversees(user, district):
        raise PermissionDenied
    return district
