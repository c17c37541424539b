"""`/healthz`: is this server process able to do its work? For a load balancer, a monitor or a person.

Each check returns its figures or raises; the answer is 200 when all pass, 503 naming the checks that failed.
The public answer names only the kind of error (it is served without log-in); the log has the detail with
the request id. Background work added later (a task queue) plugs in as one more check in CHECKS."""

from __future__ import annotations

import logging
import time
import uuid
from datetime import timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

log = logging.getLogger("ntm.health")


class CheckFailed(Exception):
    """A check ran but what it measured is out of bounds (e.g. a job waiting too long)."""

    def __init__(self, message: str, figures: dict | None = None):
        super().__init__(message)
        self.figures = figures or {}


def check_database() -> dict:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return {}


def check_storage() -> dict:
    """Writes, reads back and deletes a tiny file: a full disk, a read-only mount or expired S3 credentials
    only show when writing, and a dossier upload is a write. Three small operations per probe."""
    name = default_storage.save(f"healthz/{uuid.uuid4().hex}.txt", ContentFile(b"ok"))
    try:
        with default_storage.open(name) as file:
            if file.read() != b"ok":
                raise CheckFailed(f"storage read back something else than it wrote ({name})")
    finally:
        default_storage.delete(name)
    return {}


def check_refresh_queue() -> dict:
    """Re-evaluations (evaluation.jobs.RefreshJob) waiting or running: how many, and how long the oldest
    has been there. Fails past NTM_HEALTH_QUEUE_MAX_SECONDS: results are going stale."""
    from ntm.evaluation.models import RefreshJob

    pending = RefreshJob.objects.filter(state__in=[RefreshJob.State.QUEUED, RefreshJob.State.RUNNING])
    oldest = pending.order_by("created_at").values_list("created_at", flat=True).first()
    age = (timezone.now() - oldest) if oldest else timedelta(0)
    figures = {"pending": pending.count(), "oldest_seconds": round(age.total_seconds())}
    limit = settings.NTM_HEALTH_QUEUE_MAX_SECONDS
    if limit and age.total_seconds() > limit:
        raise CheckFailed(f"oldest re-evaluation waiting {figures['oldest_seconds']} s (limit {limit} s)", figures)
    return figures


def check_task_queue() -> dict:
    """Background work (README "Background work") due and not yet taken by any `ntm worker`: how many, and how
    long the oldest has waited. Fails past NTM_HEALTH_QUEUE_MAX_SECONDS: no worker runs, or too few."""
    from ntm.tasks.queue import waiting

    count, age = waiting()
    figures = {"waiting": count, "oldest_seconds": round(age.total_seconds())}
    limit = settings.NTM_HEALTH_QUEUE_MAX_SECONDS
    if limit and age.total_seconds() > limit:
        raise CheckFailed(f"oldest task waiting {figures['oldest_seconds']} s for a worker (limit {limit} s)", figures)
    return figures


CHECKS = {"database": check_database, "storage": check_storage, "refresh_queue": check_refresh_queue,
          "task_queue": check_task_queue}


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    """200 {"status": "ok", "checks": {...}} or 503 {"status": "failing", "failed": [...], ...}.
    Touches neither the session nor the user: a probe every few seconds costs a few queries."""
    results: dict[str, dict] = {}
    failed: list[str] = []
    for name, check in CHECKS.items():
        started = time.perf_counter()
        try:
            result = {"ok": True, **check()}
        except CheckFailed as exc:
            result = {"ok": False, "error": str(exc), **exc.figures}
        except Exception as exc:  # whatever broke, the probe must answer; the detail goes to the log only
            log.exception("health check %s failed", name)
            result = {"ok": False, "error": type(exc).__name__}
        if not result["ok"]:
            failed.append(name)
            log.warning("health check %s failed: %s", name, result["error"])
        result["ms"] = round((time.perf_counter() - started) * 1000, 1)
        results[name] = result
    body: dict[str, object] = {"status": "failing" if failed else "ok", "checks": results}
    if failed:
        body["failed"] = failed
    return JsonResponse(body, status=503 if failed else 200)
