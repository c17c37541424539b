"""The forms behind a province's classification of its communes: the decision they follow (dates typed either
way), and the bulk form that must set a group or at least one flag for at least one ticked commune. No database."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import translation

from ntm.units.forms import BulkForm, DecisionForm
from ntm.units.models import Kind, Unit

DECISION = {"decision_number": "01/QĐ-UBND", "decision_date": "2026-03-02", "valid_from": "02/03/2026"}
COMMUNES = [Unit(key="c72001", name="An Hòa", division_type="xã", kind=Kind.COMMUNE),
            Unit(key="c72002", name="Bình Đức", division_type="xã", kind=Kind.COMMUNE)]


def errors(form) -> dict[str, list[str]]:
    form.is_valid()
    return {field: [str(e) for e in errs] for field, errs in form.errors.items()}


def test_a_decision_takes_its_dates_from_the_date_picker_or_typed_day_first():
    form = DecisionForm(DECISION)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["decision_date"] == form.cleaned_data["valid_from"] == date(2026, 3, 2)
    assert form.cleaned_data["decision_issuer"] == ""


@pytest.mark.parametrize("typed", ["03/02/2026x", "2026-02-30", "32/01/2026", "hôm qua"])
def test_a_date_that_is_not_a_date_is_refused(typed):
    with translation.override("en"):
        assert errors(DecisionForm({**DECISION, "decision_date": typed})) == {"decision_date": ["Enter a valid date."]}


def test_a_decision_needs_its_number_and_both_dates():
    with translation.override("en"):
        assert set(errors(DecisionForm({}))) == {"decision_number", "decision_date", "valid_from"}


def test_a_decision_number_is_at_most_80_characters():
    assert "decision_number" in errors(DecisionForm({**DECISION, "decision_number": "1" * 81}))


def test_the_date_field_renders_for_the_browsers_date_picker():
    html = str(DecisionForm(initial={"valid_from": date(2026, 3, 2)})["valid_from"])
    assert 'type="date"' in html and 'value="2026-03-02"' in html


def test_the_bulk_form_lists_the_communes_by_full_name():
    form = BulkForm(communes=COMMUNES)
    assert form.fields["units"].choices == [("c72001", "Xã An Hòa"), ("c72002", "Xã Bình Đức")]


def test_a_group_for_the_ticked_communes_is_taken():
    form = BulkForm({**DECISION, "units": ["c72001", "c72002"], "commune_group": "G2"}, communes=COMMUNES)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["units"] == ["c72001", "c72002"] and form.cleaned_data["mountain"] == ""


def test_a_flag_alone_is_enough():
    form = BulkForm({**DECISION, "units": ["c72002"], "coastal": "no"}, communes=COMMUNES)
    assert form.is_valid(), form.errors


@pytest.mark.parametrize(("lang", "message"), [("vi", "Hãy chọn nhóm xã hoặc một đặc điểm cần ghi."),
                                               ("en", "Choose a commune group or a flag to record.")])
def test_nothing_to_record_is_refused(lang, message):
    with translation.override(lang):
        assert errors(BulkForm({**DECISION, "units": ["c72001"]}, communes=COMMUNES)) == {"__all__": [message]}


@pytest.mark.parametrize(("lang", "message"), [("vi", "Hãy chọn ít nhất một xã."),
                                               ("en", "Select at least one commune.")])
def test_no_commune_ticked_is_refused(lang, message):
    with translation.override(lang):
        assert errors(BulkForm({**DECISION, "commune_group": "G1"}, communes=COMMUNES))["units"] == [message]


def test_a_commune_not_offered_or_an_unknown_group_is_refused():
    form_errors = errors(BulkForm({**DECISION, "units": ["c99999"], "commune_group": "G9", "island": "maybe"},
                                  communes=COMMUNES))
    assert set(form_errors) >= {"units", "commune_group", "island"}
