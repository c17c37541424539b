"""The catalog the app evaluates with: the repository's `catalog/` (national sets and official
province layers) with the published versions kept in the database (`ntm.catalogs`: versions an office
completed and a second person approved, and the demo's layers) standing in for a repository file when
they are newer. Loaded once per process and reloaded when a version is published in any process."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from threading import Lock

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db.models import QuerySet

from ntm.core.catalog import Catalog
from ntm.core.loader import COMMON_FILE, build_catalog, catalog_texts, read_yaml


def _ttl() -> float:
    """Seconds between checks that another process published a version (0 in tests)."""
    return float(getattr(settings, "NTM_CATALOG_RECHECK_SECONDS", 2.0))


def version_key(version: str) -> tuple:
    """"2024.10" sorts after "2024.9"; the "+digest" the loader appends is ignored."""
    version = version.split("+", 1)[0]
    return tuple((0, int(p)) if p.isdigit() else (1, p) for p in re.split(r"[.\-]", version))


@dataclass(frozen=True)
class Shadowed:
    """A published version that is not used because the repository's file is as new or newer."""

    set_id: str
    version: str
    repository_version: str


@dataclass
class _State:
    catalog: Catalog | None = None
    stamp: tuple | None = None
    checked: float = 0.0
    shadowed: tuple[Shadowed, ...] = ()


_state = _State()
_lock = Lock()


# The published versions in force (a queryset of ntm.catalogs' CatalogVersion): the catalogs app, above this
# module, registers where to read them in `CatalogsConfig.ready` (`ntm.catalogs.published.in_force`).
_published_source: Callable[[], QuerySet] | None = None


def read_published_from(source: Callable[[], QuerySet]) -> None:
    global _published_source
    _published_source = source


def _published() -> QuerySet:
    if _published_source is None:
        raise ImproperlyConfigured("ntm.catalogs registers the published catalog versions; it is not installed")
    return _published_source()


def _stamp() -> tuple:
    return tuple(_published().order_by("pk").values_list("pk", "set_id", "version", "approved_at"))


def repository_texts() -> dict[str, tuple[str, str]]:
    """set or layer id → (file name, text) of the repository's `catalog/`."""
    out: dict[str, tuple[str, str]] = {}
    for name, text in catalog_texts(Path(settings.CATALOG_DIR)):
        out[str((read_yaml(text) or {}).get("id", name))] = (name, text)
    return out


def common_text() -> str:
    return (Path(settings.CATALOG_DIR) / COMMON_FILE).read_text(encoding="utf-8")


def effective_texts() -> tuple[dict[str, tuple[str, str]], tuple[Shadowed, ...]]:
    """The text in force for every set and layer id, and the published versions left unused."""
    texts = repository_texts()
    repo_versions = {k: str((read_yaml(t) or {}).get("version", "")) for k, (_n, t) in texts.items()}
    newest: dict[str, tuple[tuple, str, str]] = {}
    shadowed = []
    for set_id, version, text in _published().values_list("set_id", "version", "text"):
        repo = repo_versions.get(set_id)
        if repo is not None and version_key(version) <= version_key(repo):
            shadowed.append(Shadowed(set_id, version, repo))
            continue
        if set_id not in newest or version_key(version) > newest[set_id][0]:
            newest[set_id] = (version_key(version), version, text)
    for set_id, (_key, version, text) in newest.items():
        texts[set_id] = (f"{set_id}@{version}.yaml", text)
    return texts, tuple(shadowed)


def _load() -> Catalog:
    texts, shadowed = effective_texts()
    catalog = _state.catalog = build_catalog(common_text(), texts.values())
    _state.shadowed = shadowed
    return catalog


def get_catalog() -> Catalog:
    now = time.monotonic()
    if _state.catalog is not None and now - _state.checked < _ttl():
        return _state.catalog
    with _lock:
        stamp = _stamp()
        catalog = _state.catalog
        if catalog is None or stamp != _state.stamp:
            catalog = _load()
            _state.stamp = stamp
        _state.checked = time.monotonic()
        return catalog


def recheck() -> None:
    """Look for published versions at the next call (tests: after a rollback)."""
    _state.checked = 0.0


def shadowed_versions() -> tuple[Shadowed, ...]:
    get_catalog()
    return _state.shadowed


def reload_catalog() -> Catalog:
    with _lock:
        _state.catalog = None
        _state.stamp = None
        _state.checked = 0.0
    return get_catalog()
