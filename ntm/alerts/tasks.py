"""The daily digest as background work: `ntm worker` starts it once a day (NTM_DIGEST_AT, settings
NTM_DAILY_TASKS), a `Job` keyed by the day shows its progress and how many digests went out, and a failure is
tried again, then reported. `ntm notify` still sends it by hand (or from cron); both go through
`actions.send_digests`, which never sends a user two digests the same day."""

from __future__ import annotations

from datetime import date

from django.db import IntegrityError, transaction
from django.tasks import task

from ntm.tasks.models import Job
from ntm.tasks.queue import Progress, create_job, enqueue, run_job

from .actions import send_alert_mails, send_digests


def start_daily_digest(day: date, *, by=None) -> Job | None:
    """Queue the digest of `day` unless it was already queued (by this or another worker): None then."""
    try:
        with transaction.atomic():
            job = create_job(Job.Kind.DIGEST, day.isoformat(), params={"day": day.isoformat()}, by=by,
                             key=f"digest:{day.isoformat()}")
            enqueue(digest_task, job.pk, 1)
    except IntegrityError:
        return None
    return job


@task()
def digest_task(job_id: int, attempt: int = 1) -> dict:
    return run_job(digest_task, job_id, attempt, _send)


def _send(job: Job, progress: Progress) -> dict:
    progress(0, 1)
    digests = send_digests(date.fromisoformat(job.params["day"]))
    progress(1, 1)
    return {"sent": len(digests)}


def queue_alert_mails(alert_ids: list[int]) -> None:
    """Mail these new alerts from the worker: queued in the caller's transaction (with the database queue;
    run once it commits otherwise). A mail that fails leaves them unmailed: the day's digest carries them."""
    enqueue(mail_alerts_task, alert_ids)


@task()
def mail_alerts_task(alert_ids: list[int]) -> int:
    return send_alert_mails(alert_ids)
