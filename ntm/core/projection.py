"""When will an indicator meet its threshold at its current pace? Pure: plain numbers in, a verdict out.

The pace is the least-squares slope of the last values (one per year, at most `window` of them), so a
single good or bad year does not dominate a longer history. "Income: 2026 at +4.2 a year."
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

WINDOW = 3


class Outlook(StrEnum):
    MET = "met"  # the latest value already meets the threshold
    ON_PACE = "on_pace"  # meets it in `year` at the current pace
    TOO_SHORT = "too_short"  # fewer than two years of values
    NOT_IMPROVING = "not_improving"  # flat or moving away from the threshold
    NOT_NUMERIC = "not_numeric"  # an "=" comparison or a verdict: no pace to speak of


@dataclass(frozen=True)
class Projection:
    outlook: Outlook
    year: int | None = None  # the year the threshold is met (ON_PACE), or the latest year (MET)
    pace: Decimal | None = None  # change per year over the window
    latest: Decimal | None = None
    years_used: tuple[int, ...] = ()


def pace(history: Mapping[int, Decimal], *, window: int = WINDOW) -> Decimal | None:
    """The least-squares slope per year of the last `window` values; None with fewer than two."""
    years = sorted(history)[-window:]
    if len(years) < 2:
        return None
    mean_x = Decimal(sum(years)) / len(years)
    mean_y = sum((history[y] for y in years), Decimal(0)) / len(years)
    num = sum(((y - mean_x) * (history[y] - mean_y) for y in years), Decimal(0))
    den = sum(((y - mean_x) ** 2 for y in years), Decimal(0))
    return num / den


def project(history: Mapping[int, Decimal], *, threshold: Decimal, comparison: str,
            window: int = WINDOW) -> Projection:
    """The year `history` reaches `threshold` (">=" or "<=") if it keeps its pace."""
    if comparison not in (">=", "<="):
        return Projection(Outlook.NOT_NUMERIC)
    if not history:
        return Projection(Outlook.TOO_SHORT)
    years = sorted(history)[-window:]
    last_year, latest = years[-1], history[years[-1]]
    gap = threshold - latest if comparison == ">=" else latest - threshold
    if gap <= 0:
        return Projection(Outlook.MET, last_year, None, latest, tuple(years))
    slope = pace(history, window=window)
    if slope is None:
        return Projection(Outlook.TOO_SHORT, None, None, latest, tuple(years))
    toward = slope if comparison == ">=" else -slope
    if toward <= 0:
        return Projection(Outlook.NOT_IMPROVING, None, slope, latest, tuple(years))
    return Projection(Outlook.ON_PACE, last_year + math.ceil(gap / toward), slope, latest, tuple(years))
