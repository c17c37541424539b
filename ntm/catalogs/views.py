"""The catalog workbench: the sets and layers in force, versions (drafts, published, rejected), editing a
draft criterion by criterion and indicator by indicator (or as YAML), the diff against the version in force,
a second person's approval and the re-evaluation it starts. Views authorize, edit the parsed YAML
(`editing`), hand the text to `actions` (validated by the catalog loader) and render."""

from __future__ import annotations

import yaml
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ntm.catalog_source import common_text, effective_texts, get_catalog
from ntm.core.catalog import Catalog
from ntm.core.gaps import find_gaps
from ntm.core.loader import parse_common
from ntm.evaluation.models import RefreshJob
from ntm.exchange.catalog_diff import HEADER, diff_sets

from . import access, actions, editing
from .forms import (
    ApproveForm,
    CriterionForm,
    DocumentForm,
    IndicatorForm,
    NewLayerForm,
    RejectForm,
    SourceFields,
    ThresholdFormSet,
    UploadForm,
    YamlForm,
    threshold_initial,
)
from .models import CatalogVersion, Kind, State


def _parse(text: str):
    return yaml.load(text, Loader=editing._LOADER)


def _lang() -> str:
    return "en" if (get_language() or "vi").startswith("en") else "vi"


def _workbench_user(request: HttpRequest) -> None:
    access.require_use(request.user)


def _version(request: HttpRequest, pk: int) -> CatalogVersion:
    _workbench_user(request)
    return get_object_or_404(CatalogVersion.objects.select_related("created_by", "approved_by"), pk=pk)


def _editable(request: HttpRequest, pk: int) -> CatalogVersion:
    version = _version(request, pk)
    if version.state != State.DRAFT:
        messages.error(request, _("Chỉ sửa được bản nháp."))
        raise _Redirect(reverse("catalogs:version", args=[version.pk]))
    if not access.may_edit(request.user, version):
        raise PermissionDenied
    return version


class _Redirect(Exception):
    def __init__(self, url: str):
        self.url = url


