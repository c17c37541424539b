"""Completing the catalog in Excel: download the workbook of a set or layer, upload it filled (preview of
what it changes), confirm (a DRAFT version that a second person approves). The workbook itself is
ntm.exchange.catalog_sheet; the URLs stay under exchange/catalog/."""

from __future__ import annotations

import secrets

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

from ntm.catalog_source import get_catalog
from ntm.core.catalog import CriteriaSet, Layer
from ntm.core.loader import is_layer_text
from ntm.exchange import catalog_diff, catalog_sheet, catalog_store
from ntm.workbooks.forms import UploadForm

from . import access
from .actions import VersionRefused
from .models import CatalogVersion
from .models import Kind as VersionKind
from .workbook import read_catalog_import, store_catalog_import

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

CATALOG_SESSION_KEY = "exchange_catalog_import"


def _catalog_editor(request: HttpRequest) -> None:
    """Province coordination offices and administrators complete the catalog (a second person approves)."""
    access.require_use(request.user)


def _may_write(request: HttpRequest, text: str) -> bool:
    """A province office writes layers only for its own province (the workbench's rule)."""
    kind = VersionKind.LAYER if is_layer_text(text) else VersionKind.SET
    return access.may_write_text(request.user, kind, access.province_keys_of(text))


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
        assert request.user.is_authenticated  # login_required
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
    return render(request, "catalogs/workbook_import.html", context)


def _books() -> list[dict]:
    """The sets and layers in force, for their workbook links."""
    catalog = get_catalog()
    english = _english()
    books: list[CriteriaSet | Layer] = [*catalog.sets, *catalog.layers]
    return [{"id": x.id, "name": x.name_en if english else x.name_vi, "version": x.version.split("+")[0],
             "base": getattr(x, "base", "")} for x in books]


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
        return redirect("catalogs:workbook_import")
    if not _may_write(request, stored["text"]):
        raise PermissionDenied
    try:
        draft = store_catalog_import(stored["text"], based_on=stored["based_on"], by=request.user,
                                     note=request.POST.get("note", "").strip()[:2000])
    except VersionRefused as exc:
        messages.error(request, " ".join([str(exc), *(p.render("en" if _english() else "vi")
                                                      for p in exc.problems)]))
        return redirect("catalogs:workbook_import")
    del request.session[CATALOG_SESSION_KEY]
    messages.success(request, _("Đã tạo bản nháp %(id)s phiên bản %(v)s; chưa áp dụng cho đến khi một người thứ "
                                "hai phê duyệt.") % {"id": draft.set_id, "v": draft.version})
    return redirect(f"{reverse('catalogs:workbook_import')}?draft={draft.pk}")


def _xlsx(data: bytes, name: str) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _english() -> bool:
    return (get_language() or "vi").startswith("en")
