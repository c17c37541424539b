"""Stored evaluation results (refreshed whenever figures change): n of N criteria per unit, set and
year, and each criterion's status with its indicators' outcomes."""


from django.db.models import Exists, OuterRef, TextField
from django.db.models.functions import Cast
from django.http import HttpRequest
from ninja import Query, Router
from ninja.pagination import paginate

from ntm.evaluation.models import CriterionResult, UnitResult

from ..filters import CriterionResultFilter, UnitResultFilter
from ..pagination import Keyset
from ..schemas import CriterionResultOut, UnitResultOut
from ..scope import check_named_units, in_scope

router = Router(tags=["results"])


@router.get("/units", response=list[UnitResultOut], summary="Kết quả đơn vị / unit results")
@paginate(Keyset, page_size=100, max_page_size=500)
def unit_results(request: HttpRequest, filters: Query[UnitResultFilter]):
    check_named_units(request, filters.unit, filters.parent)
    rows = (in_scope(request, UnitResult.objects.all()).select_related("unit__parent__parent")
            .annotate(rests_on_demo=Exists(_demo_criteria())))
    return filters.filter(rows)


@router.get("/criteria", response=list[CriterionResultOut], summary="Kết quả tiêu chí / criterion results")
@paginate(Keyset, page_size=100, max_page_size=500)
def criterion_results(request: HttpRequest, filters: Query[CriterionResultFilter]):
    check_named_units(request, filters.unit, filters.parent)
    rows = (in_scope(request, CriterionResult.objects.all()).select_related("unit__parent__parent"))
    return filters.filter(rows)


def _demo_criteria():
    """The unit result's criterion rows whose stored indicators rest on a demo threshold ("demo": true, as
    both SQLite and PostgreSQL print the stored JSON)."""
    return (CriterionResult.objects.filter(unit_id=OuterRef("unit_id"), criteria_set=OuterRef("criteria_set"),
                                           year=OuterRef("year"))
            .annotate(text=Cast("indicators", TextField())).filter(text__contains='"demo": true'))
