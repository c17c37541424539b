"""Public pages: the provincial-portal home page, the search and the criteria sets. No log-in needed;
what a signed-in user may see more is decided in the selectors through `readable_units`."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_vary_headers

from . import selectors

MAX_QUERY = 100


def home(request: HttpRequest) -> HttpResponse:
    if (language := _browser_language_on_first_visit(request)) is not None:
        with translation.override(language):
            response = redirect(reverse("portal:home"))
    else:
        response = render(request, "portal/home.html", {"areas": selectors.public_progress()})
    patch_vary_headers(response, ["Accept-Language", "Cookie"])
    return response


def _browser_language_on_first_visit(request: HttpRequest) -> str | None:
    """The browser's language when it is not Vietnamese and no language was chosen yet. Django shows
    unprefixed paths in LANGUAGE_CODE whatever the browser asks (i18n_patterns without a prefix for
    "vi"), so a first visit to "/" from an English browser is sent to "/en/"."""
    if settings.LANGUAGE_COOKIE_NAME in request.COOKIES or translation.get_language_from_path(request.path_info):
        return None
    preferred = translation.get_language_from_request(request, check_path=False)
    return None if preferred == settings.LANGUAGE_CODE else preferred


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
