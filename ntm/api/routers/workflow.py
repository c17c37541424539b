"""Who answers for which criterion (assignments), inspections and their follow-ups, and the recognition
dossiers (read-only here). Writes go through the workflow pages' forms, access predicates and actions."""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.pagination import paginate

from ntm.recognition.models import Dossier
from ntm.units.models import Unit
from ntm.workflow import actions, selectors
from ntm.workflow.access import area_for_office, area_for_reader, commune_for_assigner, may_close
from ntm.workflow.forms import AssignmentForm, DoneForm, FindingForm, FollowUpForm, InspectionForm, people_of
from ntm.workflow.models import Assignment, FollowUp, Inspection
from ntm.workflow.views import _communes_qs, _inspection_sets

from ..filters import AssignmentFilter, DossierFilter
from ..pagination import Keyset
from ..schemas import AssignmentOut, DossierOut, Message
from ..schemas_work import (
    AssignmentIn,
    DoneIn,
    FindingIn,
    FindingOut,
    FollowUpIn,
    FollowUpOut,
    InspectionIn,
    InspectionOut,
)
from ..scope import caller, check_named_units, in_scope

router = Router()


@router.get("/assignments", response=list[AssignmentOut], tags=["workflow"],
            summary="Phân công phụ trách tiêu chí / assignments")
@paginate(Keyset, page_size=100, max_page_size=500)
def list_assignments(request: HttpRequest, filters: Query[AssignmentFilter]):
    check_named_units(request, filters.unit, filters.parent)
    rows = (in_scope(request, Assignment.objects.all()).select_related("unit", "responsible"))
    return filters.filter(rows)


@router.get("/dossiers", response=list[DossierOut], tags=["recognition"],
            summary="Hồ sơ công nhận / recognition dossiers")
@paginate(Keyset, page_size=100, max_page_size=500)
def list_dossiers(request: HttpRequest, filters: Query[DossierFilter]):
    check_named_units(request, filters.commune, filters.parent)
    rows = (in_scope(request, Dossier.objects.all(), "commune").select_related("commune"))
    return filters.filter(rows)


# --- Writes: the pages' forms, access predicates and actions, nothing of our own -------------------
# Each write fills the page's form with the same choices the page offers, so a value the page would not
# offer is refused with the page's own words; then the page's action runs.

WRITE = {400: Message, 401: Message, 403: Message, 404: Message}


def _refusal(form) -> str:
    """The form's errors as one line: "Field: message" (non-field errors bare)."""
    parts = []
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        parts += [f"{label}: {e}" if label else str(e) for e in errors]
    return "; ".join(parts)


def _pk_of(queryset, key: str):
    """The id a form expects for a unit key, or the key itself so the form refuses it as the page would."""
    return queryset.filter(key=key).values_list("pk", flat=True).first() or key


def _user_pk(username: str):
    return get_user_model().objects.filter(username=username).values_list("pk", flat=True).first() or username


def _chain(unit: Unit) -> list[Unit]:
    chain = [unit]
    while (parent := chain[-1].parent) is not None:  # no query when parent_id is None
        chain.append(parent)
    return chain


@router.post("/assignments", response={201: AssignmentOut, **WRITE}, tags=["workflow"],
             summary="Giao phụ trách tiêu chí / assign a criterion",
             description="Như trang phân công: văn phòng điều phối cấp trên hoặc lãnh đạo xã; người phụ trách là "
                         "người có vai trò ở xã hoặc cấp trên. / As the assignment page: the office above the "
                         "commune or its leader; the person holds a role in the commune or above it.")
def create_assignment(request: HttpRequest, payload: AssignmentIn):
    user = caller(request)
    commune = commune_for_assigner(user, payload.commune)
    communes = Unit.objects.filter(pk=commune.pk)
    form = AssignmentForm({
        "commune": commune.pk, "item": f"{payload.criteria_set}|{payload.criterion}|{payload.indicator}",
        "year": payload.year, "responsible": _user_pk(payload.responsible), "department": payload.department,
        "due": payload.due or "", "note": payload.note,
    }, communes=communes, people=people_of(_chain(commune)))
    if not form.is_valid():
        return Status(400, {"detail": _refusal(form)})
    d = form.cleaned_data
    try:
        assignment = actions.assign(actions.AssignmentInput(
            unit=commune, criteria_set=d["criteria_set"], year=d["year"], criterion=d["criterion"],
            indicator=d["indicator"], responsible=d["responsible"], department=d["department"], due=d["due"],
            note=d["note"]), by=user, now=timezone.now())
    except actions.WorkflowError as error:
        return Status(400, {"detail": str(error)})
    except IntegrityError:
        return Status(400, {"detail": _("Người này đã được giao mục này.")})
    return Status(201, assignment)


