"""Evaluation pages: parse the query, call a selector, render. No rule is decided here."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from ntm.units.models import Kind, Unit

from . import presenters, selectors


def _year_param(request: HttpRequest) -> int | None:
    raw = request.GET.get("year", "")
    return int(raw) if raw.isdigit() and 2000 <= int(raw) <= 2100 else None


def _level_param(request: HttpRequest) -> str | None:
    raw = request.GET.get("level", "")
    return raw if raw in selectors.commune_levels() else None


def _period_context(level: str, year: int, unit_filter: dict) -> dict:
    return {
        "level_label": presenters.level_label(level),
        "level_choices": [(lvl, presenters.level_name(lvl)) for lvl in selectors.commune_levels()],
        "years": _year_choices(unit_filter, year),
    }


def _year_choices(unit_filter: dict, year: int) -> list[int]:
    return sorted({*selectors.result_years(unit_filter), year}, reverse=True)


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "evaluation/home.html", {"provinces": selectors.districts_with_results()})


def district(request: HttpRequest, key: str) -> HttpResponse:
    unit = get_object_or_404(Unit.objects.select_related("parent"), key=key, kind=Kind.DISTRICT)
    year = _year_param(request) or selectors.default_year(unit)
    level = _level_param(request) or selectors.default_level(unit, year)
    matrix = selectors.district_matrix(unit, level=level, year=year)
    return render(request, "evaluation/district.html", {
        "matrix": matrix, **_period_context(level, year, {"unit__parent": unit}),
    })


def commune(request: HttpRequest, key: str) -> HttpResponse:
    unit = get_object_or_404(Unit.objects.select_related("parent"), key=key, kind=Kind.COMMUNE)
    year = _year_param(request) or selectors.default_commune_year(unit)
    level = _level_param(request) or selectors.default_commune_level(unit, year)
    detail = selectors.commune_detail(unit, level=level, year=year)
    return render(request, "evaluation/commune.html", {
        "detail": detail, **_period_context(level, year, {"unit": unit}),
    })
