"""Due and overdue work from `ntm.workflow`: assignments (`Assignment.due`, its `responsible`) and open
follow-ups of inspections (`FollowUp.due`, its `owner`, not yet `done_at`). The fields are named, not looked
up at run time: a renamed field fails loudly here rather than making the digest quietly empty."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

from ntm.workflow.models import Assignment, FollowUp

from .digest import WorkRow

HORIZON = timedelta(days=7)


def open_work(today: date) -> dict[int, list[WorkRow]]:
    """User id → their open items due by `today` + 7 days (overdue ones included)."""
    out: dict[int, list[WorkRow]] = defaultdict(list)
    by = today + HORIZON
    for a in Assignment.objects.filter(due__lte=by).select_related("unit"):
        if a.due is not None:  # always, by the filter
            out[a.responsible_id].append(WorkRow(_assignment_title(a), a.due, a.unit.full_name))
    for f in FollowUp.objects.filter(due__lte=by, done_at__isnull=True).select_related("commune"):
        if f.due is not None:
            out[f.owner_id].append(WorkRow(_shortened(f.text), f.due, f.commune.full_name))
    return out


def _assignment_title(a: Assignment) -> str:
    """"Tiêu chí 10 (2024)", or "Chỉ tiêu 10.1" for an assignment of one indicator."""
    return f"Chỉ tiêu {a.indicator}" if a.indicator else f"Tiêu chí {a.criterion} ({a.year})"


def _shortened(text: str) -> str:
    return text if len(text) <= 120 else text[:119] + "…"


def split(rows: list[WorkRow], today: date) -> tuple[tuple[WorkRow, ...], tuple[WorkRow, ...]]:
    """(due within the horizon, overdue)."""
    return (tuple(r for r in rows if today <= r.due <= today + HORIZON), tuple(r for r in rows if r.due < today))
