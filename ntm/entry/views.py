"""Data entry: one page per commune, year and criteria set, where each indicator row saves on its own
(an htmx fragment, or a plain form post and a redirect without JavaScript). Every write goes through
`record_figure`; the verdicts shown are the stored results it refreshes."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ntm import shared_reads
from ntm.accounts.access import can_edit, departments_of, indicator_fields, unit_for_reader
from ntm.accounts.names import display_name
from ntm.catalog_source import get_catalog
from ntm.core.catalog import ANY, CriteriaSet, Criterion, Indicator, UnitKind
from ntm.evaluation import periods, presenters, selectors
from ntm.evaluation.wording import bounded_gap, set_title, value_with_bound
from ntm.figures.actions import FigureInput, FigureRejected, StaleFigure, record_figure
from ntm.figures.locks import Lock, lock_for, may_unlock
from ntm.figures.models import Figure
from ntm.figures.parsing import with_bound
from ntm.units.classification import scopes_in_year
from ntm.units.models import Kind, Recognition, Unit

from .forms import FigureForm, row_prefix, set_choices

# The entry page's filters: rows assigned to the user (or, for a department, of its field), rows whose
# indicator is not met, rows without a figure.
FILTERS = ("mine", "unmet", "nodata")


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
    mine: bool = False  # assigned to the user, or in a department user's field
    save_url: str = ""
    history_url: str = ""

    @cached_property
    def code_label(self) -> str:
        """The indicator named for screen readers after each control ("Lưu chỉ tiêu 10.1")."""
        return _("chỉ tiêu %(code)s") % {"code": self.indicator.code}

    def matches(self, show: str) -> bool:
        """Shown under the filter `show` ("" shows every row)."""
        return {"": True, "mine": self.mine, "unmet": self.line.status == "not_met",
                "nodata": self.figure_id is None}.get(show, True)

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
    lock: Lock | None = None  # a verified dossier locks every figure of the sheet (locks.py)

    def shown(self, show: str) -> list[tuple[selectors.CriterionBlock, list[Row]]]:
        """The criteria with at least one row under the filter, each with those rows."""
        kept = [(block, [r for r in rows if r.matches(show)]) for block, rows in self.blocks]
        return [(block, rows) for block, rows in kept if rows]

    def counts(self) -> dict[str, int]:
        return {name: sum(r.matches(name) for _b, rows in self.blocks for r in rows) for name in ("", *FILTERS)}

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


def _applied_indicator(key: str, cset: CriteriaSet, code: str, year: int) -> tuple[Criterion, Indicator]:
    """The indicator, with its criterion, as the set applies in the unit's province that year (a province
    layer may add it)."""
    unit = Unit.objects.filter(key=key).select_related("parent__parent").first()
    if unit is None:
        raise Http404(key)
    applied = selectors.applied_set(unit, cset.id, year).cset
    ind = _indicator(applied, code)
    return next(c for c in applied.criteria if ind in c.indicators), ind


def _default_set(period: periods.Period) -> CriteriaSet:
    """The set of the period's level in force that year, else the NTM set in force."""
    cset = period.cset or get_catalog().set_for(UnitKind.COMMUNE, "ntm", period.year)
    if cset is None:
        raise Http404(_("Chưa có bộ tiêu chí NTM cho xã năm %(year)s.") % {"year": period.year})
    return cset


def _asked_set(set_id: str, period: periods.Period) -> CriteriaSet:
    """The set asked for; when another set of its level applies in the year shown (a year chosen with the
    set of another period: 2026 with a 2021–2025 set), that one."""
    cset = _commune_set(set_id)
    return get_catalog().set_for(UnitKind.COMMUNE, cset.level, period.year) or cset


# --- Building the sheet -------------------------------------------------------------------------------


def _verdict_allowed(line: selectors.IndicatorLine) -> bool:
    """Verdict indicators take a verdict; numeric ones too while their official threshold is missing."""
    return line.comparison == "met" or line.threshold_status == "missing"


