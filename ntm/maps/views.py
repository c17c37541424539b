"""The map pages: the reader's province's communes, and the provinces for those who read the whole country.
Parse the query, get the unit through the access helpers, call a selector, render."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from ntm.accounts.access import can_read, unit_for_reader
from ntm.evaluation import periods, presenters
from ntm.evaluation import selectors as evaluation
from ntm.evaluation.province_summary import may_open_national, national_provinces
from ntm.units.models import Kind

from . import selectors


def _period_query(level: str, year: int) -> str:
    return f"?level={level}&year={year}"


def _choices(level: str) -> dict:
    return {"level_label": presenters.level_label(level),
            "level_choices": presenters.level_choices(evaluation.commune_levels())}


@login_required
def province(request: HttpRequest, key: str) -> HttpResponse:
    area = unit_for_reader(request.user, key)
    if area.kind != Kind.PROVINCE:
        raise Http404(key)
    level, year = periods.from_request(request, area).astuple()
    query = _period_query(level, year)
    data = selectors.province_map(
        area, level=level, year=year, colour=request.GET.get("colour", selectors.SCORE),
        commune_href=lambda k: reverse("evaluation:commune", args=[k]) + query)
    return render(request, "maps/map.html", {
        "map": data, "years": periods.year_choices(area, year), **_choices(level),
        "back_url": reverse("evaluation:province", args=[area.key]) + query, "back_label": area.full_name,
        "parent_url": reverse("maps:national") + query if may_open_national(request.user) else "",
    })


@login_required
def national(request: HttpRequest) -> HttpResponse:
    """The provinces in force in the year chosen, for those who may open the national view."""
    if not may_open_national(request.user):
        raise PermissionDenied
    level, year = periods.national(request.GET).astuple()
    years = evaluation.result_years(Q(unit__kind=Kind.COMMUNE))
    query = _period_query(level, year)
    provinces = [p for p in national_provinces(year).order_by("search_name", "key") if can_read(request.user, p)]
    data = selectors.national_map(provinces, level=level, year=year, colour=request.GET.get("colour", selectors.SCORE),
                                  province_href=lambda p: reverse("maps:province", args=[p.key]) + query)
    return render(request, "maps/map.html", {
        "map": data, "years": sorted({*years, year}, reverse=True), **_choices(level),
        "back_url": reverse("evaluation:national") + query, "back_label": "",
    })
