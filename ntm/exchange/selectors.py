"""Reads behind the Excel pages: which communes a workbook covers, what they hold now, and the plain
rows the template writer renders. A fixed number of queries whatever the number of communes."""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from decimal import Decimal

from django.http import Http404
from django.utils.translation import gettext as _

from ntm.catalog_source import get_catalog
from ntm.core.catalog import CriteriaSet, Indicator, UnitKind
from ntm.evaluation import presenters
from ntm.evaluation.periods import Period
from ntm.evaluation.selectors import area_communes
from ntm.figures.models import Figure
from ntm.figures.parsing import editable_text, with_bound
from ntm.units.classification import scopes_in_year
from ntm.units.models import Kind, Unit
from ntm.units.selectors import province_keys

from .models import PendingImport
from .plan import Current, UnitInfo


def communes_of(unit: Unit, year: int) -> list[Unit]:
    """The commune itself, or the communes of a district/province valid in `year`."""
    if unit.kind == Kind.COMMUNE:
        return [unit]
    if unit.kind in (Kind.DISTRICT, Kind.PROVINCE):
        return area_communes(unit, year)
    raise Http404(unit.key)


def criteria_set(set_id: str, period: Period) -> CriteriaSet:
    """The commune set asked for, else the one of the period's level (`ntm.evaluation.periods`), else NTM
    in force that year."""
    catalog = get_catalog()
    if set_id:
        try:
            cset = catalog.get(set_id)
        except KeyError:
            raise Http404(set_id) from None
        if cset.unit_kind is not UnitKind.COMMUNE:
            raise Http404(set_id)
        return cset
    if found := period.cset or catalog.set_for(UnitKind.COMMUNE, "ntm", period.year):
        return found
    raise Http404(_("Chưa có bộ tiêu chí cho xã năm %(year)s.") % {"year": period.year})


def unit_infos(communes: list[Unit], cset: CriteriaSet, year: int) -> dict[str, UnitInfo]:
    """What decides each commune's thresholds that year: its region or group, and its province."""
    scopes = scopes_in_year(communes, cset.dimension, year)
    provinces = province_keys()
    return {c.key: UnitInfo(c.key, c.name, scopes[c.pk], provinces.get(c.parent_id, "") if c.parent_id else "")
            for c in communes}


def current_figures(communes: list[Unit], set_id: str, year: int) -> dict[tuple[str, str], Current]:
    rows = Figure.objects.filter(unit__in=communes, criteria_set=set_id, year=year, superseded_at__isnull=True)
    return {
        (key, code): Current(value, verdict, note, judged_by, bound)
        for key, code, value, verdict, note, judged_by, bound in rows.values_list(
            "unit__key", "indicator", "value", "verdict", "source_note", "judged_by", "bound")
    }


def kept_plan(token: str, *, user, unit: Unit) -> dict | None:
    """The plan a preview kept (`actions.keep_plan`) for this person and area, as kept (`Plan.from_json` reads
    it; `actions.apply_plan` writes it as it is), or None: confirmed, replaced by a later preview, or too old."""
    text = PendingImport.objects.filter(token=token, user=user, unit=unit).values_list("plan", flat=True).first()
    return None if text is None else json.loads(text)


def any_demo(communes: list[Unit], set_id: str, year: int) -> bool:
    return Figure.objects.filter(unit__in=communes, criteria_set=set_id, year=year, superseded_at__isnull=True,
                                 is_demo=True).exists()


# --- Template rows ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TemplateRow:
    """One line of a commune's sheet: a criterion heading (`heading` set) or an indicator."""

    heading: str = ""
    unit_key: str = ""
    code: str = ""
    name: str = ""
    measure: str = ""
    comparison: str = ""
    threshold: Decimal | None = None
    threshold_status: str = ""
    value: Decimal | str | None = None  # a bounded figure as text ("> 96")
    verdict: str = ""


@dataclass(frozen=True)
class TemplateSheet:
    name: str  # the commune's name; the writer makes it a valid, unique sheet title
    unit_key: str
    title: str
    rows: tuple[TemplateRow, ...]


def template_sheets(communes: list[Unit], cset: CriteriaSet, year: int) -> list[TemplateSheet]:
    """The sheets of a template; what does not depend on the commune (the set as its province applies it,
    thresholds and labels for its scope) is worked out once per province and scope, not per commune."""
    current = current_figures(communes, cset.id, year)
    catalog = get_catalog()
    document = catalog.documents.get(cset.document)
    set_name = f"{cset.name_vi} ({document.number})" if document else cset.name_vi
    labels = {"met": presenters.status_label("met"), "not_met": presenters.status_label("not_met")}
    layouts: dict[tuple[str, str], tuple[TemplateRow, ...]] = {}
    sheets = []
    for commune, info in zip(communes, unit_infos(communes, cset, year).values(), strict=True):
        layout = layouts.get((info.province, info.scope))
        if layout is None:
            layout = layouts[(info.province, info.scope)] = _layout(
                catalog.resolve(cset.id, info.province, year).criteria, info.scope, year)
        rows = tuple(row if row.heading else replace(
            row, unit_key=commune.key, **_current_cells(current.get((commune.key, row.code)), labels))
            for row in layout)
        title = _("Biểu nhập số liệu %(set)s — %(unit)s — năm %(year)s") % {
            "set": set_name, "unit": commune.full_name, "year": year}
        sheets.append(TemplateSheet(commune.name, commune.key, title, rows))
    return sheets


def _layout(criteria, scope: str, year: int) -> tuple[TemplateRow, ...]:
    """A sheet's rows without the commune: criterion headings, then each entered indicator's threshold."""
    rows: list[TemplateRow] = []
    for crit in criteria:
        rows.append(TemplateRow(heading=_("Tiêu chí %(number)s. %(name)s") % {
            "number": crit.number or crit.code, "name": crit.name_vi}))
        rows.extend(_indicator_row(ind, scope, year) for ind in crit.indicators if ind.derived is None)
    return tuple(rows)


def _indicator_row(ind: Indicator, scope: str, year: int) -> TemplateRow:
    threshold = ind.threshold_for(scope, year) if ind.comparison.is_numeric else None
    status = "" if not ind.comparison.is_numeric else (
        "missing" if threshold is None or threshold.missing else threshold.source.status.value)
    return TemplateRow(
        code=ind.code, name=ind.name_vi, measure=ind.unit,
        comparison=presenters.comparison_label(ind.comparison.value),
        threshold=threshold.value if threshold else None,
        threshold_status=presenters.source_status_label(status) if status else "",
    )


def _current_cells(figure: Current | None, labels: dict[str, str]) -> dict:
    """The commune's current value and verdict as the template shows them."""
    if figure is None:
        return {}
    verdict = "" if figure.verdict is None else labels["met"] if figure.verdict else labels["not_met"]
    return {"value": _shown_value(figure), "verdict": verdict}


def _shown_value(figure: Current | None) -> Decimal | str | None:
    """The current value for the workbook: a number, or a bounded one as text ("> 96")."""
    if figure is None or figure.value is None:
        return None
    return with_bound(figure.bound, editable_text(figure.value)) if figure.bound else figure.value
