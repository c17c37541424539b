"""Data entry: one page per commune, year and criteria set, where each indicator row saves on its own
(an htmx fragment, or a plain form post and a redirect without JavaScript). Every write goes through
`record_figure`; the verdicts shown are the stored results it refreshes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ntm.accounts.access import departments_of, unit_for_editor, unit_for_reader
from ntm.accounts.names import display_name
from ntm.core.catalog import CriteriaSet, Indicator, UnitKind
from ntm.evaluation import periods, presenters, selectors
from ntm.evaluation.catalog_source import get_catalog
from ntm.units.models import Kind, Unit

from .actions import FigureInput, FigureRejected, StaleFigure, record_figure
from .forms import FigureForm, row_prefix
from .models import Figure
from .parsing import with_bound
from .wording import bounded_gap, value_with_bound


@dataclass
class Row:
    """One indicator as the entry page shows it: the stored line, and a form if the user may edit it."""

    indicator: Indicator
    line: selectors.IndicatorLine
    figure_id: int | None
    form: FigureForm | None
    notice: str = ""  # "saved", "stale" or "" — what just happened to this row
    typed: str = ""  # the value a stale save tried to write
    bound: str = ""  # the current figure's bound: its value is only "> 96", "≤ 5"…

    @property
    def anchor(self) -> str:
        return "row-" + row_prefix(self.indicator.code)[1:]

    @property
    def value_text(self) -> str:
        """The current value as shown, with its bound ("> 96 %")."""
        return value_with_bound(self.line.value_text, self.bound)

    @property
    def gap_text(self) -> str:
        """How the value stands against the threshold; for a bound, whether the bound decides."""
        return bounded_gap(self.line, self.bound, self.line.gap_text)


@dataclass
class Sheet:
    unit: Unit
    cset: CriteriaSet
    year: int
    detail: selectors.CommuneDetail
    blocks: list[tuple[selectors.CriterionBlock, list[Row]]]

    def find(self, code: str) -> tuple[selectors.CriterionBlock, Row]:
        for block, rows in self.blocks:
            for row in rows:
                if row.indicator.code == code:
                    return block, row
        raise Http404(code)


# --- Access and parameters ----------------------------------------------------------------------------


def _unit_for_entry(user, key: str) -> tuple[Unit, set[str] | None]:
    """The commune if the user may edit at least one of its fields, with those fields (None: all)."""
    unit = unit_for_reader(user, key)
    fields = departments_of(user, unit)
    if fields is not None and not fields:
        raise PermissionDenied
    if unit.kind != Kind.COMMUNE:
        raise Http404(key)
    return unit, fields


def _commune_set(set_id: str) -> CriteriaSet:
    try:
        cset = get_catalog().get(set_id)
    except KeyError:
        raise Http404(set_id) from None
    if cset.unit_kind is not UnitKind.COMMUNE:
        raise Http404(set_id)
    return cset


def _indicator(cset: CriteriaSet, code: str) -> Indicator:
    for ind in cset.indicators:
        if ind.code == code and ind.derived is None:
            return ind
    raise Http404(code)


def _applied_indicator(key: str, cset: CriteriaSet, code: str, year: int) -> Indicator:
    """The indicator as the set applies in the unit's province that year (a province layer may add it)."""
    unit = Unit.objects.filter(key=key).select_related("parent__parent").first()
    if unit is None:
        raise Http404(key)
    return _indicator(selectors.applied_set(unit, cset.id, year).cset, code)


def _default_set(period: periods.Period) -> CriteriaSet:
    """The set of the period's level in force that year, else the NTM set in force."""
    cset = period.cset or get_catalog().set_for(UnitKind.COMMUNE, "ntm", period.year)
    if cset is None:
        raise Http404(_("Chưa có bộ tiêu chí NTM cho xã năm %(year)s.") % {"year": period.year})
    return cset


# --- Building the sheet -------------------------------------------------------------------------------


def _verdict_allowed(line: selectors.IndicatorLine) -> bool:
    """Verdict indicators take a verdict; numeric ones too while their official threshold is missing."""
    return line.comparison == "met" or line.threshold_status == "missing"


