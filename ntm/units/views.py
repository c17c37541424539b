"""The province's commune classification: list with group and flags, set several at once, upload the
decision list (preview, then confirm). Views parse, authorize, call a selector or an action, render."""

from __future__ import annotations

import secrets
from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from . import sheet
from .access import may_classify, unit_for_reader
from .actions import ClassificationRefused, Decision, classify_many
from .classification import by_unit, open_decisions, province_communes
from .forms import BulkForm, ListUploadForm
from .models import FLAG_ATTRIBUTES, Attribute, Kind, Unit
from .sources import EFFECTIVE

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SESSION_KEY = "units_classification_plan"


def _province(request: HttpRequest, key: str, *, classify: bool = False) -> Unit:
    province = unit_for_reader(request.user, key)
    if province.kind != Kind.PROVINCE:
        raise Http404(key)
    if classify and not may_classify(request.user, province):
        raise PermissionDenied
    return province


def _decision(data: dict) -> tuple[Decision, date]:  # the DecisionForm's cleaned data
    return (Decision(data["decision_number"], data["decision_date"], data.get("decision_issuer") or ""),
            data["valid_from"])


def _refused(request: HttpRequest, exc: ClassificationRefused) -> None:
    lang = "en" if (get_language() or "vi").startswith("en") else "vi"
    for text in exc.messages(lang):
        messages.error(request, text)


def _done(request: HttpRequest, report, number: str) -> None:
    messages.success(request, _("Đã ghi %(n)s thay đổi cho %(units)s xã theo quyết định %(decision)s; kết quả "
                                "đánh giá của các xã này được tính lại.") % {
        "n": report.written, "units": len(report.unit_ids), "decision": number})
    if report.unchanged:
        messages.info(request, _("%(n)s dòng giống hệt quyết định đã ghi, bỏ qua.") % {"n": report.unchanged})
    if getattr(report, "job", None) is not None:
        messages.info(request, format_html('<a href="{}">{}</a>', reverse("catalogs:job", args=[report.job.pk]),
                                           _("Xem tiến độ đánh giá lại")))


@login_required
@require_http_methods(["GET", "POST"])
def classification(request: HttpRequest, key: str) -> HttpResponse:
    province = _province(request, key)
    allowed = may_classify(request.user, province)
    communes = list(province_communes(province))
    form = BulkForm(request.POST or None, communes=communes,
                    initial={"decision_issuer": _("UBND %(province)s") % {"province": province.full_name}})
    if request.method == "POST":
        if not allowed:
            raise PermissionDenied
        if form.is_valid():
            decision, valid_from = _decision(form.cleaned_data)
            ids = dict(Unit.objects.filter(pk__in=[u.pk for u in communes], key__in=form.cleaned_data["units"])
                       .values_list("key", "pk"))
            assignments = []
            if form.cleaned_data["commune_group"]:
                assignments += [(pk, Attribute.GROUP.value, form.cleaned_data["commune_group"]) for pk in ids.values()]
            for flag in FLAG_ATTRIBUTES:
                if form.cleaned_data.get(flag):
                    assignments += [(pk, flag, form.cleaned_data[flag] == "yes") for pk in ids.values()]
            try:
                report = classify_many(assignments, decision=decision, valid_from=valid_from, by=request.user)
            except ClassificationRefused as exc:
                _refused(request, exc)
            else:
                _done(request, report, decision.number)
                return redirect(request.get_full_path())
    without = request.GET.get("without") == "1"
    shown = [u for u in communes if not without or not u.commune_group]
    decisions = by_unit(open_decisions([u.pk for u in shown]))
    rows = [(u, decisions.get(u.pk, {}).get(Attribute.GROUP.value)) for u in shown]
    context = {"province": province, "rows": rows, "form": form, "allowed": allowed, "without": without,
               "total": len(communes), "missing": sum(1 for u in communes if not u.commune_group),
               "merged": province.valid_to is not None and province.valid_to < EFFECTIVE}
    return render(request, "units/classification.html", context)


@login_required
def template(request: HttpRequest, key: str) -> HttpResponse:
    province = _province(request, key, classify=True)
    data = sheet.template_workbook(province, list(province_communes(province)))
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="nhom-xa-{province.key}.xlsx"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def upload(request: HttpRequest, key: str) -> HttpResponse:
    province = _province(request, key, classify=True)
    form = ListUploadForm(request.POST or None, request.FILES or None,
                          initial={"decision_issuer": _("UBND %(province)s") % {"province": province.full_name}})
    context: dict = {"province": province, "form": form}
    if request.method == "POST" and form.is_valid():
        read = sheet.read_list(form.cleaned_data["file"].read(), list(province_communes(province)),
                               province.full_name)
        context["read"] = read
        if read.ok:
            token = secrets.token_urlsafe(16)
            data = form.cleaned_data
            request.session[SESSION_KEY] = {
                "token": token, "user": request.user.pk, "province": province.key,
                "assignments": [[a.unit_id, a.attribute, a.new] for a in read.assignments],
                "decision": [data["decision_number"], data["decision_date"].isoformat(),
                             data.get("decision_issuer") or "", data["valid_from"].isoformat()]}
            context["token"] = token
            context["changes"] = sum(1 for a in read.assignments if a.changes)
    return render(request, "units/upload.html", context)


@login_required
@require_POST
def confirm(request: HttpRequest, key: str) -> HttpResponse:
    from datetime import date

    province = _province(request, key, classify=True)
    stored = request.session.get(SESSION_KEY)
    token = request.POST.get("token", "")
    if (not stored or not secrets.compare_digest(stored["token"], token) or stored["user"] != request.user.pk
            or stored["province"] != province.key):
        messages.error(request, _("Bản xem trước đã hết hạn hoặc không thuộc về bạn; hãy tải tệp lên lần nữa."))
        return redirect("units:upload", key=province.key)
    number, signed, issuer, valid_from = stored["decision"]
    decision = Decision(number, date.fromisoformat(signed), issuer)
    try:
        report = classify_many([tuple(a) for a in stored["assignments"]], decision=decision,
                               valid_from=date.fromisoformat(valid_from), by=request.user)
    except ClassificationRefused as exc:
        _refused(request, exc)
        return redirect("units:upload", key=province.key)
    del request.session[SESSION_KEY]
    _done(request, report, number)
    return redirect(reverse("units:classification", args=[province.key]))
