"""Evaluation pages: parse the query, get the unit through the access helper, call a selector, render.
Every page needs a log-in and shows only units the reader may read. No rule is decided here."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from ntm.accounts.access import can_edit, can_read, indicator_fields, may, readable_units, unit_for_reader
from ntm.http import HtmxHttpRequest
from ntm.units.models import Kind, Unit

from . import lineage, matrix, page_cache, periods, presenters, province_summary, selectors


def _period_context(level: str, year: int, unit_filter: dict | Q) -> dict:
    return {
        "level_label": presenters.level_label(level),
        "level_choices": presenters.level_choices(selectors.commune_levels()),
        "years": _year_choices(unit_filter, year),
    }


def _year_choices(unit_filter: dict | Q, year: int) -> list[int]:
    return sorted({*selectors.result_years(unit_filter), year}, reverse=True)


def _area_for_reader(request: HttpRequest, key: str, kinds: tuple[str, ...]) -> Unit:
    unit = unit_for_reader(request.user, key)
    if unit.kind not in kinds:
        raise Http404(key)
    return unit


@login_required
def home(request: HttpRequest) -> HttpResponse:
    groups = selectors.areas_with_results(readable_units(request.user))
    return render(request, "evaluation/home.html", {
        "provinces": groups, "may_open_national": province_summary.may_open_national(request.user)})


@login_required
def district(request: HttpRequest, key: str) -> HttpResponse:
    return _overview(request, _area_for_reader(request, key, (Kind.DISTRICT,)))


LIST_PAGE = 100  # communes per page of the list
MATRIX_PAGE = 50  # communes per page of the full matrix, shown only when asked for


@login_required
def province(request: HttpRequest, key: str) -> HttpResponse:
    """What a province office works from: the summary by group, by (former) district and by standing, the
    commune list narrowed by the filters, and the full communes × criteria matrix only on demand, paged.
    That body is the same for every reader of the province: cached (`page_cache`)."""
    unit = _area_for_reader(request, key, (Kind.PROVINCE,))
    level, year = periods.from_request(request, unit).astuple()

    def body() -> str:
        communes = selectors.area_communes(unit, year)
        every = matrix.district_matrix(unit, level=level, year=year, communes=communes)
        summary = province_summary.province_summary(unit, every, province_summary.Filters.from_query(request.GET),
                                                    communes)
        full = request.GET.get("matrix") == "1"
        page = Paginator(summary.shown, MATRIX_PAGE if full else LIST_PAGE).get_page(request.GET.get("page"))
        return render_to_string("evaluation/_province_body.html", {
            "summary": summary, "matrix": summary.shown_matrix, "matrix_year": str(year), "page": page,
            "rows": [line.row for line in page.object_list], "full_matrix": full, "is_province": True,
            "criterion_url": "evaluation:province_criterion",
            **_period_context(level, year, selectors.under(unit, "unit__")),
        })

    return render(request, "evaluation/province.html", {
        "area": unit, "period_query": urlencode({"level": level, "year": str(year)}),
        "body": page_cache.part("province", (unit.key, level, year, page_cache.query_key(request.GET)), body,
                                request=request),
        "may_open_national": province_summary.may_open_national(request.user),
    })


@login_required
def national(request: HttpRequest) -> HttpResponse:
    """The 34 provinces (those in force at the end of the year) with their communes counted by standing."""
    if not province_summary.may_open_national(request.user):
        raise PermissionDenied
    level, year = periods.national(request.GET).astuple()
    summary = province_summary.national_summary(level, year, lambda p: can_read(request.user, p))
    return render(request, "evaluation/national.html", {
        "summary": summary, "level_label": presenters.level_label(level),
        "level_choices": presenters.level_choices(selectors.commune_levels()),
        "years": _year_choices(Q(unit__kind=Kind.COMMUNE), year),
    })


def _overview(request: HttpRequest, unit: Unit) -> HttpResponse:
    level, year = periods.from_request(request, unit).astuple()
    pilot_only = request.GET.get("pilot") == "1"
    is_province = unit.kind == Kind.PROVINCE

    def body() -> str:  # the same for every reader of the area: cached (`page_cache`)
        shown = matrix.district_matrix(unit, level=level, year=year, pilot_only=pilot_only)
        return render_to_string("evaluation/_district_body.html", {
            "matrix": shown, "matrix_year": str(year), "pilot_only": pilot_only, "is_province": is_province,
            "criterion_url": "evaluation:province_criterion" if is_province else "evaluation:criterion",
            **_period_context(level, year, selectors.under(unit, "unit__")),
        })

    return render(request, "evaluation/district.html", {
        "area": unit, "level": level, "matrix_year": str(year), "is_province": is_province,
        "body": page_cache.part("district", (unit.key, level, year, pilot_only), body, request=request),
        "parent_readable": bool(unit.parent and can_read(request.user, unit.parent)),
    })


@login_required
def criterion(request: HttpRequest, key: str, set_id: str, code: str) -> HttpResponse:
    """One criterion in every commune of a district or province: what a department follows."""
    area = _area_for_reader(request, key, (Kind.DISTRICT, Kind.PROVINCE))
    found = selectors.find_criterion(set_id, code)
    if found is None:
        raise Http404(f"{set_id} {code}")
    cset, crit = found
    year = periods.from_request(request, area, level=cset.level, set_id=cset.id).year
    data = selectors.criterion_across(area, cset, crit, year=year)
    is_province = area.kind == Kind.PROVINCE
    # A department records its criterion commune by commune: a link straight to the entry page where the
    # user's role over the whole area allows it (never a link that would answer 403).
    fields = {d for i in crit.indicators for d in indicator_fields(crit, i)}
    return render(request, "evaluation/criterion.html", {
        "data": data, "is_province": is_province, "area_url": "evaluation:province" if is_province
        else "evaluation:district", "level_label": presenters.level_label(cset.level),
        "may_enter": data.in_force and can_edit(request.user, area, department=fields),
        "years": _year_choices(selectors.under(area, "unit__") & Q(criteria_set=cset.id), year),
    })


@login_required
def commune(request: HtmxHttpRequest, key: str) -> HttpResponse:
    """One commune. Its content is the same for every reader who may use the same of its links, actions and
    lineage: cached (`page_cache`), keyed by those answers; the merger form gets the reader's CSRF token."""
    unit = _area_for_reader(request, key, (Kind.COMMUNE,))
    history = request.GET.get("history", "")  # a predecessor whose figures the reader opened
    if history and request.htmx:
        predecessor = lineage.commune_lineage(unit, request.user, figures_of=history).predecessor(history)
        if predecessor is None:
            raise Http404(history)
        return render(request, "evaluation/_predecessor_figures.html", {"p": predecessor})
    level, year = periods.from_request(request, unit).astuple()
    successions = page_cache.value("successions", (unit.key,), lambda: selectors.successions_of(unit),
                                   request=request)
    if history not in {s.predecessor.key for s in successions.came_from}:
        history = ""  # nothing to open: one cached content, whatever the query says
    district = unit.parent if unit.parent_id else None
    readable_predecessors, may_decide = lineage.reader_view(successions.came_from, unit, request.user)
    reader = {
        "district_readable": bool(district and can_read(request.user, district)),
        "may_enter": may(request.user, "enter", unit), "may_import": may(request.user, "import", unit),
        "readable_successors": tuple(s.successor.key for s in successions.became
                                     if can_read(request.user, s.successor)),
    }

    def content() -> str:
        detail = selectors.commune_detail(unit, level=level, year=year, successions=successions)
        html = render_to_string("evaluation/_commune_body.html", {
            "commune": unit, "district": district, "level": level, "detail_year": str(year),
            "successors": successions.successors, "came_from": successions.came_from, **reader,
            "detail": detail, "chart": _chart_data(detail),
            "lineage": lineage.commune_lineage(unit, request.user, figures_of=history,
                                               came_from=successions.came_from),
            "csrf_token": page_cache.CSRF_HOLE,
            **_period_context(level, year, {"unit": unit}),
        })
        # A stale result's notice follows its re-evaluation's progress: not kept while it shows.
        return page_cache.Fleeting(html) if detail.staleness else html

    what = (unit.key, level, year, history, *reader.values(), readable_predecessors, may_decide)
    return render(request, "evaluation/commune.html", {
        "commune": unit, "body": page_cache.part("commune", what, content, request=request)})


def _chart_data(detail: selectors.CommuneDetail) -> dict:
    """What progress-chart.js draws: the commune's n/N per year for the set shown."""
    return {
        "years": [h.year for h in detail.history],
        "met": [h.met for h in detail.history],
        "total": [h.total for h in detail.history],
        "label_met": _("Số tiêu chí đạt"),
        "label_total": _("Tổng số tiêu chí"),
    }
