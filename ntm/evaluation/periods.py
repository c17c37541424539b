"""The one place that says which period a page, export or report opens on: the (level, year) asked for in
the query, else the reader's last choice kept in the session when the unit has results for it, else the
latest year with stored results for the unit (a district's or province's: for its communes) and, that year,
the level of the unit's targets, else NTM. A unit without any result opens on the current year.

Two queries: the (level, year) pairs with results for the unit, and the targets of the chosen year. For a
page (`from_request`) both are kept in the page cache under the data's token (results and targets bump its
generation), which the evaluation pages read anyway: none on a repeated request."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from django.db.models import Max, Q
from django.http import HttpRequest
from django.utils import timezone

from ntm.catalog_source import get_catalog
from ntm.core.catalog import CriteriaSet, UnitKind
from ntm.units.models import Kind, Target, Unit

from . import page_cache
from .models import UnitResult
from .selectors import DEFAULT_LEVEL, commune_levels

SESSION_KEY = "period"


@dataclass(frozen=True)
class Period:
    level: str
    year: int

    @property
    def cset(self) -> CriteriaSet | None:
        """The commune set of that level in force that year, if the catalog has one."""
        return get_catalog().set_for(UnitKind.COMMUNE, self.level, self.year)

    def astuple(self) -> tuple[str, int]:
        return self.level, self.year


@dataclass(frozen=True)
class Asked:
    """What a query string or form asked for; None where it asked for nothing usable."""

    level: str | None
    year: int | None
    set_id: str | None  # a commune set, when ?set= names one (its level is then `level` unless ?level= says)


def asked(params: Mapping[str, str]) -> Asked:
    """The one reading of ?level=, ?year= and ?set= for pages, exports and reports (a GET query or a POST
    form): a level the catalog knows for communes, a year 2000–2100, a commune set id; anything else is
    treated as not asked, so that the page falls back to the default instead of failing."""
    set_id = _commune_set(params.get("set"))
    level = level_param(params.get("level")) or _level_of_set(set_id)
    return Asked(level, year_param(params.get("year")), set_id)


def year_param(raw: str | None) -> int | None:
    raw = (raw or "").strip()
    return int(raw) if raw.isdigit() and 2000 <= int(raw) <= 2100 else None


def level_param(raw: str | None) -> str | None:
    return raw if raw and raw in commune_levels() else None


def _commune_set(set_id: str | None) -> str | None:
    return set_id if _level_of_set(set_id) else None


def _level_of_set(set_id: str | None) -> str | None:
    if not set_id:
        return None
    try:
        cset = get_catalog().get(set_id)
    except KeyError:
        return None
    return cset.level if cset.unit_kind is UnitKind.COMMUNE else None


def _communes_of(unit: Unit, prefix: str) -> Q:
    """The unit itself when a commune; else the communes under it (a district's, or a province's before and
    after 1/7/2025)."""
    if unit.kind == Kind.COMMUNE:
        return Q(**{f"{prefix}pk": unit.pk})
    area = Q(**{f"{prefix}parent": unit}) | Q(**{f"{prefix}parent__parent": unit})
    return area & Q(**{f"{prefix}kind": Kind.COMMUNE})


def stored_periods(unit: Unit, set_id: str | None = None) -> set[tuple[str, int]]:
    """The (level, year) pairs with stored commune results for the unit (of one set when given): one query."""
    rows = UnitResult.objects.filter(_communes_of(unit, "unit__"))
    if set_id:
        rows = rows.filter(criteria_set=set_id)
    return set(rows.values_list("level", "year").distinct())


def _target_levels(unit: Unit, year: int) -> list[str]:
    """The unit's own target levels that year, then those its area's communes are most often targeted at
    (a commune: its district's or province's communes): one query."""
    scope = Q(unit=unit)
    if unit.kind == Kind.COMMUNE and unit.parent_id:
        scope |= Q(unit__parent_id=unit.parent_id, unit__kind=Kind.COMMUNE)
    elif unit.kind != Kind.COMMUNE:
        scope |= _communes_of(unit, "unit__")
    own: list[str] = []
    counts: Counter[str] = Counter()
    for unit_id, level in Target.objects.filter(scope, year=year).values_list("unit_id", "level"):
        if unit_id == unit.pk:
            own.append(level)
        else:
            counts[level] += 1
    area = sorted(counts, key=lambda lvl: (-counts[lvl], lvl))
    return [*sorted(set(own)), *area]


def _read[T](request: HttpRequest | None, name: str, what: tuple, read: Callable[[], T]) -> T:
    return read() if request is None else page_cache.value(f"periods.{name}", what, read, request=request)


def choose(unit: Unit, *, level: str | None = None, year: int | None = None,
           kept: dict | None = None, set_id: str | None = None, request: HttpRequest | None = None) -> Period:
    """The period to show for `unit`: `level`/`year` when given, else the kept choice when the unit has
    results for it, else the latest year with results and the level its targets prefer. `set_id` limits
    the years to those with results of that set (a page about one set). With `request`, what it reads is
    kept under the data's token (`page_cache`)."""
    kept = kept or {}
    stored = _read(request, "stored", (unit.pk, set_id), lambda: stored_periods(unit, set_id))
    if year is None:
        years_with = {y for lvl, y in stored if level is None or lvl == level}
        kept_year = kept.get("year")
        if kept_year in years_with:
            year = kept_year
        else:
            year = max(years_with, default=None) or max((y for _, y in stored), default=None)
            year = year or timezone.localdate().year
    if level is None:
        level = _level_for(unit, year, stored, kept.get("level"), request)
    return Period(level, year)


