"""The API's side of access: every read is scoped by `readable_units`, every unit named in a path or a
filter goes through `unit_for_reader` / `unit_for_editor` first.

Refusals are consistent across endpoints: 401 without credentials; 404 when a unit key (or a figure id)
does not exist; 403 when it exists but lies outside the caller's units. Lists without a unit filter
simply leave out what the caller may not read."""

from __future__ import annotations

from typing import cast

from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.http import HttpRequest

from ntm.accounts.access import is_admin, readable_units, unit_for_reader
from ntm.units.models import Unit


class _AuthenticatedRequest(HttpRequest):
    auth: User  # set by django-ninja to what the authentication returned (ntm.api.auth: the user)


def caller(request: HttpRequest) -> User:
    """The user the request acts for, whichever way it authenticated (token or session)."""
    return cast(_AuthenticatedRequest, request).auth


def check_named_units(request: HttpRequest, *keys: str | None) -> None:
    """403/404 for a unit key given as a filter that the caller may not read."""
    for key in keys:
        if key:
            unit_for_reader(caller(request), key)


def readable_unit_ids(request: HttpRequest):
    return readable_units(caller(request)).values("pk")


def in_scope(request: HttpRequest, rows: QuerySet, unit_field: str = "unit") -> QuerySet:
    """The rows about units the caller may read. Someone who reads every unit gets them unfiltered: a
    national list then walks the rows' primary key (Keyset) instead of sorting the whole table."""
    user = caller(request)
    if is_admin(user):
        return rows
    return rows.filter(**{f"{unit_field}__in": readable_units(user).values("pk")})


def unit_in_scope(request: HttpRequest, key: str) -> Unit:
    return unit_for_reader(caller(request), key)
