"""Recognition of a commune formed by a merger: who may choose its path, the one place a choice is
recorded, and the current choice. The product proposes (`ntm.core.merger`); the office of the new
commune's province (or an administrator) decides, because how letter 267/BNN-VPĐP applies after
1/7/2025 is not settled nationally."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ntm.accounts.models import Role
from ntm.units.models import Succession, Unit

from .access import roles_over
from .models import MergerDecision, MergerPath

DECIDING_ROLES = {Role.PROVINCE_OFFICE, Role.ADMIN}


def can_decide(user, commune: Unit) -> bool:
    """The office of the commune's province, or an administrator (a district office no longer exists)."""
    return bool(DECIDING_ROLES & roles_over(user, commune))


def current_decision(commune: Unit) -> MergerDecision | None:
    return MergerDecision.objects.filter(commune=commune).select_related("decided_by").first()


@transaction.atomic
def record_decision(commune: Unit, *, path: str, level: str = "", by, proposed: str = "",
                    decision_number: str = "", decision_date: date | None = None, note: str = "",
                    is_demo: bool = False) -> MergerDecision:
    """Record the path chosen for `commune`; the latest record is its current path."""
    if by is not None and not can_decide(by, commune):
        raise PermissionDenied
    if not Succession.objects.filter(successor=commune).exists():
        raise ValidationError(_("%(name)s không được hình thành từ xã nào: không có hướng công nhận sau sáp nhập.")
                              % {"name": commune.full_name})
    if path == MergerPath.RECOGNISE and not level:
        raise ValidationError(_("Công nhận xã mới cần ghi mức công nhận."))
    if path == MergerPath.OTHER and not note.strip():
        raise ValidationError(_("Hướng khác cần ghi rõ trong ghi chú."))
    return MergerDecision.objects.create(
        commune=commune, path=path, level=level, proposed_path=proposed, decision_number=decision_number,
        decision_date=decision_date, note=note.strip(), decided_by=by, decided_at=timezone.now(), is_demo=is_demo)
