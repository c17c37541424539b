"""Wording for the evaluation pages: labels for the verdicts the engine computed and plain-words gaps
("68,2 / 75 triệu đồng/người/năm: còn thiếu 6,8"). Numbers go through Django's localized formatting,
so Vietnamese shows "68,2" and English "68.2". No rule is decided here."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Protocol

from django.utils.formats import number_format
from django.utils.translation import get_language, pgettext
from django.utils.translation import gettext as _

from ntm.core import levels
from ntm.core.engine import Basis, Status

_STATUS_LABELS: dict[str, dict[str, str]] = {}  # language → status → label, translated once per process


def status_labels() -> dict[str, str]:
    """Every status's label in the active language. A page shows thousands of them: they are looked up
    in the translation catalog once per language, not once per cell (issue 12)."""
    language = get_language() or ""
    labels = _STATUS_LABELS.get(language)
    if labels is None:
        labels = _STATUS_LABELS[language] = {
            Status.MET: _("Đạt"),
            Status.NOT_MET: _("Chưa đạt"),
            Status.NO_DATA: _("Chưa có số liệu"),
            Status.NOT_EVALUABLE: _("Chưa đánh giá được"),
        }
    return labels


def status_label(status: str) -> str:
    return status_labels().get(status, status)


def status_symbol(status: str) -> str:
    """A shape per status, so that colour is never the only signal."""
    return _SYMBOLS.get(status, "")


_SYMBOLS: dict[str, str] = {Status.MET: "✓", Status.NOT_MET: "✗", Status.NO_DATA: "—", Status.NOT_EVALUABLE: "?"}


def _english() -> bool:
    return (get_language() or "vi").startswith("en")


def level_label(level: str) -> str:
    """The short name used in headings and targets, e.g. "NTMNC 2024" (`ntm.core.levels`)."""
    return levels.short(level, english=_english())


def level_name(level: str) -> str:
    """The name spelled out, for choosing a level."""
    return levels.name(level, english=_english())


def level_phrase(level: str) -> str:
    """The name inside a sentence: "Bộ tiêu chí xã nông thôn mới nâng cao"."""
    return levels.phrase(level, english=_english())


def level_choices(codes: Iterable[str]) -> list[tuple[str, str]]:
    """(code, name) for a level select, in the levels' order."""
    return [(code, level_name(code)) for code in sorted(codes, key=levels.sort_key)]


def comparison_label(comparison: str) -> str:
    return {">=": "≥", "<=": "≤", "=": "=", "met": pgettext("comparison", "Đạt/Không đạt")}.get(comparison, comparison)


def basis_label(basis: str) -> str:
    labels: dict[str, str] = {Basis.THRESHOLD: _("So với ngưỡng"), Basis.VERDICT: _("Kết luận đã ghi nhận"),
              Basis.NONE: _("Chưa có căn cứ")}
    return labels.get(basis, basis)


def source_status_label(status: str) -> str:
    labels = {"official": _("chính thức"), "provisional": _("tạm tính"), "missing": _("chưa có ngưỡng chính thức"),
              "demo": _("minh họa (demo)")}
    return labels.get(status, status)


def demo_label() -> str:
    """The badge next to a threshold, value or verdict that rests on a value invented for the demo."""
    return _("minh họa (demo)")


def demo_title() -> str:
    """The badge's tooltip."""
    return _("Ngưỡng minh họa của dữ liệu mẫu, không phải ngưỡng chính thức")


def basis_line(basis: str) -> str:
    """ "Căn cứ: Long An 8151/QĐ-UBND, trên nền 318/QĐ-TTg"."""
    return _("Căn cứ: %(basis)s") % {"basis": basis} if basis else ""


def staleness_text(stale: int, total: int, job_percent: int | None, *, area: bool) -> str:
    """Stored results made with an older version of the set than the one that applies now, and what is
    being done about it."""
    if not stale:
        return ""
    if area:
        said = _("%(n)s xã có kết quả đánh giá theo phiên bản cũ của bộ tiêu chí") % {"n": stale}
    else:
        said = _("Kết quả này được đánh giá theo phiên bản cũ của bộ tiêu chí")
    if job_percent is not None:
        return _("%(said)s; đang đánh giá lại (%(percent)s %%).") % {"said": said, "percent": job_percent}
    return _("%(said)s; chạy “ntm results refresh” để đánh giá lại.") % {"said": said}


