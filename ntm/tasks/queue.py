"""Handing work to the queue, and what happens when it fails: a bounded number of tries, then a failure that
the user's page and the log both report.

Work goes to the "default" backend (the database queue that `ntm worker` empties), or to "immediate" when
`NTM_JOBS_INLINE` is on (tests; `ntm serve`'s start-up child): there it runs at once, when the transaction
that asked for it commits."""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.tasks import Task
from django.utils import timezone, translation

from .models import Job

log = logging.getLogger("ntm.tasks")


class NotRetryable(Exception):
    """Trying again cannot help (the input is wrong, not the moment): the work fails at once with this text."""


def backend_alias() -> str:
    return "immediate" if settings.NTM_JOBS_INLINE else "default"


def enqueue(task: Task, *args: Any, delay_seconds: int = 0) -> None:
    """Put `task(*args)` on the queue now. With the database queue the row joins the current transaction, so the
    work and what it works on are committed together; the immediate backend runs it once the transaction commits
    (never on data a rollback takes back)."""
    chosen = task.using(backend=backend_alias())
    backend = chosen.get_backend()
    if delay_seconds and backend.supports_defer:
        chosen = chosen.using(run_after=timezone.now() + timedelta(seconds=delay_seconds))
    if backend.supports_defer:  # a persistent queue: atomic with the caller's writes
        chosen.enqueue(*args)
    else:
        transaction.on_commit(lambda: chosen.enqueue(*args))


def waiting() -> tuple[int, timedelta]:
    """Tasks in the database queue that are due and that no worker has taken yet: how many, and how long the
    oldest has waited (since it became due). Nothing with NTM_TASKS=immediate: there is no queue."""
    from django_tasks_db.models import DBTaskResult, get_date_max

    if settings.NTM_TASKS != "database":
        return 0, timedelta(0)
    ready = DBTaskResult.objects.ready()
    count = ready.count()
    if not count:
        return 0, timedelta(0)
    now = timezone.now()
    oldest = min((run_after if run_after != get_date_max() else enqueued_at)
                 for enqueued_at, run_after in ready.values_list("enqueued_at", "run_after"))
    return count, max(now - oldest, timedelta(0))


def recover_abandoned(host: str) -> int:
    """Tasks that a worker of this host was running when it died (killed, the machine restarted) go back to the
    queue, to be run again: each task here can be run twice (a re-evaluation or a report is redone, the digest
    mails nobody twice, an import is all or nothing). Workers of other hosts are left alone: only this host can
    tell that a process of its own is gone. A worker id is "host:pid"."""
    from django.tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    recovered = 0
    for pk, worker_ids in DBTaskResult.objects.running().values_list("pk", "worker_ids"):
        name, _sep, pid = (worker_ids or [""])[-1].rpartition(":")
        if name == host and pid.isdigit() and not _alive(int(pid)):
            recovered += DBTaskResult.objects.filter(pk=pk, status=TaskResultStatus.RUNNING).update(
                status=TaskResultStatus.READY)
            log.warning("task %s was left running by worker %s:%s, which is gone: queued again", pk, name, pid)
    return recovered


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def retry_delay(attempt: int) -> int:
    """Seconds to wait after failed attempt `attempt` (1, 2, …): NTM_TASK_RETRY_SECONDS, doubling."""
    return settings.NTM_TASK_RETRY_SECONDS * 2 ** (attempt - 1)


def describe(exc: BaseException) -> str:
    """The failure in a line for the user's page: the exception's own words, else its kind."""
    return (str(exc).strip() or type(exc).__name__)[:2000]


def retry_or_fail(exc: Exception, *, what: str, attempt: int, retry: Callable[[int], None],
                  on_retry: Callable[[str], object], on_failure: Callable[[str], object]) -> bool:
    """After attempt `attempt` failed with `exc`: try again later (`retry(next_attempt)`) while attempts remain
    and the failure is not a `NotRetryable`, else record the failure. Either way a log line says what happened.
    True when it was retried."""
    message = describe(exc)
    limit = max(1, settings.NTM_TASK_ATTEMPTS)
    if attempt < limit and not isinstance(exc, NotRetryable):
        delay = retry_delay(attempt)
        log.warning("%s failed (attempt %d of %d), trying again in %d s: %s", what, attempt, limit, delay, message,
                    exc_info=exc)
        on_retry(message)
        retry(attempt + 1)
        return True
    log.error("%s failed (attempt %d of %d), giving up: %s", what, attempt, limit, message, exc_info=exc)
    on_failure(message)
    return False


# --- Jobs: the generic record -------------------------------------------------------------------------------


def create_job(kind: Job.Kind, subject: str, *, params: dict | None = None, by=None, key: str | None = None) -> Job:
    """A job in the language of whoever asks (its errors are written in it), Vietnamese for the schedule."""
    params = {"lang": translation.get_language() or settings.LANGUAGE_CODE, **(params or {})}
    return Job.objects.create(kind=kind, subject=subject[:300], params=params, key=key,
                              created_by=by if getattr(by, "pk", None) else None)


class Progress:
    """What a job's work calls to say how far it got; each call is one small UPDATE the user's page reads."""

    def __init__(self, job_id: int):
        self.job_id = job_id

    def __call__(self, done: int, total: int | None = None) -> None:
        fields: dict[str, Any] = {"done": done}
        if total is not None:
            fields["total"] = total
        Job.objects.filter(pk=self.job_id).update(**fields)


def store_file(job: Job, content: bytes, filename: str) -> str:
    """Keep a job's result file in the default storage (shared by every host: any worker writes, any server
    serves) and note it on the job for the download link."""
    name = default_storage.save(f"jobs/{job.pk}/{filename}", ContentFile(content))
    Job.objects.filter(pk=job.pk).update(file=name, filename=filename)
    return name


Work = Callable[[Job, Progress], dict]


def run_job(task: Task, job_id: int, attempt: int, work: Work) -> dict:
    """Run `work(job, progress)` for the job: running → done with the dict it returns as result, or, when it
    raises, retrying (a new attempt of `task` queued) or failed with the error's words. A final failure is
    raised again so that the queue's own record of the attempt says "failed" too."""
    job = Job.objects.get(pk=job_id)
    Job.objects.filter(pk=job_id).update(state=Job.State.RUNNING, attempts=attempt, started_at=timezone.now(),
                                         done=0, finished_at=None)
    job.refresh_from_db()
    try:
        with translation.override(job.params.get("lang", settings.LANGUAGE_CODE)):
            result = work(job, Progress(job_id))
    except Exception as exc:
        retried = retry_or_fail(
            exc, what=f"job {job_id} ({job.kind})", attempt=attempt,
            retry=lambda n: enqueue(task, job_id, n, delay_seconds=retry_delay(attempt)),
            on_retry=lambda msg: Job.objects.filter(pk=job_id).update(state=Job.State.RETRYING, error=msg),
            on_failure=lambda msg: Job.objects.filter(pk=job_id).update(state=Job.State.FAILED, error=msg,
                                                                        finished_at=timezone.now()))
        if retried:
            return {"retried": attempt + 1}
        raise
    Job.objects.filter(pk=job_id).update(state=Job.State.DONE, result=result, error="", finished_at=timezone.now())
    log.info("job %s (%s) done after %d attempt(s)", job_id, job.kind, attempt)
    return result
