"""One recognition dossier: read it, take a step, set its conditions, upload a document. Each call goes
through the dossier page's access helper and actions; refusals carry the page's reason."""

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import File, Form, Router, Status
from ninja.files import UploadedFile

from ntm.core import recognition as rules
from ntm.recognition import actions, selectors
from ntm.recognition.access import dossier_for_reader
from ntm.recognition.views import _buttons

from ..schemas import Message
from ..schemas_work import ConditionsIn, DocumentRowOut, DossierDetailOut, StepIn
from ..scope import caller

router = Router(tags=["recognition"])

READ = {401: Message, 403: Message, 404: Message}


def _detail(dossier, user):
    """The dossier with what the page shows beside it (the documents come from the schema's resolver)."""
    unmet = selectors.unmet_criteria(dossier)
    dossier.unmet_criteria = list(unmet) if unmet is not None else None
    dossier.completeness = selectors.completeness(dossier, timezone.localdate())
    dossier.steps = [{"to": b.to, "label": b.label, "refusal": b.reason()} for b in _buttons(dossier, user)]
    return dossier


@router.get("/{int:dossier_id}", response={200: DossierDetailOut, **READ},
            summary="Một hồ sơ công nhận / one recognition dossier",
            description="Kèm tiêu chí chưa đạt, độ đầy đủ, các bước tiếp theo (và lý do nếu không được làm) và tài "
                        "liệu. / With unmet criteria, completeness, the next steps (with the reason when the caller "
                        "may not take one) and the documents.")
def get_dossier(request: HttpRequest, dossier_id: int):
    user = caller(request)
    return _detail(dossier_for_reader(user, dossier_id), user)


@router.post("/{int:dossier_id}/steps", response={200: DossierDetailOut, 400: Message, 409: Message, **READ},
             summary="Chuyển bước hồ sơ / take a step",
             description="409 khi quy tắc không cho (kèm lý do, như trên trang) hoặc khi trình hồ sơ còn tiêu chí "
                         "chưa đạt mà chưa xác nhận `confirm_unmet`. / 409 when the rules refuse (the page's reason) "
                         "or when submitting with unmet criteria without `confirm_unmet`.")
def take_step(request: HttpRequest, dossier_id: int, payload: StepIn):
    user = caller(request)
    dossier = dossier_for_reader(user, dossier_id)
    try:
        to = rules.Step(payload.to)
    except ValueError:
        return Status(400, {"detail": _("Bước không hợp lệ.")})
    # The page's warning: submitting with unmet criteria, otherwise allowed, needs a confirmation.
    unmet = selectors.unmet_criteria(dossier)
    if (to == rules.Step.SUBMITTED and not payload.confirm_unmet and unmet and actions.step_refusal(
            dossier, to, user, today=timezone.localdate(), comment=payload.comment) is None):
        return Status(409, {"detail": _("Còn tiêu chí chưa đạt (%(codes)s): hãy xác nhận rằng vẫn trình hồ sơ.")
                            % {"codes": ", ".join(unmet)}})
    try:
        dossier = actions.advance_dossier(dossier, to=to.value, by=user, comment=payload.comment,
                                          decision_number=payload.decision_number,
                                          decision_date=payload.decision_date)
    except actions.RecognitionRefused as exc:
        return Status(409, {"detail": str(exc)})
    return _detail(dossier_for_reader(user, dossier.pk), user)


@router.post("/{int:dossier_id}/conditions", response={200: DossierDetailOut, 409: Message, **READ},
             summary="Điều kiện: tỷ lệ hài lòng, an ninh trật tự / conditions: satisfaction, security")
def set_conditions(request: HttpRequest, dossier_id: int, payload: ConditionsIn):
    user = caller(request)
    dossier = dossier_for_reader(user, dossier_id)
    try:
        actions.set_conditions(dossier, by=user, satisfaction_rate=payload.satisfaction_rate,
                               security_ok=payload.security_ok)
    except actions.RecognitionRefused as exc:
        return Status(409, {"detail": str(exc)})
    return _detail(dossier_for_reader(user, dossier.pk), user)


@router.post("/{int:dossier_id}/documents", response={201: DocumentRowOut, 400: Message, **READ},
             summary="Tải lên tài liệu hồ sơ / upload a document",
             description="Cùng các kiểm tra như trang (loại, người, dung lượng, tên, nội dung tệp). / The page's "
                         "checks (kind, who, size, name, content).")
def upload_document(request: HttpRequest, dossier_id: int, kind: Form[str], file: File[UploadedFile]):
    user = caller(request)
    dossier = dossier_for_reader(user, dossier_id)
    try:
        doc = actions.upload_document(dossier, kind=kind, upload=file, by=user)
    except actions.RecognitionRefused as exc:
        return Status(400, {"detail": str(exc)})
    return Status(201, doc)
