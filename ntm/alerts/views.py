"""Alert pages: the signed-in user's inbox (mark read with htmx) and a district's communes whose
title is at risk of revocation."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from ntm.evaluation import periods
from ntm.units.models import Kind, Unit

from . import actions, selectors
from .access import district_for_oversight


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    alerts = list(selectors.inbox(request.user)[:200])
    return render(request, "alerts/inbox.html", {"alerts": alerts, "unread": sum(a.read_at is None for a in alerts)})


@require_POST
@login_required
def mark_read(request: HttpRequest, pk: int) -> HttpResponse:
    alert = get_object_or_404(selectors.inbox(request.user), pk=pk)  # another's alert: 404
    actions.mark_read(alert)
    if getattr(request, "htmx", False):
        return render(request, "alerts/_alert.html", {"alert": alert})
    return redirect("alerts:inbox")


@require_POST
@login_required
def mark_all_read(request: HttpRequest) -> HttpResponse:
    actions.mark_all_read(request.user)
    return redirect("alerts:inbox")


def _year_param(request: HttpRequest) -> int | None:
    return periods.asked(request.GET).year


@login_required
def revocation_risk(request: HttpRequest, key: str) -> HttpResponse:
    district = district_for_oversight(request.user, key)
    communes = Unit.objects.filter(parent=district, kind=Kind.COMMUNE)
    year = _year_param(request) or selectors.latest_result_year(communes)
    rows = selectors.at_risk(list(communes.values_list("pk", flat=True)), year) if year else []
    return render(request, "alerts/revocation_risk.html", {"district": district, "year": year, "rows": rows})
