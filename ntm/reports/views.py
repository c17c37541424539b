from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from ntm.accounts.access import unit_for_reader
from ntm.evaluation import periods
from ntm.evaluation.report import NoCriteriaSet
from ntm.units.models import Kind, Unit

from . import data, docx, pdf
from .tasks import start_district_report

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def _params(request: HttpRequest, unit: Unit) -> tuple[str, int]:
    """The period asked for, else the reader's kept choice, else the unit's latest period with results."""
    return periods.from_request(request, unit).astuple()


def _file(content: bytes, fmt: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


@login_required
def commune_report(request: HttpRequest, key: str, fmt: str) -> HttpResponse:
    if fmt not in CONTENT_TYPES:
        raise Http404(fmt)
    commune = unit_for_reader(request.user, key)
    if commune.kind != Kind.COMMUNE:
        raise Http404(key)
    level, year = _params(request, commune)
    try:
        report = data.commune_report(commune, level=level, year=year, today=timezone.localdate())
    except NoCriteriaSet:
        raise Http404(f"{level} {year}") from None
    content = pdf.commune_pdf(report) if fmt == "pdf" else docx.commune_docx(report)
    return _file(content, fmt, f"bao-cao-{commune.key}-{level}-{year}")


@login_required
@require_http_methods(["GET", "POST"])
def district_report(request: HttpRequest, key: str, fmt: str) -> HttpResponse:
    """POST (the district page's buttons): queue the report and follow it on /tasks/<n>/ — its layout takes
    seconds. GET: the file made in the request, for scripts and links kept from before."""
    if fmt not in CONTENT_TYPES:
        raise Http404(fmt)
    district = unit_for_reader(request.user, key)
    if district.kind != Kind.DISTRICT:
        raise Http404(key)
    level, year = _params(request, district)
    if request.method == "POST":
        asked = periods.asked(request.POST)
        job = start_district_report(district, level=asked.level or level, year=asked.year or year, fmt=fmt,
                                    by=request.user)
        return redirect("tasks:job", job.pk)
    report = data.district_report(district, level=level, year=year, today=timezone.localdate())
    if report is None:
        raise Http404(f"{level} {year}")
    content = pdf.district_pdf(report) if fmt == "pdf" else docx.district_docx(report)
    return _file(content, fmt, f"tong-hop-{district.key}-{level}-{year}")


