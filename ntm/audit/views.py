"""The audit page (/audit/): entries filtered by user, unit, kind of object, action and dates, 50 a page,
and the same selection as .xlsx or .csv."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from . import export
from .forms import AuditFilter
from .presentation import action_label, change_pairs, event_label, kind_label
from .selectors import may_read_audit, readable_entries

PER_PAGE = 50


@login_required
def audit_list(request):
    if not may_read_audit(request.user):
        raise PermissionDenied
    form = AuditFilter(request.GET or None)
    entries = readable_entries(request.user)
    if form.is_bound and form.is_valid():
        entries = form.apply(entries)
    elif form.is_bound:
        entries = entries.none()
    entries = entries.order_by("-timestamp", "-pk")
    fmt = request.GET.get("format")
    if fmt in ("xlsx", "csv"):
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        if fmt == "xlsx":
            response = HttpResponse(export.as_xlsx(entries),
                                    content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        else:
            response = HttpResponse(export.as_csv(entries), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="nhat-ky-{stamp}.{fmt}"'
        return response
    page = Paginator(entries, PER_PAGE).get_page(request.GET.get("page"))
    shown = [{"entry": e, "what": event_label(e) or action_label(e), "kind": kind_label(e),
              "changes": change_pairs(e)} for e in page.object_list]
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("format", None)
    return render(request, "audit/list.html", {"form": form, "page": page, "rows": shown,
                                               "filter_query": query.urlencode()})
