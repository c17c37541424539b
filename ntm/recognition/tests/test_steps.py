"""Every transition through `advance_dossier`, allowed and refused, with real models and the demo."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from ntm.core.recognition import Step
from ntm.recognition import actions
from ntm.recognition.models import Dossier, DossierEvent
from ntm.units.models import Recognition

from .conftest import AFTER, BEFORE, upload_for, walk


@pytest.fixture
def ntm_dossier(qmt, people):
    """Quê Mỹ Thạnh meets all 19 NTM criteria in 2024 in the demo."""
    dossier = actions.open_dossier(qmt, level="ntm", year=2024, by=people.official)
    actions.set_conditions(dossier, by=people.official, satisfaction_rate=Decimal("95"), security_ok=True)
    return dossier


def recognise(dossier, by, today=BEFORE):
    upload_for(dossier, Step.RECOGNISED, by, today)
    return actions.advance_dossier(dossier, to=Step.RECOGNISED, by=by, comment="", today=today,
                                   decision_number="123/QĐ-UBND", decision_date=date(2024, 6, 10))


def test_opening_a_dossier_records_the_first_event(ntm_dossier):
    assert ntm_dossier.step == Step.DRAFTING
    assert list(ntm_dossier.events.values_list("to_step", flat=True)) == ["drafting"]


def test_an_outsider_cannot_open_a_dossier_for_another_commune(qmt, people):
    with pytest.raises(actions.StepRefused):
        actions.open_dossier(qmt, level="ntm", year=2024, by=people.outsider)
    assert not Dossier.objects.exists()


@pytest.mark.parametrize("who", ["official", "leader"])
def test_the_commune_submits(ntm_dossier, people, who):
    upload_for(ntm_dossier, Step.SUBMITTED, people.official, BEFORE)
    dossier = actions.advance_dossier(ntm_dossier, to=Step.SUBMITTED, by=getattr(people, who), comment="Trình",
                                      today=BEFORE)
    assert dossier.step == Step.SUBMITTED
    event = dossier.events.last()
    assert (event.from_step, event.to_step, event.comment) == ("drafting", "submitted", "Trình")


def test_submission_is_refused_while_the_dossier_is_incomplete(ntm_dossier, people):
    with pytest.raises(actions.StepRefused, match="hồ sơ chưa đủ: thiếu Báo cáo kết quả xây dựng NTM của xã"):
        actions.advance_dossier(ntm_dossier, to=Step.SUBMITTED, by=people.official, today=BEFORE)
    assert Dossier.objects.get().step == Step.DRAFTING
    assert DossierEvent.objects.count() == 1


@pytest.mark.parametrize(("to", "who", "reason"), [
    (Step.SUBMITTED, "district", "bước này do cán bộ hoặc lãnh đạo xã thực hiện"),
    (Step.SUBMITTED, "outsider", "bước này do cán bộ hoặc lãnh đạo xã thực hiện"),
    (Step.VERIFIED, "official", "không thể chuyển"),
    (Step.RECOGNISED, "province", "không thể chuyển"),
    (Step.RETURNED, "district", "không thể chuyển"),
])
def test_refused_from_drafting(ntm_dossier, people, to, who, reason):
    upload_for(ntm_dossier, Step.SUBMITTED, people.official, BEFORE)
    with pytest.raises(actions.StepRefused, match=reason):
        actions.advance_dossier(ntm_dossier, to=to, by=getattr(people, who), comment="x", today=BEFORE)


def test_the_district_verifies_before_july_2025(ntm_dossier, people):
    dossier = walk(ntm_dossier, people, to=Step.SUBMITTED)
    with pytest.raises(actions.StepRefused, match="bước này do Văn phòng Điều phối NTM huyện thực hiện"):
        actions.advance_dossier(dossier, to=Step.VERIFIED, by=people.official, today=BEFORE)
    with pytest.raises(actions.StepRefused, match="không thể chuyển"):
        actions.advance_dossier(dossier, to=Step.APPRAISED, by=people.province, today=BEFORE)
    dossier = walk(dossier, people, to=Step.VERIFIED)
    assert dossier.step == Step.VERIFIED


def test_the_2025_path_has_no_district_step(ntm_dossier, people):
    dossier = walk(ntm_dossier, people, to=Step.SUBMITTED, today=AFTER)
    with pytest.raises(actions.StepRefused, match="không còn bước thẩm tra cấp huyện"):
        actions.advance_dossier(dossier, to=Step.VERIFIED, by=people.district, today=AFTER)
    upload_for(dossier, Step.APPRAISED, people.province, AFTER)
    dossier = actions.advance_dossier(dossier, to=Step.APPRAISED, by=people.province, today=AFTER)
    assert list(dossier.events.values_list("to_step", flat=True)) == ["drafting", "submitted", "appraised"]


def test_the_province_appraises_and_recognises_creating_the_recognition(ntm_dossier, people):
    dossier = walk(ntm_dossier, people, to=Step.APPRAISED)
    upload_for(dossier, Step.RECOGNISED, people.province, BEFORE)
    with pytest.raises(actions.StepRefused, match="bước này do Văn phòng Điều phối NTM tỉnh"):
        actions.advance_dossier(dossier, to=Step.RECOGNISED, by=people.district, today=BEFORE,
                                decision_number="1/QĐ", decision_date=date(2024, 6, 10))
    dossier = recognise(dossier, people.province)
    assert dossier.step == Step.RECOGNISED
    assert (dossier.decision_number, dossier.decision_date) == ("123/QĐ-UBND", date(2024, 6, 10))
    title = Recognition.objects.get(unit=dossier.commune, level="ntm")
    assert title.decision == "123/QĐ-UBND ngày 10/06/2024" and title.revoked_on is None


def test_recognition_needs_the_decision_number_and_date(ntm_dossier, people):
    dossier = walk(ntm_dossier, people, to=Step.APPRAISED)
    upload_for(dossier, Step.RECOGNISED, people.province, BEFORE)
    with pytest.raises(actions.StepRefused, match="cần số và ngày quyết định công nhận"):
        actions.advance_dossier(dossier, to=Step.RECOGNISED, by=people.admin, today=BEFORE)


def test_the_admin_may_recognise(ntm_dossier, people):
    dossier = recognise(walk(ntm_dossier, people, to=Step.APPRAISED), people.admin)
    assert dossier.step == Step.RECOGNISED


def test_recognition_is_refused_while_criterion_10_is_unmet_for_que_my_thanh(qmt, people):
    dossier = actions.open_dossier(qmt, level="ntmnc", year=2024, by=people.leader)
    actions.set_conditions(dossier, by=people.official, satisfaction_rate=Decimal("95"), security_ok=True)
    dossier = walk(dossier, people, to=Step.APPRAISED)
    with pytest.raises(actions.StepRefused) as refused:
        recognise(dossier, people.province)
    assert "tiêu chí 10" in refused.value.refusal.vi
    assert "10" in refused.value.refusal.en
    assert not Recognition.objects.filter(unit=qmt, level="ntmnc").exists()
    assert Dossier.objects.get(pk=dossier.pk).step == Step.APPRAISED


def test_recognition_is_refused_when_satisfaction_is_below_the_minimum(ntm_dossier, people):
    actions.set_conditions(ntm_dossier, by=people.official, satisfaction_rate=Decimal("87"), security_ok=True)
    dossier = walk(ntm_dossier, people, to=Step.APPRAISED)
    with pytest.raises(actions.StepRefused, match="tỷ lệ hài lòng 87% < 90%"):
        recognise(dossier, people.province)


def test_the_satisfaction_minimum_comes_from_settings(ntm_dossier, people, settings):
    settings.NTM_COMMUNE_SATISFACTION_MIN = 85
    actions.set_conditions(ntm_dossier, by=people.official, satisfaction_rate=Decimal("87"), security_ok=True)
    assert recognise(walk(ntm_dossier, people, to=Step.APPRAISED), people.province).step == Step.RECOGNISED


def test_outstanding_debt_blocks_recognition_until_settled(ntm_dossier, people, qmt):
    debt = actions.record_debt(qmt, amount=Decimal(150_000_000), description="Đường ấp 3", as_of=date(2024, 5, 1),
                               by=people.district)
    dossier = walk(ntm_dossier, people, to=Step.APPRAISED)
    with pytest.raises(actions.StepRefused, match="còn nợ đọng xây dựng cơ bản"):
        recognise(dossier, people.province)
    actions.settle_debt(debt, on=date(2024, 6, 5), by=people.district)
    assert recognise(dossier, people.province).step == Step.RECOGNISED


def test_a_complex_security_situation_blocks_recognition(ntm_dossier, people):
    actions.set_conditions(ntm_dossier, by=people.official, satisfaction_rate=Decimal("95"), security_ok=False)
    dossier = walk(ntm_dossier, people, to=Step.APPRAISED)
    with pytest.raises(actions.StepRefused, match="xã còn phức tạp về an ninh, trật tự"):
        recognise(dossier, people.province)


@pytest.mark.parametrize(("at", "who"), [
    (Step.SUBMITTED, "district"), (Step.VERIFIED, "province"), (Step.APPRAISED, "province"),
    (Step.APPRAISED, "admin"),
])
def test_a_reviewer_returns_the_dossier_to_drafting_with_a_reason(ntm_dossier, people, at, who):
    dossier = walk(ntm_dossier, people, to=at)
    with pytest.raises(actions.StepRefused, match="cần ghi rõ lý do"):
        actions.advance_dossier(dossier, to=Step.RETURNED, by=getattr(people, who), today=BEFORE)
    dossier = actions.advance_dossier(dossier, to=Step.RETURNED, by=getattr(people, who),
                                      comment="Bổ sung biên bản", today=BEFORE)
    assert dossier.step == Step.DRAFTING
    event = dossier.events.last()
    assert (event.from_step, event.to_step, event.comment) == (at, "returned", "Bổ sung biên bản")


@pytest.mark.parametrize(("at", "who"), [(Step.SUBMITTED, "official"), (Step.VERIFIED, "district")])
def test_only_the_reviewer_of_the_step_may_return(ntm_dossier, people, at, who):
    dossier = walk(ntm_dossier, people, to=at)
    with pytest.raises(actions.StepRefused, match="trả lại"):
        actions.advance_dossier(dossier, to=Step.RETURNED, by=getattr(people, who), comment="x", today=BEFORE)


def test_revocation_sets_revoked_on_and_needs_the_province(ntm_dossier, people):
    dossier = recognise(walk(ntm_dossier, people, to=Step.APPRAISED), people.province)
    with pytest.raises(actions.StepRefused, match="bước này do Văn phòng Điều phối NTM tỉnh"):
        actions.advance_dossier(dossier, to=Step.REVOKED, by=people.district, comment="x", today=BEFORE)
    dossier = actions.advance_dossier(dossier, to=Step.REVOKED, by=people.province, comment="Tiêu chí 10 không duy trì",
                                      today=date(2024, 12, 1))
    assert dossier.step == Step.REVOKED
    assert Recognition.objects.get(unit=dossier.commune, level="ntm").revoked_on == date(2024, 12, 1)
    with pytest.raises(actions.StepRefused, match="không thể chuyển"):
        actions.advance_dossier(dossier, to=Step.RECOGNISED, by=people.province, today=BEFORE)
