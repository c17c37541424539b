"""Re-evaluating stored results in the background after something they rest on changed.

A `RefreshJob` row says what to redo and how far it got, so a page (/catalog/jobs/<n>/) can show its progress;
the work is a task of Django's tasks framework (`refresh_task`), queued with the row and run by `ntm worker`
(at once when the transaction commits under `NTM_JOBS_INLINE`, as in tests). A failed attempt is tried again
a bounded number of times (NTM_TASK_ATTEMPTS), then the row says "failed" with the error. `ntm results refresh`
runs the same work from the command line."""

from __future__ import annotations

import logging
from collections.abc import Collection

from django.tasks import task
from django.utils import timezone

from ntm.catalog_source import get_catalog
from ntm.figures.models import Figure as FigureRow
from ntm.tasks.queue import describe, enqueue, retry_delay, retry_or_fail

from .actions import refresh_results
from .models import RefreshJob, UnitResult

log = logging.getLogger(__name__)


def years_to_refresh(set_ids: Collection[str] | None) -> list[int]:
    """Years with figures or stored results for those sets (every set when None), and only years in
    which one of them is in force."""
    catalog = get_catalog()
    sets = [s for s in catalog.sets if set_ids is None or s.id in set_ids]
    ids = [s.id for s in sets]
    years = set(FigureRow.objects.filter(criteria_set__in=ids).values_list("year", flat=True).distinct())
    years |= set(UnitResult.objects.filter(criteria_set__in=ids).values_list("year", flat=True).distinct())
    return sorted(y for y in years if any(s.in_force(y) for s in sets))


def schedule_refresh(reason: str, *, set_ids: Collection[str] | None = None,
                     unit_ids: Collection[int] | None = None, years: Collection[int] | None = None,
                     by=None) -> RefreshJob:
    """Record a re-evaluation and queue it with the current transaction (it runs once that commits)."""
    job = RefreshJob.objects.create(reason=reason[:300], set_ids=sorted(set_ids or []),
                                    unit_ids=sorted(unit_ids or []), years=sorted(years or []),
                                    created_by=by if getattr(by, "pk", None) else None)
    enqueue(refresh_task, job.pk, 1)
    return job


def refresh_after_classification(sender, *, unit_ids: Collection[int], reason: str, by=None,
                                 **_kw) -> RefreshJob | None:
    """Receiver of `ntm.units.signals.classified`: re-evaluate the units whose group or flags changed."""
    return schedule_refresh(reason, unit_ids=unit_ids, by=by) if unit_ids else None


class RefreshFailed(Exception):
    """A re-evaluation failed on its last attempt (its row says why); raised so that the queue says so too."""


@task()
def refresh_task(job_id: int, attempt: int = 1) -> dict:
    """The queued work of a `RefreshJob`: its attempt number `attempt`; a failure is queued again or recorded."""
    job = run_job(job_id, attempt, retry=True)
    if job.state == RefreshJob.State.FAILED:
        raise RefreshFailed(job.error)
    return {"state": job.state, "written": job.written}


def run_job(job_id: int, attempt: int = 1, *, retry: bool = False) -> RefreshJob:
    """Do the work of a job, year by year, recording progress. A failure is recorded, not raised; with `retry`,
    an attempt before the last queues the next one instead (the row waits again, the error shown)."""
    job = RefreshJob.objects.get(pk=job_id)
    if job.state == RefreshJob.State.DONE:  # a queue that delivers twice redoes nothing
        return job
    set_ids = job.set_ids or None
    communes = job.unit_ids or None
    RefreshJob.objects.filter(pk=job.pk).update(state=RefreshJob.State.RUNNING, done=0, finished_at=None)
    written = 0
    try:
        years = job.years or years_to_refresh(set_ids)
        RefreshJob.objects.filter(pk=job.pk).update(total=len(years))
        for done, year in enumerate(years, start=1):
            written += refresh_results(year, communes=communes, set_ids=_with_districts(set_ids, year))
            RefreshJob.objects.filter(pk=job.pk).update(done=done, written=written)
        RefreshJob.objects.filter(pk=job.pk).update(state=RefreshJob.State.DONE, error="", finished_at=timezone.now())
    except Exception as exc:  # recorded for the user who waits on the page; the log has the trace
        _failed(job.pk, exc, attempt, retry)
    job.refresh_from_db()
    return job


def _failed(job_id: int, exc: Exception, attempt: int, retry: bool) -> None:
    def fail(message: str) -> None:
        RefreshJob.objects.filter(pk=job_id).update(state=RefreshJob.State.FAILED, error=message,
                                                    finished_at=timezone.now())

    if not retry:
        log.exception("refresh job %s failed", job_id)
        fail(describe(exc))
        return
    retry_or_fail(exc, what=f"refresh job {job_id}", attempt=attempt,
                  retry=lambda n: enqueue(refresh_task, job_id, n, delay_seconds=retry_delay(attempt)),
                  on_retry=lambda msg: RefreshJob.objects.filter(pk=job_id).update(state=RefreshJob.State.QUEUED,
                                                                                 error=msg),
                  on_failure=fail)


def _with_districts(set_ids: Collection[str] | None, year: int) -> set[str] | None:
    """A commune set's results feed the district sets that count communes: refresh those too."""
    if set_ids is None:
        return None
    catalog = get_catalog()
    levels = {catalog.get(s).level for s in set_ids if s in {x.id for x in catalog.sets}}
    districts = {d.id for d in catalog.sets if d.in_force(year) and any(
        i.derived and i.derived.share_of_communes_meeting in levels for i in d.indicators)}
    return set(set_ids) | districts


def stale_sets() -> list[str]:
    """Sets with stored results made with another version than the catalog's now (a repository file
    changed, a version was published elsewhere). A stored version reads "set version/layer@version/…"."""
    catalog = get_catalog()
    sets = {s.id: s.version for s in catalog.sets}
    layers = {layer.id: layer.version for layer in catalog.layers}
    stale = set()
    for set_id, version in UnitResult.objects.values_list("criteria_set", "set_version").distinct():
        national, *parts = version.split("/")
        current = [p.partition("@") for p in parts]
        if sets.get(set_id) != national or any(layers.get(lid) != v for lid, _at, v in current):
            stale.add(set_id)
    return sorted(stale)


def refresh_stale(reason: str) -> RefreshJob | None:
    """Schedule a re-evaluation of the sets whose stored results another catalog version made."""
    stale = stale_sets()
    return schedule_refresh(reason, set_ids=stale) if stale else None
