"""Public pages: the provincial-portal home page, the search and the criteria sets. No log-in needed;
what a signed-in user may see more is decided in the selectors through `readable_units`."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from ntm.core.risk import Due
from ntm.workflow import selectors as workflow_selectors

from . import my_page, public_unit, selectors

MAX_QUERY = 100
DUE_STATES = (Due.OVERDUE, Due.DUE_SOON)


def home(request: HttpRequest) -> HttpResponse:
    # A first visit from an English browser was already sent to "/en/" by BrowserLanguageMiddleware.
    return render(request, "portal/home.html", {"areas": selectors.public_progress()})


def search(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:MAX_QUERY]
    context = {
        "query": query,
        "units": selectors.search_units(query, request.user) if query else [],
        "catalog": selectors.search_catalog(query) if query else [],
    }
    template = "portal/_search_results.html" if getattr(request, "htmx", False) else "portal/search.html"
    return render(request, template, context)


def criteria_set(request: HttpRequest, set_id: str) -> HttpResponse:
    cset = selectors.criteria_set(set_id)
    if cset is None:
        raise Http404(set_id)
    return render(request, "portal/criteria_set.html", {
        "set": cset, "title": selectors.set_title(cset), "criteria": selectors.criteria_rows(cset),
    })


@login_required
def me(request: HttpRequest) -> HttpResponse:
    """Where log-in leads: the pages of the user's roles and what is due (LOGIN_REDIRECT_URL)."""
    today = timezone.localdate()
    due = [i for i in workflow_selectors.my_work(request.user, today=today) if i.due_state in DUE_STATES]
    follow_ups = [r for r in workflow_selectors.my_follow_ups(request.user, today=today)
                  if r.due_state in DUE_STATES]
    return render(request, "portal/me.html", {
        "places": my_page.places(request.user), "items": due, "follow_ups": follow_ups,
    })


def public_commune(request: HttpRequest, key: str) -> HttpResponse:
    """Where the search leads for a commune the visitor may not open: its public facts."""
    data = public_unit.public_commune(key, request.user)
    if data is None:
        raise Http404(key)
    return render(request, "portal/commune.html", {"c": data})
