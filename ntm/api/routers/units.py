"""Administrative units the caller may read, and the lineage across the 1/7/2025 reorganisation."""


from django.http import HttpRequest
from ninja import Query, Router
from ninja.pagination import paginate

from ntm.accounts.access import readable_units
from ntm.units.models import Succession

from ..filters import UnitFilter
from ..pagination import Keyset
from ..schemas import Message, SuccessionOut, UnitOut
from ..scope import caller, check_named_units, unit_in_scope

router = Router(tags=["units"])
REFUSALS = {401: Message, 403: Message, 404: Message}


@router.get("", response=list[UnitOut], summary="Đơn vị hành chính / units")
@paginate(Keyset, page_size=50, max_page_size=500)
def list_units(request: HttpRequest, filters: Query[UnitFilter]):
    check_named_units(request, filters.parent)
    units = readable_units(caller(request)).select_related("parent")  # in stored order: Keyset
    return filters.filter(units)


@router.get("/{key}", response={200: UnitOut, **REFUSALS}, summary="Một đơn vị / one unit")
def get_unit(request: HttpRequest, key: str):
    return unit_in_scope(request, key)


def _lineage(successions, side: str) -> list[dict]:
    return [{"unit": getattr(s, side), "effective": s.effective, "partial": s.partial, "source": s.source}
            for s in successions]


@router.get("/{key}/successors", response={200: list[SuccessionOut], **REFUSALS},
            summary="Đơn vị kế thừa / successors",
            description="Các đơn vị mà đơn vị này (một phần hoặc toàn bộ) trở thành. Chỉ nêu danh tính "
                        "đơn vị, không kèm số liệu. / The units this one (partly) became; identities only.")
def successors(request: HttpRequest, key: str):
    unit = unit_in_scope(request, key)
    rows = Succession.objects.filter(predecessor=unit).select_related("successor").order_by("successor__key")
    return _lineage(rows, "successor")


@router.get("/{key}/predecessors", response={200: list[SuccessionOut], **REFUSALS},
            summary="Đơn vị tiền thân / predecessors",
            description="Các đơn vị đã (một phần hoặc toàn bộ) trở thành đơn vị này. / The units that "
                        "(partly) became this one; identities only.")
def predecessors(request: HttpRequest, key: str):
    unit = unit_in_scope(request, key)
    rows = Succession.objects.filter(successor=unit).select_related("predecessor").order_by("predecessor__key")
    return _lineage(rows, "predecessor")
