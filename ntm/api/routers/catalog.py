"""The criteria catalog: sets → criteria → indicators → thresholds, each with its source
(official, with the document it was read in, or provisional). The catalog is public law, so any
authenticated caller may read all of it. Versions (drafts, published, returned) are the catalog
workbench's: province offices and administrators list, export, upload and approve them, with the pages'
rules (a second person approves)."""


from datetime import date, datetime

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import NoReverseMatch, reverse
from ninja import Router, Schema
from ninja.responses import Status

from ntm.catalog_source import get_catalog
from ntm.catalogs import access as catalog_access
from ntm.catalogs import actions as catalog_actions
from ntm.catalogs.models import CatalogVersion
from ntm.core.catalog import Catalog, CriteriaSet, Criterion, Indicator, Source, Threshold

from ..schemas import CriteriaSetOut, CriteriaSetSummary, Message, NoNul
from ..scope import caller

router = Router(tags=["catalog"])


def _document(catalog: Catalog, doc_id: str | None) -> dict | None:
    doc = catalog.documents.get(doc_id) if doc_id else None
    if doc is None:
        return None
    return {"id": doc.id, "number": doc.number, "title_vi": doc.title_vi, "signed": doc.signed,
            "urls": list(doc.urls)}


def _source(catalog: Catalog, source: Source) -> dict:
    return {"status": source.status.value, "document": _document(catalog, source.document),
            "urls": list(source.urls), "note": source.note}


def _threshold(catalog: Catalog, t: Threshold) -> dict:
    return {"scope": t.scope, "year": t.year, "value": t.value, "source": _source(catalog, t.source)}


def _indicator(catalog: Catalog, ind: Indicator) -> dict:
    return {
        "code": ind.code, "name_vi": ind.name_vi, "name_en": ind.name_en, "unit": ind.unit,
        "comparison": ind.comparison.value, "department": ind.department,
        "derived_from_level": ind.derived.share_of_communes_meeting if ind.derived else None,
        "minimum": ind.minimum, "maximum": ind.maximum, "source": _source(catalog, ind.source),
        "thresholds": [_threshold(catalog, t) for t in ind.thresholds],
    }


def _criterion(catalog: Catalog, crit: Criterion) -> dict:
    return {
        "code": crit.code, "number": crit.number, "name_vi": crit.name_vi, "name_en": crit.name_en,
        "key": crit.key, "group_vi": crit.group_vi, "alternatives": [list(a) for a in crit.alternatives],
        "source": _source(catalog, crit.source), "indicators": [_indicator(catalog, i) for i in crit.indicators],
    }


def _summary(catalog: Catalog, cset: CriteriaSet) -> dict:
    return {
        "id": cset.id, "version": cset.version, "level": cset.level, "unit_kind": cset.unit_kind.value,
        "name_vi": cset.name_vi, "name_en": cset.name_en, "document": _document(catalog, cset.document),
        "effective_from": cset.effective_from, "effective_to": cset.effective_to,
        "dimension": cset.dimension.value, "scopes": list(cset.scopes), "criteria_count": len(cset.criteria),
        "source": _source(catalog, cset.source),
    }


@router.get("/sets", response=list[CriteriaSetSummary], summary="Các bộ tiêu chí / criteria sets")
def list_sets(request: HttpRequest):
    catalog = get_catalog()
    return [_summary(catalog, s) for s in catalog.sets]


@router.get("/sets/{set_id}", response={200: CriteriaSetOut, 401: Message, 404: Message},
            summary="Một bộ tiêu chí đầy đủ / one criteria set in full")
def get_set(request: HttpRequest, set_id: str):
    catalog = get_catalog()
    try:
        cset = catalog.get(set_id)
    except KeyError:
        raise Http404(set_id) from None
    return {**_summary(catalog, cset), "criteria": [_criterion(catalog, c) for c in cset.criteria]}


# --- Versions: list, export, upload a draft, approve (the catalog workbench's API) -------------------


MAX_YAML_BYTES = 2 * 1024 * 1024


class CatalogVersionOut(Schema):
    id: int
    set_id: str
    version: str
    kind: str
    base: str
    based_on: str
    state: str
    demo: bool
    note: str
    created_by: str | None
    created_at: datetime
    approved_by: str | None
    approved_at: datetime | None
    takes_effect: date | None
    decision_note: str


class ProblemOut(Schema):
    file: str
    criterion: str
    indicator: str
    message_vi: str
    message_en: str


class RefusalOut(Schema):
    detail: str
    problems: list[ProblemOut]


class ApproveIn(Schema):
    takes_effect: date | None = None
    note: NoNul = ""


class RefreshJobOut(Schema):
    id: int
    reason: str
    state: str
    done: int
    total: int
    written: int
    percent: int
    error: str
    url: str | None


def _workbench(request: HttpRequest):
    user = caller(request)
    if not catalog_access.may_use(user):
        raise PermissionDenied
    return user


def _version_out(v: CatalogVersion) -> dict:
    return {"id": v.pk, "set_id": v.set_id, "version": v.version, "kind": v.kind, "base": v.base,
            "based_on": v.based_on, "state": v.state, "demo": v.demo, "note": v.note,
            "created_by": v.created_by.username if v.created_by else None, "created_at": v.created_at,
            "approved_by": v.approved_by.username if v.approved_by else None, "approved_at": v.approved_at,
            "takes_effect": v.takes_effect, "decision_note": v.decision_note}