def _redirecting(view):
    def wrapped(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except _Redirect as r:
            return redirect(r.url)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


# --- What the catalog knows ---------------------------------------------------------------------------


def _vocab():
    return parse_common(common_text())[0]


def _document_choices(raw: dict | None = None) -> list[tuple[str, str]]:
    docs = {d.id: d.number for d in get_catalog().documents.values()}
    for d in (raw or {}).get("documents") or []:
        if isinstance(d, dict) and d.get("id"):
            docs[str(d["id"])] = str(d.get("number") or d["id"])
    return sorted(((k, f"{v} ({k})") for k, v in docs.items()), key=lambda x: x[1])


def _bottom_set(set_or_layer_id: str):
    catalog = get_catalog()
    layers = {layer.id: layer for layer in catalog.layers}
    current, seen = set_or_layer_id, set()
    while current in layers and current not in seen:
        seen.add(current)
        current = layers[current].base
    try:
        return catalog.get(current)
    except KeyError:
        return None


def _scope_choices(raw: dict) -> list[tuple[str, str]]:
    vocab = _vocab()
    if editing.is_layer(raw):
        base = _bottom_set(str(raw.get("base")))
        dimension = base.dimension.value if base else "none"
    else:
        dimension = str(raw.get("dimension") or "none")
    lang = _lang()
    items = {"region": vocab.regions, "group": vocab.groups}.get(dimension, ())
    return [(r.code, f"{r.code} — {r.name_en if lang == 'en' else r.name_vi}") for r in items]


def _base_indicators(raw: dict) -> dict[str, tuple[str, dict]]:
    """For a layer: code → (criterion code, indicator as the base set gives it, in YAML keys)."""
    if not editing.is_layer(raw):
        return {}
    texts, _shadowed = effective_texts()
    base_id, out, seen = str(raw.get("base")), {}, set()
    chain = []
    while base_id in texts and base_id not in seen:
        seen.add(base_id)
        chain.append(texts[base_id][1])
        base_raw = _parse(texts[base_id][1]) or {}
        if not editing.is_layer(base_raw):
            break
        base_id = str(base_raw.get("base"))
    for text in reversed(chain):
        base_raw = _parse(text) or {}
        for crit in base_raw.get("criteria") or []:
            for ind in crit.get("indicators") or []:
                out[str(ind.get("code"))] = (str(crit.get("code") or crit.get("number")), ind)
        for ind in base_raw.get("indicators") or []:
            out[str(ind.get("code"))] = (str(ind.get("criterion")), ind)
        for code in base_raw.get("remove_indicators") or []:
            out.pop(str(code), None)
    return out


def _criterion_choices(raw: dict) -> list[tuple[str, str]]:
    out = {}
    if editing.is_layer(raw):
        base = _bottom_set(str(raw.get("base")))
        if base is not None:
            out.update({c.code: c.name_en if _lang() == "en" else c.name_vi for c in base.criteria})
    for crit in editing.criteria(raw):
        out[str(crit.get("code") or crit.get("number"))] = str(crit.get("name_en" if _lang() == "en" else "name_vi"))
    return [(k, f"{k}. {v}") for k, v in out.items()]


def _in_force_text(set_id: str) -> str:
    texts, _shadowed = effective_texts()
    found = texts.get(set_id)
    return found[1] if found else ""


def _document_number(catalog: Catalog, doc_id: str) -> str:
    doc = catalog.documents.get(doc_id)
    return doc.number if doc else doc_id


def _problems(exc: actions.VersionRefused) -> list[str]:
    lang = _lang()
    return [p.render(lang) for p in exc.problems] or [str(exc)]


def _save(request: HttpRequest, version: CatalogVersion, raw: dict) -> list[str]:
    """Store the edited mapping; the problems if the loader refuses it (nothing saved)."""
    try:
        actions.update_draft(version, editing.dump(raw), by=request.user)
    except actions.VersionRefused as exc:
        return [str(exc), *(_problems(exc) if exc.problems else [])]
    return []


# --- Pages --------------------------------------------------------------------------------------------


@login_required
def index(request: HttpRequest) -> HttpResponse:
    _workbench_user(request)
    catalog = get_catalog()
    gaps: dict[str, int] = {}
    for gap in find_gaps(catalog):
        gaps[gap.set_id] = gaps.get(gap.set_id, 0) + 1
    lang = _lang()
    sets = []
    for cset in catalog.sets:
        layers = []
        bases = {cset.id}
        for layer in catalog.layers:  # layers in base order: a layer over a layer follows its base
            if layer.base in bases:
                bases.add(layer.id)
                layers.append(layer)
        sets.append({"set": cset, "document": _document_number(catalog, cset.document), "layers": [
            {"layer": layer, "document": _document_number(catalog, layer.document)} for layer in layers],
            "gaps": gaps.get(cset.id, 0),
            "name": cset.name_en if lang == "en" else cset.name_vi})
    versions = CatalogVersion.objects.select_related("created_by", "approved_by").order_by("-created_at")[:200]
    own = access.own_provinces(request.user)
    return render(request, "catalogs/index.html", {
        "sets": sets, "versions": versions, "jobs": RefreshJob.objects.order_by("-created_at")[:5],
        "may_layer": access.is_admin_user(request.user) or bool(own), "upload_form": UploadForm(),
    })


@login_required
@require_POST
def start(request: HttpRequest) -> HttpResponse:
    """A new draft from the version in force of a set or layer."""
    _workbench_user(request)
    set_id = request.POST.get("source", "")
    text = _in_force_text(set_id)
    if not text:
        raise Http404(set_id)
    raw = editing.load(text)
    kind = Kind.LAYER if editing.is_layer(raw) else Kind.SET
    provinces = [str(p.get("key")) for p in raw.get("provinces") or [] if isinstance(p, dict)]
    if not access.may_write_text(request.user, kind, provinces):
        raise PermissionDenied
    taken = set(CatalogVersion.objects.filter(set_id=set_id).values_list("version", flat=True))
    version = editing.next_version(str(raw.get("version", "0")), taken)
    try:
        draft = actions.create_draft(editing.start_from(text, version), by=request.user,
                                     note=request.POST.get("note", "")[:2000])
    except actions.VersionRefused as exc:
        for line in _problems(exc):
            messages.error(request, line)
        return redirect("catalogs:index")
    messages.success(request, _("Đã tạo bản nháp %(id)s phiên bản %(v)s.") % {"id": draft.set_id, "v": draft.version})
    return redirect("catalogs:version", draft.pk)


@login_required
@require_http_methods(["GET", "POST"])
def new_layer(request: HttpRequest) -> HttpResponse:
    """A province's own set or specification over a national set."""
    _workbench_user(request)
    catalog = get_catalog()
    own = access.own_provinces(request.user)
    if access.is_admin_user(request.user) and not own:
        from ntm.units.models import Kind as UnitKind
        from ntm.units.models import Unit

        own = list(Unit.objects.filter(kind=UnitKind.PROVINCE).order_by("name").values_list("key", "name"))
    provinces = [(key, f"{name} ({key})") for key, name in own]
    bases = [(s.id, f"{s.name_en if _lang() == 'en' else s.name_vi} ({s.id})") for s in catalog.sets]
    bases += [(layer.id, f"{layer.name_vi} ({layer.id})") for layer in catalog.layers if not layer.demo]
    form = NewLayerForm(request.POST or None, bases=bases, provinces=provinces,
                        initial={"base": request.GET.get("base", ""), "effective_from": timezone.localdate()})
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        names = dict(own)
        if not access.layer_provinces_allowed(request.user, [d["province"]]):
            raise PermissionDenied
        text = editing.new_layer(
            layer_id=d["layer_id"], version=f"{d['effective_from'].year}.1", base=d["base"],
            provinces=[{"key": d["province"], "name": names.get(d["province"], d["province"])}],
            name_vi=d["name_vi"], name_en=d["name_en"], document=form.document(),
            effective_from=d["effective_from"], urls=form.document().get("urls", []))
        try:
            draft = actions.create_draft(text, by=request.user)
        except actions.VersionRefused as exc:
            problems = [str(exc), *_problems(exc)] if exc.problems else [str(exc)]
        else:
            messages.success(request, _("Đã tạo lớp %(id)s (bản nháp).") % {"id": draft.set_id})
            return redirect("catalogs:version", draft.pk)
    return render(request, "catalogs/new_layer.html", {"form": form, "problems": problems})


@login_required
@require_POST
def upload(request: HttpRequest) -> HttpResponse:
    """A draft from a YAML file (a version prepared elsewhere)."""
    _workbench_user(request)
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Hãy chọn một tệp YAML."))
        return redirect("catalogs:index")
    try:
        text = form.cleaned_data["file"].read().decode("utf-8")
    except UnicodeDecodeError:
        messages.error(request, _("Tệp không phải văn bản UTF-8."))
        return redirect("catalogs:index")
    try:
        draft = access.create_checked_draft(request.user, text, note=form.cleaned_data.get("note", ""))
    except actions.VersionRefused as exc:
        messages.error(request, str(exc))
        for line in _problems(exc) if exc.problems else []:
            messages.error(request, line)
        return redirect("catalogs:index")
    return redirect("catalogs:version", draft.pk)


def _content(raw: dict) -> list[dict]:
    """Criteria → indicators → thresholds of a text, for the tables of the version page."""
    out = []
    for crit in editing.criteria(raw):
        code = str(crit.get("code") or crit.get("number"))
        out.append({"code": code, "crit": crit, "alternatives": editing.format_alternatives(crit.get("alternatives")),
                    "indicators": [{"ind": ind, "thresholds": ind.get("thresholds") or []}
                                   for ind in crit.get("indicators") or []]})
    return out


def _layer_content(raw: dict) -> dict:
    if not editing.is_layer(raw):
        return {}
    added = [ind for ind in raw.get("indicators") or [] if isinstance(ind, dict)]
    return {"indicators": [{"ind": ind, "thresholds": ind.get("thresholds") or []} for ind in added],
            "thresholds": raw.get("thresholds") or [],
            "removed": raw.get("remove_indicators") or [], "documents": raw.get("documents") or []}


@login_required
def version(request: HttpRequest, pk: int) -> HttpResponse:
    version = _version(request, pk)
    raw = editing.load(version.text)
    problems: list[str] = []
    if version.state == State.DRAFT:
        try:
            actions.check_text(version.text)
        except actions.VersionRefused as exc:
            problems = _problems(exc)
    in_force = _in_force_text(version.set_id)
    in_force_version = str((_parse(in_force) or {}).get("version", "")) if in_force else ""
    compare_to = in_force if version.state == State.DRAFT or not version.based_on else _text_of(version)
    changes = diff_sets(compare_to, version.text)
    counts = {"added": 0, "removed": 0, "changed": 0}
    for c in changes:
        if c.item != HEADER:
            counts[c.kind] += 1
    diff = {"header": [c for c in changes if c.item == HEADER and c.key != "version"],
            "items": [c for c in changes if c.item != HEADER], "counts": counts,
            "empty": not any(c.item != HEADER or c.key != "version" for c in changes)}
    user = request.user
    context = {
        "version": version, "raw": raw, "content": _content(raw), "layer": _layer_content(raw),
        "problems": problems, "diff": diff, "in_force_version": in_force_version,
        "compared_to": in_force_version if version.state == State.DRAFT else version.based_on,
        "may_edit": access.may_edit(user, version), "may_approve": access.may_approve(user, version),
        "is_author": access.is_author(user, version), "approve_form": ApproveForm(), "reject_form": RejectForm(),
        "document_form": DocumentForm(prefix="doc"), "documents": dict(_document_choices(raw)),
        "jobs": RefreshJob.objects.filter(reason__contains=f"{version.set_id} ").order_by("-created_at")[:3],
    }
    return render(request, "catalogs/version.html", context)


def _text_of(version: CatalogVersion) -> str:
    """The text of the version this one was written from (for a published or rejected version)."""
    if not version.based_on:
        return ""
    found = CatalogVersion.objects.filter(set_id=version.set_id, version=version.based_on).first()
    if found is not None:
        return found.text
    from ntm.catalog_source import repository_texts

    repo = repository_texts().get(version.set_id)
    return repo[1] if repo else ""


@login_required
@_redirecting
@require_http_methods(["GET", "POST"])
def indicator(request: HttpRequest, pk: int) -> HttpResponse:
    """Add an indicator, or edit one (`?code=`), with its thresholds and documents."""
    version = _editable(request, pk)
    raw = editing.load(version.text)
    code = request.GET.get("code") or None
    found = editing.find_indicator(raw, code) if code else None
    in_base = _base_indicators(raw).get(code) if code and found is None else None
    from_base = in_base is not None
    if code and found is None and not from_base:
        raise Http404(code)
    crit_code, ind = found or in_base or (request.GET.get("criterion", ""), {})
    ind = ind or {}
    thresholds = editing.indicator_thresholds(raw, code) if code and found else []
    if code and from_base:  # a layer changing a base indicator: start from the base's, the layer's own lines on top
        own = {(t.get("scope"), t.get("year")): t for t in editing.indicator_thresholds(raw, code)}
        thresholds = [own.pop((t.get("scope"), t.get("year")), t) for t in ind.get("thresholds") or []]
        thresholds += list(own.values())
    vocab = _vocab()
    documents = _document_choices(raw)
    scopes = _scope_choices(raw)
    kwargs = {"criteria": _criterion_choices(raw), "units": sorted(vocab.units),
              "departments": [(d, d) for d in sorted(vocab.departments)], "documents": documents}
    initial = {"criterion": crit_code, "code": ind.get("code", ""), "name_vi": ind.get("name_vi", ""),
               "name_en": ind.get("name_en", ""), "comparison": ind.get("comparison", ">="),
               "unit": ind.get("unit", ""), "department": ind.get("department", ""),
               **SourceFields.initial_from(ind.get("source"))}
    if not thresholds and not code:
        thresholds = [{"scope": s} for s, _label in scopes] or [{"scope": "*"}]
    rows = [threshold_initial(t) for t in thresholds] + [{} for _i in range(3)]
    form = IndicatorForm(request.POST or None, initial=initial, **kwargs)
    formset = ThresholdFormSet(request.POST or None, prefix="t", initial=rows,
                               form_kwargs={"scopes": scopes, "documents": documents})
    problems: list[str] = []
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        fields = form.indicator()
        new_thresholds = formset.thresholds()
        try:
            if code and from_base:
                edited = _layer_edit_of_base(raw, code, ind, crit_code, fields, new_thresholds)
            else:
                edited = editing.set_indicator(raw, form.cleaned_data["criterion"], fields, new_thresholds,
                                               old_code=code)
        except editing.EditError as exc:
            problems = [exc.message(_lang())]
        else:
            problems = _save(request, version, edited)
        if not problems:
            messages.success(request, _("Đã lưu chỉ tiêu %(code)s.") % {"code": fields["code"]})
            return redirect(reverse("catalogs:version", args=[version.pk]) + f"#ind-{fields['code']}")
    mine = [p for p in problems if code and (f"chỉ tiêu {code}" in p or f"indicator {code}" in p)]
    new_code = request.POST.get("code", "") if request.method == "POST" else ""
    mine += [p for p in problems if new_code and (f"chỉ tiêu {new_code}:" in p or f"indicator {new_code}:" in p)
             and p not in mine]
    return render(request, "catalogs/indicator.html", {
        "version": version, "form": form, "formset": formset, "code": code, "problems": problems,
        "mine": mine, "from_base": from_base, "is_layer": editing.is_layer(raw),
    })


def _layer_edit_of_base(raw: dict, code: str, base_ind: dict, crit_code: str, fields: dict,
                        thresholds: list[dict]) -> dict:
    """A layer edits a base indicator: only its thresholds → the layer's threshold lines (those that differ
    from the base); anything else → the layer holds a replacement of the whole indicator."""
    same = all(base_ind.get(k, "") == v or (k == "department" and not v and not base_ind.get(k))
               for k, v in fields.items())
    if same:
        base_lines = [dict(t) for t in base_ind.get("thresholds") or []]
        changed = [t for t in thresholds if t not in base_lines]
        return editing.set_layer_thresholds(raw, code, changed)
    return editing.set_indicator(raw, crit_code, fields, thresholds, start=base_ind)


def _remove(request: HttpRequest, pk: int, remove, done: str) -> HttpResponse:
    """Remove what the POST's `code` names with `remove(raw, code)`; save through the loader's checks."""
    version = _editable(request, pk)
    raw = editing.load(version.text)
    code = request.POST.get("code", "")
    try:
        edited = remove(raw, code)
    except editing.EditError as exc:
        messages.error(request, exc.message(_lang()))
        return redirect("catalogs:version", version.pk)
    problems = _save(request, version, edited)
    for line in problems:
        messages.error(request, line)
    if not problems:
        messages.success(request, done % {"code": code})
    return redirect("catalogs:version", version.pk)


@login_required
@_redirecting
@require_POST
def remove_indicator(request: HttpRequest, pk: int) -> HttpResponse:
    return _remove(request, pk, lambda raw, code: editing.remove_indicator(
        raw, code, base_codes=set(_base_indicators(raw))), _("Đã bỏ chỉ tiêu %(code)s."))


@login_required
@_redirecting
@require_http_methods(["GET", "POST"])
def criterion(request: HttpRequest, pk: int) -> HttpResponse:
    """Add a criterion (it starts with one indicator judged as a whole, "N.0") or edit one (`?code=`)."""
    version = _editable(request, pk)
    raw = editing.load(version.text)
    code = request.GET.get("code") or None
    crit = editing.find_criterion(raw, code) if code else None
    if code and crit is None:
        raise Http404(code)
    crit = crit or {}
    numbers = [number for c in editing.criteria(raw) if isinstance(number := c.get("number"), int)]
    initial = {"number": crit.get("number", max(numbers, default=0) + 1), "code": crit.get("code", ""),
               "name_vi": crit.get("name_vi", ""), "name_en": crit.get("name_en", ""),
               "group_vi": crit.get("group_vi", ""), "key": bool(crit.get("key")),
               "alternatives": editing.format_alternatives(crit.get("alternatives")),
               **SourceFields.initial_from(crit.get("source") or raw.get("source"))}
    form = CriterionForm(request.POST or None, initial=initial, documents=_document_choices(raw))
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        fields = {"number": d["number"], "code": d["code"], "name_vi": d["name_vi"].strip(),
                  "name_en": d["name_en"].strip(), "group_vi": d.get("group_vi", "").strip(), "key": d["key"],
                  "alternatives": editing.parse_alternatives(d.get("alternatives", "")), "source": form.source()}
        placeholder = None if code else {
            "code": f"{d['code']}.0", "name_vi": f"Đánh giá chung tiêu chí {d['code']}",
            "name_en": f"Overall verdict on criterion {d['code']}", "unit": "", "comparison": "met",
            "source": {"status": "provisional",
                       "note": "Các chỉ tiêu thành phần chưa được chép vào danh mục / indicators not transcribed yet"}}
        try:
            edited = editing.set_criterion(raw, fields, old_code=code, placeholder=placeholder)
        except editing.EditError as exc:
            problems = [exc.message(_lang())]
        else:
            problems = _save(request, version, edited)
        if not problems:
            messages.success(request, _("Đã lưu tiêu chí %(code)s.") % {"code": d["code"]})
            return redirect(reverse("catalogs:version", args=[version.pk]) + f"#crit-{d['code']}")
    return render(request, "catalogs/criterion.html", {"version": version, "form": form, "code": code,
                                                       "problems": problems})


@login_required
@_redirecting
@require_POST
def remove_criterion(request: HttpRequest, pk: int) -> HttpResponse:
    return _remove(request, pk, editing.remove_criterion, _("Đã bỏ tiêu chí %(code)s."))


@login_required
@_redirecting
@require_POST
def document(request: HttpRequest, pk: int) -> HttpResponse:
    """Declare a provincial document in a layer."""
    version = _editable(request, pk)
    form = DocumentForm(request.POST, prefix="doc")
    if not form.is_valid():
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            messages.error(request, f"{label}: {' '.join(str(e) for e in errors)}")
        return redirect("catalogs:version", version.pk)
    try:
        edited = editing.add_document(editing.load(version.text), form.document())
    except editing.EditError as exc:
        messages.error(request, exc.message(_lang()))
        return redirect("catalogs:version", version.pk)
    problems = _save(request, version, edited)
    for line in problems:
        messages.error(request, line)
    if not problems:
        messages.success(request, _("Đã thêm văn bản %(n)s.") % {"n": form.cleaned_data["number"]})
    return redirect("catalogs:version", version.pk)


@login_required
@_redirecting
@require_http_methods(["GET", "POST"])
def yaml_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The whole draft as YAML, for experts."""
    version = _editable(request, pk)
    form = YamlForm(request.POST or None, initial={"text": version.text})
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        text = form.cleaned_data["text"].replace("\r\n", "\n")
        try:
            actions.update_draft(version, text, by=request.user)
        except actions.VersionRefused as exc:
            problems = [str(exc), *(_problems(exc) if exc.problems else [])]
        else:
            messages.success(request, _("Đã lưu nội dung YAML."))
            return redirect("catalogs:version", version.pk)
    return render(request, "catalogs/yaml.html", {"version": version, "form": form, "problems": problems})


@login_required
def export_yaml(request: HttpRequest, pk: int) -> HttpResponse:
    version = _version(request, pk)
    response = HttpResponse(version.text, content_type="application/yaml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{version.set_id}@{version.version}.yaml"'
    return response


@login_required
def export_workbook(request: HttpRequest, pk: int) -> HttpResponse:
    """The version as the catalog workbook (the spreadsheet round trip's format)."""
    from ntm.exchange.catalog_sheet import workbook_for

    version = _version(request, pk)
    data = workbook_for(version.text, common_text=common_text())
    response = HttpResponse(data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="{version.set_id}@{version.version}.xlsx"'
    return response


@login_required
@require_POST
def approve(request: HttpRequest, pk: int) -> HttpResponse:
    version = _version(request, pk)
    if not access.may_approve(request.user, version):
        if access.is_author(request.user, version):
            messages.error(request, _("Người soạn không tự phê duyệt được: cần một người thứ hai phê duyệt."))
            return redirect("catalogs:version", version.pk)
        raise PermissionDenied
    form = ApproveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Ngày hiệu lực không hợp lệ."))
        return redirect("catalogs:version", version.pk)
    try:
        job = actions.approve(version, by=request.user, takes_effect=form.cleaned_data.get("takes_effect"),
                              note=form.cleaned_data.get("note", ""))
    except actions.VersionRefused as exc:
        messages.error(request, str(exc))
        for line in _problems(exc) if exc.problems else []:
            messages.error(request, line)
        return redirect("catalogs:version", version.pk)
    messages.success(request, _("Đã phê duyệt %(id)s phiên bản %(v)s; đang đánh giá lại các kết quả.")
                     % {"id": version.set_id, "v": version.version})
    return redirect("catalogs:job", job.pk)


@login_required
@require_POST
def reject(request: HttpRequest, pk: int) -> HttpResponse:
    version = _version(request, pk)
    if version.state != State.DRAFT or not (access.may_approve(request.user, version)
                                            or access.may_edit(request.user, version)):
        raise PermissionDenied
    form = RejectForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Hãy ghi lý do trả lại."))
        return redirect("catalogs:version", version.pk)
    try:
        actions.reject(version, by=request.user, note=form.cleaned_data["note"])
    except actions.VersionRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Đã trả lại bản nháp."))
    return redirect("catalogs:version", version.pk)


@login_required
def history(request: HttpRequest, set_id: str) -> HttpResponse:
    _workbench_user(request)
    versions = CatalogVersion.objects.filter(set_id=set_id).select_related("created_by", "approved_by")
    in_force = _in_force_text(set_id)
    if not in_force and not versions:
        raise Http404(set_id)
    in_force_version = str((_parse(in_force) or {}).get("version", "")) if in_force else ""
    from ntm.catalog_source import repository_texts

    repo = repository_texts().get(set_id)
    return render(request, "catalogs/history.html", {
        "set_id": set_id, "versions": versions, "in_force_version": in_force_version,
        "repository_version": str((_parse(repo[1]) or {}).get("version", "")) if repo else "",
        "repository_file": repo[0] if repo else ""})


@login_required
def job(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_object_or_404(RefreshJob.objects.select_related("created_by"), pk=pk)
    if job.created_by_id is None or job.created_by_id != request.user.pk:  # whoever started it may follow it
        _workbench_user(request)
    running = job.state in (RefreshJob.State.QUEUED, RefreshJob.State.RUNNING)
    template = "catalogs/_job.html" if request.headers.get("HX-Request") else "catalogs/job.html"
    return render(request, template, {"job": job, "running": running})
