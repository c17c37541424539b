"""The evaluation engine on small inline catalogs: comparisons, scopes, years, gaps and verdicts."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ntm.core.catalog import Comparison, Indicator, Source, SourceStatus, Threshold
from ntm.core.engine import (
    BOUNDS,
    Basis,
    Figure,
    Status,
    UnitFacts,
    derived_figures,
    evaluate_indicator,
    evaluate_units,
    judge_bound,
)

from .catalogs import OFFICIAL, catalog

OFF = 'status: official, document: DOC, urls: ["https://example.org/doc"]'
PROV = 'status: provisional, note: "illustrative"'


def criterion(code: str, indicators: str, alternatives: str = "[]") -> str:
    return f"""\
- code: "{code}"
  number: 1
  name_vi: "Tiêu chí {code}"
  name_en: "Criterion {code}"
  {OFFICIAL}
  alternatives: {alternatives}
  indicators:
{indicators}"""


def indicator(code: str, comparison: str, thresholds: str = "[]", years: str = "[]", derived: str = "null") -> str:
    return f"""\
    - code: "{code}"
      name_vi: "Chỉ tiêu {code}"
      name_en: "Indicator {code}"
      unit: "{'' if comparison == 'met' else '%'}"
      comparison: "{comparison}"
      {OFFICIAL}
      years: {years}
      derived: {derived}
      thresholds: {thresholds}
