"""The catalog the app evaluates with: the repository's `catalog/` folder, over which the newest locally
completed version of a set (written by the Excel round trip into `settings.NTM_LOCAL_CATALOG_DIR`, one
file per version, "<set id>@<version>.yaml") stands in for the repository's. Loaded once per process;
`reload_catalog()` after a new version is written."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import yaml
from django.conf import settings

from ntm.core.catalog import Catalog
from ntm.core.loader import COMMON_FILE, build_catalog


def local_dir() -> Path:
    return Path(settings.NTM_LOCAL_CATALOG_DIR)


def version_key(version: str) -> tuple:
    """"2024.10" sorts after "2024.9"."""
    return tuple((0, int(p)) if p.isdigit() else (1, p) for p in re.split(r"[.\-+]", version))


def latest_local(directory: Path | None = None) -> dict[str, tuple[str, str]]:
    """set id → (file name, text) of its newest local version."""
    directory = directory or local_dir()
    best: dict[str, tuple[tuple, str, str]] = {}
    for path in sorted(directory.glob("*@*.yaml")) if directory.is_dir() else []:
        text = path.read_text(encoding="utf-8")
        raw = yaml.safe_load(text) or {}
        set_id, version = str(raw.get("id", "")), str(raw.get("version", ""))
        if set_id and (set_id not in best or version_key(version) > best[set_id][0]):
            best[set_id] = (version_key(version), path.name, text)
    return {k: (name, text) for k, (_key, name, text) in best.items()}


@cache
def get_catalog() -> Catalog:
    repo = Path(settings.CATALOG_DIR)
    texts: dict[str, tuple[str, str]] = {}
    for path in sorted(p for p in repo.glob("*.yaml") if p.name != COMMON_FILE):
        text = path.read_text(encoding="utf-8")
        texts[str((yaml.safe_load(text) or {}).get("id", path.name))] = (path.name, text)
    texts.update(latest_local())
    return build_catalog((repo / COMMON_FILE).read_text(encoding="utf-8"), texts.values())


def reload_catalog() -> Catalog:
    get_catalog.cache_clear()
    return get_catalog()
