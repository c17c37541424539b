"""Where locally completed versions of criteria sets live: `settings.NTM_LOCAL_CATALOG_DIR` (default
DATA_DIR/catalog), one file per version, named "<set id>@<version>.yaml". The repository's
`catalog/` stays as it is; the newest local version of a set stands in for the repository's."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings

from ntm.core.loader import COMMON_FILE
from ntm.evaluation.catalog_source import get_catalog, latest_local, local_dir, version_key

__all__ = ["base_text", "common_text", "latest_local", "local_dir", "version_key"]


def common_text() -> str:
    return (Path(settings.CATALOG_DIR) / COMMON_FILE).read_text(encoding="utf-8")


def base_text(set_id: str) -> tuple[str, str]:
    """(file name, YAML text) of the newest version of a set: local if any, else the repository's.
    Raises KeyError for an unknown set."""
    local = latest_local().get(set_id)
    if local:
        return local
    cset = get_catalog().get(set_id)
    return cset.path, (Path(settings.CATALOG_DIR) / cset.path).read_text(encoding="utf-8")
