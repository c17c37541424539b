"""Builders for the classification tests: a post-2025 province with communes, and a small catalog whose
2026 set has a numeric indicator with a different level per commune group."""

from __future__ import annotations

import itertools
import shutil
from datetime import date
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.utils import translation

from ntm.accounts.models import Membership, Role
from ntm.catalog_source import get_catalog, reload_catalog
from ntm.units.models import Kind, Unit

GROUP_SET = "test-group-2026"
_codes = itertools.count(91001)
DOC = 'document: QD-51-2025-QD-TTg\n'
SOURCE = '{status: official, document: QD-51-2025-QD-TTg, urls: ["https://example.org/51"]}'
GROUP_SET_TEXT = f"""\
schema: 1
id: {GROUP_SET}
version: "2026.1"
level: ntm
unit_kind: commune
name_vi: "Bộ thử theo nhóm xã"
name_en: "Test set by commune group"
{DOC}effective_from: 2026-02-15
effective_to: null
dimension: group
source: {SOURCE}
criteria:
  - number: 1
    code: "1"
    name_vi: "Thu nhập"
    name_en: "Income"
    source: {SOURCE}
    indicators:
      - code: "1.1"
        name_vi: "Thu nhập bình quân đầu người"
        name_en: "Income per head"
        unit: "%"
        comparison: ">="
        source: {SOURCE}
        thresholds:
          - {{scope: G1, value: 80, status: official, document: QD-51-2025-QD-TTg, urls: ["https://example.org/51"]}}
          - {{scope: G2, value: 60, status: official, document: QD-51-2025-QD-TTg, urls: ["https://example.org/51"]}}
          - {{scope: G3, value: 50, status: official, document: QD-51-2025-QD-TTg, urls: ["https://example.org/51"]}}
"""


@pytest.fixture(autouse=True)
def vietnamese():
    with translation.override("vi"):
        yield


@pytest.fixture
def group_catalog(db, settings, tmp_path):
    """The app evaluates with `_common.yaml` and the test group set only; re-evaluations run at commit."""
    original = settings.CATALOG_DIR
    folder = tmp_path / "catalog"
    folder.mkdir()
    shutil.copy(Path(original) / "_common.yaml", folder / "_common.yaml")
    (folder / f"{GROUP_SET}.yaml").write_text(GROUP_SET_TEXT, encoding="utf-8")
    settings.CATALOG_DIR = folder
    settings.NTM_JOBS_INLINE = True
    settings.NTM_CATALOG_RECHECK_SECONDS = 0
    reload_catalog()
    yield get_catalog().get(GROUP_SET)
    settings.CATALOG_DIR = original
    reload_catalog()


def build_province(name: str = "Lâm Đồng") -> Unit:
    code = str(next(_codes))
    return Unit.objects.create(key=f"p{code}-2025", code=code, name=name, division_type="tỉnh",
                               kind=Kind.PROVINCE, valid_from=date(2025, 7, 1))


def build_commune(name: str, province: Unit, *, kind: str = Kind.COMMUNE, **extra) -> Unit:
    code = str(next(_codes))
    return Unit.objects.create(key=f"c{code}-2025", code=code, name=name,
                               division_type="xã" if kind == Kind.COMMUNE else "phường", kind=kind,
                               parent=province, valid_from=date(2025, 7, 1), **extra)


def build_user(username: str, role: Role, unit: Unit | None):
    user = get_user_model().objects.create_user(username=username, first_name=username, password="pw")
    Membership.objects.create(user=user, role=role, unit=unit)
    return user


@pytest.fixture
def province(db) -> Unit:
    return build_province()


@pytest.fixture
def communes(province) -> list[Unit]:
    return [build_commune(n, province) for n in ("Đạ Huoai", "Bảo Lâm", "Di Linh")]


@pytest.fixture
def province_office(province):
    return build_user("vpdp.lamdong", Role.PROVINCE_OFFICE, province)
