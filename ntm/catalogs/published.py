"""The catalog versions in force: published, and taking effect today or earlier. The evaluation app's
catalog (`ntm.catalog_source`) reads them through `in_force`, registered in `CatalogsConfig.ready`
(this app sits above evaluation)."""

from __future__ import annotations

from django.db import DatabaseError, connection
from django.db.models import QuerySet
from django.utils import timezone

from .models import CatalogVersion, State

_table_seen = False


def _table_ready() -> bool:
    """False before migrations (e.g. `ntm catalog check` on a fresh machine)."""
    global _table_seen
    if _table_seen:
        return True
    try:
        _table_seen = CatalogVersion._meta.db_table in connection.introspection.table_names()
    except DatabaseError:
        return False
    return _table_seen


def in_force() -> QuerySet[CatalogVersion]:
    if not _table_ready():
        return CatalogVersion.objects.none()
    return CatalogVersion.objects.filter(state=State.PUBLISHED, takes_effect__lte=timezone.localdate())
