"""Each level records its finding per indicator; a reviewer may return one indicator for revision."""

from __future__ import annotations

from decimal import Decimal

import pytest

from ntm.core.recognition import Step
from ntm.recognition import actions

from .conftest import BEFORE, upload_for, walk


@pytest.fixture
def dossier(qmt, people):
    return actions.open_dossier(qmt, level="ntmnc", year=2024, by=people.official)


def test_the_self_assessment_is_copied_from_the_commune_s_figure(dossier, people):
    check = actions.check_indicator(dossier, indicator="10.1", by=people.official, today=BEFORE)
    assert check.self_value == Decimal("68.2") and check.self_by == people.official


def test_the_district_returns_an_indicator_and_submission_waits_for_its_revision(dossier, people):
    dossier = walk(dossier, people, to=Step.SUBMITTED)
    check = actions.check_indicator(dossier, indicator="10.1", by=people.district, value=Decimal("66"),
                                    verdict=False, today=BEFORE)
    assert check.district_value == Decimal("66") and check.district_by == people.district
    check = actions.return_indicator(dossier, indicator="10.1", by=people.district,
                                     message="Thu nhập chưa khớp số liệu thống kê", today=BEFORE)
    assert check.returned and check.returned_message == "Thu nhập chưa khớp số liệu thống kê"
    upload_for(dossier, Step.VERIFIED, people.district, BEFORE)
    with pytest.raises(actions.StepRefused, match="chỉ tiêu 10.1 đang được trả lại"):
        actions.advance_dossier(dossier, to=Step.VERIFIED, by=people.district, today=BEFORE)
    dossier = actions.advance_dossier(dossier, to=Step.RETURNED, by=people.district, comment="Xem chỉ tiêu 10.1",
                                      today=BEFORE)
    check = actions.check_indicator(dossier, indicator="10.1", by=people.official, today=BEFORE)
    assert not check.returned


def test_a_return_needs_a_message_and_the_reviewer_of_the_step(dossier, people):
    dossier = walk(dossier, people, to=Step.SUBMITTED)
    with pytest.raises(actions.StepRefused, match="cần ghi rõ lý do"):
        actions.return_indicator(dossier, indicator="10.1", by=people.district, message=" ", today=BEFORE)
    with pytest.raises(actions.StepRefused, match="không kiểm tra chỉ tiêu"):
        actions.return_indicator(dossier, indicator="10.1", by=people.official, message="x", today=BEFORE)


def test_an_unknown_indicator_is_refused(dossier, people):
    with pytest.raises(actions.StepRefused, match="không có trong bộ tiêu chí"):
        actions.check_indicator(dossier, indicator="99.9", by=people.official, today=BEFORE)
