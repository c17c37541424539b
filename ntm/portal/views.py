"""Public pages: the provincial-portal home page, the search and the criteria sets. No log-in needed;
what a signed-in user may see more is decided in the selectors through `readable_units`."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from . import selectors

MAX_QUERY = 100


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
