"""Figures: read what units recorded, and record new values or corrections through `record_figure`,
the same action the entry pages call, under the same rules (commune sets, no derived indicators,
a department only for indicators of its field)."""


from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.pagination import paginate

from ntm.accounts.access import can_read, indicator_fields, unit_for_editor
from ntm.catalog_source import get_catalog
from ntm.core.catalog import CriteriaSet, Indicator, UnitKind
from ntm.figures.actions import FigureInput, FigureLocked, FigureRejected, StaleFigure, record_figure
from ntm.figures.models import Figure
from ntm.figures.parsing import NumberUnreadable, figure_value
from ntm.units.models import Kind, Unit

from ..filters import FigureFilter
from ..pagination import Keyset
from ..schemas import FigureIn, FigureOut, Message, StaleOut
from ..scope import caller, check_named_units, in_scope

router = Router(tags=["figures"])


@router.get("", response=list[FigureOut], summary="Số liệu / figures",
            description="Số liệu hiện hành; `history=true` kèm cả các giá trị đã bị thay thế. / Current "
                        "figures; `history=true` adds the superseded ones.")
@paginate(Keyset, page_size=100, max_page_size=500)
def list_figures(request: HttpRequest, filters: Query[FigureFilter]):
    check_named_units(request, filters.unit)
    figures = (in_scope(request, Figure.objects.all())
               .select_related("unit", "entered_by"))
    return filters.filter(figures)


@router.get("/{int:figure_id}", response={200: FigureOut, 401: Message, 403: Message, 404: Message},
            summary="Một số liệu / one figure")
def get_figure(request: HttpRequest, figure_id: int):
    figure = Figure.objects.select_related("unit", "unit__parent", "entered_by").filter(pk=figure_id).first()
    if figure is None:
        raise Http404(figure_id)
    if not can_read(caller(request), figure.unit):
        raise PermissionDenied
    return figure


def _commune_indicator(set_id: str, code: str) -> tuple[CriteriaSet | None, Indicator | None]:
    try:
        cset = get_catalog().get(set_id)
    except KeyError:
        return None, None
    return cset, next((i for i in cset.indicators if i.code == code), None)


def _fields(cset: CriteriaSet | None, ind: Indicator | None) -> frozenset[str]:
    """The departments that may record this indicator: the entry page's rule (a criterion is one field)."""
    if cset is None or ind is None:
        return frozenset()
    criterion = next(c for c in cset.criteria if ind in c.indicators)
    return indicator_fields(criterion, ind)


def _refusal(unit: Unit, cset: CriteriaSet | None, ind: Indicator | None, payload: FigureIn) -> str:
    """Why the entry pages would not offer this figure for entry, or ""."""
    if cset is None:
        return _("Bộ tiêu chí “%(set)s” không tồn tại.") % {"set": payload.criteria_set}
    if ind is None:
        return _("Chỉ tiêu “%(code)s” không có trong bộ tiêu chí “%(set)s”.") % {
            "code": payload.indicator, "set": payload.criteria_set}
    if cset.unit_kind is not UnitKind.COMMUNE or unit.kind != Kind.COMMUNE:
        return _("Chỉ nhập số liệu xã vào bộ tiêu chí cấp xã.")
    if ind.derived is not None:
        return _("Chỉ tiêu %(code)s được tính từ kết quả các xã, không nhập trực tiếp.") % {"code": ind.code}
    return ""


@router.post("", response={201: FigureOut, 400: Message, 401: Message, 403: Message, 404: Message,
                           409: StaleOut, 423: Message},
             summary="Ghi hoặc sửa một số liệu / record or correct a figure",
             description="201 khi đã ghi; 400 khi số liệu bị từ chối (kèm lý do); 403 ngoài phạm vi được sửa; "
                         "409 khi đã có người lưu giá trị mới hơn (kèm giá trị đó); 423 khi số liệu đã khóa vì hồ sơ "
                         "công nhận đã được thẩm tra (kèm lý do). / 201 recorded; 400 refused "
                         "with the reason; 403 outside the caller's editable units or fields; 409 someone saved "
                         "a newer value since (returned as `current`); 423 locked by a verified recognition "
                         "dossier (the reason says which, at which step, since when).")
def create_figure(request: HttpRequest, payload: FigureIn):
    user = caller(request)
    cset, ind = _commune_indicator(payload.criteria_set, payload.indicator)
    unit = unit_for_editor(user, payload.unit, department=_fields(cset, ind))
    if reason := _refusal(unit, cset, ind, payload):
        return Status(400, {"detail": reason})
    try:
        value = None if payload.value is None else figure_value(payload.value, machine=True)
    except NumberUnreadable as exc:
        return Status(400, {"detail": str(exc)})
    item = FigureInput(unit=unit, criteria_set=payload.criteria_set, indicator=payload.indicator,
                       year=payload.year, value=value, bound=payload.bound, verdict=payload.verdict,
                       judged_by=payload.judged_by, source_note=payload.source_note)
    try:
        figure = record_figure(item, by=user, expected_current=payload.expected_current)
    except StaleFigure as stale:
        return Status(409, {"detail": str(stale), "current": stale.current})
    except FigureLocked as locked:
        return Status(423, {"detail": str(locked)})
    except FigureRejected as exc:
        return Status(400, {"detail": str(exc)})
    return Status(201, figure)
