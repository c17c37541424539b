"""Who may follow a job: whoever asked for it, and administrators (who also see the scheduled ones)."""

from __future__ import annotations

from django.http import Http404

from .models import Job


def may_follow(user, job: Job) -> bool:
    return bool(user.is_superuser or (job.created_by_id is not None and job.created_by_id == user.pk))


def job_for_reader(user, pk: int) -> Job:
    """The job, or 404 (another person's job is not even said to exist)."""
    job = Job.objects.select_related("created_by").filter(pk=pk).first()
    if job is None or not may_follow(user, job):
        raise Http404(pk)
    return job


def jobs_for_reader(user):
    jobs = Job.objects.select_related("created_by")
    return jobs if user.is_superuser else jobs.filter(created_by=user)