# The (criterion, indicator) pairs assigned to a user in a commune, set and year (indicator "" for a whole
# criterion): the workflow app's assignments, registered in `WorkflowConfig.ready` (workflow builds on this
# app). None while none is registered.
_assigned_sources: list[Callable[[Any, Unit, str, int], set[tuple[str, str]]]] = []


def read_assigned_from(source: Callable[[Any, Unit, str, int], set[tuple[str, str]]]) -> None:
    _assigned_sources[:] = [source]


def _assigned(user, unit: Unit, cset: CriteriaSet, year: int) -> set[tuple[str, str]]:
    """What is assigned to the user in the sheet ("mine")."""
    if user is None:
        return set()
    return set().union(*(source(user, unit, cset.id, year) for source in _assigned_sources))


UNKNOWN = object()
_CODE = "indicator-code"  # stands for the code in the rows' URLs, reversed once a sheet


def _sheet(unit: Unit, cset: CriteriaSet, year: int, fields: set[str] | None, user=None, *, lean: bool = False,
           lock: Lock | None | object = UNKNOWN, only: str | None = None) -> Sheet:
    """The entry sheet. `lean`: only what the answer to one save shows (see `commune_detail`);
    `lock`: the lock when the caller knows it (None after a write went through); `only`: the one row
    the answer shows (the others get no form: nobody sees them)."""
    current = shared_reads.get(("figures", unit.pk, cset.id, year), lambda: {
        f.indicator: f for f in Figure.objects.filter(unit=unit, criteria_set=cset.id, year=year,
                                                      superseded_at__isnull=True).select_related("entered_by")})
    detail = selectors.commune_detail(unit, level=cset.level, year=year, figures=current, lean=lean)
    if detail.set_id != cset.id:
        raise Http404(_("Bộ tiêu chí “%(set)s” không áp dụng cho năm %(year)s.") % {"set": cset.id, "year": year})
    criteria = {c.code: c for c in (detail.applied.cset if detail.applied else cset).criteria}
    known = lock_for(unit, cset.id, year) if lock is UNKNOWN else lock
    assert known is None or isinstance(known, Lock)
    assigned = _assigned(user, unit, cset, year)
    # Each row's links, from one reverse each (the page has about 50 rows).
    save_url, history_url = (reverse(name, args=[unit.key, cset.id, _CODE, year])
                             for name in ("figures:save", "figures:history"))
    blocks = []
    for block in detail.criteria:
        crit, rows = criteria[block.code], []
        indicators = {i.code: i for i in crit.indicators}
        for line in block.indicators:
            ind, figure = indicators[line.code], current.get(line.code)
            in_field = fields is not None and bool(fields & indicator_fields(crit, ind))
            editable = ind.derived is None and (fields is None or in_field) and known is None
            form = (FigureForm.for_current(indicator=ind, verdict_allowed=_verdict_allowed(line), current=figure)
                    if editable and only in (None, ind.code) else None)
            mine = bool(assigned & {(crit.code, ""), (crit.code, ind.code)}) or (in_field and ind.derived is None)
            code = quote(ind.code, safe="")
            rows.append(Row(ind, line, figure.pk if figure else None, form, bound=figure.bound if figure else "",
                            mine=mine, save_url=save_url.replace(_CODE, code),
                            history_url=history_url.replace(_CODE, code)))
        blocks.append((block, rows))
    return Sheet(unit, cset, year, detail, blocks, known)


def _entry_url(unit: Unit, cset: CriteriaSet, year: int, anchor: str = "") -> str:
    url = f"{reverse('figures:entry', args=[unit.key])}?year={year}&set={cset.id}"
    return f"{url}#{anchor}" if anchor else url


