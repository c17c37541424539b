"""People and units for the workbench tests: Long An's province office, an administrator, a commune
official, and a post-2025 commune of group 2 with figures for the 2026–2030 set."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone, translation

from ntm.accounts.models import Membership, Role
from ntm.catalog_source import reload_catalog
from ntm.evaluation.actions import refresh_results
from ntm.figures.models import Figure
from ntm.units.models import Kind, Unit

SET = "commune-ntm-2026-2030"
YEAR = 2026


@pytest.fixture(autouse=True)
def vietnamese():
    with translation.override("vi"):
        yield


@pytest.fixture
def fresh_catalog(db, settings):
    settings.NTM_JOBS_INLINE = True
    settings.NTM_CATALOG_RECHECK_SECONDS = 0
    reload_catalog()
    yield
    reload_catalog()


def make_user(username: str, role: Role, unit: Unit | None):
    user = get_user_model().objects.create_user(username=username, first_name=username, password="x")
    Membership.objects.create(user=user, role=role, unit=unit)
    return user


@pytest.fixture
def long_an(fresh_catalog) -> Unit:
    return Unit.objects.create(key="p80", code="80", name="Long An", division_type="tỉnh", kind=Kind.PROVINCE)


@pytest.fixture
def tay_ninh(db) -> Unit:
    return Unit.objects.create(key="p72", code="72", name="Tây Ninh", division_type="tỉnh", kind=Kind.PROVINCE)


@pytest.fixture
def office(long_an):
    return make_user("vpdp.longan", Role.PROVINCE_OFFICE, long_an)


@pytest.fixture
def second_office(long_an):
    return make_user("vpdp.longan2", Role.PROVINCE_OFFICE, long_an)


@pytest.fixture
def admin(fresh_catalog):
    return make_user("quantri", Role.ADMIN, None)


@pytest.fixture
def commune(long_an) -> Unit:
    """A commune of group 2 after 1/7/2025: criterion 1 met as a whole, and a figure for "1.1" (50)."""
    unit = Unit.objects.create(key="c99001-2025", code="99001", name="Mỹ Yên", division_type="xã", kind=Kind.COMMUNE,
                               parent=long_an, valid_from=date(2025, 7, 1), commune_group="G2")
    now = timezone.now()
    Figure.objects.create(unit=unit, criteria_set=SET, indicator="1.0", year=YEAR, verdict=True, entered_at=now)
    Figure.objects.create(unit=unit, criteria_set=SET, indicator="1.1", year=YEAR, value=Decimal("50"),
                          entered_at=now)
    refresh_results(YEAR)
    return unit


@pytest.fixture
def official(commune):
    return make_user("canbo.myyen", Role.COMMUNE_OFFICIAL, commune)
