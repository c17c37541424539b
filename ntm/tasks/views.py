"""A job's page (progress while it runs, then its result or its error), its file, and one's recent jobs."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from .access import job_for_reader, jobs_for_reader


@login_required
def job(request: HttpRequest, pk: int) -> HttpResponse:
    job = job_for_reader(request.user, pk)
    template = "tasks/_job.html" if request.headers.get("HX-Request") else "tasks/job.html"
    return render(request, template, {"job": job})


@login_required
def download(request: HttpRequest, pk: int) -> FileResponse:
    job = job_for_reader(request.user, pk)
    if not job.file or not default_storage.exists(job.file):
        raise Http404(pk)
    return FileResponse(default_storage.open(job.file, "rb"), as_attachment=True, filename=job.filename)


@login_required
def index(request: HttpRequest) -> HttpResponse:
    return render(request, "tasks/index.html", {"jobs": jobs_for_reader(request.user)[:50]})
