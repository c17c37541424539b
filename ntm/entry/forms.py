"""The data-entry form of one indicator row. It reads what was typed; the rules (range, value or verdict)
are the action's, whose refusals the view puts back on the form."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
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


# The row's widgets write their HTML directly, as Django's widget templates would: an entry page has about
# 75 of them, and rendering each through the template engine took a third of the page's time.

def _attrs(attrs: dict) -> SafeString:
    return format_html_join("", "{}", ((format_html(" {}", name) if value is True else
                                        format_html(' {}="{}"', name, value),)
                                       for name, value in attrs.items() if value is not False))


class _DirectInput:
    def _render(self, template_name, context, renderer=None) -> SafeString:
        w = context["widget"]
        value = "" if w["value"] is None else format_html(' value="{}"', w["value"])
        return format_html('<input type="{}" name="{}"{}{}>', w["type"], w["name"], value, _attrs(w["attrs"]))


class TextInput(_DirectInput, forms.TextInput):
    pass


class HiddenInput(_DirectInput, forms.HiddenInput):
    pass


class Textarea(forms.Textarea):
    def _render(self, template_name, context, renderer=None) -> SafeString:
        w = context["widget"]
        return format_html('<textarea name="{}"{}>\n{}</textarea>', w["name"], _attrs(w["attrs"]), w["value"] or "")


class Select(forms.Select):
    def _render(self, template_name, context, renderer=None) -> SafeString:
        w = context["widget"]
        parts = []
        for group, options, _index in w["optgroups"]:
            html = format_html_join("", '\n  <option value="{}"{}>{}</option>',
                                    ((o["value"], _attrs(o["attrs"]), o["label"]) for o in options))
            parts.append(format_html('\n  <optgroup label="{}">{}\n  </optgroup>', group, html) if group else html)
        options_html = mark_safe("".join(parts))  # noqa: S308 - each part is format_html's
        return format_html('<select name="{}"{}>{}\n</select>', w["name"], _attrs(w["attrs"]), options_html)


class FigureForm(forms.Form):
    value = forms.CharField(label=_("Giá trị"), required=False, max_length=40,
                            widget=TextInput(attrs={"inputmode": "decimal", "autocomplete": "off", "size": 10}))
    verdict = forms.TypedChoiceField(
        label=_("Kết luận"), required=False, empty_value=None, coerce=lambda raw: raw == MET,
        choices=[("", _("— Chọn —")), (MET, _("Đạt")), (NOT_MET, _("Chưa đạt"))], widget=Select,
    )
    source_note = forms.CharField(label=_("Nguồn / minh chứng"), required=False, max_length=2000,
                                  widget=Textarea(attrs={"rows": 2, "cols": 30}))
    expected_current = forms.IntegerField(required=False, widget=HiddenInput)

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
