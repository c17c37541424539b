"""A set completed locally (Excel round trip) stands in for the repository's, newest version first."""

from pathlib import Path

import pytest
from django.conf import settings

from ntm.evaluation.catalog_source import get_catalog, reload_catalog

NTMNC = "commune-ntmnc-2021-2025"


@pytest.fixture
def local_dir(settings, tmp_path):
    settings.NTM_LOCAL_CATALOG_DIR = tmp_path
    yield tmp_path
    get_catalog.cache_clear()


def version_text(version: str) -> str:
    text = (Path(settings.CATALOG_DIR) / f"{NTMNC}.yaml").read_text(encoding="utf-8")
    return text.replace('version: "2024.1"', f'version: "{version}"')


def test_the_newest_local_version_replaces_the_repositorys_set(local_dir):
    (local_dir / f"{NTMNC}@2024.2.yaml").write_text(version_text("2024.2"), encoding="utf-8")
    (local_dir / f"{NTMNC}@2024.10.yaml").write_text(version_text("2024.10"), encoding="utf-8")
    assert reload_catalog().get(NTMNC).version.startswith("2024.10+")


def test_without_local_versions_the_repository_set_is_used(local_dir):
    assert reload_catalog().get(NTMNC).version.startswith("2024.1+")
