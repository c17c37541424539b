"""Where locally completed versions of criteria sets live: `settings.NTM_LOCAL_CATALOG_DIR` (default
DATA_DIR/catalog), one file per version, named "<set id>@<version>.yaml". The repository's
`catalog/` stays as it is; the newest local version of a set stands in for the repository's."""

from __future__ import annotations

import re
from pathlib import Path

import yaml
from django.conf import settings

from ntm.core.loader import COMMON_FILE
from ntm.evaluation.catalog_source import get_catalog


def local_dir() -> Path:
    return Path(getattr(settings, "NTM_LOCAL_CATALOG_DIR", settings.DATA_DIR / "catalog"))


def common_text() -> str:
    return (Path(settings.CATALOG_DIR) / COMMON_FILE).read_text(encoding="utf-8")


def version_key(version: str) -> tuple:
    """"2024.10" sorts after "2024.9"."""
    return tuple((0, int(p)) if p.isdigit() else (1, p) for p in re.split(r"[.\-+]", version))


def latest_local(directory: Path | None = None) -> dict[str, tuple[str, str]]:
    """set id → (file name, text) of its newest local version. For `get_catalog()` to merge over the
    repository's files (same set id: the local text wins)."""
    directory = directory or local_dir()
    best: dict[str, tuple[tuple, str, str]] = {}
    for path in sorted(directory.glob("*@*.yaml")) if directory.is_dir() else []:
        text = path.read_text(encoding="utf-8")
        raw = yaml.safe_load(text) or {}
        set_id, version = str(raw.get("id", "")), str(raw.get("version", ""))
        if set_id and (set_id not in best or version_key(version) > best[set_id][0]):
            best[set_id] = (version_key(version), path.name, text)
    return {k: (name, text) for k, (_key, name, text) in best.items()}


def base_text(set_id: str) -> tuple[str, str]:
    """(file name, YAML text) of the newest version of a set: local if any, else the repository's.
    Raises KeyError for an unknown set."""
    local = latest_local().get(set_id)
    if local:
        return local
    cset = get_catalog().get(set_id)
    return cset.path, (Path(settings.CATALOG_DIR) / cset.path).read_text(encoding="utf-8")
