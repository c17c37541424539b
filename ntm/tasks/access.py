"""Who may follow a job: whoever asked for it, and administrators (who also see the scheduled ones). A report
of an area stays theirs only while they still read the area (a move to another office ends it)."""

from __future__ import annotations

from django.http import Http404

from .models import Job

AREA_PARAM = {Job.Kind.PROVINCE_REPORT: "province", Job.Kind.DISTRICT_REPORT: "district"}


def may_follow(user, job: Job) -> bool:
    if not (user.is_superuser or (job.created_by_id is not None and job.created_by_id == user.pk)):
        return False
    param = AREA_PARAM.get(Job.Kind(job.kind))
    key = (job.params or {}).get(param) if param else None
    return key is None or user.is_superuser or _reads(user, key)


def _reads(user, key: str) -> bool:
    from ntm.accounts.access import can_read
    from ntm.units.models import Unit

    unit = Unit.objects.select_related("parent", "parent__parent").filter(key=key).first()
    return unit is not None and can_read(user, unit)


def job_for_reader(user, pk: int) -> Job:
    """The job, or 404 (another person's job is not even said to exist)."""
    job = Job.objects.select_related("created_by").filter(pk=pk).first()
    if job is None or not may_follow(user, job):
        raise Http404(pk)
    return job


def jobs_for_reader(user):
    jobs = Job.objects.select_related("created_by")
    return jobs if user.is_superuser else jobs.filter(created_by=user)
