"""Writes of the exchange app: keeping a previewed plan until its confirmation, applying it (through
`ntm.figures.bulk.write_figures`, all or nothing). A catalog workbook becomes a draft version in
ntm/catalogs/workbook.py."""

from __future__ import annotations

import json
import secrets
from collections.abc import Mapping
from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ntm.figures.actions import FigureInput, FigureRejected
from ntm.figures.bulk import FiguresMoved, key_of, write_figures
from ntm.units.models import Unit

from .models import PendingImport
from .plan import Current, Plan

KEPT_FOR = timedelta(days=1)  # a preview not confirmed by then is dropped


def keep_plan(plan: Plan, *, user, unit) -> str:
    """Keep a previewed plan for its confirmation; returns the token naming it. The person's earlier previews
    (one at a time, as before in the session) and anyone's older than `KEPT_FOR` are dropped."""
    now = timezone.now()
    PendingImport.objects.filter(Q(user=user) | Q(created_at__lt=now - KEPT_FOR)).only("pk").delete()  # not the text
    token = secrets.token_urlsafe(16)
    PendingImport.objects.create(token=token, user=user, unit=unit, created_at=now,
                                 plan=json.dumps(plan.to_json(), ensure_ascii=False, separators=(",", ":")))
    return token


def forget_plan(token: str) -> None:
    PendingImport.objects.filter(token=token).only("pk").delete()


class PlanStale(FigureRejected):
    """Someone changed a figure between the preview and the confirmation."""


@transaction.atomic
def apply_plan(plan: Plan | Mapping, *, by) -> int:
    """Record every change of the plan — a `Plan`, or as kept (`Plan.to_json`) — or nothing
    (`ntm.figures.bulk.write_figures`: set-based, the same checks and locks as a single save). Refused if a
    figure changed since the preview. A kept plan is written from its columns, without a `Change` per row."""
    kept = plan.to_json() if isinstance(plan, Plan) else plan
    if "columns" not in kept:  # kept by an earlier version
        kept = Plan.from_json(kept).to_json()
    columns, set_id, year = kept["columns"], kept["set_id"], int(kept["year"])
    units = {u.key: u for u in Unit.objects.filter(key__in=sorted(kept["units"]))}
    new = [columns[f"new_{name}"] for name in Current._fields]
    items = [FigureInput(unit=units[key], criteria_set=set_id, indicator=code, year=year, value=_decimal(value),
                         bound=bound, verdict=verdict, judged_by=judged_by, source_note=note)
             for key, code, value, verdict, note, judged_by, bound in zip(columns["unit"], columns["indicator"], *new,
                                                                          strict=True)]
    old = [columns[f"old_{name}"] for name in Current._fields]
    expected = {key_of(item): (_decimal(value), bound, verdict, note) if present else None  # `Current.compared`
                for item, present, value, verdict, note, _judged_by, bound in zip(items, columns["old"], *old,
                                                                                 strict=True)}
    try:
        return write_figures(items, by=by, expected=expected)
    except FiguresMoved as exc:
        if not exc.keys:
            raise
        names = {u.pk: u.name for u in units.values()}
        raise PlanStale(_("Trong lúc xem trước, số liệu đã được người khác cập nhật (%(which)s). Hãy tải tệp "
                          "lên lần nữa để xem thay đổi mới.") % {
            "which": ", ".join(f"{names[unit_id]} {code}" for unit_id, _set, code, _year in exc.keys)}) from None


def _decimal(text: str | None) -> Decimal | None:
    return None if text is None else Decimal(text)
