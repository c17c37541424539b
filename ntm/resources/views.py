"""Resources pages: a district's totals per source, criterion and commune; a commune's list and
the form to add a funding (commune officials and the district office)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from ntm.accounts.access import unit_for_reader
from ntm.catalog_source import get_catalog
from ntm.core.catalog import UnitKind
from ntm.evaluation import periods
from ntm.units.models import Kind, Unit

from . import actions, selectors
from .access import can_add_funding, require_funding_editor
from .forms import FundingForm


def _year_param(request: HttpRequest) -> int | None:
    return periods.asked(request.GET).year


def _unit(request: HttpRequest, key: str, kind: str) -> Unit:
    unit = unit_for_reader(request.user, key)
    if unit.kind != kind:
        raise Http404(key)
    return unit


@login_required
def district(request: HttpRequest, key: str) -> HttpResponse:
    unit = _unit(request, key, Kind.DISTRICT)
    years = selectors.years(unit)
    year = _year_param(request) or (years[0] if years else timezone.localdate().year)
    return render(request, "resources/district.html",
                  {"district": unit, "year": year, "years": years, "totals": selectors.district_totals(unit, year)})


def _form(year: int, data=None) -> FundingForm:
    sets = [s for s in get_catalog().sets if s.unit_kind is UnitKind.COMMUNE and s.in_force(year)]
    return FundingForm(data, initial={"year": year},
                       sets=[(s.id, s.name_vi) for s in sets],
                       criteria={s.id: {c.code for c in s.criteria} for s in sets})


@login_required
def commune(request: HttpRequest, key: str) -> HttpResponse:
    unit = _unit(request, key, Kind.COMMUNE)
    may_add = can_add_funding(request.user, unit)
    year = _year_param(request) or timezone.localdate().year
    form = None
    if request.method == "POST":
        require_funding_editor(request.user, unit)
        raw_year = request.POST.get("year", "")
        form = _form(int(raw_year) if raw_year.isdigit() else year, request.POST)
        if form.is_valid():
            actions.add_funding(actions.FundingInput(commune=unit, **form.cleaned_data), by=request.user)
            return redirect("resources:commune", key=unit.key)
    elif may_add:
        form = _form(year)
    rows = list(selectors.commune_fundings(unit))
    debt = selectors.outstanding_debt([unit.pk]).get(unit.pk)
    return render(request, "resources/commune.html",
                  {"commune": unit, "rows": rows, "form": form, "may_add": may_add, "debt": debt,
                   "demo": any(r.is_demo for r in rows)}, status=400 if form is not None and form.errors else 200)
