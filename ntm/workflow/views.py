"""Thin views: parse, authorize through `ntm.workflow.access`, call a selector or an action, render.
htmx requests get fragments from the same views."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ntm.catalog_source import get_catalog
from ntm.core.catalog import UnitKind
from ntm.evaluation import periods
from ntm.evaluation.presenters import level_name
from ntm.evaluation.selectors import commune_levels, under
from ntm.http import HtmxHttpRequest
from ntm.units.models import Kind, Unit

from . import actions, selectors
from .access import (
    area_for_office,
    area_for_reader,
    commune_for_assigner,
    commune_for_reader,
    is_office_for,
    may_assign,
    may_close,
)
from .forms import AssignmentForm, DoneForm, FindingForm, FollowUpForm, InspectionForm, display_name_of, people_of
from .models import FollowUp, Inspection


def _communes_qs(area: Unit):
    """Every commune the area has held: an assignment or inspection may concern a year before 1/7/2025."""
    return Unit.objects.filter(under(area), kind=Kind.COMMUNE).order_by("name", "key")


def _assignment_form(request: HttpRequest, area: Unit, communes, people, data=None) -> AssignmentForm:
    period = periods.from_request(request, area)
    initial = {"year": period.year}
    if communes.count() == 1:
        initial["commune"] = communes.first()
    sets = [period.cset] if period.cset else None  # the page's set only: never three sets in one list
    form = AssignmentForm(data, communes=communes, people=people, sets=sets, initial=initial)
    form.period = period
    form.set_name = display_name_of(period.cset) if period.cset else ""
    form.other_levels = [(lvl, level_name(lvl)) for lvl in commune_levels()
                         if lvl != period.level and get_catalog().set_for(UnitKind.COMMUNE, lvl, period.year)]
    return form


def _inspection_sets(area: Unit, inspection: Inspection) -> list | None:
    """The set the area's communes are followed on in the inspection's year."""
    cset = periods.choose(area, year=inspection.date.year).cset
    return [cset] if cset else None


def _create_assignment(request: HttpRequest, form: AssignmentForm) -> bool:
    if not form.is_valid():
        return False
    d = form.cleaned_data
    if not may_assign(request.user, d["commune"]):
        raise PermissionDenied
    try:
        actions.assign(actions.AssignmentInput(
            unit=d["commune"], criteria_set=d["criteria_set"], year=d["year"], criterion=d["criterion"],
            indicator=d["indicator"], responsible=d["responsible"], department=d["department"], due=d["due"],
            note=d["note"]), by=request.user, now=timezone.now())
    except actions.WorkflowError as error:
        form.add_error(None, str(error))
        return False
    messages.success(request, _("Đã giao việc."))
    return True


@login_required
def my_work(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    return render(request, "workflow/my_work.html", {
        "items": selectors.my_work(request.user, today=today),
        "follow_ups": selectors.my_follow_ups(request.user, today=today),
    })


@login_required
def district_assignments(request: HttpRequest, key: str) -> HttpResponse:
    area = area_for_office(request.user, key) if request.method == "POST" else area_for_reader(request.user, key)
    communes = _communes_qs(area)
    office = is_office_for(request.user, area)
    form = None
    if office:
        form = _assignment_form(request, area, communes, people_of([area, *communes]), request.POST or None)
        if request.method == "POST" and _create_assignment(request, form):
            return redirect("workflow:district_assignments", key=area.key)
    return render(request, "workflow/assignments.html", {
        "area": area, "items": selectors.area_assignments(area, today=timezone.localdate()), "form": form,
        "show_commune": True,
    }, status=400 if form is not None and form.errors else 200)


@login_required
def commune_assignments(request: HttpRequest, key: str) -> HttpResponse:
    if request.method == "POST":
        commune = commune_for_assigner(request.user, key)
    else:
        commune = commune_for_reader(request.user, key)
    form = None
    if may_assign(request.user, commune):
        communes = Unit.objects.filter(pk=commune.pk)
        people = people_of([commune, commune.parent] if commune.parent_id else [commune])
        form = _assignment_form(request, commune, communes, people, request.POST or None)
        if request.method == "POST" and _create_assignment(request, form):
            return redirect("workflow:commune_assignments", key=commune.key)
    return render(request, "workflow/assignments.html", {
        "area": commune, "items": selectors.commune_assignments(commune, today=timezone.localdate()), "form": form,
        "show_commune": False,
    }, status=400 if form is not None and form.errors else 200)


@login_required
def plan(request: HttpRequest, key: str) -> HttpResponse:
    area = area_for_reader(request.user, key)
    return render(request, "workflow/plan.html", {
        "area": area, "plans": selectors.area_plans(area, today=timezone.localdate()),
        "today": timezone.localdate(),
    })


@login_required
def inspections(request: HttpRequest, key: str) -> HttpResponse:
    area = area_for_office(request.user, key) if request.method == "POST" else area_for_reader(request.user, key)
    form = None
    if is_office_for(request.user, area):
        form = InspectionForm(request.POST or None, communes=_communes_qs(area))
        if request.method == "POST" and form.is_valid():
            d = form.cleaned_data
            inspection = actions.create_inspection(district=area, title=d["title"], date=d["date"], team=d["team"],
                                                   communes=d["communes"], by=request.user, now=timezone.now())
            return redirect("workflow:inspection", key=area.key, pk=inspection.pk)
    return render(request, "workflow/inspections.html", {
        "area": area, "inspections": selectors.area_inspections(area), "form": form,
    }, status=400 if form is not None and form.errors else 200)


def _inspection(area: Unit, pk: int) -> Inspection:
    return get_object_or_404(Inspection, pk=pk, district=area)


def _inspection_page(request: HttpRequest, area: Unit, inspection: Inspection, *, finding_form=None,
                     follow_up_form=None, status: int = 200) -> HttpResponse:
    office = is_office_for(request.user, area)
    communes = inspection.communes.order_by("name")
    if office:
        finding_form = finding_form or FindingForm(communes=communes, sets=_inspection_sets(area, inspection))
        follow_up_form = follow_up_form or FollowUpForm(communes=communes, people=people_of([area, *communes]))
    detail = selectors.inspection_detail(inspection, today=timezone.localdate(),
                                         closer=lambda fu: may_close(request.user, fu))
    return render(request, "workflow/inspection.html", {
        "area": area, "detail": detail, "office": office, "finding_form": finding_form,
        "follow_up_form": follow_up_form,
    }, status=status)


@login_required
def inspection(request: HttpRequest, key: str, pk: int) -> HttpResponse:
    area = area_for_reader(request.user, key)
    return _inspection_page(request, area, _inspection(area, pk))


@login_required
@require_POST
def add_finding(request: HttpRequest, key: str, pk: int) -> HttpResponse:
    area = area_for_office(request.user, key)
    inspection = _inspection(area, pk)
    form = FindingForm(request.POST, communes=inspection.communes.all(), sets=_inspection_sets(area, inspection))
    if not form.is_valid():
        return _inspection_page(request, area, inspection, finding_form=form, status=400)
    d = form.cleaned_data
    actions.add_finding(inspection=inspection, commune=d["commune"], text=d["text"], criteria_set=d["criteria_set"],
                        criterion=d["criterion"], status_seen=d["status_seen"])
    return redirect("workflow:inspection", key=area.key, pk=inspection.pk)


@login_required
@require_POST
def add_follow_up(request: HttpRequest, key: str, pk: int) -> HttpResponse:
    area = area_for_office(request.user, key)
    inspection = _inspection(area, pk)
    communes = inspection.communes.all()
    form = FollowUpForm(request.POST, communes=communes, people=people_of([area, *communes]))
    if not form.is_valid():
        return _inspection_page(request, area, inspection, follow_up_form=form, status=400)
    d = form.cleaned_data
    actions.add_follow_up(inspection=inspection, commune=d["commune"], text=d["text"], owner=d["owner"], due=d["due"])
    return redirect("workflow:inspection", key=area.key, pk=inspection.pk)


@login_required
@require_POST
def mark_done(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    follow_up = get_object_or_404(FollowUp.objects.select_related("inspection__district", "commune", "owner"), pk=pk)
    if not may_close(request.user, follow_up):
        raise PermissionDenied
    form = DoneForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    actions.mark_done(follow_up, by=request.user, now=timezone.now(), note=note)
    if request.htmx:
        row = selectors.follow_up_row(follow_up, today=timezone.localdate(), may_close=True)
        return render(request, "workflow/_follow_up.html", {"row": row})
    return redirect("workflow:inspection", key=follow_up.inspection.district.key, pk=follow_up.inspection_id)


@login_required
def overdue(request: HttpRequest, key: str) -> HttpResponse:
    area = area_for_office(request.user, key)
    return render(request, "workflow/overdue.html", {
        "area": area, "rows": selectors.overdue_follow_ups(area, today=timezone.localdate()),
    })
