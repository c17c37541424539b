"""The entry rows' widgets write their HTML themselves (ntm/entry/forms.py, for speed): what a browser gets
is what Django's own widget templates give, in every state a row is shown in."""

from decimal import Decimal

import pytest
from django.forms.renderers import get_default_renderer
from django.test.html import parse_html

from ntm.catalog_source import get_catalog
from ntm.entry.forms import FigureForm


def _indicator(numeric: bool):
    cset = get_catalog().get("commune-ntmnc-2021-2025")
    return next(i for i in cset.indicators if i.derived is None and i.comparison.is_numeric == numeric)


def _as_django_renders(bound) -> str:
    """The field as Django's widget templates render it (the same attributes: errors, aria)."""
    widget = bound.field.widget
    attrs = bound.build_widget_attrs({"id": bound.auto_id} if bound.auto_id else {})
    context = widget.get_context(bound.html_name, bound.value(), attrs)
    return get_default_renderer().render(widget.template_name, context)


class Current:
    pk, value, bound, verdict, is_demo = 7, Decimal("68.5"), ">", None, False
    source_note = 'Báo cáo "số 12" <tháng 6> & phụ lục'


@pytest.mark.parametrize("numeric", [True, False])
@pytest.mark.parametrize("state", ["empty", "current", "posted", "invalid"])
def test_each_field_renders_as_djangos_widget_templates_do(db, numeric, state):
    ind = _indicator(numeric)
    prefix = "i" + ind.code.replace(".", "_")
    if state == "empty":
        form = FigureForm.for_current(indicator=ind, verdict_allowed=True, current=None)
    elif state == "current":
        form = FigureForm.for_current(indicator=ind, verdict_allowed=True, current=Current())
    else:
        data = {f"{prefix}-value": "abc" if state == "invalid" else "76,5", f"{prefix}-verdict": "met",
                f"{prefix}-source_note": "<b>ghi chú</b>", f"{prefix}-expected_current": "12"}
        form = FigureForm(data, indicator=ind, verdict_allowed=True)
        form.is_valid()
    fields = list(form)
    assert {f.name for f in fields} >= {"verdict", "source_note", "expected_current"}
    for bound in fields:
        assert parse_html(str(bound)) == parse_html(_as_django_renders(bound)), bound.name
