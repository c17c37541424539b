"""Writes of the exchange app: keeping a previewed plan until its confirmation, applying it (through
`ntm.figures.bulk.write_figures`, all or nothing). A catalog workbook becomes a draft version in
ntm/catalogs/workbook.py."""

from __future__ import annotations

import json
import secrets
from datetime import timedelta

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
    PendingImport.objects.filter(Q(user=user) | Q(created_at__lt=now - KEPT_FOR)).delete()
    token = secrets.token_urlsafe(16)
    PendingImport.objects.create(token=token, user=user, unit=unit, created_at=now,
                                 plan=json.dumps(plan.to_json(), ensure_ascii=False, separators=(",", ":")))
    return token


def forget_plan(token: str) -> None:
    PendingImport.objects.filter(token=token).delete()


class PlanStale(FigureRejected):
    """Someone changed a figure between the preview and the confirmation."""


@transaction.atomic
def apply_plan(plan: Plan, *, by) -> int:
    """Record every change of the plan, or nothing (`ntm.figures.bulk.write_figures`: set-based, the same
    checks and locks as a single save). Refused if a figure changed since the preview."""
    keys = sorted({c.unit_key for c in plan.changes})
    units = {u.key: u for u in Unit.objects.filter(key__in=keys)}
    items, expected, changes = [], {}, {}
    for c in plan.changes:
        item = FigureInput(unit=units[c.unit_key], criteria_set=plan.set_id, indicator=c.indicator, year=plan.year,
                           value=c.new.value, bound=c.new.bound, verdict=c.new.verdict, judged_by=c.new.judged_by,
                           source_note=c.new.note)
        items.append(item)
        expected[key_of(item)] = _same(c.old)
        changes[key_of(item)] = c
    try:
        return write_figures(items, by=by, expected=expected)
    except FiguresMoved as exc:
        if not exc.keys:
            raise
        raise PlanStale(_("Trong lúc xem trước, số liệu đã được người khác cập nhật (%(which)s). Hãy tải tệp "
                          "lên lần nữa để xem thay đổi mới.") % {
            "which": ", ".join(f"{changes[k].unit_name} {changes[k].indicator}" for k in exc.keys)}) from None


def _same(c: Current | None) -> tuple | None:
    return None if c is None else c.compared
