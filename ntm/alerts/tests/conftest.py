"""Personas and builders for the alert tests, on the Tân Trụ demo."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model

from ntm.alerts.models import Alert
from ntm.figures.actions import FigureInput, record_figure
from ntm.units.models import Recognition, Unit

NTM = "commune-ntm-2021-2025"


@pytest.fixture
def people(demo):
    """The demo users by username, each with an e-mail address."""
    users = {u.username: u for u in get_user_model().objects.all()}
    for u in users.values():
        u.email = f"{u.username}@example.vn"
        u.save(update_fields=["email"])
    return users


@pytest.fixture
def que_my_thanh(demo) -> Unit:
    """Commune c28084: meets all 19 NTM criteria in 2024 (income 68.2 against 66)."""
    return Unit.objects.get(key="c28084")


@pytest.fixture
def recognised_qmt(que_my_thanh) -> Unit:
    Recognition.objects.create(unit=que_my_thanh, level="ntm", year=2019, decision="Quyết định mẫu (demo)")
    return que_my_thanh


def record(unit: Unit, indicator: str, *, value=None, verdict=None, set_id: str = NTM, year: int = 2024):
    """Record one figure through the real action (which alerts after its refresh); returns the new alerts."""
    last = Alert.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    record_figure(FigureInput(unit=unit, criteria_set=set_id, indicator=indicator, year=year,
                              value=None if value is None else Decimal(str(value)), verdict=verdict,
                              judged_by="UBND xã" if verdict is not None else ""))
    return list(Alert.objects.filter(pk__gt=last).order_by("pk"))


def fail(unit: Unit, *indicators: str):
    """Judge these met/not-met NTM indicators not met; returns every alert raised."""
    return [a for code in indicators for a in record(unit, code, verdict=False)]
