"""Recognition pages: a commune's dossiers, one dossier (checklist, uploads, timeline, step buttons,
indicator checks) and the file download. Thin: access helpers, then an action or a selector.
Every form posts and redirects back; refusals come back as messages saying why."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ntm.accounts.access import unit_for_reader
from ntm.accounts.names import display_name
from ntm.core import recognition as rules
from ntm.core.recognition import Refusal
from ntm.evaluation import periods

from . import actions, selectors
from .access import document_for_reader, dossier_for_reader, roles_over
from .checklists import kinds
from .models import Dossier, Level

# What each button does, as a verb: the step names ("Đã trình", "Đã thu hồi") read as states, and a
# recognised dossier's revoke button then said "Đã thu hồi" as if it had already been revoked.
ACTIONS = {
    rules.Step.SUBMITTED: gettext_lazy("Trình hồ sơ"),
    rules.Step.VERIFIED: gettext_lazy("Thẩm tra (huyện)"),
    rules.Step.APPRAISED: gettext_lazy("Thẩm định (tỉnh)"),
    rules.Step.RECOGNISED: gettext_lazy("Công nhận"),
    rules.Step.REVOKED: gettext_lazy("Thu hồi công nhận"),
    rules.Step.RETURNED: gettext_lazy("Trả lại hồ sơ"),
}


@dataclass(frozen=True)
class StepButton:
    to: str
    label: str
    refusal: Refusal | None
    needs_decision: bool

    def reason(self) -> str:
        return self.refusal.text(get_language() or "vi") if self.refusal else ""


def _buttons(dossier: Dossier, user) -> list[StepButton]:
    today = timezone.localdate()
    out = []
    for to in rules.next_steps(rules.Step(dossier.step), today):
        # Decision fields are typed in the form: judge the other conditions with a placeholder decision.
        extra = {"decision_number": "…", "decision_date": today, "comment": "…"}
        refusal = actions.step_refusal(dossier, to, user, today=today, **extra)
        out.append(StepButton(to.value, str(ACTIONS[to]), refusal, to == rules.Step.RECOGNISED))
    return out


def _back(dossier: Dossier) -> HttpResponse:
    return redirect("recognition:dossier", pk=dossier.pk)


@login_required
def commune_dossiers(request: HttpRequest, key: str) -> HttpResponse:
    commune = unit_for_reader(request.user, key)
    if request.method == "POST":
        try:
            year = int(request.POST.get("year", ""))
            dossier = actions.open_dossier(commune, level=request.POST.get("level", ""), year=year, by=request.user)
        except ValueError:
            messages.error(request, _("Năm không hợp lệ."))
        except actions.RecognitionRefused as exc:
            messages.error(request, str(exc))
        else:
            return _back(dossier)
    dossiers = Dossier.objects.filter(commune=commune).order_by("-year", "level")
    may_open = bool(roles_over(request.user, commune) & rules.OPEN_ROLES)
    return render(request, "recognition/commune.html", {
        "commune": commune, "dossiers": dossiers, "may_open": may_open, "levels": Level.choices,
        "this_year": periods.from_request(request, commune).year,
    })


def _documents(dossier: Dossier) -> list[tuple]:
    """Each uploaded file with its kind's name (the code means nothing to a reader) and the uploader's name."""
    english = (get_language() or "vi").startswith("en")
    names = {code: (d.name_en if english else d.name_vi) for code, d in kinds().items()}
    return [(doc, names.get(doc.kind, doc.kind), display_name(doc.uploaded_by) if doc.uploaded_by else "—")
            for doc in dossier.documents.select_related("uploaded_by")]


@login_required
def dossier_detail(request: HttpRequest, pk: int) -> HttpResponse:
    dossier = dossier_for_reader(request.user, pk)
    today = timezone.localdate()
    cset = selectors.criteria_set(dossier)
    checklist = selectors.checklist_lines(dossier, today)
    return render(request, "recognition/dossier.html", {
        "dossier": dossier,
        "checklist": checklist,
        "upload_kind": _first_missing(checklist),
        "completeness": selectors.completeness(dossier, today),
        "documents": _documents(dossier),
        "events": dossier.events.select_related("actor"),
        "buttons": _buttons(dossier, request.user),
        "checks": dossier.checks.all(),
        "indicators": [i.code for i in cset.indicators] if cset else [],
        "satisfaction_min": selectors.satisfaction_min(),
        "unmet": selectors.unmet_criteria(dossier),
        "debt": selectors.outstanding_debt(dossier.commune),
        "district_step": rules.district_step_exists(today),
        "english": (get_language() or "vi").startswith("en"),
    })


def _unconfirmed_unmet(request: HttpRequest, dossier: Dossier) -> bool:
    """Submitting with criteria unmet, allowed otherwise, and not confirmed on the page's warning."""
    if request.POST.get("to") != rules.Step.SUBMITTED or request.POST.get("confirm_unmet") == "yes":
        return False
    if not selectors.unmet_criteria(dossier):
        return False
    return actions.step_refusal(dossier, rules.Step.SUBMITTED, request.user, today=timezone.localdate(),
                                comment=request.POST.get("comment", "")) is None


