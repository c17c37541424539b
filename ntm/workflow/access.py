"""Who may assign, plan, inspect and close follow-ups. Built on `ntm.accounts.access`: every unit is read
through `unit_for_reader` first, so a unit the user may not see is refused the same way everywhere."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from ntm.accounts import access as accounts_access
from ntm.accounts.access import roles_over, unit_for_reader
from ntm.accounts.models import Role
from ntm.units.models import Kind, Unit

from .models import FollowUp

OFFICE_ROLES = (Role.DISTRICT_OFFICE, Role.PROVINCE_OFFICE)
AREA_KINDS = (Kind.DISTRICT, Kind.PROVINCE)


def _area_and_above(unit: Unit) -> list[Unit]:
    chain = [unit]
    while len(chain) < 3 and (parent := chain[-1].parent) is not None:
        chain.append(parent)
    return chain


def is_office_for(user, unit: Unit) -> bool:
    """The coordination office of the unit's district or province (or an administrator)."""
    return accounts_access.is_office_for(user, unit)


def may_assign(user, commune: Unit) -> bool:
    """The office above the commune, or the commune's leader."""
    if is_office_for(user, commune):
        return True
    return getattr(user, "is_authenticated", False) and Role.COMMUNE_LEADER in roles_over(user, commune)


def may_close(user, follow_up: FollowUp) -> bool:
    """A follow-up is marked done by its owner, or by the office that inspected."""
    return follow_up.owner_id == getattr(user, "pk", None) or is_office_for(user, follow_up.inspection.district)


def area_for_reader(user, key: str) -> Unit:
    unit = unit_for_reader(user, key)
    if unit.kind not in AREA_KINDS:
        raise Http404(key)
    return unit


def area_for_office(user, key: str) -> Unit:
    unit = area_for_reader(user, key)
    if not is_office_for(user, unit):
        raise PermissionDenied
    return unit


def commune_for_reader(user, key: str) -> Unit:
    unit = unit_for_reader(user, key)
    if unit.kind != Kind.COMMUNE:
        raise Http404(key)
    return unit


def commune_for_assigner(user, key: str) -> Unit:
    unit = commune_for_reader(user, key)
    if not may_assign(user, unit):
        raise PermissionDenied
    return unit