def _level_for(unit: Unit, year: int, stored: set[tuple[str, int]], kept_level: str | None,
               request: HttpRequest | None) -> str:
    with_results = {lvl for lvl, y in stored if y == year}
    if kept_level in with_results:
        return kept_level
    targeted = _read(request, "targets", (unit.pk, year), lambda: _target_levels(unit, year))
    candidates = [*targeted, DEFAULT_LEVEL, *sorted(with_results)]
    for lvl in candidates:
        if lvl in with_results:
            return lvl
    catalog = get_catalog()
    for lvl in candidates:
        if catalog.set_for(UnitKind.COMMUNE, lvl, year):
            return lvl
    return DEFAULT_LEVEL


def from_request(request: HttpRequest, unit: Unit, *, level: str | None = None,
                 set_id: str | None = None) -> Period:
    """The period for a page of `unit`: ?level= (or ?set=, a commune set id) and ?year= when given, and then
    kept in the session; otherwise the kept choice if the unit has results for it; otherwise the default.
    `level` fixes the level, `set_id` the set (a page about one set)."""
    query = asked(request.GET)
    asked_level = level or query.level
    asked_year = query.year
    kept = dict(request.session.get(SESSION_KEY) or {})
    explicit: dict[str, str | int] = {}
    if asked_level and level is None:
        explicit["level"] = asked_level
    if asked_year:
        explicit["year"] = asked_year
    if explicit:
        request.session[SESSION_KEY] = {**kept, **explicit}
    if asked_level and asked_year:
        return Period(asked_level, asked_year)
    return choose(unit, level=asked_level, year=asked_year, kept=kept, set_id=set_id, request=request)


def national(params: Mapping[str, str]) -> Period:
    """The period for a page of the whole country (no unit): the level and year asked for, else NTM and the
    latest year with any commune result, else the current year. One query."""
    query = asked(params)
    latest = UnitResult.objects.filter(unit__kind=Kind.COMMUNE).aggregate(latest=Max("year"))["latest"]
    year = query.year or latest or timezone.localdate().year
    return Period(query.level or DEFAULT_LEVEL, year)


def year_choices(unit: Unit, year: int, level: str | None = None) -> list[int]:
    """The years with results for the unit (of `level` when given), the shown year among them, newest first."""
    return sorted({*(y for lvl, y in stored_periods(unit) if level is None or lvl == level), year}, reverse=True)
