"""Excel pages: download a template, upload it (preview, then confirm), export the district matrix and a
commune's detail, and complete the catalog. Views parse, authorize, call a selector or an action, render."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, replace

import yaml
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.formats import number_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ntm.accounts.access import unit_for_editor, unit_for_reader
from ntm.catalogs import access as catalog_access
from ntm.catalogs.actions import VersionRefused
from ntm.catalogs.models import CatalogVersion
from ntm.catalogs.models import Kind as VersionKind
from ntm.core.loader import is_layer_text
from ntm.evaluation import matrix as evaluation_matrix
from ntm.evaluation import periods, presenters
from ntm.evaluation import selectors as evaluation
from ntm.evaluation.catalog_source import get_catalog
from ntm.figures.actions import FigureRejected
from ntm.figures.forms import level_choices
from ntm.figures.locks import locks_among
from ntm.figures.parsing import with_bound
from ntm.figures.wording import set_title
from ntm.units.models import Kind
from ntm.workbooks.forms import UploadForm

from . import catalog_diff, catalog_sheet, catalog_store, selectors, xlsx_write
from .actions import apply_plan, read_catalog_import, store_catalog_import
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
            token = secrets.token_urlsafe(16)
            request.session[SESSION_KEY] = {"token": token, "user": request.user.pk, "unit": unit.key,
                                            "plan": plan.to_json()}
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


# --- Catalog ------------------------------------------------------------------------------------------

CATALOG_SESSION_KEY = "exchange_catalog_import"


def _catalog_editor(request: HttpRequest) -> None:
    """Province coordination offices and administrators complete the catalog (a second person approves)."""
    catalog_access.require_use(request.user)


def _may_write(request: HttpRequest, text: str) -> bool:
    """A province office writes layers only for its own province (the workbench's rule)."""
    kind = VersionKind.LAYER if is_layer_text(text) else VersionKind.SET
    return catalog_access.may_write_text(request.user, kind, catalog_access.province_keys_of(text))


@login_required
def catalog_export(request: HttpRequest, set_id: str) -> HttpResponse:
    """The workbook of the version in force of a set or layer, or of one stored version (`?version=pk`)."""
    _catalog_editor(request)
    pk = request.GET.get("version", "")
    if pk.isdigit():
        found = CatalogVersion.objects.filter(pk=int(pk), set_id=set_id).first()
        if found is None:
            raise Http404(set_id)
        text = found.text
    else:
        try:
            _file, text = catalog_store.base_text(set_id)
        except KeyError:
            raise Http404(set_id) from None
    version = str((yaml.safe_load(text) or {}).get("version", ""))
    return _xlsx(catalog_sheet.workbook_for(text), f"bo-tieu-chi-{set_id}-{version}.xlsx")


def _draft_url(pk: int) -> str:
    try:
        return reverse("catalogs:version", args=[pk])
    except NoReverseMatch:
        return f"/catalog/versions/{pk}/"


@login_required
@require_http_methods(["GET", "POST"])
def catalog_import(request: HttpRequest) -> HttpResponse:
    """Upload a filled workbook → preview of what it changes → confirm: a DRAFT version."""
    _catalog_editor(request)
    form = UploadForm(request.POST or None, request.FILES or None)
    context: dict = {"form": form, "books": _books()}
    pk = request.GET.get("draft", "")
    if request.method == "GET" and pk.isdigit():
        draft = CatalogVersion.objects.filter(pk=int(pk), created_by=request.user).first()
        if draft is not None:
            context.update(draft=draft, draft_url=_draft_url(draft.pk))
    if request.method == "POST" and form.is_valid():
        found = read_catalog_import(form.cleaned_data["file"].read())
        context["found"] = found
        if found.ok and not _may_write(request, found.text):
            context["not_yours"] = True
        elif found.ok:
            token = secrets.token_urlsafe(16)
            request.session[CATALOG_SESSION_KEY] = {"token": token, "user": request.user.pk, "text": found.text,
                                                    "based_on": found.based_on, "set_id": found.set_id}
            context["token"] = token
            context["groups"] = _change_groups(found.changes)
    return render(request, "exchange/catalog_import.html", context)


def _books() -> list[dict]:
    """The sets and layers in force, for their workbook links."""
    catalog = get_catalog()
    english = _english()
    return [{"id": x.id, "name": x.name_en if english else x.name_vi, "version": x.version.split("+")[0],
             "base": getattr(x, "base", "")} for x in (*catalog.sets, *catalog.layers)]


def _change_groups(changes) -> list[dict]:
    labels = {catalog_diff.HEADER: _("Thông tin chung"), catalog_diff.DOCUMENT: _("Văn bản"),
              catalog_diff.CRITERION: _("Tiêu chí"), catalog_diff.INDICATOR: _("Chỉ tiêu"),
              catalog_diff.THRESHOLD: _("Ngưỡng")}
    groups = []
    for item, label in labels.items():
        mine = [c for c in changes if c.item == item]
        if mine:
            counts = catalog_diff.summary(mine).get(item, {})
            groups.append({"item": item, "label": label, "rows": [_change_row(c) for c in mine],
                           "added": counts.get("added", 0), "removed": counts.get("removed", 0),
                           "changed": counts.get("changed", 0)})
    return groups


def _shown(value) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, list):
        return ", ".join(_shown(v) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{k}: {_shown(v)}" for k, v in value.items())
    if isinstance(value, float | int) and not isinstance(value, bool):
        return number_format(value)
    return str(value)


def _change_row(change: catalog_diff.Change) -> dict:
    kinds = {catalog_diff.ADDED: _("Thêm"), catalog_diff.REMOVED: _("Bỏ"), catalog_diff.CHANGED: _("Sửa")}
    if change.kind == catalog_diff.CHANGED:
        detail = "; ".join(f"{f}: {_shown(change.old.get(f) if isinstance(change.old, dict) else change.old)} → "
                           f"{_shown(change.new.get(f) if isinstance(change.new, dict) else change.new)}"
                           for f in change.fields)
    else:
        item = change.new if change.kind == catalog_diff.ADDED else change.old
        keep = ("value", "status", "document") if change.item == catalog_diff.THRESHOLD else (
            "unit", "comparison", "department") if change.item == catalog_diff.INDICATOR else ("number",)
        detail = "; ".join(f"{k}: {_shown(item.get(k))}" for k in keep if isinstance(item, dict) and k in item)
    return {"kind": change.kind, "kind_label": kinds[change.kind], "key": change.key, "label": change.label,
            "detail": detail}


@login_required
@require_POST
def catalog_confirm(request: HttpRequest) -> HttpResponse:
    _catalog_editor(request)
    stored = request.session.get(CATALOG_SESSION_KEY)
    token = request.POST.get("token", "")
    if not stored or not secrets.compare_digest(stored["token"], token) or stored["user"] != request.user.pk:
        messages.error(request, _("Bản xem trước đã hết hạn hoặc không thuộc về bạn; hãy tải sổ lên lần nữa."))
        return redirect("exchange:catalog_import")
    if not _may_write(request, stored["text"]):
        raise PermissionDenied
    try:
        draft = store_catalog_import(stored["text"], based_on=stored["based_on"], by=request.user,
                                     note=request.POST.get("note", "").strip()[:2000])
    except VersionRefused as exc:
        messages.error(request, " ".join([str(exc), *(p.render("en" if _english() else "vi")
                                                      for p in exc.problems)]))
        return redirect("exchange:catalog_import")
    del request.session[CATALOG_SESSION_KEY]
    messages.success(request, _("Đã tạo bản nháp %(id)s phiên bản %(v)s; chưa áp dụng cho đến khi một người thứ "
                                "hai phê duyệt.") % {"id": draft.set_id, "v": draft.version})
    return redirect(f"{reverse('exchange:catalog_import')}?draft={draft.pk}")


def _english() -> bool:
    return (get_language() or "vi").startswith("en")
