"""The recognition rules, table by table: every move from every step, by every role, in both eras."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from ntm.core.recognition import (
    DossierFacts,
    RequiredDocument,
    Role,
    Step,
    checklist_for,
    completeness,
    landing,
    next_steps,
    path,
    refusal,
    reviewer_roles,
    upload_refusal,
)

BEFORE = date(2024, 6, 20)  # commune → district → province
AFTER = date(2025, 9, 1)  # two-level government: commune → province

CHECKLIST = (
    RequiredDocument("bao-cao-xa", Step.SUBMITTED, "Báo cáo kết quả xây dựng NTM của xã", "Commune report"),
    RequiredDocument("anh", Step.SUBMITTED, "Hình ảnh", "Photos", required=False),
    RequiredDocument("tham-tra", Step.VERIFIED, "Báo cáo thẩm tra của huyện", "District verification report"),
    RequiredDocument("tham-dinh", Step.APPRAISED, "Báo cáo thẩm định của tỉnh", "Provincial appraisal report"),
    RequiredDocument("to-trinh", Step.RECOGNISED, "Tờ trình đề nghị công nhận", "Proposal for recognition"),
)


def ready(step: Step, today: date = BEFORE, **changes) -> DossierFacts:
    """A dossier meeting every condition, with every document, at `step`."""
    facts = DossierFacts(
        step=step, today=today, unmet_criteria=(), satisfaction_rate=Decimal("95.5"),
        satisfaction_min=Decimal(90), outstanding_debt=False, security_ok=True,
        documents_present={d.code for d in CHECKLIST}, checklist=CHECKLIST,
        comment="Đủ điều kiện", decision_number="1234/QĐ-UBND", decision_date=date(2024, 6, 1),
    )
    return replace(facts, **changes)


S, R = Step, Role
ALL_ROLES = tuple(Role)

# (era, from, to, the roles that may take it). Every other (from, to, role) combination is refused.
ALLOWED = [
    (BEFORE, S.DRAFTING, S.SUBMITTED, {R.COMMUNE_OFFICIAL, R.COMMUNE_LEADER}),
    (BEFORE, S.SUBMITTED, S.VERIFIED, {R.DISTRICT_OFFICE}),
    (BEFORE, S.SUBMITTED, S.RETURNED, {R.DISTRICT_OFFICE, R.PROVINCE_OFFICE, R.ADMIN}),
    (BEFORE, S.VERIFIED, S.APPRAISED, {R.PROVINCE_OFFICE}),
    (BEFORE, S.VERIFIED, S.RETURNED, {R.PROVINCE_OFFICE, R.ADMIN}),
    (BEFORE, S.APPRAISED, S.RECOGNISED, {R.PROVINCE_OFFICE, R.ADMIN}),
    (BEFORE, S.APPRAISED, S.RETURNED, {R.PROVINCE_OFFICE, R.ADMIN}),
    (BEFORE, S.RECOGNISED, S.REVOKED, {R.PROVINCE_OFFICE, R.ADMIN}),
    (AFTER, S.DRAFTING, S.SUBMITTED, {R.COMMUNE_OFFICIAL, R.COMMUNE_LEADER}),
    (AFTER, S.SUBMITTED, S.APPRAISED, {R.PROVINCE_OFFICE}),
    (AFTER, S.SUBMITTED, S.RETURNED, {R.DISTRICT_OFFICE, R.PROVINCE_OFFICE, R.ADMIN}),
    (AFTER, S.VERIFIED, S.APPRAISED, {R.PROVINCE_OFFICE}),  # verified by the district before 1/7/2025
    (AFTER, S.VERIFIED, S.RETURNED, {R.PROVINCE_OFFICE, R.ADMIN}),
    (AFTER, S.APPRAISED, S.RECOGNISED, {R.PROVINCE_OFFICE, R.ADMIN}),
    (AFTER, S.APPRAISED, S.RETURNED, {R.PROVINCE_OFFICE, R.ADMIN}),
    (AFTER, S.RECOGNISED, S.REVOKED, {R.PROVINCE_OFFICE, R.ADMIN}),
]
ALLOWED_KEYS = {(era, src, dst): roles for era, src, dst, roles in ALLOWED}


def every_case():
    for era in (BEFORE, AFTER):
        for src in (s for s in Step if s != Step.RETURNED):
            for dst in Step:
                for role in ALL_ROLES:
                    yield pytest.param(era, src, dst, role, role in ALLOWED_KEYS.get((era, src, dst), ()),
                                       id=f"{era.year}-{src}-{dst}-{role}")


@pytest.mark.parametrize(("today", "src", "to", "role", "allowed"), list(every_case()))
def test_every_move_by_every_role_in_both_eras(today, src, to, role, allowed):
    result = refusal(ready(src, today), to, role)
    if allowed:
        assert result is None
    else:
        assert result is not None and result.vi and result.en


@pytest.mark.parametrize(("to", "role", "expected"), [
    (S.SUBMITTED, R.DISTRICT_OFFICE, "bước này do cán bộ hoặc lãnh đạo xã thực hiện"),
    (S.VERIFIED, R.COMMUNE_LEADER, "bước này do Văn phòng Điều phối NTM huyện thực hiện"),
    (S.APPRAISED, R.DISTRICT_OFFICE, "bước này do Văn phòng Điều phối NTM tỉnh thực hiện"),
    (S.RECOGNISED, R.DISTRICT_OFFICE, "Văn phòng Điều phối NTM tỉnh hoặc quản trị hệ thống"),
    (S.REVOKED, R.LEADER, "Văn phòng Điều phối NTM tỉnh hoặc quản trị hệ thống"),
])
def test_a_wrong_role_is_told_who_takes_the_step(to, role, expected):
    src = {S.SUBMITTED: S.DRAFTING, S.VERIFIED: S.SUBMITTED, S.APPRAISED: S.VERIFIED,
           S.RECOGNISED: S.APPRAISED, S.REVOKED: S.RECOGNISED}[to]
    assert expected in refusal(ready(src), to, role).vi


def test_from_july_2025_there_is_no_district_step():
    assert S.VERIFIED not in path(AFTER)
    assert next_steps(S.SUBMITTED, AFTER) == (S.APPRAISED, S.RETURNED)
    reason = refusal(ready(S.SUBMITTED, AFTER), S.VERIFIED, R.DISTRICT_OFFICE)
    assert "không còn bước thẩm tra cấp huyện" in reason.vi
    assert "no district verification" in reason.en


def test_before_july_2025_the_district_verifies():
    assert path(BEFORE) == (S.DRAFTING, S.SUBMITTED, S.VERIFIED, S.APPRAISED, S.RECOGNISED)
    assert refusal(ready(S.SUBMITTED, BEFORE), S.APPRAISED, R.PROVINCE_OFFICE) is not None


def test_a_return_lands_in_drafting_and_needs_a_reason():
    assert landing(S.RETURNED) == S.DRAFTING
    assert landing(S.VERIFIED) == S.VERIFIED
    reason = refusal(ready(S.SUBMITTED, comment="  "), S.RETURNED, R.DISTRICT_OFFICE)
    assert reason.vi == "cần ghi rõ lý do"


def test_revocation_needs_a_reason():
    assert refusal(ready(S.RECOGNISED, comment=""), S.REVOKED, R.PROVINCE_OFFICE).en == "a reason is required"


@pytest.mark.parametrize(("changes", "vi", "en"), [
    ({"unmet_criteria": ("10",)}, "tiêu chí 10 chưa đạt", "criterion 10 not met"),
    ({"unmet_criteria": ("1", "10", "13")}, "tiêu chí 1, tiêu chí 10, tiêu chí 13 chưa đạt",
     "criteria 1, 10, 13 not met"),
    ({"unmet_criteria": None}, "chưa có kết quả đánh giá", "no stored evaluation"),
    ({"satisfaction_rate": Decimal("87")}, "tỷ lệ hài lòng 87% < 90%", "satisfaction rate 87% < 90%"),
    ({"satisfaction_rate": Decimal("87.50")}, "tỷ lệ hài lòng 87.5% < 90%", "87.5% < 90%"),
    ({"satisfaction_rate": None}, "chưa có tỷ lệ hài lòng", "no residents' satisfaction rate"),
    ({"outstanding_debt": True}, "còn nợ đọng xây dựng cơ bản", "capital-construction debt"),
    ({"security_ok": False}, "xã còn phức tạp về an ninh, trật tự", "security situation is complex"),
    ({"security_ok": None}, "chưa xác nhận tình hình an ninh, trật tự", "security and order not yet confirmed"),
    ({"documents_present": {"bao-cao-xa"}}, "hồ sơ chưa đủ: thiếu Tờ trình đề nghị công nhận",
     "missing Proposal for recognition"),
    ({"decision_number": ""}, "cần số và ngày quyết định công nhận", "number and date"),
    ({"decision_date": None}, "cần số và ngày quyết định công nhận", "number and date"),
    ({"decision_date": date(2030, 1, 1)}, "ngày quyết định ở tương lai", "in the future"),
    ({"already_recognised": True}, "xã đã được công nhận ở mức này", "already holds this title"),
    ({"open_returns": ("10.1",)}, "chỉ tiêu 10.1 đang được trả lại", "returned for revision"),
])
def test_recognition_is_refused_until_the_four_conditions_and_the_dossier_are_met(changes, vi, en):
    reason = refusal(ready(S.APPRAISED, **changes), S.RECOGNISED, R.PROVINCE_OFFICE)
    assert vi in reason.vi
    assert en in reason.en


def test_the_satisfaction_minimum_is_configurable():
    facts = ready(S.APPRAISED, satisfaction_rate=Decimal(87), satisfaction_min=Decimal(85))
    assert refusal(facts, S.RECOGNISED, R.ADMIN) is None


def test_every_problem_is_reported_at_once():
    facts = ready(S.APPRAISED, unmet_criteria=("10",), satisfaction_rate=Decimal(87), outstanding_debt=True)
    reason = refusal(facts, S.RECOGNISED, R.PROVINCE_OFFICE)
    assert reason.vi == "tiêu chí 10 chưa đạt; tỷ lệ hài lòng 87% < 90%; còn nợ đọng xây dựng cơ bản"


def test_the_conditions_are_not_checked_before_recognition():
    facts = ready(S.DRAFTING, unmet_criteria=("10",), satisfaction_rate=None, security_ok=None)
    assert refusal(facts, S.SUBMITTED, R.COMMUNE_OFFICIAL) is None


@pytest.mark.parametrize(("src", "to", "role", "missing"), [
    (S.DRAFTING, S.SUBMITTED, R.COMMUNE_LEADER, "Báo cáo kết quả xây dựng NTM của xã"),
    (S.SUBMITTED, S.VERIFIED, R.DISTRICT_OFFICE, "Báo cáo thẩm tra của huyện"),
    (S.VERIFIED, S.APPRAISED, R.PROVINCE_OFFICE, "Báo cáo thẩm định của tỉnh"),
])
def test_each_forward_step_needs_its_documents(src, to, role, missing):
    reason = refusal(ready(src, documents_present=set()), to, role)
    assert reason.vi == f"hồ sơ chưa đủ: thiếu {missing}"


def test_optional_documents_do_not_block_and_do_not_count():
    present = {"bao-cao-xa", "tham-tra", "tham-dinh", "to-trinh"}
    assert refusal(ready(S.DRAFTING, documents_present=present), S.SUBMITTED, R.COMMUNE_OFFICIAL) is None
    assert completeness(CHECKLIST, present) == 100
    assert completeness(CHECKLIST, {"bao-cao-xa", "anh"}) == 25


def test_the_checklist_drops_district_documents_from_july_2025():
    assert "tham-tra" in {d.code for d in checklist_for(CHECKLIST, BEFORE)}
    assert "tham-tra" not in {d.code for d in checklist_for(CHECKLIST, AFTER)}


def test_returns_are_not_blocked_by_open_indicator_returns():
    facts = ready(S.SUBMITTED, open_returns=("10.1",))
    assert refusal(facts, S.RETURNED, R.DISTRICT_OFFICE) is None
    assert refusal(facts, S.VERIFIED, R.DISTRICT_OFFICE) is not None


@pytest.mark.parametrize(("current", "today", "reviewers"), [
    (S.SUBMITTED, BEFORE, {R.DISTRICT_OFFICE, R.ADMIN}),
    (S.SUBMITTED, AFTER, {R.PROVINCE_OFFICE, R.ADMIN}),
    (S.VERIFIED, BEFORE, {R.PROVINCE_OFFICE, R.ADMIN}),
    (S.APPRAISED, AFTER, {R.PROVINCE_OFFICE, R.ADMIN}),
    (S.DRAFTING, BEFORE, set()),
    (S.RECOGNISED, BEFORE, set()),
])
def test_who_reviews_indicators_at_each_step(current, today, reviewers):
    assert reviewer_roles(current, today) == reviewers


@pytest.mark.parametrize(("doc_step", "current", "role", "today", "allowed"), [
    (S.SUBMITTED, S.DRAFTING, R.COMMUNE_OFFICIAL, BEFORE, True),
    (S.SUBMITTED, S.DRAFTING, R.DISTRICT_OFFICE, BEFORE, False),
    (S.SUBMITTED, S.SUBMITTED, R.COMMUNE_OFFICIAL, BEFORE, False),
    (S.VERIFIED, S.SUBMITTED, R.DISTRICT_OFFICE, BEFORE, True),
    (S.VERIFIED, S.SUBMITTED, R.DISTRICT_OFFICE, AFTER, False),
    (S.APPRAISED, S.SUBMITTED, R.PROVINCE_OFFICE, AFTER, True),
    (S.APPRAISED, S.VERIFIED, R.COMMUNE_LEADER, BEFORE, False),
    (S.RECOGNISED, S.APPRAISED, R.ADMIN, BEFORE, True),
])
def test_a_document_is_uploaded_by_whoever_takes_its_step_before_taking_it(doc_step, current, role, today, allowed):
    assert (upload_refusal(doc_step, current, role, today) is None) is allowed


def test_a_refusal_speaks_the_reader_s_language():
    reason = refusal(ready(S.APPRAISED, unmet_criteria=("10",)), S.RECOGNISED, R.ADMIN)
    assert reason.text("en") == "criterion 10 not met"
    assert reason.text("vi") == str(reason) == "tiêu chí 10 chưa đạt"
