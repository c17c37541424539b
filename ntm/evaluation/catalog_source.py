"""The catalog the app evaluates with: the repository's `catalog/` folder, loaded once per process."""

from __future__ import annotations

from functools import cache

from django.conf import settings

from ntm.core.catalog import Catalog
from ntm.core.loader import load_catalog


@cache
def get_catalog() -> Catalog:
    return load_catalog(settings.CATALOG_DIR)
