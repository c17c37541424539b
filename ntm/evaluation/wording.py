"""Plain-words rendering of engine verdicts ("68,2 / 75 triệu đồng/người/năm: còn thiếu 6,8"),
in the active language, shared by the command line and the pages."""

from __future__ import annotations

from decimal import Decimal

from django.utils import formats, translation
from django.utils.translation import gettext as _

from ntm.core.catalog import Catalog, Comparison, Indicator
from ntm.core.engine import Basis, IndicatorResult, Status


def status_label(status: Status | str) -> str:
    return {
        Status.MET: _("Đạt"),
        Status.NOT_MET: _("Chưa đạt"),
        Status.NO_DATA: _("Chưa có số liệu"),
        Status.NOT_EVALUABLE: _("Chưa đánh giá được"),
    }[Status(status)]


def number(value: Decimal | float | None) -> str:
    if value is None:
        return "—"
    d = Decimal(str(value)).normalize()
    places = max(0, -d.as_tuple().exponent)
    return formats.number_format(d, decimal_pos=places, use_l10n=True, force_grouping=True)


def unit_label(unit: str, catalog: Catalog) -> str:
    if translation.get_language() == "en":
        return catalog.units_en.get(unit, unit)
    return unit


def gap_phrase(ind: Indicator, res: IndicatorResult, catalog: Catalog) -> str:
    """How far a number stands from its threshold, in plain words."""
    unit = unit_label(ind.unit, catalog)
    shown = f"{number(res.value)} / {number(res.threshold)} {unit}".rstrip()
    if res.status is Status.MET:
        return _("%(shown)s: đạt") % {"shown": shown}
    gap = number(res.gap)
    if ind.comparison is Comparison.AT_LEAST:
        return _("%(shown)s: còn thiếu %(gap)s") % {"shown": shown, "gap": gap}
    if ind.comparison is Comparison.AT_MOST:
        return _("%(shown)s: vượt %(gap)s") % {"shown": shown, "gap": gap}
    return _("%(shown)s: lệch %(gap)s") % {"shown": shown, "gap": gap}


def result_phrase(ind: Indicator, res: IndicatorResult, catalog: Catalog) -> str:
    """The verdict on one indicator and what it rests on."""
    if res.basis is Basis.THRESHOLD:
        text = gap_phrase(ind, res, catalog)
        return text + (" " + _("(ngưỡng tạm tính)") if res.provisional else "")
    if res.basis is Basis.VERDICT:
        return _("%(status)s (theo kết luận đã ghi nhận)") % {"status": status_label(res.status)}
    if res.status is Status.NOT_EVALUABLE:
        return _("%(value)s %(unit)s: chưa có ngưỡng chính thức trong danh mục, chưa đánh giá được") % {
            "value": number(res.value), "unit": unit_label(ind.unit, catalog)}
    return status_label(res.status)


def indicator_line(ind: Indicator, res: IndicatorResult, catalog: Catalog) -> str:
    name = ind.name_vi if translation.get_language() != "en" else ind.name_en
    return f"{ind.code} {name}: {result_phrase(ind, res, catalog)}"
