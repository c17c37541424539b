"""Daily housekeeping started by `ntm worker`'s schedule: the queue's own rows of finished work are deleted
after NTM_TASK_RESULTS_DAYS days, so the table does not grow for years. What users follow (`Job`, the
`/tasks/` pages and their files) is kept: it does not point at the queue's rows."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.management import call_command


def prune_queue(day: date) -> None:
    """Idempotent: run twice the same day, the second finds nothing old enough."""
    if settings.NTM_TASKS != "database":
        return  # no queue table is used: work runs where it is asked for
    call_command("prune_db_task_results", queue_name="*", min_age_days=settings.NTM_TASK_RESULTS_DAYS, verbosity=0)
