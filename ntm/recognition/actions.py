"""Every change to a recognition dossier happens here: opening it, uploading documents, taking steps,
checking and returning indicators, and recording capital-construction debts. Pages, commands and the
demo all call these functions; the rules themselves live in `ntm.core.recognition`."""

from __future__ import annotations

import contextlib
from datetime import date
from decimal import Decimal
from typing import NoReturn

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import get_language

from ntm import uploads
from ntm.audit.bulk import record_bulk_changes
from ntm.core import recognition as rules
from ntm.core.recognition import Refusal, Role
from ntm.figures.models import Figure
from ntm.units.models import Kind, Recognition, Unit

from . import files, selectors
from .access import roles_over
from .checklists import kinds
from .models import CapitalDebt, Dossier, DossierDocument, DossierEvent, IndicatorCheck, Level, Step


class RecognitionRefused(Exception):
    """Nothing was written; `refusal` says why, in Vietnamese and English."""

    def __init__(self, refusal: Refusal):
        self.refusal = refusal
        super().__init__(refusal.vi)

    def __str__(self) -> str:
        return self.refusal.text(get_language() or "vi")


class StepRefused(RecognitionRefused):
    pass


class UploadRefused(RecognitionRefused):
    pass


def _refuse(exc: type[RecognitionRefused], vi: str, en: str) -> NoReturn:
    raise exc(Refusal(vi, en))


def _roles(by, commune: Unit) -> list[str | None]:
    """The user's roles over the commune, in order; [None] for a user with none (the rules then say why)."""
    roles: list[str | None] = [*sorted(roles_over(by, commune))]
    return roles or [None]


def step_refusal(dossier: Dossier, to: rules.Step, by, *, today: date, **facts) -> Refusal | None:
    """None if any of the user's roles over the commune may take the step; else the most telling reason."""
    state = selectors.facts(dossier, today=today, **facts)
    reasons = {role: rules.refusal(state, to, role) for role in _roles(by, dossier.commune)}
    if any(r is None for r in reasons.values()):
        return None
    # A role that may take the step explains better (missing documents…) than one that may not.
    allowed = rules.roles_for(to, state.step)
    telling = [r for role, r in reasons.items() if role in allowed]
    return (telling or list(reasons.values()))[0]


# --- Dossiers -----------------------------------------------------------------------------------------


@transaction.atomic
def open_dossier(commune: Unit, *, level: str, year: int, by, is_demo: bool = False) -> Dossier:
    if commune.kind != Kind.COMMUNE:
        _refuse(StepRefused, "chỉ xã mới lập hồ sơ công nhận", "only communes open recognition dossiers")
    if level not in Level.values:
        _refuse(StepRefused, f"mức “{level}” không hợp lệ", f"unknown level “{level}”")
    if not roles_over(by, commune) & rules.OPEN_ROLES:
        _refuse(StepRefused, "hồ sơ do xã, Văn phòng Điều phối NTM huyện hoặc quản trị hệ thống lập",
                "dossiers are opened by the commune, the district NTM office or an administrator")
    if Dossier.objects.filter(commune=commune, level=level, year=year).exists():
        _refuse(StepRefused, "xã đã có hồ sơ cho mức và năm này",
                "the commune already has a dossier for this level and year")
    dossier = Dossier.objects.create(commune=commune, level=level, year=year, created_by=by, is_demo=is_demo)
    DossierEvent.objects.create(dossier=dossier, from_step="", to_step=Step.DRAFTING, actor=by, at=timezone.now())
    return dossier


@transaction.atomic
def advance_dossier(dossier: Dossier, *, to: str, by, comment: str = "", decision_number: str = "",
                    decision_date: date | None = None, today: date | None = None) -> Dossier:
    """Take one step (or return the dossier to drafting); refused with the reason, nothing written."""
    today = today or timezone.localdate()
    dossier = Dossier.objects.select_for_update(of=("self",)).select_related("commune__parent").get(pk=dossier.pk)
    move = rules.Step(to)
    if reason := step_refusal(dossier, move, by, today=today, comment=comment, decision_number=decision_number,
                              decision_date=decision_date):
        raise StepRefused(reason)
    before = dossier.step
    dossier.step = rules.landing(move).value
    fields = ["step", "updated_at"]
    if move == rules.Step.RECOGNISED:
        dossier.decision_number, dossier.decision_date = decision_number.strip(), decision_date
        fields += ["decision_number", "decision_date"]
        Recognition.objects.create(unit=dossier.commune, level=dossier.level, year=dossier.year,
                                   decision=f"{dossier.decision_number} ngày {decision_date:%d/%m/%Y}",
                                   is_demo=dossier.is_demo)
    if move == rules.Step.REVOKED:
        revoked = Recognition.objects.filter(unit=dossier.commune, level=dossier.level, revoked_on__isnull=True)
        ids = list(revoked.values_list("pk", flat=True))
        revoked.update(revoked_on=today)
        record_bulk_changes(Recognition, {pk: {"revoked_on": (None, today)} for pk in ids})  # bulk: no signal
    dossier.save(update_fields=fields)
    DossierEvent.objects.create(dossier=dossier, from_step=before, to_step=move.value, actor=by,
                                comment=comment.strip(), at=timezone.now())
    return dossier


