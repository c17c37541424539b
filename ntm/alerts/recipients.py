"""Who is told: the commune's officials (or the person assigned to the criterion, when the workflow
app records assignments), the district's coordination office, and its leaders."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection

from django.core.exceptions import FieldDoesNotExist

from ntm.accounts.models import Membership, Role


def _by_unit(role: str, unit_ids: Collection[int]) -> dict[int, set[int]]:
    out: dict[int, set[int]] = defaultdict(set)
    rows = Membership.objects.filter(role=role, unit_id__in=unit_ids)
    for unit_id, user_id in rows.values_list("unit_id", "user_id"):
        out[unit_id].add(user_id)
    return out


def commune_officials(commune_ids: Collection[int]) -> dict[int, set[int]]:
    return _by_unit(Role.COMMUNE_OFFICIAL, commune_ids)


def district_offices(district_ids: Collection[int]) -> dict[int, set[int]]:
    return _by_unit(Role.DISTRICT_OFFICE, district_ids)


def district_leaders(district_ids: Collection[int]) -> dict[int, set[int]]:
    return _by_unit(Role.LEADER, district_ids)


def assignees(commune_ids: Collection[int], year: int | None = None) -> dict[tuple[int, str, str], set[int]]:
    """(commune id, criteria set, criterion code) → the users assigned to it, if `ntm.workflow` has an `Assignment`
    with a unit (or commune), a criterion and a responsible user; empty otherwise."""
    try:
        from ntm.workflow.models import Assignment  # written by another engineer; optional here
    except ImportError:
        return {}
    meta = Assignment._meta
    unit_field = next((n for n in ("unit", "commune") if _has(meta, n)), None)
    if unit_field is None or not _has(meta, "criterion") or not _has(meta, "responsible"):
        return {}
    rows = Assignment.objects.filter(**{f"{unit_field}_id__in": commune_ids, "responsible__isnull": False})
    if year is not None and _has(meta, "year"):
        rows = rows.filter(year=year)
    if _has(meta, "done_at"):
        rows = rows.filter(done_at__isnull=True)
    set_field = "criteria_set" if _has(meta, "criteria_set") else "criterion"  # no set field: match any
    out: dict[tuple[int, str, str], set[int]] = defaultdict(set)
    for unit_id, set_id, code, user_id in rows.values_list(f"{unit_field}_id", set_field, "criterion",
                                                           "responsible_id"):
        out[(unit_id, set_id if set_field == "criteria_set" else "*", str(code))].add(user_id)
    return out


def _has(meta, name: str) -> bool:
    try:
        meta.get_field(name)
    except FieldDoesNotExist:
        return False
    return True
