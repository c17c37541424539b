"""/healthz says when background work waits for a worker too long (no `ntm worker` runs, or too few)."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from ntm.alerts.tasks import start_daily_digest


def test_work_waiting_too_long_for_a_worker_fails_the_health_check(client, db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.NTM_JOBS_INLINE = False
    settings.NTM_HEALTH_QUEUE_MAX_SECONDS = 600
    start_daily_digest(date(2026, 12, 3))
    queue = client.get("/healthz").json()["checks"]["task_queue"]
    assert queue["ok"] is True and queue["waiting"] == 1 and queue["oldest_seconds"] < 60

    DBTaskResult.objects.update(enqueued_at=timezone.now() - timedelta(hours=2))
    response = client.get("/healthz")
    assert response.status_code == 503 and response.json()["failed"] == ["task_queue"]
    queue = response.json()["checks"]["task_queue"]
    assert queue["waiting"] == 1 and 7200 <= queue["oldest_seconds"] < 7300
    assert "for a worker (limit 600 s)" in queue["error"]

    DBTaskResult.objects.update(status="SUCCESSFUL")
    assert client.get("/healthz").status_code == 200, "work a worker took no longer counts"


def test_work_due_later_does_not_count(client, db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.NTM_JOBS_INLINE = False
    start_daily_digest(date(2026, 12, 3))
    DBTaskResult.objects.update(run_after=timezone.now() + timedelta(minutes=5))  # a retry waiting its turn
    assert client.get("/healthz").json()["checks"]["task_queue"]["waiting"] == 0