"""


def evaluate(cat, figures: dict[str, Figure], *, scope: str = "R1", year: int = 2024, unit: str = "u"):
    cset = cat.sets[0]
    keyed = {(unit, code): f for code, f in figures.items()}
    return evaluate_units(cset, [UnitFacts(unit, scope)], keyed, year)[unit]


def only_indicator(result):
    return result.criteria[0].indicators[0]


@pytest.mark.parametrize(
    ("comparison", "threshold", "value", "status", "gap"),
    [
        (">=", "80", "85", Status.MET, "0"),
        (">=", "80", "79.5", Status.NOT_MET, "0.5"),
        (">=", "80", "80", Status.MET, "0"),
        ("<=", "19", "18", Status.MET, "0"),
        ("<=", "19", "20.5", Status.NOT_MET, "1.5"),
        ("<=", "19", "19", Status.MET, "0"),
        ("=", "100", "100", Status.MET, "0"),
        ("=", "100", "99", Status.NOT_MET, "1"),
    ],
    ids=[
        "at least: above the threshold is met",
        "at least: below the threshold is not met, with the gap to it",
        "at least: exactly at the threshold is met",
        "at most: below the ceiling is met",
        "at most: above the ceiling is not met, with the excess as gap",
        "at most: exactly at the ceiling is met",
        "equal: the exact value is met",
        "equal: any other value is not met",
    ],
)
def test_a_number_is_compared_with_its_threshold(comparison, threshold, value, status, gap):
    cat = catalog(criterion("1", indicator("1.1", comparison, f"[{{scope: '*', value: {threshold}, {OFF}}}]")))
    result = only_indicator(evaluate(cat, {"1.1": Figure(value=D(value))}))
    assert (result.status, result.basis, result.gap, result.threshold) == (
        status, Basis.THRESHOLD, D(gap), D(threshold))


@pytest.mark.parametrize(
    ("verdict", "status", "basis"),
    [(True, Status.MET, Basis.VERDICT), (False, Status.NOT_MET, Basis.VERDICT), (None, Status.NO_DATA, Basis.NONE)],
    ids=["a met verdict is met", "a not-met verdict is not met", "no verdict is no data"],
)
def test_a_met_indicator_takes_the_recorded_verdict(verdict, status, basis):
    cat = catalog(criterion("1", indicator("1.0", "met")))
    result = only_indicator(evaluate(cat, {"1.0": Figure(verdict=verdict)}))
    assert (result.status, result.basis) == (status, basis)


@pytest.mark.parametrize(
    ("scope", "status"),
    [("R1", Status.MET), ("R2", Status.NOT_MET)],
    ids=["region 1 has the lower threshold and is met", "region 2 has the higher threshold and is not met"],
)
def test_the_threshold_depends_on_the_region(scope, status):
    thresholds = f"[{{scope: R1, value: 50, {OFF}}}, {{scope: R2, value: 70, {OFF}}}]"
    cat = catalog(criterion("1", indicator("1.1", ">=", thresholds)))
    assert only_indicator(evaluate(cat, {"1.1": Figure(value=D(60))}, scope=scope)).status is status


@pytest.mark.parametrize(
    ("scope", "status", "threshold"),
    [("G1", Status.MET, D(10)), ("G2", Status.NOT_MET, D(20))],
    ids=["group 1 is measured against its own level", "group 2 is measured against its own level"],
)
def test_the_threshold_depends_on_the_commune_group(scope, status, threshold):
    thresholds = f"[{{scope: G1, value: 10, {OFF}}}, {{scope: G2, value: 20, {OFF}}}]"
    cat = catalog(criterion("1", indicator("1.1", ">=", thresholds)), dimension="group")
    result = only_indicator(evaluate(cat, {"1.1": Figure(value=D(15))}, scope=scope))
    assert (result.status, result.threshold) == (status, threshold)


@pytest.mark.parametrize(
    ("year", "status", "threshold"),
    [(2023, Status.MET, D(62)), (2024, Status.NOT_MET, D(66)), (2025, Status.NOT_EVALUABLE, None)],
    ids=[
        "2023 uses the 2023 level",
        "2024 uses the higher 2024 level",
        "2025 has only the missing official value, so the number cannot be judged",
    ],
)
def test_the_threshold_depends_on_the_year(year, status, threshold):
    thresholds = (f"[{{scope: R1, year: 2023, value: 62, {OFF}}}, {{scope: R1, year: 2024, value: 66, {OFF}}},"
                  " {scope: '*', value: null, document: DOC, note: 'annex'}]")
    cat = catalog(criterion("1", indicator("1.1", ">=", thresholds, years="[2023, 2024, 2025]")))
    result = only_indicator(evaluate(cat, {"1.1": Figure(value=D(64))}, year=year))
    assert (result.status, result.threshold) == (status, threshold)


NULL_THRESHOLD = "[{scope: '*', value: null, document: DOC, note: 'annex'}]"
KNOWN_THRESHOLD = f"[{{scope: '*', value: 90, {OFF}}}]"


@pytest.mark.parametrize(
    ("thresholds", "figure", "status", "basis", "value"),
    [
        (KNOWN_THRESHOLD, Figure(), Status.NO_DATA, Basis.NONE, None),
        (NULL_THRESHOLD, Figure(), Status.NO_DATA, Basis.NONE, None),
        (NULL_THRESHOLD, Figure(value=D(95)), Status.NOT_EVALUABLE, Basis.NONE, D(95)),
        (NULL_THRESHOLD, Figure(value=D(95), verdict=True), Status.MET, Basis.VERDICT, D(95)),
        (NULL_THRESHOLD, Figure(verdict=False), Status.NOT_MET, Basis.VERDICT, None),
        (KNOWN_THRESHOLD, Figure(value=D(80), verdict=True), Status.NOT_MET, Basis.THRESHOLD, D(80)),
    ],
    ids=[
        "nothing recorded is no data",
        "nothing recorded against a missing threshold is still no data",
        "a number against a missing threshold is not evaluable",
        "a verdict is used when the threshold is missing, keeping the number",
        "a not-met verdict is used when the threshold is missing",
        "a known threshold wins over a recorded verdict",
    ],
)
def test_missing_figures_and_missing_thresholds(thresholds, figure, status, basis, value):
    cat = catalog(criterion("1", indicator("1.1", ">=", thresholds)))
    result = only_indicator(evaluate(cat, {"1.1": figure}))
    assert (result.status, result.basis, result.value) == (status, basis, value)


@pytest.mark.parametrize(
    ("source", "figure", "provisional"),
    [
        (PROV, Figure(value=D(95)), True),
        (OFF, Figure(value=D(95)), False),
        (PROV, Figure(verdict=True), False),
    ],
    ids=[
        "a verdict resting on a provisional threshold is flagged",
        "a verdict resting on an official threshold is not flagged",
        "a recorded verdict does not rest on the provisional threshold",
    ],
)
def test_the_provisional_flag_follows_the_threshold_used(source, figure, provisional):
    cat = catalog(criterion("1", indicator("1.1", ">=", f"[{{scope: '*', value: 90, {source}}}]")))
    crit = evaluate(cat, {"1.1": figure}).criteria[0]
    assert (crit.indicators[0].provisional, crit.provisional) == (provisional, provisional)


@pytest.mark.parametrize(
    ("common", "first", "second", "status"),
    [
        (True, True, False, Status.MET),
        (True, False, True, Status.MET),
        (True, False, False, Status.NOT_MET),
        (False, True, True, Status.NOT_MET),
        (True, None, False, Status.NO_DATA),
        (True, None, None, Status.NO_DATA),
    ],
    ids=[
        "the first alternative met is enough",
        "the second alternative met is enough",
        "no alternative met is not met",
        "the indicator outside the alternatives must still be met",
        "an alternative without data keeps the criterion open (no data), not failed",
        "no alternative recorded is no data",
    ],
)
def test_a_criterion_is_met_through_any_of_its_alternatives(common, first, second, status):
    indicators = indicator("5.1", "met") + indicator("5.2", "met") + indicator("5.3", "met")
    cat = catalog(criterion("5", indicators, alternatives='[["5.2"], ["5.3"]]'))
    figures = {code: Figure(verdict=v) for code, v in (("5.1", common), ("5.2", first), ("5.3", second))}
    assert evaluate(cat, figures).criteria[0].status is status


def test_a_unit_counts_its_met_criteria_and_names_the_unmet_ones():
    cat = catalog(criterion("1", indicator("1.0", "met")) + criterion("2", indicator("2.0", "met"))
                  + criterion("3", indicator("3.0", "met")))
    result = evaluate(cat, {"1.0": Figure(verdict=True), "2.0": Figure(verdict=False)})
    assert (result.met, result.total, result.unmet, result.reached) == (1, 3, ("2", "3"), False)


def test_a_unit_meeting_every_criterion_has_reached_the_level():
    cat = catalog(criterion("1", indicator("1.0", "met")) + criterion("2", indicator("2.0", "met")))
    result = evaluate(cat, {"1.0": Figure(verdict=True), "2.0": Figure(verdict=True)})
    assert (result.met, result.total, result.unmet, result.reached) == (2, 2, (), True)


def test_many_units_are_evaluated_in_one_pass_each_against_its_own_scope():
    thresholds = f"[{{scope: R1, value: 50, {OFF}}}, {{scope: R2, value: 70, {OFF}}}]"
    cset = catalog(criterion("1", indicator("1.1", ">=", thresholds))).sets[0]
    units = [UnitFacts("a", "R1"), UnitFacts("b", "R2"), UnitFacts("c", "R1")]
    figures = {("a", "1.1"): Figure(value=D(60)), ("b", "1.1"): Figure(value=D(60))}
    results = evaluate_units(cset, units, figures, 2024)
    assert {k: r.criteria[0].status for k, r in results.items()} == {
        "a": Status.MET, "b": Status.NOT_MET, "c": Status.NO_DATA}
    assert {r.set_id for r in results.values()} == {"s"}


DISTRICT = (
    criterion("D1", indicator("D1.1", "=", f"[{{scope: '*', value: 100, {OFF}}}]",
                              derived="{share_of_communes_meeting: ntm}"))
    + criterion("D2", indicator("D2.1", ">=", f"[{{scope: '*', value: 10, {OFF}}}]",
                                derived="{share_of_communes_meeting: ntmnc}"))
)


@pytest.mark.parametrize(
    ("communes", "ntm", "ntmnc", "expected"),
    [
        (["a", "b", "c"], {"a": True, "b": True, "c": True}, {"a": True, "b": False, "c": False},
         {"D1.1": D("100.00"), "D2.1": D("33.33")}),
        (["a", "b", "c"], {"a": True, "b": False, "c": True}, {"a": False, "b": False, "c": False},
         {"D1.1": D("66.67"), "D2.1": D("0.00")}),
        (["a", "b"], {"a": True}, {"a": True, "b": True}, {"D2.1": D("100.00")}),
        ([], {}, {}, {}),
    ],
    ids=[
        "every commune NTM and one in three NTMNC",
        "two communes in three NTM, none NTMNC",
        "a commune not evaluated at a level leaves that share without data",
        "a district without communes gets no share",
    ],
)
def test_district_shares_are_derived_from_the_communes_results(communes, ntm, ntmnc, expected):
    cset = catalog(DISTRICT, unit_kind="district", dimension="none").sets[0]
    figures = derived_figures(cset, {"d": communes}, {"ntm": ntm, "ntmnc": ntmnc})
    assert {code: f.value for (unit, code), f in figures.items() if unit == "d"} == expected


@pytest.mark.parametrize(
    ("ntm", "ntmnc", "statuses"),
    [
        ({"a": True, "b": True}, {"a": True, "b": False}, (Status.MET, Status.MET)),
        ({"a": True, "b": False}, {"a": False, "b": False}, (Status.NOT_MET, Status.NOT_MET)),
        ({"a": True}, {"a": True, "b": True}, (Status.NO_DATA, Status.MET)),
    ],
    ids=[
        "all communes NTM and half NTMNC: both conditions met",
        "a commune short of NTM and none NTMNC: both conditions failed",
        "a commune not evaluated for NTM: that condition has no data",
    ],
)
def test_a_district_is_evaluated_on_its_derived_shares(ntm, ntmnc, statuses):
    cset = catalog(DISTRICT, unit_kind="district", dimension="none").sets[0]
    figures = derived_figures(cset, {"d": ["a", "b"]}, {"ntm": ntm, "ntmnc": ntmnc})
    result = evaluate_units(cset, [UnitFacts("d", "")], figures, 2024)["d"]
    assert tuple(c.status for c in result.criteria) == statuses


# --- Bounds: a source that gives only "> 96 %" --------------------------------------------------------


def bounded_indicator(comparison: str, minimum=None, maximum=None) -> Indicator:
    return Indicator("1.1", "Chỉ tiêu", "Indicator", "%", Comparison(comparison), Source(SourceStatus.OFFICIAL, "DOC"),
                     minimum=None if minimum is None else D(minimum), maximum=None if maximum is None else D(maximum))


def at(value) -> Threshold:
    return Threshold("*", None, D(value), Source(SourceStatus.OFFICIAL, "DOC"))


@pytest.mark.parametrize(
    ("comparison", "threshold", "bound", "value", "status"),
    [
        (">=", "95", ">", "96", Status.MET),
        (">=", "95", ">", "95", Status.MET),
        (">=", "95", ">=", "95", Status.MET),
        (">=", "95", ">", "90", Status.NOT_EVALUABLE),
        (">=", "95", ">=", "94.9", Status.NOT_EVALUABLE),
        (">=", "95", "<", "95", Status.NOT_MET),
        (">=", "95", "<=", "95", Status.NOT_EVALUABLE),
        (">=", "95", "<=", "94", Status.NOT_MET),
        (">=", "95", "<", "96", Status.NOT_EVALUABLE),
        ("<=", "5", "<", "5", Status.MET),
        ("<=", "5", "<=", "5", Status.MET),
        ("<=", "5", "<", "6", Status.NOT_EVALUABLE),
        ("<=", "5", ">", "5", Status.NOT_MET),
        ("<=", "5", ">=", "5", Status.NOT_EVALUABLE),
        ("<=", "5", ">=", "5.1", Status.NOT_MET),
        ("=", "100", ">", "99", Status.NOT_EVALUABLE),
        ("=", "100", "<", "100", Status.NOT_MET),
        ("=", "100", "<=", "100", Status.NOT_EVALUABLE),
        ("=", "100", ">", "100", Status.NOT_MET),
    ],
    ids=lambda v: str(v),
)
def test_a_bound_gives_a_verdict_only_when_it_decides(comparison, threshold, bound, value, status):
    result = evaluate_indicator(bounded_indicator(comparison), at(threshold), Figure(D(value), None, bound))
    assert result.status is status
    assert result.bound == bound and result.value == D(value) and result.threshold == D(threshold)
    if status is Status.NOT_EVALUABLE:
        assert (result.basis, result.gap) == (Basis.NONE, None)
    else:
        assert result.basis is Basis.THRESHOLD
        assert result.gap == (D(0) if status is Status.MET else None)  # how much is missing is unknown


def test_the_indicator_range_closes_a_bound():
    """Up to 100 %: "≥ 100" can only be 100, so it meets "= 100"; without the maximum it cannot."""
    with_max = evaluate_indicator(bounded_indicator("=", 0, 100), at(100), Figure(D(100), None, ">="))
    without = evaluate_indicator(bounded_indicator("="), at(100), Figure(D(100), None, ">="))
    assert (with_max.status, without.status) == (Status.MET, Status.NOT_EVALUABLE)


def test_an_undecided_bound_falls_back_on_a_recorded_verdict_but_is_never_guessed():
    ind = bounded_indicator(">=")
    assert evaluate_indicator(ind, at(95), Figure(D(90), True, ">")).basis is Basis.VERDICT
    no_threshold = evaluate_indicator(ind, None, Figure(D(96), None, ">"))
    assert (no_threshold.status, no_threshold.bound) == (Status.NOT_EVALUABLE, ">")


def test_an_exact_figure_is_judged_as_before_and_has_no_bound():
    result = evaluate_indicator(bounded_indicator(">="), at(95), Figure(D(94)))
    assert (result.status, result.gap, result.bound) == (Status.NOT_MET, D(1), "")


def test_bounded_figures_of_many_units_are_judged_each_on_its_own():
    cat = catalog(criterion("1", indicator("1.1", ">=", f"[{{scope: '*', value: 95, {OFF}}}]")))
    figures = {("a", "1.1"): Figure(D(96), None, ">"), ("b", "1.1"): Figure(D(90), None, ">"),
               ("c", "1.1"): Figure(D(90), None, "<"), ("d", "1.1"): Figure(D(96))}
    results = evaluate_units(cat.sets[0], [UnitFacts(k, "R1") for k in "abcd"], figures, 2024)
    assert {k: r.criteria[0].status for k, r in results.items()} == {
        "a": Status.MET, "b": Status.NOT_EVALUABLE, "c": Status.NOT_MET, "d": Status.MET}


def test_an_unknown_bound_is_refused():
    with pytest.raises(ValueError, match="unknown bound"):
        judge_bound(bounded_indicator(">="), "~", D(1), D(1))


NUMBERS = st.decimals(min_value=-50, max_value=150, places=1, allow_nan=False, allow_infinity=False)


def _allowed(bound: str, value: D, x: D, low, high) -> bool:
    inside = {">": x > value, ">=": x >= value, "<": x < value, "<=": x <= value}[bound]
    return inside and (low is None or x >= low) and (high is None or x <= high)


@settings(max_examples=400, deadline=None)
@given(comparison=st.sampled_from([">=", "<=", "="]), bound=st.sampled_from([b for b in BOUNDS if b]),
       value=NUMBERS, threshold=NUMBERS, exact=NUMBERS,
       limits=st.sampled_from([(None, None), (D(0), D(100))]))
def test_no_exact_value_inside_a_bound_contradicts_its_verdict(comparison, bound, value, threshold, exact, limits):
    """Whatever exact value the bound allows would give the same verdict the bound gave (or none)."""
    ind = bounded_indicator(comparison, *limits)
    from_bound = evaluate_indicator(ind, at(threshold), Figure(value, None, bound)).status
    if from_bound is Status.NOT_EVALUABLE or not _allowed(bound, value, exact, *limits):
        return
    assert evaluate_indicator(ind, at(threshold), Figure(exact)).status is from_bound


@settings(max_examples=300, deadline=None)
@given(comparison=st.sampled_from([">=", "<=", "="]), bound=st.sampled_from([b for b in BOUNDS if b]),
       value=NUMBERS, threshold=NUMBERS)
def test_an_undecided_bound_allows_both_verdicts(comparison, bound, value, threshold):
    """When the bound gives no verdict, exact values it allows really do disagree: it is never too shy."""
    ind = bounded_indicator(comparison)
    if evaluate_indicator(ind, at(threshold), Figure(value, None, bound)).status is not Status.NOT_EVALUABLE:
        return
    step = D("0.05")
    near = [threshold - step, threshold, threshold + step, value - step, value, value + step]
    verdicts = {evaluate_indicator(ind, at(threshold), Figure(x)).status
                for x in near if _allowed(bound, value, x, None, None)}
    assert verdicts == {Status.MET, Status.NOT_MET}