def _refusal(exc: catalog_actions.VersionRefused) -> dict:
    return {"detail": str(exc), "problems": [
        {"file": p.file, "criterion": p.criterion, "indicator": p.indicator, "message_vi": p.message_vi,
         "message_en": p.message_en} for p in exc.problems]}


@router.get("/versions", response={200: list[CatalogVersionOut], 401: Message, 403: Message},
            summary="Các phiên bản bộ tiêu chí và lớp / versions of sets and layers")
def list_versions(request: HttpRequest, set_id: str | None = None, state: str | None = None):
    """Drafts, published and returned versions, newest first. Province offices and administrators only."""
    _workbench(request)
    rows = CatalogVersion.objects.select_related("created_by", "approved_by").order_by("-created_at")
    if set_id:
        rows = rows.filter(set_id=set_id)
    if state:
        rows = rows.filter(state=state)
    return [_version_out(v) for v in rows[:500]]


@router.get("/versions/{version_id}/yaml", response={200: None, 401: Message, 403: Message, 404: Message},
            summary="Tải một phiên bản dạng YAML / one version as YAML",
            openapi_extra={"responses": {"200": {"description": "YAML", "content": {"application/yaml": {}}}}})
def export_version(request: HttpRequest, version_id: int):
    _workbench(request)
    v = get_object_or_404(CatalogVersion, pk=version_id)
    response = HttpResponse(v.text, content_type="application/yaml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{v.set_id}@{v.version}.yaml"'
    return response


@router.post("/versions", response={201: CatalogVersionOut, 400: RefusalOut, 401: Message, 403: Message,
                                    413: Message},
             summary="Gửi một bản nháp (YAML) / upload a draft version (YAML)",
             openapi_extra={"requestBody": {"content": {
                 "application/yaml": {"schema": {"type": "string"}},
                 "multipart/form-data": {"schema": {"type": "object", "properties": {
                     "file": {"type": "string", "format": "binary"}, "note": {"type": "string"}}}}}}})
def upload_version(request: HttpRequest):
    """The body is the YAML text of a set or layer (`Content-Type: application/yaml`), or a form with a
    `file`. It is checked by the catalog loader; a new draft must be newer than the version in force."""
    user = _workbench(request)
    note = ""
    upload = request.FILES.get("file")
    if upload is not None:
        assert upload.size is not None  # Django's upload handlers always set it
        if upload.size > MAX_YAML_BYTES:
            return Status(413, {"detail": "Tệp quá lớn / file too large"})
        data = upload.read()
        note = str(request.POST.get("note", ""))[:2000]
    else:
        data = request.body
        if len(data) > MAX_YAML_BYTES:
            return Status(413, {"detail": "Tệp quá lớn / file too large"})
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return Status(400, {"detail": "Nội dung không phải văn bản UTF-8 / the body is not UTF-8 text", "problems": []})
    if "\x00" in text:
        return Status(400, {"detail": "Nội dung có ký tự NUL / the body holds a NUL character", "problems": []})
    try:
        draft = catalog_access.create_checked_draft(user, text, note=note)
    except catalog_actions.VersionRefused as exc:
        return Status(400, _refusal(exc))
    return Status(201, _version_out(draft))


@router.post("/versions/{version_id}/approve",
             response={200: RefreshJobOut, 400: RefusalOut, 401: Message, 403: Message, 404: Message,
                       409: RefusalOut},
             summary="Phê duyệt (người thứ hai) / approve (a second person)")
def approve_version(request: HttpRequest, version_id: int, body: ApproveIn):
    """Publish a draft; returns the re-evaluation job it started. 409: the caller wrote the draft, or it is
    no longer a draft, or a newer version is in force; 400: the loader refuses the text (problems listed)."""
    user = _workbench(request)
    v = get_object_or_404(CatalogVersion, pk=version_id)
    if catalog_access.is_author(user, v) or v.state != "draft":
        detail = ("Người soạn không tự phê duyệt được: cần một người thứ hai phê duyệt. / The author cannot approve "
                  "their own draft." if v.state == "draft" else "Không còn là bản nháp / no longer a draft")
        return Status(409, {"detail": detail, "problems": []})
    if not catalog_access.may_approve(user, v):
        raise PermissionDenied
    try:
        job = catalog_actions.approve(v, by=user, takes_effect=body.takes_effect, note=body.note or "")
    except catalog_actions.VersionRefused as exc:
        return Status(400 if exc.problems else 409, _refusal(exc))
    try:
        url = reverse("catalogs:job", args=[job.pk])
    except NoReverseMatch:
        url = None
    return {"id": job.pk, "reason": job.reason, "state": job.state, "done": job.done, "total": job.total,
            "written": job.written, "percent": job.percent, "error": job.error, "url": url}


@router.get("/jobs/{job_id}", response={200: RefreshJobOut, 401: Message, 403: Message, 404: Message},
            summary="Tiến độ đánh giá lại / progress of a re-evaluation")
def get_job(request: HttpRequest, job_id: int):
    from ntm.evaluation.models import RefreshJob

    _workbench(request)
    job = get_object_or_404(RefreshJob, pk=job_id)
    return {"id": job.pk, "reason": job.reason, "state": job.state, "done": job.done, "total": job.total,
            "written": job.written, "percent": job.percent, "error": job.error, "url": None}