@router.get("/inspections", response={200: list[InspectionOut], 401: Message, 403: Message, 404: Message},
            tags=["workflow"], summary="Các đợt kiểm tra của một huyện/tỉnh / an area's inspections")
def list_inspections(request: HttpRequest, area: str):
    return selectors.area_inspections(area_for_reader(caller(request), area)).select_related("district")


@router.post("/inspections", response={201: InspectionOut, **WRITE}, tags=["workflow"],
             summary="Tạo đợt kiểm tra / create an inspection",
             description="Chỉ văn phòng điều phối của huyện/tỉnh; các xã phải thuộc địa bàn. / Only the area's "
                         "coordination office; the communes must lie within the area.")
def create_inspection(request: HttpRequest, payload: InspectionIn):
    user = caller(request)
    area = area_for_office(user, payload.area)
    communes = _communes_qs(area)
    form = InspectionForm({"title": payload.title, "date": payload.date, "team": payload.team,
                           "communes": [_pk_of(communes, k) for k in payload.communes]}, communes=communes)
    if not form.is_valid():
        return Status(400, {"detail": _refusal(form)})
    d = form.cleaned_data
    try:
        inspection = actions.create_inspection(district=area, title=d["title"], date=d["date"], team=d["team"],
                                               communes=d["communes"], by=user, now=timezone.now())
    except actions.WorkflowError as error:
        return Status(400, {"detail": str(error)})
    return Status(201, inspection)


def _inspection_for_office(request: HttpRequest, inspection_id: int) -> tuple[Unit, Inspection]:
    inspection = Inspection.objects.select_related("district").filter(pk=inspection_id).first()
    if inspection is None:
        raise Http404(inspection_id)
    return area_for_office(caller(request), inspection.district.key), inspection


@router.post("/inspections/{int:inspection_id}/findings", response={201: FindingOut, **WRITE}, tags=["workflow"],
             summary="Ghi nhận khi kiểm tra / record a finding")
def create_finding(request: HttpRequest, inspection_id: int, payload: FindingIn):
    area, inspection = _inspection_for_office(request, inspection_id)
    communes = inspection.communes.all()
    criterion = f"{payload.criteria_set}|{payload.criterion}" if payload.criterion else ""
    form = FindingForm({"commune": _pk_of(communes, payload.commune), "criterion": criterion,
                        "status_seen": payload.status_seen, "text": payload.text},
                       communes=communes, sets=_inspection_sets(area, inspection))
    if not form.is_valid():
        return Status(400, {"detail": _refusal(form)})
    d = form.cleaned_data
    try:
        finding = actions.add_finding(inspection=inspection, commune=d["commune"], text=d["text"],
                                      criteria_set=d["criteria_set"], criterion=d["criterion"],
                                      status_seen=d["status_seen"])
    except actions.WorkflowError as error:
        return Status(400, {"detail": str(error)})
    return Status(201, finding)


@router.post("/inspections/{int:inspection_id}/follow-ups", response={201: FollowUpOut, **WRITE},
             tags=["workflow"], summary="Kết luận cần thực hiện / add a follow-up")
def create_follow_up(request: HttpRequest, inspection_id: int, payload: FollowUpIn):
    area, inspection = _inspection_for_office(request, inspection_id)
    communes = inspection.communes.all()
    form = FollowUpForm({"commune": _pk_of(communes, payload.commune), "text": payload.text,
                         "owner": _user_pk(payload.owner), "due": payload.due or ""},
                        communes=communes, people=people_of([area, *communes]))
    if not form.is_valid():
        return Status(400, {"detail": _refusal(form)})
    d = form.cleaned_data
    try:
        follow_up = actions.add_follow_up(inspection=inspection, commune=d["commune"], text=d["text"],
                                          owner=d["owner"], due=d["due"])
    except actions.WorkflowError as error:
        return Status(400, {"detail": str(error)})
    return Status(201, follow_up)


@router.post("/follow-ups/{int:follow_up_id}/done", response={200: FollowUpOut, **WRITE}, tags=["workflow"],
             summary="Đánh dấu đã thực hiện / mark a follow-up done",
             description="Người thực hiện hoặc văn phòng đã kiểm tra; lần đánh dấu đầu tiên được giữ. / Its "
                         "owner or the office that inspected; the first closing stands.")
def close_follow_up(request: HttpRequest, follow_up_id: int, payload: DoneIn):
    follow_up = (FollowUp.objects.select_related("inspection__district", "commune", "owner")
                 .filter(pk=follow_up_id).first())
    if follow_up is None:
        raise Http404(follow_up_id)
    user = caller(request)
    if not may_close(user, follow_up):
        raise PermissionDenied
    form = DoneForm({"note": payload.note})
    if not form.is_valid():
        return Status(400, {"detail": _refusal(form)})
    actions.mark_done(follow_up, by=user, now=timezone.now(), note=form.cleaned_data["note"])
    return follow_up
