"""The one place that says who may read or change what. Views, the API and commands get units only
through `unit_for_reader` / `unit_for_editor`, which raise 404 or 403 (Zulip's access_* helpers)."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import Q, QuerySet
from django.http import Http404

from ntm.core.catalog import Criterion, Indicator
from ntm.units.models import Unit

from .models import Membership, Role

EDIT_ROLES = {Role.COMMUNE_OFFICIAL, Role.DISTRICT_OFFICE, Role.DEPARTMENT}


def memberships_of(user) -> list[Membership]:
    if not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, "_ntm_memberships", None)
    if cached is None:
        cached = list(Membership.objects.filter(user=user).select_related("unit"))
        user._ntm_memberships = cached
    return cached


def is_admin(user) -> bool:
    return bool(getattr(user, "is_superuser", False)) or any(m.role == Role.ADMIN for m in memberships_of(user))


def within(scope_id: int) -> Q:
    """A unit and everything under it (district → communes; province → districts → communes)."""
    return Q(pk=scope_id) | Q(parent_id=scope_id) | Q(parent__parent_id=scope_id)


def covers(scope: Unit, unit: Unit) -> bool:
    if unit.pk == scope.pk or unit.parent_id == scope.pk:
        return True
    parent = unit.parent
    return parent is not None and parent.parent_id == scope.pk


def readable_units(user) -> QuerySet[Unit]:
    """Every unit the user may read."""
    if is_admin(user):
        return Unit.objects.all()
    query = Q(pk__in=[])
    for m in memberships_of(user):
        if m.unit_id:
            query |= within(m.unit_id)
    return Unit.objects.filter(query)


def can_read(user, unit: Unit) -> bool:
    return is_admin(user) or any(m.unit and covers(m.unit, unit) for m in memberships_of(user))


def indicator_fields(criterion: Criterion, indicator: Indicator) -> frozenset[str]:
    """The departments in whose field an indicator lies. A criterion is one field: every department named by
    one of its indicators answers for all of them (the health office enters criterion 14's insurance rate,
    which the catalog gives to social insurance, as well as the overall verdict)."""
    return frozenset({indicator.department, *(i.department for i in criterion.indicators)} - {""})


def can_edit(user, unit: Unit, *, department: str | Iterable[str] = "") -> bool:
    """May record figures for `unit`; a department only for indicators of its field (`department`: the
    indicator's department, or the fields from `indicator_fields`)."""
    if is_admin(user):
        return True
    fields = {department} - {""} if isinstance(department, str) else set(department)
    for m in memberships_of(user):
        if m.role not in EDIT_ROLES or m.unit is None or not covers(m.unit, unit):
            continue
        if m.role != Role.DEPARTMENT or m.department in fields:
            return True
    return False


def departments_of(user, unit: Unit) -> set[str] | None:
    """The fields a user may edit in `unit`: None means every field."""
    if is_admin(user):
        return None
    fields: set[str] = set()
    for m in memberships_of(user):
        if m.role in EDIT_ROLES and m.unit is not None and covers(m.unit, unit):
            if m.role != Role.DEPARTMENT:
                return None
            fields.add(m.department)
    return fields


def _lineage_sql() -> str:
    table, key = connection.ops.quote_name(Unit._meta.db_table), connection.ops.quote_name("key")
    return (f"SELECT u.*, 0 AS ntm_depth FROM {table} u WHERE u.{key} = %s"
            f" UNION ALL SELECT p.*, 1 FROM {table} u JOIN {table} p ON p.id = u.parent_id WHERE u.{key} = %s"
            f" UNION ALL SELECT g.*, 2 FROM {table} u JOIN {table} p ON p.id = u.parent_id"
            f" JOIN {table} g ON g.id = p.parent_id WHERE u.{key} = %s")


def unit_with_parents(key: str) -> Unit | None:
    """The unit with its parent and grandparent attached (what access checks and page headers use), or None.
    One plain query for the three rows: the ORM's select_related of three 16-column units cost ≈ 1 ms of CPU
    to build on every page of a unit, ten times the query itself (issue 12)."""
    rows = sorted(Unit.objects.raw(_lineage_sql(), [key, key, key]), key=lambda row: row.ntm_depth)  # type: ignore[attr-defined]
    if not rows or rows[0].ntm_depth != 0:  # type: ignore[attr-defined]
        return None
    for row in rows:
        del row.ntm_depth  # type: ignore[attr-defined]
    chain = iter(rows)
    unit = child = next(chain)
    for _ in range(2):  # as select_related("parent", "parent__parent"): a missing parent is known to be None
        if child.parent_id is None:
            child.parent = None
            break
        parent = next(chain)
        child.parent, child = parent, parent
    return unit


def _unit(key: str) -> Unit:
    unit = unit_with_parents(key)
    if unit is None:
        raise Http404(key)
    return unit


def unit_for_reader(user, key: str) -> Unit:
    unit = _unit(key)
    if not can_read(user, unit):
        raise PermissionDenied
    return unit


def unit_for_editor(user, key: str, *, department: str | Iterable[str] = "") -> Unit:
    unit = _unit(key)
    if not can_edit(user, unit, department=department):
        raise PermissionDenied
    return unit


# --- Which pages a user may open: the views' own checks, as predicates, so that templates show a link only
# to someone it will open for (`{% may "enter" unit as ok %}` in portal_tags).

OFFICE_ROLES = {Role.DISTRICT_OFFICE, Role.PROVINCE_OFFICE}
OVERSIGHT_ROLES = {Role.DISTRICT_OFFICE, Role.LEADER, Role.PROVINCE_OFFICE}


def roles_over(user, unit: Unit) -> set[str]:
    """The roles a user holds over a unit: on it, its district or its province ("admin" for an
    administrator). The one place that says it; from the memberships read once per request."""
    scopes = {unit.pk, unit.parent_id, unit.parent.parent_id if unit.parent_id and unit.parent else None} - {None}
    roles = {m.role for m in memberships_of(user) if m.unit_id in scopes}
    if is_admin(user):
        roles.add(Role.ADMIN)
    return roles


def _holds(user, roles: set[str], unit: Unit) -> bool:
    """A membership with one of `roles` on the unit or a unit above it (district, province)."""
    return bool(roles & roles_over(user, unit))


def may_enter(user, unit: Unit) -> bool:
    """The data-entry page opens: the user may edit at least one field of the unit."""
    fields = departments_of(user, unit) if can_read(user, unit) else set()
    return fields is None or bool(fields)


def is_office_for(user, unit: Unit) -> bool:
    """The coordination office of the unit's district or province (or an administrator)."""
    return is_admin(user) or _holds(user, OFFICE_ROLES, unit)


def oversees(user, unit: Unit) -> bool:
    """District office, leader or province office over the unit: revocation risk and the like."""
    return is_admin(user) or _holds(user, OVERSIGHT_ROLES, unit)


def may_classify(user, province: Unit) -> bool:
    """The province's coordination office, or an administrator, decides groups and flags."""
    return is_admin(user) or any(m.role == Role.PROVINCE_OFFICE and m.unit_id == province.pk
                                 for m in memberships_of(user))


PAGE_RULES = {
    "read": can_read,
    "enter": may_enter,
    "import": can_edit,  # Excel in writes every field: a department's field-limited right is not enough
    "office": is_office_for,
    "oversee": oversees,
}


def may(user, action: str, unit: Unit | str | None) -> bool:
    """One question for templates: may `user` open the `action` page of `unit` (a unit or its key)?"""
    if isinstance(unit, str):
        unit = unit_with_parents(unit)
    return unit is not None and PAGE_RULES[action](user, unit)
