"""Wording for the workflow pages: due marks, risk reasons and pace projections. Verdicts come from
`ntm.core.risk` and `ntm.core.projection`; this module only puts them into words."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _

from ntm.core.projection import Outlook, Projection
from ntm.core.risk import Due, Reason, Risk
from ntm.evaluation.presenters import number, with_unit


def due_label(state: Due) -> str:
    return {Due.OVERDUE: _("quá hạn"), Due.DUE_SOON: _("sắp đến hạn"), Due.DONE: _("đã xong"),
            Due.ON_TRACK: "", Due.NO_DUE_DATE: _("chưa đặt hạn")}[state]


def risk_reasons(risk: Risk, names: dict[str, str]) -> list[str]:
    out = []
    for reason in risk.reasons:
        if reason is Reason.YEAR_PASSED:
            out.append(_("Đã hết năm mục tiêu, còn %(n)s tiêu chí chưa đạt") % {"n": len(risk.unmet)})
        elif reason is Reason.SHORT_OF_TIME:
            out.append(_("Còn %(n)s tiêu chí chưa đạt, chỉ còn %(months)s tháng")
                       % {"n": len(risk.unmet), "months": risk.months_left})
        elif reason is Reason.HARD_CRITERION:
            hard = ", ".join(names.get(code, code) for code in risk.hard_unmet)
            out.append(_("Tiêu chí khó chưa đạt: %(names)s") % {"names": hard})
    return out


def signed(value: Decimal) -> str:
    text = number(abs(value.quantize(Decimal("0.1"))))
    return f"+{text}" if value >= 0 else f"−{text}"


def projection_text(name: str, unit: str, projection: Projection) -> str:
    """E.g. "Thu nhập bình quân đầu người: đạt năm 2026 với tốc độ +4,2 triệu đồng/người/năm mỗi năm"."""
    if projection.outlook is Outlook.ON_PACE:
        assert projection.pace is not None
        return _("%(name)s: đạt năm %(year)s với tốc độ %(pace)s mỗi năm") % {
            "name": name, "year": projection.year, "pace": f"{signed(projection.pace)} {unit}".strip()}
    if projection.outlook is Outlook.TOO_SHORT:
        return _("%(name)s: chuỗi số liệu quá ngắn (dưới 2 năm) để ước tính") % {"name": name}
    if projection.outlook is Outlook.NOT_IMPROVING:
        return _("%(name)s: không cải thiện (%(pace)s mỗi năm)") % {
            "name": name, "pace": f"{signed(projection.pace or Decimal(0))} {unit}".strip()}
    if projection.outlook is Outlook.MET:
        latest = with_unit(projection.latest, unit) if projection.latest is not None else ""
        return _("%(name)s: đã đạt (%(latest)s)") % {"name": name, "latest": latest}
    return ""