@transaction.atomic
def set_conditions(dossier: Dossier, *, by, satisfaction_rate: Decimal | None, security_ok: bool | None) -> None:
    """The residents' satisfaction rate and the security finding (conditions C2 and C4)."""
    roles = roles_over(by, dossier.commune)
    editors = rules.COMMUNE_ROLES if dossier.step == Step.DRAFTING else set()
    editors |= rules.reviewer_roles(rules.Step(dossier.step), timezone.localdate())
    if not roles & editors:
        _refuse(StepRefused, "không thể sửa các điều kiện của hồ sơ ở bước này",
                "the dossier's conditions cannot be changed by you at this step")
    if satisfaction_rate is not None and not 0 <= satisfaction_rate <= 100:
        _refuse(StepRefused, "tỷ lệ hài lòng phải từ 0 đến 100%", "the satisfaction rate must be 0–100%")
    dossier.satisfaction_rate, dossier.security_ok = satisfaction_rate, security_ok
    dossier.save(update_fields=["satisfaction_rate", "security_ok", "updated_at"])


# --- Documents ------------------------------------------------------------------------------------------


@transaction.atomic
def upload_document(dossier: Dossier, *, kind: str, upload: File, by, is_demo: bool = False,
                    today: date | None = None) -> DossierDocument:
    """Store one file under a generated name. Refused, with nothing stored: an unknown kind, a user who
    does not take that kind's step, an oversized file, a path or odd characters in the name, an
    executable, or content that is not PDF, PNG, JPEG, Word or Excel."""
    today = today or timezone.localdate()
    spec = kinds().get(kind)
    if spec is None:
        _refuse(UploadRefused, f"loại tài liệu “{kind}” không có trong danh mục", f"unknown document kind “{kind}”")
    reasons = [rules.upload_refusal(spec.step, rules.Step(dossier.step), role, today)
               for role in _roles(by, dossier.commune)]
    refusals = [r for r in reasons if r is not None]
    if len(refusals) == len(reasons):  # no role may upload it
        raise UploadRefused(refusals[0])
    name = (getattr(upload, "name", "") or "").strip()
    content_type = _checked_type(upload, name)
    doc = DossierDocument(dossier=dossier, kind=kind, original_name=name, content_type=content_type,
                          size=upload.size, uploaded_by=by, uploaded_at=timezone.now(), is_demo=is_demo)
    doc.file.save("upload", upload, save=False)  # the name comes from `document_upload_to`
    try:
        doc.save()
    except Exception:
        doc.file.delete(save=False)
        raise
    return doc


def _checked_type(upload: File, name: str) -> str:
    """The file's content type, once every check has passed."""
    limit = settings.MAX_UPLOAD_BYTES
    if upload.size > limit:
        mb = f"{limit / 1024 / 1024:g}"
        _refuse(UploadRefused, f"tệp quá lớn: tối đa {mb} MB", f"file too large: at most {mb} MB")
    try:
        uploads.check_name(name)  # the clearest message for NUL, U+202E and other invisible characters
    except uploads.UploadProblem as problem:
        _refuse(UploadRefused, problem.vi, problem.en)
    if which := files.name_problem(name):
        detail = {"length": ("tên tệp trống hoặc quá dài", "the file name is empty or too long"),
                  "path": ("tên tệp không được chứa đường dẫn (/, \\, ..) hoặc ký tự : * ? \" < > |",
                           "the file name must not contain a path (/, \\, ..) or : * ? \" < > |"),
                  "control": ("tên tệp chứa ký tự điều khiển", "the file name contains control characters")}
        _refuse(UploadRefused, *detail[which])
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if files.is_executable(head):
        _refuse(UploadRefused, "tệp là chương trình chạy được, không nhận", "the file is an executable program")
    try:
        if head.startswith(b"PK"):
            with contextlib.suppress(uploads.ArchiveDamaged):  # not a zip at all: the type check says so
                uploads.check_archive(upload).close()  # before anything reads inside the zip
            upload.seek(0)
        content_type = files.sniff(upload, name)
        if content_type is None:
            _refuse(UploadRefused, "chỉ nhận tệp PDF, PNG, JPEG, Word hoặc Excel (nhận dạng theo nội dung tệp)",
                    "only PDF, PNG, JPEG, Word or Excel files are accepted (judged by their content)")
        uploads.check_content(upload, content_type, name)
    except uploads.UploadProblem as problem:
        _refuse(UploadRefused, problem.vi, problem.en)
    finally:
        upload.seek(0)
    return content_type


