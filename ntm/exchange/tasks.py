"""A confirmed Excel import written in the background: a province's workbook may change tens of thousands of
figures, longer than a request should wait. The previewed plan (the same `Plan` the confirmation writes) is kept
on a `Job`; the task writes it with `actions.apply_plan` — all or nothing, the same checks and locks — and
the person follows it on /tasks/<n>/. A figure changed by someone else since the preview, or a lock, fails the
import at once with the reason (trying again cannot help); anything else is tried again."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.tasks import task
from django.utils.translation import gettext as _

from ntm.figures.actions import FigureRejected
from ntm.tasks.models import Job
from ntm.tasks.queue import NotRetryable, Progress, create_job, enqueue, run_job

from .actions import apply_plan
from .plan import Plan


def start_import(plan: Plan, *, unit, by) -> Job:
    """Queue the writing of a previewed plan (with the caller's transaction); its page is /tasks/<n>/."""
    subject = f"{unit.full_name} — {plan.set_id} {plan.year} — {len(plan.changes)}"
    job = create_job(Job.Kind.IMPORT, subject, by=by, params={"unit": unit.key, "plan": plan.to_json()})
    enqueue(import_task, job.pk, 1)
    return job


@task()
def import_task(job_id: int, attempt: int = 1) -> dict:
    return run_job(import_task, job_id, attempt, _write)


def _write(job: Job, progress: Progress) -> dict:
    plan = Plan.from_json(job.params["plan"])
    by = get_user_model().objects.filter(pk=job.created_by_id).first() if job.created_by_id is not None else None
    if by is None:
        raise NotRetryable(_("Tài khoản của người nhập không còn nữa; không ghi số liệu nào."))
    progress(0, len(plan.changes))
    try:
        written = apply_plan(plan, by=by)
    except FigureRejected as exc:  # stale preview, a lock, a value out of bounds: the workbook must change
        raise NotRetryable(str(exc)) from exc
    progress(len(plan.changes))
    return {"written": written, "year": plan.year}
