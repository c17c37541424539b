"""Excel pages: download a template, upload it (preview, then confirm), export the district matrix and a
commune's detail, and complete the catalog. Views parse, authorize, call a selector or an action, render."""

from __future__ import annotations

import secrets

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ntm.accounts.access import is_admin, unit_for_editor, unit_for_reader
from ntm.core.loader import parse_common, parse_set
from ntm.evaluation import selectors as evaluation
from ntm.evaluation.catalog_source import get_catalog
from ntm.figures.actions import FigureRejected
from ntm.units.models import Kind

from . import catalog_sheet, catalog_store, selectors, xlsx_write
from .actions import apply_plan, save_catalog_version
from .forms import UploadForm
from .plan import Plan, plan_changes
from .xlsx_read import CellError, read_workbook

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SESSION_KEY = "exchange_plan"


def _xlsx(data: bytes, name: str) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _year(request: HttpRequest) -> int:
    raw = request.GET.get("year", "")
    return int(raw) if raw.isdigit() and 2000 <= int(raw) <= 2100 else timezone.localdate().year


# --- Figures: template, upload, confirm ---------------------------------------------------------------


@login_required
def template(request: HttpRequest, key: str) -> HttpResponse:
    unit = unit_for_editor(request.user, key)
    year = _year(request)
    cset = selectors.criteria_set(request.GET.get("set", ""), unit, year)
    communes = selectors.communes_of(unit, year)
    data = xlsx_write.figures_template(selectors.template_sheets(communes, cset, year), set_id=cset.id,
                                       set_version=cset.version, year=year, unit_key=unit.key)
    return _xlsx(data, f"bieu-nhap-{unit.key}-{cset.level}-{year}.xlsx")


@login_required
@require_http_methods(["GET", "POST"])
def upload(request: HttpRequest, key: str) -> HttpResponse:
    unit = unit_for_editor(request.user, key)
    form = UploadForm(request.POST or None, request.FILES or None)
    context = {"unit": unit, "form": form, "year": _year(request)}
    if request.method == "POST" and form.is_valid():
        plan = _plan(unit, form.cleaned_data["file"].read())
        context["plan"] = plan
        if plan.ok and plan.changes:
            token = secrets.token_urlsafe(16)
            request.session[SESSION_KEY] = {"token": token, "user": request.user.pk, "unit": unit.key,
                                            "plan": plan.to_json()}
            context["token"] = token
    return render(request, "exchange/upload.html", context)


def _plan(unit, data: bytes) -> Plan:
    read = read_workbook(data)
    if read.meta is None:
        return Plan("", 0, errors=read.errors)
    meta = read.meta
    year = int(meta.get("year")) if meta.get("year").isdigit() else 0
    try:
        cset = get_catalog().get(meta.get("set"))
    except KeyError:
        return Plan("", year, errors=(CellError("_ntm", None, "", _("bộ tiêu chí “%(set)s” không còn trong danh "
                                                                   "mục.") % {"set": meta.get("set")}),))
    communes = selectors.communes_of(unit, year)
    units = selectors.unit_infos(communes, cset)
    current = selectors.current_figures(communes, cset.id, year)
    return plan_changes(read.rows, get_catalog(), set_id=cset.id, year=year, units=units,
                        sheets=dict(meta.sheets), current=current, read_errors=read.errors)


@login_required
@require_POST
def confirm(request: HttpRequest, key: str) -> HttpResponse:
    unit = unit_for_editor(request.user, key)
    stored = request.session.get(SESSION_KEY)
    token = request.POST.get("token", "")
    if (not stored or not secrets.compare_digest(stored["token"], token) or stored["user"] != request.user.pk
            or stored["unit"] != unit.key):
        messages.error(request, _("Bản xem trước đã hết hạn hoặc không thuộc về bạn; hãy tải tệp lên lần nữa."))
        return redirect("exchange:upload", key=unit.key)
    plan = Plan.from_json(stored["plan"])
    try:
        count = apply_plan(plan, by=request.user)
    except FigureRejected as exc:
        messages.error(request, str(exc))
        return redirect("exchange:upload", key=unit.key)
    del request.session[SESSION_KEY]
    messages.success(request, _("Đã ghi %(n)s số liệu năm %(year)s.") % {"n": count, "year": plan.year})
    return redirect(f"{reverse('exchange:upload', args=[unit.key])}?year={plan.year}")