# --- Indicator checks ----------------------------------------------------------------------------------


def _column(dossier: Dossier, roles: set[str], today: date) -> str:
    """Which column the user fills: the commune's self-assessment or the reviewer's of this step."""
    step = rules.Step(dossier.step)
    if step == rules.Step.DRAFTING and roles & rules.COMMUNE_ROLES:
        return "self"
    reviewers = rules.reviewer_roles(step, today)
    if not roles & reviewers:
        _refuse(StepRefused, "bạn không kiểm tra chỉ tiêu ở bước này", "you do not check indicators at this step")
    district_turn = step == rules.Step.SUBMITTED and rules.district_step_exists(today)
    return "district" if district_turn else "province"


def _check_row(dossier: Dossier, indicator: str) -> IndicatorCheck:
    cset = selectors.criteria_set(dossier)
    if cset is None or indicator not in {i.code for i in cset.indicators}:
        _refuse(StepRefused, f"chỉ tiêu “{indicator}” không có trong bộ tiêu chí của hồ sơ",
                f"indicator “{indicator}” is not in the dossier's criteria set")
    row, _ = IndicatorCheck.objects.select_for_update().get_or_create(dossier=dossier, criteria_set=cset.id,
                                                                       indicator=indicator)
    return row


@transaction.atomic
def check_indicator(dossier: Dossier, *, indicator: str, by, value: Decimal | None = None,
                    verdict: bool | None = None, today: date | None = None) -> IndicatorCheck:
    """Record one level's finding for an indicator. The commune's self-assessment is copied from its
    current figure when no value is given; it also clears a return for revision."""
    today = today or timezone.localdate()
    column = _column(dossier, roles_over(by, dossier.commune), today)
    row = _check_row(dossier, indicator)
    fields = [f"{column}_value", f"{column}_verdict", f"{column}_by", f"{column}_at"]
    if column == "self" and value is None and verdict is None:
        figure = Figure.objects.filter(unit=dossier.commune, criteria_set=row.criteria_set, indicator=indicator,
                                       year=dossier.year, superseded_at__isnull=True).first()
        if figure is not None:
            value, verdict = figure.value, figure.verdict
    for field, content in zip(fields, (value, verdict, by, timezone.now()), strict=True):
        setattr(row, field, content)
    if column == "self" and row.returned:
        row.returned = False
        fields.append("returned")
    row.save(update_fields=fields)
    return row


@transaction.atomic
def return_indicator(dossier: Dossier, *, indicator: str, by, message: str,
                     today: date | None = None) -> IndicatorCheck:
    """Send one indicator back to the commune for revision; forward steps wait until it is revised."""
    today = today or timezone.localdate()
    roles = roles_over(by, dossier.commune)
    if not roles & rules.reviewer_roles(rules.Step(dossier.step), today):
        _refuse(StepRefused, "bạn không kiểm tra chỉ tiêu ở bước này", "you do not check indicators at this step")
    if not message.strip():
        _refuse(StepRefused, "cần ghi rõ lý do trả lại", "a reason for the return is required")
    row = _check_row(dossier, indicator)
    row.returned, row.returned_message = True, message.strip()
    row.returned_by, row.returned_at = by, timezone.now()
    row.save(update_fields=["returned", "returned_message", "returned_by", "returned_at"])
    return row


# --- Capital-construction debt -------------------------------------------------------------------------

DEBT_ROLES = {Role.COMMUNE_OFFICIAL, Role.DISTRICT_OFFICE, Role.PROVINCE_OFFICE, Role.ADMIN}


def _may_record_debt(by, commune: Unit) -> None:
    if not roles_over(by, commune) & DEBT_ROLES:
        _refuse(StepRefused, "bạn không ghi nợ đọng xây dựng cơ bản cho xã này",
                "you do not record capital-construction debt for this commune")


@transaction.atomic
def record_debt(commune: Unit, *, amount: Decimal, description: str, as_of: date, by,
                is_demo: bool = False) -> CapitalDebt:
    _may_record_debt(by, commune)
    if amount <= 0:
        _refuse(StepRefused, "số tiền nợ phải lớn hơn 0", "the amount must be positive")
    return CapitalDebt.objects.create(commune=commune, amount=amount, description=description, as_of=as_of,
                                      recorded_by=by, is_demo=is_demo)


@transaction.atomic
def settle_debt(debt: CapitalDebt, *, on: date, by) -> CapitalDebt:
    _may_record_debt(by, debt.commune)
    debt.settled_on = on
    debt.save(update_fields=["settled_on"])
    return debt