def _year_choices(unit: Unit, year: int) -> list[int]:
    """Every year from the first with figures to this year, none skipped, within the commune's life (a
    commune merged on 1/7/2025 still has 2025; one created then starts in 2025), newest first."""
    years = set(Figure.objects.filter(unit=unit).values_list("year", flat=True).distinct())
    first, last = min({*years, year}), max({*years, year, timezone.localdate().year})
    if unit.valid_from:
        first = max(first, min(unit.valid_from.year, year))
    if unit.valid_to:
        last = min(last, max(unit.valid_to.year, year, *years))
    return list(range(last, first - 1, -1))


def _draft_key(user, unit: Unit, cset: CriteriaSet, year: int) -> str:
    """What the page's drafts are kept under in the browser: one user, commune, set and year (the
    indicator code is added per row)."""
    return f"ntm-draft:{user.pk}:{unit.key}:{cset.id}:{year}:"


def _filter_links(unit: Unit, cset: CriteriaSet, year: int,
                  counts: dict[str, int]) -> list[tuple[str, str, str, int]]:
    """(name, label, url, rows) of each filter ("mine" only when something is the user's)."""
    labels = {"": _("Tất cả"), "mine": _("Việc của tôi"), "unmet": _("Chưa đạt"), "nodata": _("Chưa có số liệu")}
    base = _entry_url(unit, cset, year)
    return [(name, labels[name], f"{base}&show={name}" if name else base, counts[name])
            for name in ("", *FILTERS) if name != "mine" or counts[name]]


# --- Pages --------------------------------------------------------------------------------------------


@login_required
def entry(request: HttpRequest, key: str) -> HttpResponse:
    unit, fields = _unit_for_entry(request.user, key)
    period = periods.from_request(request, unit)
    year = period.year
    cset = _asked_set(request.GET["set"], period) if request.GET.get("set") else _default_set(period)
    sheet = _sheet(unit, cset, year, fields, request.user)
    show = request.GET.get("show", "")
    show, counts = (show if show in FILTERS else ""), sheet.counts()
    return render(request, "figures/entry.html", {
        "sheet": sheet, "detail": sheet.detail, "fields": fields, "show": show, "shown": sheet.shown(show),
        "counts": counts, "filters": _filter_links(unit, cset, year, counts),
        "draft_key": _draft_key(request.user, unit, cset, year),
        "may_unlock": sheet.lock is not None and may_unlock(request.user, unit),
        "years": _year_choices(unit, year), "sets": set_choices(unit, year),
    })


@login_required
@require_POST
def save(request: HttpRequest, key: str, set_id: str, indicator: str, year: int) -> HttpResponse:
    """Save one row. The sheet is built once, after the write, from the figures and results the refresh
    has just written (shared within the save: ntm.shared_reads)."""
    with shared_reads.scope():
        return _save(request, key, set_id, indicator, year)


def _save(request: HttpRequest, key: str, set_id: str, indicator: str, year: int) -> HttpResponse:
    cset = _commune_set(set_id)
    unit, crit, ind, applied = _unit_and_indicator(request.user, key, cset, indicator, year)
    fields = departments_of(request.user, unit)
    form = FigureForm(request.POST, indicator=ind, verdict_allowed=_verdict_allowed_in(unit, applied, ind, year))
    if form.is_valid():
        try:
            record_figure(_input(unit, cset, ind, year, form), by=request.user,
                          expected_current=form.cleaned_data["expected_current"])
        except StaleFigure as stale:
            if _already_saved(stale.current, form, request.user):
                return _after_saved(request, unit, cset, year, fields, ind)
            return _after_stale(request, unit, cset, year, fields, ind, form)
        except FigureRejected as exc:
            has_value = form.cleaned_data.get("value") is not None
            form.add_error("value" if has_value else None, str(exc))
        else:
            return _after_saved(request, unit, cset, year, fields, ind)
    sheet = _sheet(unit, cset, year, fields, lean=True, only=ind.code)
    _block, row = sheet.find(ind.code)
    return _after_refused(request, sheet, row, form)


