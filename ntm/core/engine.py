"""The evaluation engine: figures in, verdicts out, for many units in one pass.

Pure Python: no Django, no clock, no I/O. Callers bulk-load figures and hand them over.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from .catalog import Comparison, CriteriaSet, Criterion, Indicator, Threshold


class Status(StrEnum):
    MET = "met"
    NOT_MET = "not_met"
    NO_DATA = "no_data"
    NOT_EVALUABLE = "not_evaluable"


class Basis(StrEnum):
    THRESHOLD = "threshold"  # a number compared with a known threshold
    VERDICT = "verdict"  # a recorded met / not met judgement
    NONE = "none"


BOUNDS = ("", ">", ">=", "<", "<=")  # "" exact; otherwise the true value lies beyond `value` that way


@dataclass(frozen=True, slots=True)
class Figure:
    """What is recorded for one unit, indicator and period: a number, a verdict, or both.

    `bound` says whether the number is exact ("") or only a bound a source gave, e.g. ">" with 96 for
    "above 96 %". A bound always comes with a value."""

    value: Decimal | None = None
    verdict: bool | None = None
    bound: str = ""


@dataclass(frozen=True, slots=True)
class UnitFacts:
    """A unit as the engine needs it: its key and its scope (region or group) for the set's dimension."""

    key: str
    scope: str


@dataclass(frozen=True, slots=True)
class IndicatorResult:
    code: str
    status: Status
    basis: Basis
    value: Decimal | None
    threshold: Decimal | None
    gap: Decimal | None  # how far from the threshold, in the indicator's unit; 0 when met
    provisional: bool  # the verdict rests on a provisional threshold
    demo: bool = False  # the verdict rests on a threshold invented for the demo
    bound: str = ""  # the figure's bound (see Figure): `value` is then only a bound of the true value


@dataclass(frozen=True, slots=True)
class CriterionResult:
    code: str
    status: Status
    indicators: tuple[IndicatorResult, ...]

    @property
    def provisional(self) -> bool:
        return any(i.provisional for i in self.indicators)

    @property
    def demo(self) -> bool:
        return any(i.demo for i in self.indicators)


@dataclass(frozen=True, slots=True)
class UnitResult:
    unit: str
    set_id: str
    set_version: str
    year: int
    criteria: tuple[CriterionResult, ...]

    @property
    def met(self) -> int:
        return sum(1 for c in self.criteria if c.status is Status.MET)

    @property
    def total(self) -> int:
        return len(self.criteria)

    @property
    def unmet(self) -> tuple[str, ...]:
        return tuple(c.code for c in self.criteria if c.status is not Status.MET)

    @property
    def reached(self) -> bool:
        return self.met == self.total


NO_FIGURE = Figure()


def compare(comparison: Comparison, value: Decimal, threshold: Decimal) -> tuple[bool, Decimal]:
    """Whether `value` passes `threshold`, and the gap (0 when it passes)."""
    if comparison is Comparison.AT_LEAST:
        return value >= threshold, max(threshold - value, Decimal(0))
    if comparison is Comparison.AT_MOST:
        return value <= threshold, max(value - threshold, Decimal(0))
    return value == threshold, abs(value - threshold)


def evaluate_indicator(ind: Indicator, threshold: Threshold | None, figure: Figure) -> IndicatorResult:
    limit = threshold.value if threshold is not None else None
    if ind.comparison.is_numeric and limit is not None and figure.value is not None:
        assert threshold is not None
        if not figure.bound:
            ok, gap = compare(ind.comparison, figure.value, limit)
            status = Status.MET if ok else Status.NOT_MET
            return IndicatorResult(ind.code, status, Basis.THRESHOLD, figure.value, limit, gap,
                                   threshold.source.provisional, threshold.source.demo)
        decided = judge_bound(ind, figure.bound, figure.value, limit)
        if decided is not None:
            # Met: nothing is missing (gap 0). Not met: how much is missing is unknown (no gap).
            return IndicatorResult(ind.code, Status.MET if decided else Status.NOT_MET, Basis.THRESHOLD,
                                   figure.value, limit, Decimal(0) if decided else None,
                                   threshold.source.provisional, threshold.source.demo, figure.bound)
    if figure.verdict is not None:
        status = Status.MET if figure.verdict else Status.NOT_MET
        return IndicatorResult(ind.code, status, Basis.VERDICT, figure.value, limit, None, False,
                               bound=figure.bound)
    if figure.value is None:
        return IndicatorResult(ind.code, Status.NO_DATA, Basis.NONE, None, limit, None, False)
    if figure.bound and ind.comparison.is_numeric and limit is not None:
        # The bound leaves the threshold inside the possible values: no verdict, never a guess.
        return IndicatorResult(ind.code, Status.NOT_EVALUABLE, Basis.NONE, figure.value, limit, None, False,
                               bound=figure.bound)
    return IndicatorResult(ind.code, Status.NOT_EVALUABLE, Basis.NONE, figure.value, None, None, False,
                           bound=figure.bound)


