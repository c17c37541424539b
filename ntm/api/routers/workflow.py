"""Who answers for which criterion (assignments) and the recognition dossiers, read-only. Both are
changed only on the pages, through their apps' actions."""

from django.http import HttpRequest
from ninja import Query, Router
from ninja.pagination import paginate

from ntm.recognition.models import Dossier
from ntm.workflow.models import Assignment

from ..filters import AssignmentFilter, DossierFilter
from ..pagination import Pages
from ..schemas import AssignmentOut, DossierOut
from ..scope import check_named_units, readable_unit_ids

router = Router()


@router.get("/assignments", response=list[AssignmentOut], tags=["workflow"],
            summary="Phân công phụ trách tiêu chí / assignments")
@paginate(Pages, page_size=100, max_page_size=500)
def list_assignments(request: HttpRequest, filters: Query[AssignmentFilter]):
    check_named_units(request, filters.unit, filters.parent)
    rows = (Assignment.objects.filter(unit__in=readable_unit_ids(request)).select_related("unit", "responsible")
            .order_by("unit__key", "criteria_set", "year", "criterion", "indicator", "pk"))
    return filters.filter(rows)


@router.get("/dossiers", response=list[DossierOut], tags=["recognition"],
            summary="Hồ sơ công nhận / recognition dossiers")
@paginate(Pages, page_size=100, max_page_size=500)
def list_dossiers(request: HttpRequest, filters: Query[DossierFilter]):
    check_named_units(request, filters.commune, filters.parent)
    rows = (Dossier.objects.filter(commune__in=readable_unit_ids(request)).select_related("commune")
            .order_by("-year", "commune__key", "level", "pk"))
    return filters.filter(rows)
