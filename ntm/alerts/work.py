"""Due and overdue work from `ntm.workflow`, when that app has the models: `Assignment(unit, criterion,
due, responsible)` and `FollowUp(commune, text, due, owner, done_at)`. Looked up when called, so this app works
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
        due = next((f for f in ("due", "due_date") if model is not None and _has(model, f)), None)
        if model is None or due is None or not _has(model, person):
            continue
        rows = model.objects.filter(**{f"{due}__lte": today + HORIZON, f"{person}__isnull": False})
        for done in ("done_at", "completed_at"):
            if _has(model, done):
                rows = rows.filter(**{f"{done}__isnull": True})
        unit = next((f for f in ("unit", "commune") if _has(model, f)), None)
        if unit:
            rows = rows.select_related(unit)
        for obj in rows:
            place = getattr(obj, unit, None) if unit else None
            out[getattr(obj, f"{person}_id")].append(
                WorkRow(_title(obj), getattr(obj, due), getattr(place, "full_name", "") if place else ""))
    return out


def _title(obj) -> str:
    """A follow-up's text; an assignment's criterion ("Tiêu chí 10 (2024)")."""
    if text := getattr(obj, "text", ""):
        return text if len(text) <= 120 else text[:119] + "…"
    if code := getattr(obj, "indicator", "") or getattr(obj, "criterion", ""):
        return f"Tiêu chí {code} ({getattr(obj, 'year', '')})" if "." not in code else f"Chỉ tiêu {code}"
    return str(obj)


def split(rows: list[WorkRow], today: date) -> tuple[tuple[WorkRow, ...], tuple[WorkRow, ...]]:
    """(due within the horizon, overdue)."""
    return (tuple(r for r in rows if today <= r.due <= today + HORIZON), tuple(r for r in rows if r.due < today))