def possible_values(ind: Indicator, bound: str, value: Decimal
                    ) -> tuple[Decimal | None, bool, Decimal | None, bool]:
    """The values a figure "`bound` `value`" allows, within the indicator's minimum and maximum:
    (low, low included, high, high included); None is unbounded."""
    if bound not in BOUNDS:
        raise ValueError(f"unknown bound {bound!r}")
    low: Decimal | None
    high: Decimal | None
    if bound in (">", ">="):
        low, low_in, high, high_in = value, bound == ">=", None, False
    elif bound in ("<", "<="):
        low, low_in, high, high_in = None, False, value, bound == "<="
    else:
        low, low_in, high, high_in = value, True, value, True
    if ind.minimum is not None and (low is None or ind.minimum > low):
        low, low_in = ind.minimum, True
    if ind.maximum is not None and (high is None or ind.maximum < high):
        high, high_in = ind.maximum, True
    return low, low_in, high, high_in


def judge_bound(ind: Indicator, bound: str, value: Decimal, threshold: Decimal) -> bool | None:
    """Met (True) or not met (False) when every value the bound allows gives that verdict; None when
    the bound leaves both possible (or allows nothing at all)."""
    low, low_in, high, high_in = possible_values(ind, bound, value)
    if low is not None and high is not None and (low > high or (low == high and not (low_in and high_in))):
        return None  # no value is possible: nothing can be concluded
    above = low is not None and (low > threshold or (low == threshold and not low_in))  # all > threshold
    below = high is not None and (high < threshold or (high == threshold and not high_in))  # all < threshold
    if ind.comparison is Comparison.AT_LEAST:
        if low is not None and low >= threshold:
            return True
        return False if below else None
    if ind.comparison is Comparison.AT_MOST:
        if high is not None and high <= threshold:
            return True
        return False if above else None
    if ind.comparison is Comparison.EQUAL:
        if low == threshold == high:
            return True
        return False if above or below else None
    return None


def combine(statuses: Sequence[Status]) -> Status:
    """All met → met; any not met → not met; otherwise no data before not evaluable."""
    if all(s is Status.MET for s in statuses):
        return Status.MET
    if any(s is Status.NOT_MET for s in statuses):
        return Status.NOT_MET
    if any(s is Status.NO_DATA for s in statuses):
        return Status.NO_DATA
    return Status.NOT_EVALUABLE


def criterion_status(crit: Criterion, by_code: Mapping[str, Status]) -> Status:
    if not crit.alternatives:
        return combine(list(by_code.values()))
    in_alternatives = {c for alt in crit.alternatives for c in alt}
    common = [s for code, s in by_code.items() if code not in in_alternatives]
    options = [combine([by_code[c] for c in alt]) for alt in crit.alternatives]
    best = Status.MET if Status.MET in options else combine(options)
    if best is Status.NOT_MET and any(o is not Status.NOT_MET for o in options):
        best = combine([o for o in options if o is not Status.NOT_MET])
    return combine([*common, best])


_VERDICTS = (None, True, False)