def number(value: Decimal) -> str:
    """A decimal without trailing zeros, in the active language's format: 68.2000 → "68,2" (vi)."""
    plain = value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()
    return number_format(plain, use_l10n=True, force_grouping=True)


def with_unit(value: Decimal, unit: str) -> str:
    return f"{number(value)} {unit}".strip()


class Line(Protocol):
    """What the wording reads of an indicator line (read-only: frozen dataclasses satisfy it)."""

    @property
    def status(self) -> str: ...
    @property
    def basis(self) -> str: ...
    @property
    def comparison(self) -> str: ...
    @property
    def unit(self) -> str: ...
    @property
    def value(self) -> Decimal | None: ...
    @property
    def verdict(self) -> bool | None: ...
    @property
    def threshold(self) -> Decimal | None: ...
    @property
    def gap(self) -> Decimal | None: ...


def value_text(line: Line) -> str:
    parts = []
    if line.value is not None:
        parts.append(with_unit(line.value, line.unit))
    if line.verdict is not None:
        parts.append(_("Đạt") if line.verdict else _("Chưa đạt"))
    return " · ".join(parts) or "—"


def threshold_text(line: Line) -> str:
    if line.threshold is None:
        return "—"
    return f"{comparison_label(line.comparison)} {with_unit(line.threshold, line.unit)}"


def gap_wording(line: Line) -> str:
    """The gap in plain words, e.g. "68,2 / 75 triệu đồng/người/năm: còn thiếu 6,8"."""
    if line.basis == Basis.VERDICT:
        return _("Kết luận: Đạt") if line.verdict else _("Kết luận: Chưa đạt")
    if line.basis != Basis.THRESHOLD or line.value is None or line.threshold is None:
        return _no_comparison(line)
    pair = f"{number(line.value)} / {with_unit(line.threshold, line.unit)}"
    if line.status == Status.MET:
        return _("%(pair)s: đạt") % {"pair": pair}
    gap = number(line.gap if line.gap is not None else abs(line.threshold - line.value))
    if line.comparison == ">=":
        return _("%(pair)s: còn thiếu %(gap)s") % {"pair": pair, "gap": gap}
    if line.comparison == "<=":
        return _("%(pair)s: vượt mức tối đa %(gap)s") % {"pair": pair, "gap": gap}
    return _("%(pair)s: chênh lệch %(gap)s") % {"pair": pair, "gap": gap}


def _no_comparison(line: Line) -> str:
    if line.status == Status.NOT_EVALUABLE or (line.value is not None and line.threshold is None):
        return _("Chưa so sánh được: chưa có ngưỡng chính thức")
    if line.value is None and line.verdict is None:
        return _("Chưa có số liệu")
    return ""


def change_text(delta: int | None) -> str:
    """The change in criteria met since the year before: "+3", "−1" (a true minus sign), "=", or "—"."""
    if delta is None:
        return "—"
    if delta == 0:
        return "="
    return f"+{delta}" if delta > 0 else f"−{-delta}"


def change_title(delta: int | None, previous_met: int | None, previous_total: int | None, previous_year: int) -> str:
    """The change spelled out, for the cell's title and screen readers."""
    if previous_met is None:
        return _("Chưa có kết quả năm %(year)s để so sánh") % {"year": previous_year}
    before = f"{previous_met}/{previous_total}"
    if delta is None:
        return _("Năm %(year)s: %(before)s; năm nay chưa đánh giá") % {"year": previous_year, "before": before}
    if delta > 0:
        return _("Tăng %(n)s tiêu chí đạt so với năm %(year)s (%(before)s)") % {
            "n": delta, "year": previous_year, "before": before}
    if delta < 0:
        return _("Giảm %(n)s tiêu chí đạt so với năm %(year)s (%(before)s)") % {
            "n": -delta, "year": previous_year, "before": before}
    return _("Không đổi so với năm %(year)s (%(before)s)") % {"year": previous_year, "before": before}
