"""Public pages: the provincial-portal home page, the search and the criteria sets. No log-in needed;
what a signed-in user may see more is decided in the selectors through `readable_units`."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from ntm.core.risk import Due
from ntm.workflow import selectors as workflow_selectors

from . import my_page, public_unit, selectors

MAX_QUERY = 100
DUE_STATES = (Due.OVERDUE, Due.DUE_SOON)
# Up to this many districts with results (a provincial installation) the home page shows them all;
# beyond, it lists the provinces and a province opens its districts.
OPEN_AREAS = 20
ALL = "*"


def home(request: HttpRequest) -> HttpResponse:
    """The provinces with results, each opening its districts; a provincial installation's districts
    at once. A first visit from an English browser was already sent to "/en/" by BrowserLanguageMiddleware."""
    published = selectors.published()
    if len(published.every_area) <= OPEN_AREAS:
        body = _fragment(published, "portal/_areas.html", ALL)
    else:
        body = _fragment(published, "portal/_provinces.html")
    return render(request, "portal/home.html", {"body": body})


def area(request: HttpRequest, key: str) -> HttpResponse:
    """A province's districts (or one district) as on the home page: the fragment a province opens on
    the home page, or a page of its own (links without JavaScript, the search)."""
    published = selectors.published()
    title = selectors.area_title(published, key)
    if title is None:
        raise Http404(key)
    body = _fragment(published, "portal/_areas.html", key)
    if getattr(request, "htmx", False):
        return HttpResponse(body)
    return render(request, "portal/area.html", {"title": title, "body": body})


def _fragment(published: selectors.Published, template: str, key: str = "") -> str:
    """The home page's parts are the same for every visitor: rendered once per language and generation
    of the results (kept with the published figures), then served as they are."""
    cache_key = (get_language(), template, key)
    html = published.rendered.get(cache_key)
    if html is None:
        context: dict[str, object]
        if key == ALL:
            context = {"areas": published.every_area}
        else:
            context = {"areas": published.areas_of(key)} if key else {"provinces": published.provinces}
        html = published.rendered[cache_key] = render_to_string(template, context)
    return mark_safe(html)  # noqa: S308 -- our own template's output


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
