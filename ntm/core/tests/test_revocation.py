"""Decision 18/2022/QĐ-TTg: when a recognised commune's title is at risk, and which criteria slipped."""

import pytest

from ntm.core.engine import Status
from ntm.core.revocation import revocation_risk, slipped

CODES = [str(n) for n in range(1, 20)]  # 19 criteria, as in the 2021–2025 commune sets
KEYS = {"10", "17", "18", "19"}  # income, environment, living-environment quality, defence and security
NON_KEY = [c for c in CODES if c not in KEYS]


def statuses(unmet: list[str]) -> dict[str, Status]:
    return {c: Status.NOT_MET if c in unmet else Status.MET for c in CODES}


@pytest.mark.parametrize(("unmet", "at_risk"), [
    (["10", *NON_KEY[:5]], True),  # 6/19 = 31.6% with income
    (["10", *NON_KEY[:4]], False),  # 5/19 = 26.3%: under 30% even with income
    (NON_KEY[:6], False),  # 6/19 without a key criterion
    (NON_KEY[:9], False),  # 9/19 = 47.4% without a key criterion
    (["19", *NON_KEY[:8]], True),  # 9/19 with defence and security
    (NON_KEY[:10], True),  # 10/19 = 52.6%: at risk whatever the criteria
    ([], False),
])
def test_revocation_risk_at_the_30_and_50_percent_boundaries(unmet, at_risk):
    assert (revocation_risk(statuses(unmet), KEYS) is not None) is at_risk


def test_exactly_30_and_50_percent_are_at_risk():
    ten = {str(n): Status.MET for n in range(1, 11)}
    three = {**ten, "1": Status.NOT_MET, "2": Status.NOT_MET, "3": Status.NOT_MET}
    assert revocation_risk(three, {"3"}) is not None
    assert revocation_risk(three, {"4"}) is None
    five = {**three, "4": Status.NOT_MET, "5": Status.NOT_MET}
    assert revocation_risk(five, set()) is not None


def test_the_reason_names_the_share_and_the_key_criteria_in_both_languages():
    risk = revocation_risk(statuses(["10", *NON_KEY[:5]]), KEYS)
    assert risk is not None
    assert risk.key_unmet == ("10",)
    assert risk.percent == 31.6
    assert "6/19" in risk.reason_vi and "31.6%" in risk.reason_vi and "trọng yếu 10" in risk.reason_vi
    assert "6 of 19" in risk.reason_en and "key criteria 10" in risk.reason_en


def test_criteria_without_data_are_not_counted_as_unmet():
    data = statuses(["10", *NON_KEY[:4]]) | {NON_KEY[5]: Status.NO_DATA}
    assert revocation_risk(data, KEYS) is None


def test_no_criteria_means_no_verdict():
    assert revocation_risk({}, KEYS) is None


@pytest.mark.parametrize(("before", "now", "expected"), [
    (Status.MET, Status.NOT_MET, ["10"]),
    (Status.MET, Status.MET, []),
    (Status.NOT_MET, Status.NOT_MET, []),
    (Status.NO_DATA, Status.NOT_MET, []),
    (Status.MET, Status.NO_DATA, []),
    (None, Status.NOT_MET, []),
])
def test_slipped_lists_criteria_met_before_and_not_met_now(before, now, expected):
    previous = {} if before is None else {"10": before}
    assert slipped({**previous, "1": Status.MET}, {"1": Status.MET, "10": now}) == expected