def _sheet(unit: Unit, cset: CriteriaSet, year: int, fields: set[str] | None) -> Sheet:
    detail = selectors.commune_detail(unit, level=cset.level, year=year)
    if detail.set_id != cset.id:
        raise Http404(_("Bộ tiêu chí “%(set)s” không áp dụng cho năm %(year)s.") % {"set": cset.id, "year": year})
    current = {f.indicator: f for f in Figure.objects.filter(
        unit=unit, criteria_set=cset.id, year=year, superseded_at__isnull=True)}
    indicators = {i.code: i for i in (detail.applied.cset if detail.applied else cset).indicators}
    blocks = []
    for block in detail.criteria:
        rows = []
        for line in block.indicators:
            ind, figure = indicators[line.code], current.get(line.code)
            editable = ind.derived is None and (fields is None or ind.department in fields)
            form = (FigureForm.for_current(indicator=ind, verdict_allowed=_verdict_allowed(line), current=figure)
                    if editable else None)
            rows.append(Row(ind, line, figure.pk if figure else None, form, bound=figure.bound if figure else ""))
        blocks.append((block, rows))
    return Sheet(unit, cset, year, detail, blocks)


def _entry_url(unit: Unit, cset: CriteriaSet, year: int, anchor: str = "") -> str:
    url = f"{reverse('figures:entry', args=[unit.key])}?year={year}&set={cset.id}"
    return f"{url}#{anchor}" if anchor else url


def _year_choices(unit: Unit, year: int) -> list[int]:
    years = set(Figure.objects.filter(unit=unit).values_list("year", flat=True).distinct())
    return sorted({*years, year, timezone.localdate().year}, reverse=True)


def _set_choices(year: int) -> list[tuple[str, str]]:
    catalog = get_catalog()
    levels = {s.level for s in catalog.sets if s.unit_kind is UnitKind.COMMUNE}
    sets = [catalog.set_for(UnitKind.COMMUNE, level, year) for level in sorted(levels)]
    return [(s.id, presenters.level_name(s.level)) for s in sets if s is not None]


# --- Pages --------------------------------------------------------------------------------------------


@login_required
def entry(request: HttpRequest, key: str) -> HttpResponse:
    unit, fields = _unit_for_entry(request.user, key)
    period = periods.from_request(request, unit)
    year = period.year
    cset = _commune_set(request.GET["set"]) if request.GET.get("set") else _default_set(period)
    sheet = _sheet(unit, cset, year, fields)
    return render(request, "figures/entry.html", {
        "sheet": sheet, "detail": sheet.detail, "fields": fields,
        "years": _year_choices(unit, year), "sets": _set_choices(year),
    })


@login_required
@require_POST
def save(request: HttpRequest, key: str, set_id: str, indicator: str, year: int) -> HttpResponse:
    cset = _commune_set(set_id)
    ind = _applied_indicator(key, cset, indicator, year)
    unit = unit_for_editor(request.user, key, department=ind.department)
    fields = departments_of(request.user, unit)
    sheet = _sheet(unit, cset, year, fields)
    _block, row = sheet.find(ind.code)
    form = FigureForm(request.POST, indicator=ind, verdict_allowed=_verdict_allowed(row.line))
    if form.is_valid():
        try:
            record_figure(_input(unit, cset, ind, year, form), by=request.user,
                          expected_current=form.cleaned_data["expected_current"])
        except StaleFigure:
            return _after_stale(request, unit, cset, year, fields, ind, form)
        except FigureRejected as exc:
            has_value = form.cleaned_data.get("value") is not None
            form.add_error("value" if has_value else None, str(exc))
        else:
            return _after_saved(request, unit, cset, year, fields, ind)
    return _after_refused(request, sheet, row, form)


def _input(unit: Unit, cset: CriteriaSet, ind: Indicator, year: int, form: FigureForm) -> FigureInput:
    data = form.cleaned_data
    return FigureInput(unit=unit, criteria_set=cset.id, indicator=ind.code, year=year,
                       value=data.get("value"), bound=data.get("bound", ""), verdict=data.get("verdict"),
                       source_note=data["source_note"])