class _Plan:
    """Thresholds resolved once per scope for a set and year, so the per-unit loop only compares.

    For speed, the results of figures without a value (a verdict or nothing) are computed once per
    scope and indicator and shared between units, as are the criterion results made only of such
    shared indicator results. Results are immutable, so sharing them does not change what callers see.
    """

    def __init__(self, cset: CriteriaSet, year: int):
        self.cset = cset
        self.year = year
        self._by_scope: dict[str, list[tuple[Criterion, list[tuple[Indicator, Threshold | None]]]]] = {}
        self._fast: dict[str, list[tuple[Criterion, tuple[tuple[Indicator, Threshold | None, str, dict], ...],
                                         dict, str | None, dict | None]]] = {}

    def for_scope(self, scope: str) -> list[tuple[Criterion, list[tuple[Indicator, Threshold | None]]]]:
        plan = self._by_scope.get(scope)
        if plan is None:
            plan = [(c, [(i, i.threshold_for(scope, self.year)) for i in c.indicators]) for c in self.cset.criteria]
            self._by_scope[scope] = plan
        return plan

    def fast_for_scope(self, scope: str):
        """Per criterion: (criterion, ((indicator, threshold, code, results of value-less figures by
        verdict), ...), criterion results by the ids of their shared indicator results, or for a
        criterion of one indicator and no alternatives (its status is that indicator's): the code and
        criterion results by figure)."""
        plan = self._fast.get(scope)
        if plan is None:
            plan = self._fast[scope] = []
            for crit, indicators in self.for_scope(scope):
                inds = tuple((ind, th, ind.code, {v: evaluate_indicator(ind, th, Figure(None, v)) for v in _VERDICTS})
                             for ind, th in indicators)
                single: dict | None = None
                if len(inds) == 1 and not crit.alternatives:
                    single = {v: CriterionResult(crit.code, r.status, (r,)) for v, r in inds[0][3].items()}
                plan.append((crit, inds, {}, inds[0][2] if single is not None else None, single))
        return plan


def evaluate_units(cset: CriteriaSet, units: Sequence[UnitFacts], figures: Mapping[tuple[str, str], Figure],
                   year: int) -> dict[str, UnitResult]:
    """Evaluate every unit against one criteria set for one year, in one pass."""
    plan = _Plan(cset, year)
    results: dict[str, UnitResult] = {}
    get = figures.get
    set_id, version = cset.id, cset.version
    plans: dict[str, list] = {}
    for unit in units:
        key = unit.key
        scope_plan = plans.get(unit.scope)
        if scope_plan is None:
            scope_plan = plans[unit.scope] = plan.fast_for_scope(unit.scope)
        criteria = []
        for crit, indicators, by_ids, code, single in scope_plan:
            if single is not None:
                figure = get((key, code), NO_FIGURE)
                if figure.value is None and figure.verdict in single:
                    criteria.append(single[figure.verdict])
                    continue
                # Figures are often shared objects (load_figures shares equal ones): their result too,
                # kept with the figure so that an id is never taken for another object's.
                seen = by_ids.get(id(figure))
                if seen is not None and seen[0] is figure:
                    criteria.append(seen[1])
                    continue
                ind, threshold = indicators[0][0], indicators[0][1]
                r = evaluate_indicator(ind, threshold, figure)
                result = CriterionResult(crit.code, r.status, (r,))
                by_ids[id(figure)] = (figure, result)
                criteria.append(result)
                continue
            ind_results = []
            shared = True
            for ind, threshold, code, by_verdict in indicators:
                figure = get((key, code), NO_FIGURE)
                if figure.value is None and figure.verdict in by_verdict:
                    ind_results.append(by_verdict[figure.verdict])
                else:
                    ind_results.append(evaluate_indicator(ind, threshold, figure))
                    shared = False
            if shared:
                # Every result here is kept alive by the plan, so their ids identify them.
                ids = tuple(map(id, ind_results))
                result = by_ids.get(ids)
                if result is None:
                    result = by_ids[ids] = _criterion_result(crit, tuple(ind_results))
                criteria.append(result)
            else:
                criteria.append(_criterion_result(crit, tuple(ind_results)))
        results[key] = UnitResult(key, set_id, version, year, tuple(criteria))
    return results


def _criterion_result(crit: Criterion, ind_results: tuple[IndicatorResult, ...]) -> CriterionResult:
    return CriterionResult(crit.code, criterion_status(crit, {r.code: r.status for r in ind_results}), ind_results)


def derived_figures(cset: CriteriaSet, members: Mapping[str, Sequence[str]],
                    reached: Mapping[str, Mapping[str, bool]]) -> dict[tuple[str, str], Figure]:
    """Values of district indicators that count communes: the share (%) of a district's communes that
    reached the level named by the indicator. `reached` maps level → commune key → reached or not;
    a commune missing there was not evaluated at that level, so the district has no data."""
    out: dict[tuple[str, str], Figure] = {}
    for ind in cset.indicators:
        if ind.derived is None:
            continue
        at_level = reached.get(ind.derived.share_of_communes_meeting, {})
        for district, communes in members.items():
            if not communes or any(c not in at_level for c in communes):
                continue
            count = sum(1 for c in communes if at_level[c])
            share = (Decimal(count) * 100 / Decimal(len(communes))).quantize(Decimal("0.01"))
            out[(district, ind.code)] = Figure(value=share)
    return out
