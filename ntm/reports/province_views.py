"""The page where a province office asks for the report of all its communes; the work runs in the background
(`tasks.province_report_task`) and the page sends the office to follow it on /tasks/<n>/."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from ntm.accounts.access import unit_for_reader
from ntm.evaluation import periods, presenters
from ntm.evaluation.selectors import commune_levels
from ntm.tasks.access import jobs_for_reader
from ntm.tasks.models import Job
from ntm.units.models import Kind

from .tasks import FORMATS, start_province_report


@login_required
@require_http_methods(["GET", "POST"])
def province_report(request: HttpRequest, key: str) -> HttpResponse:
    province = unit_for_reader(request.user, key)
    if province.kind != Kind.PROVINCE:
        raise Http404(key)
    level, year = periods.from_request(request, province).astuple()
    if request.method == "POST":
        asked = periods.asked(request.POST)
        level, year = asked.level or level, asked.year or year
        fmt = request.POST.get("format", "pdf")
        if fmt not in FORMATS:
            raise Http404(fmt)
        job = start_province_report(province, level=level, year=year, fmt=fmt, by=request.user)
        return redirect("tasks:job", job.pk)
    jobs = jobs_for_reader(request.user).filter(kind=Job.Kind.PROVINCE_REPORT, params__province=province.key)
    return render(request, "reports/province_report.html", {
        "province": province, "level": level, "year": year, "formats": FORMATS, "jobs": jobs[:10],
        "level_choices": presenters.level_choices(commune_levels()),
        "years": periods.year_choices(province, year, level)})