def _first_missing(checklist: list) -> str:
    """The document type the upload form offers first: the first required one still missing, so that an
    upload raises completeness (never a type already uploaded while others are missing)."""
    missing = [line for line in checklist if not line.present]
    first = next((line for line in missing if line.document.required), missing[0] if missing else None)
    return first.document.code if first else ""


@login_required
@require_POST
def take_step(request: HttpRequest, pk: int) -> HttpResponse:
    dossier = dossier_for_reader(request.user, pk)
    if _unconfirmed_unmet(request, dossier):
        unmet = selectors.unmet_criteria(dossier) or ()  # some, as _unconfirmed_unmet found
        messages.error(request, _("Còn tiêu chí chưa đạt (%(codes)s): hãy xác nhận rằng vẫn trình hồ sơ.")
                       % {"codes": ", ".join(unmet)})
        return _back(dossier)
    try:
        actions.advance_dossier(dossier, to=request.POST.get("to", ""), by=request.user,
                                comment=request.POST.get("comment", ""),
                                decision_number=request.POST.get("decision_number", ""),
                                decision_date=parse_date(request.POST.get("decision_date", "") or ""))
    except ValueError:
        messages.error(request, _("Bước không hợp lệ."))
    except actions.RecognitionRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Đã chuyển bước."))
    return _back(dossier)


def _decimal(raw: str) -> Decimal | None:
    raw = raw.strip().replace(",", ".")
    return Decimal(raw) if raw else None


def _tri(raw: str) -> bool | None:
    return {"yes": True, "no": False}.get(raw)


@login_required
@require_POST
def conditions(request: HttpRequest, pk: int) -> HttpResponse:
    dossier = dossier_for_reader(request.user, pk)
    try:
        actions.set_conditions(dossier, by=request.user,
                               satisfaction_rate=_decimal(request.POST.get("satisfaction_rate", "")),
                               security_ok=_tri(request.POST.get("security_ok", "")))
    except InvalidOperation:
        messages.error(request, _("Tỷ lệ hài lòng không hợp lệ."))
    except actions.RecognitionRefused as exc:
        messages.error(request, str(exc))
    return _back(dossier)


@login_required
@require_POST
def upload(request: HttpRequest, pk: int) -> HttpResponse:
    dossier = dossier_for_reader(request.user, pk)
    received = request.FILES.get("file")
    if received is None:
        messages.error(request, _("Chưa chọn tệp."))
        return _back(dossier)
    try:
        actions.upload_document(dossier, kind=request.POST.get("kind", ""), upload=received, by=request.user)
    except actions.RecognitionRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Đã tải lên."))
    return _back(dossier)


@login_required
def download(request: HttpRequest, pk: int, doc_id: int) -> FileResponse:
    """Streamed through the storage API, only to users who may read the commune; always an attachment."""
    doc = document_for_reader(request.user, pk, doc_id)
    response = FileResponse(doc.file.open("rb"), as_attachment=True, filename=doc.original_name,
                            content_type=doc.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_POST
def indicator_check(request: HttpRequest, pk: int) -> HttpResponse:
    dossier = dossier_for_reader(request.user, pk)
    indicator = request.POST.get("indicator", "")
    try:
        if request.POST.get("action") == "return":
            actions.return_indicator(dossier, indicator=indicator, by=request.user,
                                     message=request.POST.get("message", ""))
        else:
            actions.check_indicator(dossier, indicator=indicator, by=request.user,
                                    value=_decimal(request.POST.get("value", "")),
                                    verdict=_tri(request.POST.get("verdict", "")))
    except InvalidOperation:
        messages.error(request, _("Giá trị không hợp lệ."))
    except actions.RecognitionRefused as exc:
        messages.error(request, str(exc))
    return _back(dossier)
