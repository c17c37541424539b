"""The recognition procedure as pure rules: which step follows which, who takes it, and why a step is refused.

Decision 18/2022/QĐ-TTg gives the four commune conditions (C1 every criterion met, C2 residents'
satisfaction, C3 no outstanding capital-construction debt, C4 no complex security situation); the
reference does not give the procedure's steps, dossier components or time limits, so the steps here
follow the chain the reference notes describe: commune → district → province until 30/6/2025, and
commune → province from 1/7/2025 (two-level local government: no district step).

Plain data in, a `Refusal` (Vietnamese and English) or None out; no Django, no clock.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

TWO_LEVEL_GOVERNMENT_FROM = date(2025, 7, 1)


class Step(StrEnum):
    DRAFTING = "drafting"
    SUBMITTED = "submitted"
    VERIFIED = "verified"  # district verification (thẩm tra), 2021–2025 path only
    APPRAISED = "appraised"  # provincial appraisal (thẩm định); the draft is published for comment
    RECOGNISED = "recognised"
    REVOKED = "revoked"
    RETURNED = "returned"  # a move, not a resting place: the dossier goes back to drafting


class Role(StrEnum):
    """The account roles: the one definition (`ntm.accounts.models.Role` is these members as Django choices)."""

    COMMUNE_OFFICIAL = "commune_official"
    COMMUNE_LEADER = "commune_leader"
    DISTRICT_OFFICE = "district_office"
    DEPARTMENT = "department"
    LEADER = "leader"
    PROVINCE_OFFICE = "province_office"
    ADMIN = "admin"


COMMUNE_ROLES = frozenset({Role.COMMUNE_OFFICIAL, Role.COMMUNE_LEADER})

# Who takes each step (a return is taken by whoever reviews the dossier at its current step).
STEP_ROLES: Mapping[Step, frozenset[Role]] = {
    Step.SUBMITTED: COMMUNE_ROLES,
    Step.VERIFIED: frozenset({Role.DISTRICT_OFFICE}),
    Step.APPRAISED: frozenset({Role.PROVINCE_OFFICE}),
    Step.RECOGNISED: frozenset({Role.PROVINCE_OFFICE, Role.ADMIN}),
    Step.REVOKED: frozenset({Role.PROVINCE_OFFICE, Role.ADMIN}),
}
OPEN_ROLES = frozenset({*COMMUNE_ROLES, Role.DISTRICT_OFFICE, Role.ADMIN})

FORWARD = (Step.SUBMITTED, Step.VERIFIED, Step.APPRAISED, Step.RECOGNISED)


@dataclass(frozen=True)
class Refusal:
    """Why a step is refused, in Vietnamese (shown by default) and English."""

    vi: str
    en: str

    def __str__(self) -> str:
        return self.vi

    def text(self, language: str) -> str:
        return self.en if language.startswith("en") else self.vi


@dataclass(frozen=True)
class RequiredDocument:
    """One kind of document the dossier needs before `step` can be taken."""

    code: str
    step: Step
    name_vi: str
    name_en: str
    required: bool = True
    source: str = "provisional"


@dataclass(frozen=True)
class DossierFacts:
    """What the rules need to know about a dossier at the moment of a step."""

    step: Step
    today: date
    unmet_criteria: Sequence[str] | None = None  # None: no stored result for the level and year
    satisfaction_rate: Decimal | None = None
    satisfaction_min: Decimal = Decimal(90)
    outstanding_debt: bool = False
    security_ok: bool | None = None
    documents_present: Collection[str] = frozenset()
    checklist: Sequence[RequiredDocument] = ()
    open_returns: Sequence[str] = ()  # indicators sent back for revision and not yet revised
    already_recognised: bool = False
    comment: str = ""
    decision_number: str = ""
    decision_date: date | None = None


def district_step_exists(today: date) -> bool:
    return today < TWO_LEVEL_GOVERNMENT_FROM


def path(today: date) -> tuple[Step, ...]:
    """The forward steps a dossier goes through when steps are taken on `today`."""
    if district_step_exists(today):
        return (Step.DRAFTING, *FORWARD)
    return (Step.DRAFTING, Step.SUBMITTED, Step.APPRAISED, Step.RECOGNISED)


def next_steps(step: Step, today: date) -> tuple[Step, ...]:
    """Every move that may follow `step`: forward first, then a return or a revocation.
    A dossier the district verified before 1/7/2025 still goes on to the province afterwards."""
    match step:
        case Step.DRAFTING:
            return (Step.SUBMITTED,)
        case Step.SUBMITTED:
            return (Step.VERIFIED if district_step_exists(today) else Step.APPRAISED, Step.RETURNED)
        case Step.VERIFIED:
            return (Step.APPRAISED, Step.RETURNED)
        case Step.APPRAISED:
            return (Step.RECOGNISED, Step.RETURNED)
        case Step.RECOGNISED:
            return (Step.REVOKED,)
    return ()


def landing(to: Step) -> Step:
    """The step a dossier rests at after the move `to` (a return lands in drafting)."""
    return Step.DRAFTING if to == Step.RETURNED else to


def roles_for(to: Step, current: Step) -> frozenset[Role]:
    """Who may take the move `to` from `current`."""
    if to != Step.RETURNED:
        return STEP_ROLES.get(to, frozenset())
    if current == Step.SUBMITTED:
        return STEP_ROLES[Step.VERIFIED] | STEP_ROLES[Step.APPRAISED] | {Role.ADMIN}
    return STEP_ROLES[Step.APPRAISED] | {Role.ADMIN}


def reviewer_roles(current: Step, today: date) -> frozenset[Role]:
    """Who checks indicators and returns them for revision while the dossier is at `current`."""
    if current == Step.SUBMITTED and district_step_exists(today):
        return frozenset({Role.DISTRICT_OFFICE, Role.ADMIN})
    if current in (Step.SUBMITTED, Step.VERIFIED, Step.APPRAISED):
        return frozenset({Role.PROVINCE_OFFICE, Role.ADMIN})
    return frozenset()


# --- Refusals -----------------------------------------------------------------------------------------

STEP_NAMES = {
    Step.DRAFTING: ("đang soạn hồ sơ", "drafting"),
    Step.SUBMITTED: ("đã trình", "submitted"),
    Step.VERIFIED: ("huyện đã thẩm tra", "verified by the district"),
    Step.APPRAISED: ("tỉnh đã thẩm định", "appraised by the province"),
    Step.RECOGNISED: ("đã công nhận", "recognised"),
    Step.REVOKED: ("đã thu hồi", "revoked"),
    Step.RETURNED: ("trả lại", "returned"),
}

ROLE_TAKERS = {
    Step.SUBMITTED: ("bước này do cán bộ hoặc lãnh đạo xã thực hiện",
                     "this step is taken by the commune's officials or leaders"),
    Step.VERIFIED: ("bước này do Văn phòng Điều phối NTM huyện thực hiện",
                    "this step is taken by the district NTM coordination office"),
    Step.APPRAISED: ("bước này do Văn phòng Điều phối NTM tỉnh thực hiện",
                     "this step is taken by the provincial NTM coordination office"),
    Step.RECOGNISED: ("bước này do Văn phòng Điều phối NTM tỉnh hoặc quản trị hệ thống thực hiện",
                      "this step is taken by the provincial NTM coordination office or an administrator"),
    Step.REVOKED: ("bước này do Văn phòng Điều phối NTM tỉnh hoặc quản trị hệ thống thực hiện",
                   "this step is taken by the provincial NTM coordination office or an administrator"),
}


def refusal(facts: DossierFacts, to: Step, role: str | None) -> Refusal | None:
    """Why `role` may not take the move `to` now, or None when it may."""
    if problem := _order(facts, to) or _role(facts, to, role) or _comment(facts, to):
        return problem
    problems = [p for check in (_returns, _documents, _conditions, _decision) for p in check(facts, to)]
    if not problems:
        return None
    return Refusal("; ".join(p.vi for p in problems), "; ".join(p.en for p in problems))


def _order(facts: DossierFacts, to: Step) -> Refusal | None:
    if to in next_steps(facts.step, facts.today):
        return None
    if to == Step.VERIFIED and not district_step_exists(facts.today):
        return Refusal("từ 1/7/2025 không còn bước thẩm tra cấp huyện: hồ sơ xã trình thẳng tỉnh",
                       "from 1 July 2025 there is no district verification: the commune submits to the province")
    here, there = STEP_NAMES[facts.step], STEP_NAMES[to]
    return Refusal(f"không thể chuyển từ bước “{here[0]}” sang “{there[0]}”",
                   f"cannot go from “{here[1]}” to “{there[1]}”")


def _role(facts: DossierFacts, to: Step, role: str | None) -> Refusal | None:
    allowed = roles_for(to, facts.step)
    if role in allowed:
        return None
    if to == Step.RETURNED:
        # After 1/7/2025 there is no district office: the province returns what the commune submitted.
        district = Role.DISTRICT_OFFICE in allowed and district_step_exists(facts.today)
        taker = Step.VERIFIED if district else Step.APPRAISED
        vi, en = ROLE_TAKERS[taker]
        return Refusal(vi.replace("bước này", "việc trả lại hồ sơ ở bước này"),
                       en.replace("this step is", "returning the dossier at this step is"))
    return Refusal(*ROLE_TAKERS[to])


def _comment(facts: DossierFacts, to: Step) -> Refusal | None:
    if to in (Step.RETURNED, Step.REVOKED) and not facts.comment.strip():
        return Refusal("cần ghi rõ lý do", "a reason is required")
    return None


def _returns(facts: DossierFacts, to: Step) -> list[Refusal]:
    if to not in FORWARD or not facts.open_returns:
        return []
    codes = ", ".join(facts.open_returns)
    return [Refusal(f"chỉ tiêu {codes} đang được trả lại để chỉnh sửa",
                    f"indicator {codes} was returned for revision and not yet revised")]


def missing_documents(facts: DossierFacts, to: Step) -> list[RequiredDocument]:
    return [d for d in facts.checklist
            if d.step == to and d.required and d.code not in facts.documents_present]


def _documents(facts: DossierFacts, to: Step) -> list[Refusal]:
    missing = missing_documents(facts, to)
    if not missing:
        return []
    return [Refusal("hồ sơ chưa đủ: thiếu " + ", ".join(d.name_vi for d in missing),
                    "the dossier is incomplete: missing " + ", ".join(d.name_en for d in missing))]


def _format_rate(rate: Decimal) -> str:
    return format(rate.normalize(), "f")


def _conditions(facts: DossierFacts, to: Step) -> list[Refusal]:
    """The four conditions of Decision 18/2022/QĐ-TTg, checked before recognition."""
    if to != Step.RECOGNISED:
        return []
    out: list[Refusal] = []
    if facts.already_recognised:
        out.append(Refusal("xã đã được công nhận ở mức này", "the commune already holds this title"))
    if facts.unmet_criteria is None:
        out.append(Refusal("chưa có kết quả đánh giá bộ tiêu chí cho mức và năm của hồ sơ",
                           "no stored evaluation for the dossier's level and year"))
    elif facts.unmet_criteria:
        vi = ", ".join(f"tiêu chí {c}" for c in facts.unmet_criteria)
        word = "criterion" if len(facts.unmet_criteria) == 1 else "criteria"
        out.append(Refusal(f"{vi} chưa đạt", f"{word} {', '.join(facts.unmet_criteria)} not met"))
    rate, minimum = facts.satisfaction_rate, facts.satisfaction_min
    if rate is None:
        out.append(Refusal("chưa có tỷ lệ hài lòng của người dân", "no residents' satisfaction rate yet"))
    elif rate < minimum:
        shown, need = _format_rate(rate), _format_rate(minimum)
        out.append(Refusal(f"tỷ lệ hài lòng {shown}% < {need}%", f"satisfaction rate {shown}% < {need}%"))
    if facts.outstanding_debt:
        out.append(Refusal("còn nợ đọng xây dựng cơ bản", "outstanding capital-construction debt"))
    if facts.security_ok is None:
        out.append(Refusal("chưa xác nhận tình hình an ninh, trật tự", "security and order not yet confirmed"))
    elif not facts.security_ok:
        out.append(Refusal("xã còn phức tạp về an ninh, trật tự", "the commune's security situation is complex"))
    return out


def _decision(facts: DossierFacts, to: Step) -> list[Refusal]:
    if to != Step.RECOGNISED:
        return []
    if not facts.decision_number.strip() or facts.decision_date is None:
        return [Refusal("cần số và ngày quyết định công nhận",
                        "the recognition decision's number and date are required")]
    if facts.decision_date > facts.today:
        return [Refusal("ngày quyết định ở tương lai", "the decision date is in the future")]
    return []


# --- Checklist ------------------------------------------------------------------------------------------


def checklist_for(documents: Sequence[RequiredDocument], today: date) -> list[RequiredDocument]:
    """The documents on the dossier's path (no district documents from 1/7/2025)."""
    steps = set(path(today))
    return [d for d in documents if d.step in steps]


def completeness(documents: Sequence[RequiredDocument], present: Collection[str]) -> int:
    """Required kinds present / required kinds, in whole percent (100 when nothing is required)."""
    required = [d for d in documents if d.required]
    if not required:
        return 100
    return round(100 * sum(d.code in present for d in required) / len(required))


def upload_refusal(doc_step: Step, current: Step, role: str | None, today: date) -> Refusal | None:
    """A document belongs to the step it supports; whoever takes that step uploads it, before taking it."""
    if doc_step not in next_steps(current, today):
        vi, en = STEP_NAMES[current]
        return Refusal(f"hồ sơ đang ở bước “{vi}”: không thể thêm tài liệu này",
                       f"the dossier is at “{en}”: this document cannot be added now")
    if role not in roles_for(doc_step, current):
        return Refusal(*ROLE_TAKERS[doc_step])
    return None
