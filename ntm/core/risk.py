"""Risk of missing a target or a deadline, from plain facts. Pure: the caller passes `today`.

A commune is at risk for its target year when criteria are still unmet and too few months remain for
them (`months_per_criterion` each, a rule of thumb the district can tune), or when an unmet criterion
is one known to take long (planning, income, production organisation, health insurance: the district's
own list, Báo Long An 08/05/2024).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

DUE_SOON_DAYS = 14
MONTHS_PER_CRITERION = 2


class Reason(StrEnum):
    SHORT_OF_TIME = "short_of_time"  # more unmet criteria than the months left allow
    HARD_CRITERION = "hard_criterion"  # an unmet criterion known to take long
    YEAR_PASSED = "year_passed"  # the target year is over and criteria are still unmet


@dataclass(frozen=True)
class Risk:
    at_risk: bool
    reasons: tuple[Reason, ...]
    months_left: int
    unmet: tuple[str, ...]
    hard_unmet: tuple[str, ...]


def months_left(target_year: int, *, today: date) -> int:
    """Whole months from `today` to the end of `target_year`, counting the current month; 0 once past."""
    return max(0, (target_year - today.year) * 12 + 12 - today.month + 1)


def assess_risk(unmet: Collection[str], *, target_year: int, today: date, hard: Collection[str] = (),
                months_per_criterion: int = MONTHS_PER_CRITERION) -> Risk:
    """Whether the unmet criteria put the target year at risk, and why."""
    ordered = tuple(unmet)
    left = months_left(target_year, today=today)
    hard_unmet = tuple(code for code in ordered if code in set(hard))
    reasons: list[Reason] = []
    if ordered and left == 0:
        reasons.append(Reason.YEAR_PASSED)
    elif ordered and left < len(ordered) * months_per_criterion:
        reasons.append(Reason.SHORT_OF_TIME)
    if hard_unmet:
        reasons.append(Reason.HARD_CRITERION)
    return Risk(bool(reasons), tuple(reasons), left, ordered, hard_unmet)


class Due(StrEnum):
    DONE = "done"
    OVERDUE = "overdue"  # "quá hạn"
    DUE_SOON = "due_soon"  # "sắp đến hạn": within DUE_SOON_DAYS
    ON_TRACK = "on_track"
    NO_DUE_DATE = "no_due_date"


def is_overdue(due: date | None, done: bool, *, today: date) -> bool:
    """Past its due date and not done; the due day itself is not overdue yet."""
    return due is not None and not done and today > due


def due_state(due: date | None, done: bool, *, today: date, soon_days: int = DUE_SOON_DAYS) -> Due:
    if done:
        return Due.DONE
    if due is None:
        return Due.NO_DUE_DATE
    if is_overdue(due, done, today=today):
        return Due.OVERDUE
    return Due.DUE_SOON if (due - today).days <= soon_days else Due.ON_TRACK
