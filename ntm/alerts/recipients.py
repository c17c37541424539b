"""Who is told: the commune's officials (or the person assigned to the criterion in the workflow app),
the district's coordination office, and its leaders."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection

from django.db import connection
from django.db.models import Q

from ntm.accounts.models import Membership, Role
from ntm.workflow.models import Assignment


def _by_unit(role: str, unit_ids: Collection[int]) -> dict[int, set[int]]:
    out: dict[int, set[int]] = defaultdict(set)
    rows = Membership.objects.filter(role=role, unit_id__in=unit_ids)
    for unit_id, user_id in rows.values_list("unit_id", "user_id"):
        out[unit_id].add(user_id)
    return out


def by_role(units_by_role: dict[str, Collection[int]]) -> dict[str, dict[int, set[int]]]:
    """Role → unit id → its members in that role, for several roles at once: one query."""
    wanted = Q()
    for role, unit_ids in units_by_role.items():
        wanted |= Q(role=role, unit_id__in=list(unit_ids))
    out: dict[str, dict[int, set[int]]] = {role: defaultdict(set) for role in units_by_role}
    if wanted:
        for role, unit_id, user_id in Membership.objects.filter(wanted).values_list("role", "unit_id", "user_id"):
            out[role][unit_id].add(user_id)
    return out


def commune_officials(commune_ids: Collection[int]) -> dict[int, set[int]]:
    return _by_unit(Role.COMMUNE_OFFICIAL, commune_ids)


def district_offices(district_ids: Collection[int]) -> dict[int, set[int]]:
    return _by_unit(Role.DISTRICT_OFFICE, district_ids)


def district_leaders(district_ids: Collection[int]) -> dict[int, set[int]]:
    return _by_unit(Role.LEADER, district_ids)


def assignees(commune_ids: Collection[int], year: int | None = None) -> dict[tuple[int, str, str], set[int]]:
    """(commune id, criteria set, criterion code) → the users assigned to that criterion (`ntm.workflow`'s
    `Assignment`), in `year` when given."""
    rows = Assignment.objects.filter(unit_id__in=commune_ids)
    if year is not None:
        rows = rows.filter(year=year)
    out: dict[tuple[int, str, str], set[int]] = defaultdict(set)
    for unit_id, set_id, code, user_id in rows.values_list("unit_id", "criteria_set", "criterion", "responsible_id"):
        out[(unit_id, set_id, code)].add(user_id)
    return out


ASSIGNED = "assigned"  # the rows of `slip_recipients` that are assignments, not memberships


def slip_recipients(commune_ids: Collection[int], district_ids: Collection[int], year: int
                    ) -> tuple[dict[int, set[int]], dict[int, set[int]], dict[tuple[int, str, str], set[int]]]:
    """Who may be told that a criterion slipped in these communes: their officials, their districts'
    offices (as `by_role`) and the people assigned to each criterion in `year` (as `assignees`), in one
    query (a save that slips a criterion asks while the editor waits; written in SQL: the ORM's union of
    the two took longer to build than both queries alone)."""
    communes, districts = list(commune_ids), list(district_ids)
    officials: dict[int, set[int]] = defaultdict(set)
    offices: dict[int, set[int]] = defaultdict(set)
    out: dict[tuple[int, str, str], set[int]] = defaultdict(set)
    if not communes:
        return officials, offices, out
    member, assignment = Membership._meta.db_table, Assignment._meta.db_table
    marks = ", ".join(["%s"] * len(communes))
    sql = (f"SELECT role, unit_id, user_id, '', '' FROM {member} WHERE role = %s AND unit_id IN ({marks})"
           f" UNION ALL SELECT %s, unit_id, responsible_id, criteria_set, criterion FROM {assignment}"
           f" WHERE year = %s AND unit_id IN ({marks})")
    params: list = [Role.COMMUNE_OFFICIAL, *communes, ASSIGNED, year, *communes]
    if districts:
        sql += (f" UNION ALL SELECT role, unit_id, user_id, '', '' FROM {member} WHERE role = %s"
                f" AND unit_id IN ({', '.join(['%s'] * len(districts))})")
        params += [Role.DISTRICT_OFFICE, *districts]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    for kind, unit_id, user_id, set_id, code in rows:
        if kind == ASSIGNED:
            out[(unit_id, set_id, code)].add(user_id)
        else:
            (officials if kind == Role.COMMUNE_OFFICIAL else offices)[unit_id].add(user_id)
    return officials, offices, out
