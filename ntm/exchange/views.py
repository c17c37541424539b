"""Excel pages: download a template, upload it (preview, then confirm), export the district matrix and a
commune's detail (completing the catalog in Excel: ntm/catalogs/workbook_views.py). Views parse, authorize,
call a selector or an action, render."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, replace

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ntm.accounts.access import unit_for_editor, unit_for_reader
from ntm.catalog_source import get_catalog
from ntm.entry.forms import level_choices
from ntm.evaluation import matrix as evaluation_matrix
from ntm.evaluation import periods, presenters
from ntm.evaluation import selectors as evaluation
from ntm.evaluation.wording import set_title
from ntm.figures.actions import FigureRejected
from ntm.figures.locks import locks_among
from ntm.figures.parsing import with_bound
from ntm.units.models import Kind
from ntm.workbooks.forms import UploadForm

from . import selectors, xlsx_write
from .actions import apply_plan, forget_plan, keep_plan
from .plan import Change, Current, Plan, plan_changes
from .xlsx_read import CellError, read_workbook

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SESSION_KEY = "exchange_plan"


def _xlsx(data: bytes, name: str) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


# --- Figures: template, upload, confirm ---------------------------------------------------------------


@login_required
def template(request: HttpRequest, key: str) -> HttpResponse:
    unit = unit_for_editor(request.user, key)
    period = periods.from_request(request, unit)
    year = period.year
    cset = selectors.criteria_set(request.GET.get("set", ""), period)
    communes = selectors.communes_of(unit, year)
    data = xlsx_write.figures_template(selectors.template_sheets(communes, cset, year), set_id=cset.id,
                                       set_version=cset.version, year=year, unit_key=unit.key)
    return _xlsx(data, f"bieu-nhap-{unit.key}-{cset.level}-{year}.xlsx")


@login_required
@require_http_methods(["GET", "POST"])
def upload(request: HttpRequest, key: str) -> HttpResponse:
    unit = unit_for_editor(request.user, key)
    form = UploadForm(request.POST or None, request.FILES or None)
    period = periods.from_request(request, unit)
    context = {"unit": unit, "form": form, "year": period.year, "level": period.level,
               "levels": level_choices(unit, period.year)}
    if request.method == "POST" and form.is_valid():
        plan = _plan(unit, form.cleaned_data["file"].read())
        context.update(plan=plan, preview=_preview(plan))
        if plan.ok and plan.changes:
            token = keep_plan(plan, user=request.user, unit=unit)
            request.session[SESSION_KEY] = {"token": token, "user": request.user.pk, "unit": unit.key}
            context["token"] = token
    return render(request, "exchange/upload.html", context)


@dataclass(frozen=True)
class PreviewRow:
    change: Change
    old: str  # "" when there was no figure
    new: str


@dataclass(frozen=True)
class Preview:
    """A plan as people read it: the year as a year, the set by its title, each figure in its own precision."""

    year: str
    set_title: str
    rows: tuple[PreviewRow, ...]
    more: int = 0  # changes not listed (all are written on confirmation)


PREVIEW_ROWS = 300  # a province's workbook may change 10,000 figures: the page lists the first ones


def _preview(plan: Plan) -> Preview:
    try:
        title = set_title(get_catalog().get(plan.set_id))
    except KeyError:
        title = plan.set_id
    shown = plan.changes[:PREVIEW_ROWS]
    return Preview(str(plan.year or ""), title,
                   tuple(PreviewRow(c, _figure_text(c.old, c.measure), _figure_text(c.new, c.measure))
                         for c in shown), len(plan.changes) - len(shown))


def _figure_text(figure: Current | None, measure: str) -> str:
    """"77,5 triệu đồng/người/năm", "> 96 %", "Đạt": a value as typed, never padded with zeros."""
    if figure is None:
        return ""
    unit = get_catalog().units_en.get(measure, measure) if _english() else measure
    parts = [with_bound(figure.bound, presenters.with_unit(figure.value, unit))] if figure.value is not None else []
    if figure.verdict is not None:
        parts.append(_("Đạt") if figure.verdict else _("Chưa đạt"))
    return " · ".join(parts)


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
    units = selectors.unit_infos(communes, cset, year)
    current = selectors.current_figures(communes, cset.id, year)
    plan = plan_changes(read.rows, get_catalog(), set_id=cset.id, year=year, units=units,
                        sheets=dict(meta.sheets), current=current, read_errors=read.errors)
    return _refuse_locked(plan, {c.key: c.pk for c in communes})


def _refuse_locked(plan: Plan, ids: dict[str, int]) -> Plan:
    """A change to figures a verified dossier locks is refused at preview, with the lock's reason."""
    locks = locks_among({(ids[c.unit_key], plan.set_id, plan.year) for c in plan.changes if c.unit_key in ids})
    locked = [CellError(c.sheet, c.row, "", locks[(ids[c.unit_key], plan.set_id, plan.year)].reason)
              for c in plan.changes if (ids.get(c.unit_key), plan.set_id, plan.year) in locks]
    return replace(plan, errors=plan.errors + tuple(locked)) if locked else plan


@login_required
@require_POST
def confirm(request: HttpRequest, key: str) -> HttpResponse:
    unit = unit_for_editor(request.user, key)
    stored = request.session.get(SESSION_KEY)
    token = request.POST.get("token", "")
    plan = None
    if (stored and secrets.compare_digest(stored["token"], token) and stored["user"] == request.user.pk
            and stored["unit"] == unit.key):
        plan = selectors.kept_plan(token, user=request.user, unit=unit)
    if plan is None:
        messages.error(request, _("Bản xem trước đã hết hạn hoặc không thuộc về bạn; hãy tải tệp lên lần nữa."))
        return redirect("exchange:upload", key=unit.key)
    try:
        count = apply_plan(plan, by=request.user)
    except FigureRejected as exc:
        messages.error(request, str(exc))
        return redirect("exchange:upload", key=unit.key)
    forget_plan(token)
    del request.session[SESSION_KEY]
    messages.success(request, _("Đã ghi %(n)s số liệu năm %(year)s.") % {"n": count, "year": plan["year"]})
    return redirect(f"{reverse('exchange:upload', args=[unit.key])}?year={plan['year']}")


# --- Exports ------------------------------------------------------------------------------------------


@login_required
def matrix(request: HttpRequest, key: str) -> HttpResponse:
    area = unit_for_reader(request.user, key)
    if area.kind not in (Kind.DISTRICT, Kind.PROVINCE):
        raise Http404(key)
    level, year = periods.from_request(request, area).astuple()
    data = xlsx_write.matrix_workbook(evaluation_matrix.district_matrix(area, level=level, year=year))
    return _xlsx(data, f"ma-tran-{area.key}-{level}-{year}.xlsx")


@login_required
def detail(request: HttpRequest, key: str) -> HttpResponse:
    commune = unit_for_reader(request.user, key)
    if commune.kind != Kind.COMMUNE:
        raise Http404(key)
    level, year = periods.from_request(request, commune).astuple()
    data = xlsx_write.detail_workbook(evaluation.commune_detail(commune, level=level, year=year))
    return _xlsx(data, f"ket-qua-{commune.key}-{level}-{year}.xlsx")


def _english() -> bool:
    return (get_language() or "vi").startswith("en")
