"""Every change to assignments, plans, inspections and follow-ups happens here, one function per change.
Callers check permissions with `ntm.workflow.access` first; these functions check the facts."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from ntm.catalog_source import get_catalog
from ntm.units.models import Unit

from .models import Assignment, Finding, FollowUp, Inspection, Plan


class WorkflowError(ValueError):
    """A change that does not fit the facts, said in words the user can act on."""


@dataclass(frozen=True)
class AssignmentInput:
    unit: Unit
    criteria_set: str
    year: int
    criterion: str
    responsible: User
    indicator: str = ""
    department: str = ""
    due: date | None = None
    note: str = ""


def _check_item(set_id: str, criterion: str, indicator: str) -> None:
    try:
        cset = get_catalog().get(set_id)
    except KeyError:
        raise WorkflowError(_("Không có bộ tiêu chí %(set)s.") % {"set": set_id}) from None
    crit = next((c for c in cset.criteria if c.code == criterion), None)
    if crit is None:
        raise WorkflowError(_("Bộ %(set)s không có tiêu chí %(code)s.") % {"set": set_id, "code": criterion})
    if indicator and indicator not in {i.code for i in crit.indicators}:
        raise WorkflowError(_("Tiêu chí %(code)s không có chỉ tiêu %(indicator)s.")
                            % {"code": criterion, "indicator": indicator})


@transaction.atomic
def assign(item: AssignmentInput, *, by, now: datetime, is_demo: bool = False) -> Assignment:
    """Make `item.responsible` answer for a criterion (or indicator) of a commune."""
    _check_item(item.criteria_set, item.criterion, item.indicator)
    same = Assignment.objects.filter(unit=item.unit, criteria_set=item.criteria_set, year=item.year,
                                     criterion=item.criterion, indicator=item.indicator,
                                     responsible=item.responsible)
    if same.exists():
        raise WorkflowError(_("Người này đã được giao mục này."))
    try:
        with transaction.atomic():  # a simultaneous identical assignment loses here, with the same words
            return Assignment.objects.create(
                unit=item.unit, criteria_set=item.criteria_set, year=item.year, criterion=item.criterion,
                indicator=item.indicator, responsible=item.responsible, department=item.department, due=item.due,
                note=item.note, created_by=by, created_at=now, is_demo=is_demo)
    except IntegrityError:
        raise WorkflowError(_("Người này đã được giao mục này.")) from None


@transaction.atomic
def create_plan(*, unit: Unit, title: str, year: int, level: str, communes_target: int,
                district_targets: bool, resolution_number: str = "", resolution_date: date | None = None,
                is_demo: bool = False) -> Plan:
    return Plan.objects.create(unit=unit, title=title, year=year, level=level, communes_target=communes_target,
                               district_targets=district_targets, resolution_number=resolution_number,
                               resolution_date=resolution_date, is_demo=is_demo)


@transaction.atomic
def create_inspection(*, district: Unit, title: str, date: date, team: str, communes: Iterable[Unit], by,
                      now: datetime, is_demo: bool = False) -> Inspection:
    communes = list(communes)
    outside = [c.name for c in communes if c.parent_id != district.pk and c.parent is not None
               and c.parent.parent_id != district.pk]
    if outside:
        raise WorkflowError(_("Không thuộc địa bàn: %(names)s.") % {"names": ", ".join(outside)})
    inspection = Inspection.objects.create(district=district, title=title, date=date, team=team, created_by=by,
                                           created_at=now, is_demo=is_demo)
    inspection.communes.set(communes)
    return inspection


def _check_covered(inspection: Inspection, commune: Unit) -> None:
    if not inspection.communes.filter(pk=commune.pk).exists():
        raise WorkflowError(_("Xã %(name)s không thuộc đợt kiểm tra này.") % {"name": commune.name})


@transaction.atomic
def add_finding(*, inspection: Inspection, commune: Unit, text: str, criteria_set: str = "", criterion: str = "",
                status_seen: str = "", is_demo: bool = False) -> Finding:
    _check_covered(inspection, commune)
    if criterion:
        _check_item(criteria_set, criterion, "")
    return Finding.objects.create(inspection=inspection, commune=commune, criteria_set=criteria_set,
                                  criterion=criterion, status_seen=status_seen, text=text, is_demo=is_demo)


@transaction.atomic
def add_follow_up(*, inspection: Inspection, commune: Unit, text: str, owner, due: date | None,
                  finding: Finding | None = None, is_demo: bool = False) -> FollowUp:
    _check_covered(inspection, commune)
    if finding is not None and (finding.inspection_id != inspection.pk or finding.commune_id != commune.pk):
        raise WorkflowError(_("Ghi nhận không thuộc xã và đợt kiểm tra này."))
    return FollowUp.objects.create(inspection=inspection, finding=finding, commune=commune, text=text, owner=owner,
                                   due=due, is_demo=is_demo)


@transaction.atomic
def mark_done(follow_up: FollowUp, *, by, now: datetime, note: str = "") -> bool:
    """Close a follow-up; False when it was already done (the first closing stands)."""
    locked = FollowUp.objects.select_for_update().get(pk=follow_up.pk)
    if locked.done_at is not None:
        follow_up.done_at, follow_up.done_by_id = locked.done_at, locked.done_by_id
        follow_up.done_note = locked.done_note
        return False
    follow_up.done_at, follow_up.done_by, follow_up.done_note = now, by, note
    follow_up.save(update_fields=["done_at", "done_by", "done_note"])
    return True