def _unit_and_indicator(user, key: str, cset: CriteriaSet, code: str, year: int
                        ) -> tuple[Unit, Criterion, Indicator, CriteriaSet]:
    """The commune the user may edit this indicator of, the indicator with its criterion as the set
    applies in the commune's province that year, and that applied set (404, or 403 when not allowed)."""
    titled = Recognition.objects.filter(unit=OuterRef("pk"), revoked_on__isnull=True, year__lte=year)
    unit = Unit.objects.filter(key=key).select_related("parent__parent").annotate(titled=Exists(titled)).first()
    if unit is None or unit.kind != Kind.COMMUNE:
        raise Http404(key)
    shared_reads.put(shared_reads.titled_key(unit.pk, year), unit.titled)  # for the alerts' revocation watch
    in_force = get_catalog().set_for(UnitKind.COMMUNE, cset.level, year)
    if in_force is None or in_force.id != cset.id:
        raise Http404(_("Bộ tiêu chí “%(set)s” không áp dụng cho năm %(year)s.") % {"set": cset.id, "year": year})
    applied = selectors.applied_set(unit, cset.id, year).cset
    ind = _indicator(applied, code)
    crit = next(c for c in applied.criteria if ind in c.indicators)
    if not can_edit(user, unit, department=indicator_fields(crit, ind)):
        raise PermissionDenied
    return unit, crit, ind, applied


def _verdict_allowed_in(unit: Unit, applied: CriteriaSet, ind: Indicator, year: int) -> bool:
    """`_verdict_allowed` for one indicator, without building the sheet."""
    if not ind.comparison.is_numeric:
        return True
    candidates = [t for t in ind.thresholds if t.year in (year, None)]
    if not candidates:
        return True  # no threshold in any scope
    if any(t.scope == ANY for t in candidates) and not any(t.missing for t in candidates):
        return False  # a threshold in every scope: the commune's scope need not be read
    scope = scopes_in_year([unit], applied.dimension, year)[unit.pk]
    threshold = ind.threshold_for(scope, year)
    return threshold is None or threshold.missing


def _already_saved(current: Figure | None, form: FigureForm, user) -> bool:
    """A draft sent again after a dropped connection whose first send did reach the server: the current
    figure is the user's own, with what was typed. Answered as saved, not as a conflict with oneself."""
    data = form.cleaned_data
    return (current is not None and current.entered_by_id == user.pk and current.value == data.get("value")
            and current.bound == data.get("bound", "") and current.verdict == data.get("verdict")
            and current.source_note == data["source_note"])


def _input(unit: Unit, cset: CriteriaSet, ind: Indicator, year: int, form: FigureForm) -> FigureInput:
    data = form.cleaned_data
    return FigureInput(unit=unit, criteria_set=cset.id, indicator=ind.code, year=year,
                       value=data.get("value"), bound=data.get("bound", ""), verdict=data.get("verdict"),
                       source_note=data["source_note"])


def _after_saved(request, unit, cset, year, fields, ind) -> HttpResponse:
    sheet = _sheet(unit, cset, year, fields, lean=True, lock=None, only=ind.code)
    block, row = sheet.find(ind.code)
    if not request.htmx:
        messages.success(request, _("Đã lưu chỉ tiêu %(code)s: %(value)s.")
                         % {"code": ind.code, "value": row.value_text})
        return redirect(_entry_url(unit, cset, year, row.anchor))
    row.notice = "saved"
    return _fragment(request, sheet, block, row, oob=True)


def _after_stale(request, unit, cset, year, fields, ind, form) -> HttpResponse:
    sheet = _sheet(unit, cset, year, fields, lean=True, only=ind.code)
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
    _crit, ind = _applied_indicator(key, cset, indicator, year)
    figures = (Figure.objects.filter(unit=unit, criteria_set=cset.id, indicator=ind.code, year=year)
               .select_related("entered_by").order_by("-entered_at", "-pk"))
    english = (get_language() or "vi").startswith("en")
    unit_label = get_catalog().units_en.get(ind.unit, ind.unit) if english else ind.unit
    return render(request, "figures/history.html", {
        "unit": unit, "cset": cset, "set_title": set_title(cset), "indicator": ind, "year": year,
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
