"""A previewed Excel import written in the background (`ntm.exchange.tasks`): the figures are written as the
confirmation writes them, the job's page says how many; a preview gone stale fails at once with the reason."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model

from ntm.exchange import layout as L
from ntm.exchange.tasks import start_import
from ntm.exchange.tests.conftest import NTMNC, QMT, YEAR, download, fill, upload
from ntm.figures.models import Figure
from ntm.tasks.models import Job
from ntm.units.models import Unit


@pytest.fixture
def official(demo, client):
    user = get_user_model().objects.get(username="canbo.quemythanh")
    client.force_login(user)
    return user


def current(code: str) -> Figure:
    return Figure.objects.get(unit__key=QMT, criteria_set=NTMNC, indicator=code, year=YEAR,
                              superseded_at__isnull=True)


def previewed(client, value: str):
    preview = upload(client, fill(download(client), {("Quê Mỹ Thạnh", "10.1"): {L.NEW_VALUE: value}}))
    plan = preview.context["plan"]
    assert plan.ok and len(plan.changes) == 1
    return plan


def test_a_previewed_import_is_written_in_the_background(client, official, django_capture_on_commit_callbacks):
    plan = previewed(client, "88,5")
    with django_capture_on_commit_callbacks(execute=True):
        job = start_import(plan, unit=Unit.objects.get(key=QMT), by=official)
    job.refresh_from_db()
    assert job.state == Job.State.DONE and job.result == {"written": 1, "year": YEAR}
    assert current("10.1").value == Decimal("88.5") and current("10.1").entered_by == official
    assert "Đã ghi 1 số liệu" in client.get(f"/tasks/{job.pk}/").content.decode()


def test_an_import_whose_preview_went_stale_fails_at_once_with_the_reason(client, official,
                                                                          django_capture_on_commit_callbacks):
    plan = previewed(client, "88,5")
    upload_now = previewed(client, "70")  # someone writes the same figure first
    with django_capture_on_commit_callbacks(execute=True):
        start_import(upload_now, unit=Unit.objects.get(key=QMT), by=official)
        job = start_import(plan, unit=Unit.objects.get(key=QMT), by=official)
    job.refresh_from_db()
    assert job.state == Job.State.FAILED and job.attempts == 1
    assert "số liệu đã được người khác cập nhật" in job.error and "10.1" in job.error
    assert current("10.1").value == Decimal("70")
