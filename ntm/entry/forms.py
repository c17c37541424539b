"""The data-entry form of one indicator row. It reads what was typed; the rules (range, value or verdict)
are the action's, whose refusals the view puts back on the form."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from ntm.catalog_source import get_catalog
from ntm.core.catalog import Indicator, UnitKind
from ntm.evaluation import periods, presenters
from ntm.evaluation.selectors import commune_levels
from ntm.figures.parsing import NumberUnreadable, editable_text, parse_figure, with_bound

MET, NOT_MET = "met", "not_met"


def level_choices(unit, year: int) -> list[tuple[str, str]]:
    """(level, name) of the commune levels with a set that year: the level the unit's data open on first
    (its results, its targets: ntm.evaluation.periods), then the others from NTM upwards."""
    default = periods.choose(unit, year=year).level
    catalog = get_catalog()
    return [(level, presenters.level_name(level)) for level in sorted(commune_levels(), key=lambda lvl: lvl != default)
            if catalog.set_for(UnitKind.COMMUNE, level, year) is not None]


def set_choices(unit, year: int) -> list[tuple[str, str]]:
    """(set id, level name) of the commune sets that year, in the order of `level_choices`."""
    catalog = get_catalog()
    sets = [catalog.set_for(UnitKind.COMMUNE, level, year) for level, _name in level_choices(unit, year)]
    return [(s.id, presenters.level_name(s.level)) for s in sets if s is not None]


def row_prefix(indicator_code: str) -> str:
    """Each row's fields get their own names and ids ("i10_1-value"), so a page holds many forms."""
    return "i" + indicator_code.replace(".", "_")


class FigureForm(forms.Form):
    value = forms.CharField(label=_("Giá trị"), required=False, max_length=40,
                            widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off",
                                                          "size": 10}))
    verdict = forms.TypedChoiceField(
        label=_("Kết luận"), required=False, empty_value=None, coerce=lambda raw: raw == MET,
        choices=[("", _("— Chọn —")), (MET, _("Đạt")), (NOT_MET, _("Chưa đạt"))],
    )
    source_note = forms.CharField(label=_("Nguồn / minh chứng"), required=False, max_length=2000,
                                  widget=forms.Textarea(attrs={"rows": 2, "cols": 30}))
    expected_current = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, data=None, *, indicator: Indicator, verdict_allowed: bool, **kwargs):
        super().__init__(data, prefix=row_prefix(indicator.code), **kwargs)
        self.indicator = indicator
        if not indicator.comparison.is_numeric:
            del self.fields["value"]
        if not verdict_allowed:
            del self.fields["verdict"]

    @classmethod
    def for_current(cls, *, indicator: Indicator, verdict_allowed: bool, current) -> FigureForm:
        """An unbound form showing the current figure (or nothing) and remembering which one it was."""
        initial = {"expected_current": current.pk if current else None}
        if current is not None:
            initial["value"] = (with_bound(current.bound, editable_text(current.value))
                                if current.value is not None else "")
            initial["verdict"] = "" if current.verdict is None else (MET if current.verdict else NOT_MET)
            # A demo figure's note says "sample data"; a real entry must not inherit it.
            initial["source_note"] = "" if current.is_demo else current.source_note
        return cls(initial=initial, indicator=indicator, verdict_allowed=verdict_allowed)

    def clean_value(self) -> Decimal | None:
        """The number; a bound typed with it ("> 96", "trên 96") goes to `cleaned_data["bound"]`."""
        self.cleaned_data["bound"] = ""
        raw = self.cleaned_data.get("value", "")
        if not raw.strip():
            return None
        try:
            bound, number = parse_figure(raw, percent=self.indicator.unit.startswith("%"))
        except NumberUnreadable as exc:
            raise forms.ValidationError(str(exc), code="unreadable") from None
        self.cleaned_data["bound"] = bound
        return number
