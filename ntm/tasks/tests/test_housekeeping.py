"""The worker's daily housekeeping: the queue's rows of work finished long ago are deleted, what users follow stays."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult, get_date_max

from ntm.tasks.models import Job
from ntm.tasks.schedule import Schedule

pytestmark = pytest.mark.django_db
PRUNE = "ntm.tasks.housekeeping.prune_queue"


def row(status: str, finished_days_ago: int | None) -> DBTaskResult:
    finished = None if finished_days_ago is None else timezone.now() - timedelta(days=finished_days_ago)
    return DBTaskResult.objects.create(args_kwargs={"args": [], "kwargs": {}}, task_path="ntm.x.y",
                                       backend_name="default", status=status, finished_at=finished,
                                       run_after=get_date_max())


def test_the_daily_schedule_prunes_finished_queue_rows_older_than_the_setting_and_keeps_the_jobs(settings):
    settings.NTM_TASKS = "database"
    settings.NTM_TASK_RESULTS_DAYS = 14
    old_done, old_failed = row("SUCCESSFUL", 20), row("FAILED", 15)
    recent, waiting = row("SUCCESSFUL", 3), row("READY", None)
    job = Job.objects.create(kind=Job.Kind.DIGEST, subject="2026-11-01", state=Job.State.DONE)

    assert PRUNE in settings.NTM_DAILY_TASKS
    started = Schedule({PRUNE: settings.NTM_DAILY_TASKS[PRUNE]}).run_due(
        datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")).replace(hour=23, minute=0))

    assert started == [PRUNE]
    assert set(DBTaskResult.objects.values_list("pk", flat=True)) == {recent.pk, waiting.pk}
    assert not DBTaskResult.objects.filter(pk__in=[old_done.pk, old_failed.pk]).exists()
    assert Job.objects.filter(pk=job.pk).exists(), "what users follow on /tasks/ is not the queue's row"


def test_with_work_run_immediately_there_is_no_queue_to_prune(settings):
    settings.NTM_TASKS = "immediate"
    old = row("SUCCESSFUL", 400)
    Schedule({PRUNE: "03:00"}).run_due(datetime(2026, 11, 29, 4, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh")))
    assert DBTaskResult.objects.filter(pk=old.pk).exists()