# --- Exports ------------------------------------------------------------------------------------------


@login_required
def matrix(request: HttpRequest, key: str) -> HttpResponse:
    area = unit_for_reader(request.user, key)
    if area.kind not in (Kind.DISTRICT, Kind.PROVINCE):
        raise Http404(key)
    year = int(request.GET["year"]) if request.GET.get("year", "").isdigit() else evaluation.default_year(area)
    level = request.GET.get("level") or evaluation.default_level(area, year)
    data = xlsx_write.matrix_workbook(evaluation.district_matrix(area, level=level, year=year))
    return _xlsx(data, f"ma-tran-{area.key}-{level}-{year}.xlsx")


@login_required
def detail(request: HttpRequest, key: str) -> HttpResponse:
    commune = unit_for_reader(request.user, key)
    if commune.kind != Kind.COMMUNE:
        raise Http404(key)
    year = (int(request.GET["year"]) if request.GET.get("year", "").isdigit()
            else evaluation.default_commune_year(commune))
    level = request.GET.get("level") or evaluation.default_commune_level(commune, year)
    data = xlsx_write.detail_workbook(evaluation.commune_detail(commune, level=level, year=year))
    return _xlsx(data, f"ket-qua-{commune.key}-{level}-{year}.xlsx")


# --- Catalog ------------------------------------------------------------------------------------------


def _admin_only(request: HttpRequest) -> None:
    if not is_admin(request.user):
        raise PermissionDenied


@login_required
def catalog_export(request: HttpRequest, set_id: str) -> HttpResponse:
    _admin_only(request)
    try:
        file_name, text = catalog_store.base_text(set_id)
    except KeyError:
        raise Http404(set_id) from None
    vocab, _problems = parse_common(catalog_store.common_text())
    cset, problems = parse_set(text, file_name, vocab)
    if cset is None:
        raise Http404(set_id)
    version = cset.version.split("+")[0]
    title = _("Ngưỡng của %(set)s — phiên bản %(version)s") % {"set": cset.name_vi, "version": version}
    data = xlsx_write.catalog_workbook(catalog_sheet.threshold_rows(cset, vocab), title=title, set_id=cset.id,
                                       version=version)
    return _xlsx(data, f"nguong-{cset.id}-{version}.xlsx")


@login_required
@require_http_methods(["GET", "POST"])
def catalog_import(request: HttpRequest) -> HttpResponse:
    _admin_only(request)
    form = UploadForm(request.POST or None, request.FILES or None)
    context: dict = {"form": form, "sets": get_catalog().sets}
    if request.method == "POST" and form.is_valid():
        common = catalog_store.common_text()
        vocab, _problems = parse_common(common)
        sheet = catalog_sheet.read_catalog_workbook(form.cleaned_data["file"].read(), vocab)
        try:
            base_file, base = catalog_store.base_text(sheet.set_id)
        except KeyError:
            context["errors"] = [str(e) for e in sheet.errors] or [
                _("Bộ tiêu chí “%(set)s” không có trong danh mục.") % {"set": sheet.set_id}]
            return render(request, "exchange/catalog_import.html", context)
        version = catalog_sheet.new_version(base, base_file, common, sheet)
        if version.errors:
            context["errors"] = version.errors
        else:
            context["saved"] = save_catalog_version(version)
            context["version"] = version
    return render(request, "exchange/catalog_import.html", context)
