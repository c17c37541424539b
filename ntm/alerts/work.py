"""Due and overdue work from `ntm.workflow`, when that app has the models: `Assignment(due_date,
responsible)` and `FollowUp(due_date, owner, done_at)`. Looked up when called, so this app works
(with nothing due) before those models exist."""

from __future__ import annotations

import importlib
from collections import defaultdict
from datetime import date, timedelta

from django.core.exceptions import FieldDoesNotExist

from .digest import WorkRow

HORIZON = timedelta(days=7)
SOURCES = (("Assignment", "responsible"), ("FollowUp", "owner"))


def _model(name: str):
    try:
        return getattr(importlib.import_module("ntm.workflow.models"), name, None)
    except ImportError:
        return None


def _has(model, name: str) -> bool:
    try:
        model._meta.get_field(name)
    except FieldDoesNotExist:
        return False
    return True


def open_work(today: date) -> dict[int, list[WorkRow]]:
    """User id → their open items due by `today` + 7 days (overdue ones included)."""
    out: dict[int, list[WorkRow]] = defaultdict(list)
    for name, person in SOURCES:
        model = _model(name)
        if model is None or not (_has(model, "due_date") and _has(model, person)):
            continue
        rows = model.objects.filter(due_date__lte=today + HORIZON, **{f"{person}__isnull": False})
        for done in ("done_at", "completed_at"):
            if _has(model, done):
                rows = rows.filter(**{f"{done}__isnull": True})
        unit = next((f for f in ("unit", "commune") if _has(model, f)), None)
        if unit:
            rows = rows.select_related(unit)
        for obj in rows:
            place = getattr(obj, unit, None) if unit else None
            out[getattr(obj, f"{person}_id")].append(
                WorkRow(str(obj), obj.due_date, getattr(place, "full_name", "") if place else ""))
    return out


def split(rows: list[WorkRow], today: date) -> tuple[tuple[WorkRow, ...], tuple[WorkRow, ...]]:
    """(due within the horizon, overdue)."""
    return (tuple(r for r in rows if today <= r.due <= today + HORIZON), tuple(r for r in rows if r.due < today))