def _after_saved(request, unit, cset, year, fields, ind) -> HttpResponse:
    sheet = _sheet(unit, cset, year, fields)
    block, row = sheet.find(ind.code)
    if not request.htmx:
        messages.success(request, _("Đã lưu chỉ tiêu %(code)s: %(value)s.")
                         % {"code": ind.code, "value": row.value_text})
        return redirect(_entry_url(unit, cset, year, row.anchor))
    row.notice = "saved"
    return _fragment(request, sheet, block, row, oob=True)


def _after_stale(request, unit, cset, year, fields, ind, form) -> HttpResponse:
    sheet = _sheet(unit, cset, year, fields)
    block, row = sheet.find(ind.code)
    verdict = form.cleaned_data.get("verdict")
    typed = form.data.get(form.add_prefix("value")) or ("" if verdict is None else _("Đạt") if verdict
                                                           else _("Chưa đạt"))
    if not request.htmx:
        messages.warning(request, _("Chỉ tiêu %(code)s: %(who)s đã lưu giá trị %(value)s lúc %(when)s. "
                                    "Giá trị bạn nhập chưa được lưu; không có gì bị ghi đè.")
                         % {"code": ind.code, "who": row.line.entered_by or "?", "value": row.value_text,
                            "when": _when(row.line.entered_at)})
        return redirect(_entry_url(unit, cset, year, row.anchor))
    row.notice, row.typed = "stale", typed
    return _fragment(request, sheet, block, row, oob=True)


def _after_refused(request, sheet: Sheet, row: Row, form: FigureForm) -> HttpResponse:
    if not request.htmx:
        problems = " ".join(str(e) for errors in form.errors.values() for e in errors)
        messages.error(request, _("Chỉ tiêu %(code)s chưa được lưu: %(problems)s")
                       % {"code": row.indicator.code, "problems": problems})
        return redirect(_entry_url(sheet.unit, sheet.cset, sheet.year, row.anchor))
    row.form = form
    block, _row = sheet.find(row.indicator.code)
    return _fragment(request, sheet, block, row, oob=False)


def _when(moment: datetime | None) -> str:
    return formats.date_format(timezone.localtime(moment), "SHORT_DATETIME_FORMAT") if moment else "?"


def _fragment(request, sheet: Sheet, block, row: Row, *, oob: bool) -> HttpResponse:
    return render(request, "figures/_row_response.html", {
        "sheet": sheet, "detail": sheet.detail, "block": block, "row": row, "oob": oob,
    })


@login_required
def history(request: HttpRequest, key: str, set_id: str, indicator: str, year: int) -> HttpResponse:
    unit, _fields = _unit_for_entry(request.user, key)
    cset = _commune_set(set_id)
    ind = _applied_indicator(key, cset, indicator, year)
    figures = (Figure.objects.filter(unit=unit, criteria_set=cset.id, indicator=ind.code, year=year)
               .select_related("entered_by").order_by("-entered_at", "-pk"))
    english = (get_language() or "vi").startswith("en")
    unit_label = get_catalog().units_en.get(ind.unit, ind.unit) if english else ind.unit
    return render(request, "figures/history.html", {
        "unit": unit, "cset": cset, "indicator": ind, "year": year,
        "entries": [_history_entry(f, unit_label) for f in figures],
        "indicator_name": ind.name_en if english and ind.name_en else ind.name_vi,
        "back": _entry_url(unit, cset, year, "row-" + row_prefix(ind.code)[1:]),
    })


@dataclass(frozen=True)
class HistoryEntry:
    value: str
    verdict: str
    source_note: str
    entered_by: str
    entered_at: datetime
    superseded_at: datetime | None


def _history_entry(figure: Figure, unit_label: str) -> HistoryEntry:
    user = figure.entered_by
    return HistoryEntry(
        value=(with_bound(figure.bound, presenters.with_unit(figure.value, unit_label))
               if figure.value is not None else "—"),
        verdict="—" if figure.verdict is None else (_("Đạt") if figure.verdict else _("Chưa đạt")),
        source_note=figure.source_note, entered_by=display_name(user),
        entered_at=figure.entered_at, superseded_at=figure.superseded_at,
    )
