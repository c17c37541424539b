"""The catalog workbench's forms (`ntm.catalogs.forms`): what a form itself refuses, and the YAML each row
becomes (a number as the reader types it, a blank level as null, a blank row as nothing)."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import translation

from ntm.catalogs.forms import (
    CriterionForm,
    DocumentForm,
    IndicatorForm,
    SourceFields,
    ThresholdForm,
    ThresholdFormSet,
    threshold_initial,
)

SCOPES = [("G1", "Nhóm 1"), ("G2", "Nhóm 2")]
DOCS = [("LA-1234", "1234/QĐ-UBND")]


def threshold(lang: str = "vi", **data):
    with translation.override(lang):
        form = ThresholdForm(data=data, scopes=SCOPES, documents=DOCS)
        assert form.is_valid(), form.errors
        return form.threshold()


def test_a_level_is_read_as_the_reader_types_it_and_stored_as_a_plain_number():
    assert threshold(scope="G1", value="66,5") == {"scope": "G1", "value": 66.5, "status": "official"}
    assert threshold("en", scope="G1", value="66.5")["value"] == 66.5
    assert threshold(scope="*", value="70", year="2026") == {"scope": "*", "year": 2026, "value": 70,
                                                            "status": "official"}
    assert isinstance(threshold(scope="G2", value="70,0")["value"], int)


def test_a_blank_level_is_null_with_where_to_find_it_and_a_blank_row_is_nothing():
    assert threshold(scope="G2", document="LA-1234", note="  PL II chưa chép  ", urls="https://a.vn https://b.vn") == {
        "scope": "G2", "value": None, "document": "LA-1234", "note": "PL II chưa chép",
        "urls": ["https://a.vn", "https://b.vn"]}
    assert threshold(scope="", value="66") is None


def test_a_provisional_level_keeps_its_status():
    assert threshold(scope="G1", value="60", status="provisional", note="theo dự thảo")["status"] == "provisional"


@pytest.mark.parametrize(
    ("data", "field"),
    [({"scope": "G9", "value": "1"}, "scope"), ({"scope": "G1", "value": "sáu mươi"}, "value"),
     ({"scope": "G1", "year": "1999"}, "year"), ({"scope": "G1", "document": "KHAC"}, "document")],
    ids=["a group the set does not have", "a level in words", "a year before 2000", "an unknown document"],
)
def test_a_row_the_form_cannot_read_is_refused_at_its_field(data, field):
    with translation.override("vi"):
        form = ThresholdForm(data=data, scopes=SCOPES, documents=DOCS)

        assert not form.is_valid() and list(form.errors) == [field]


def test_threshold_rows_round_trip_through_their_initial_values():
    stored = {"scope": "G1", "year": 2027, "value": 75, "status": "official", "document": "LA-1234",
              "urls": ["https://a.vn"], "note": "PL I"}
    initial = threshold_initial(stored)
    data = {k: "" if v is None else v for k, v in initial.items()}

    assert threshold(**{k: str(v) for k, v in data.items()}) == stored


def test_the_formset_keeps_the_filled_rows_in_order():
    data = {"form-TOTAL_FORMS": "3", "form-INITIAL_FORMS": "0",
            "form-0-scope": "G2", "form-0-value": "50", "form-1-scope": "", "form-2-scope": "G1", "form-2-value": "60"}
    with translation.override("vi"):
        formset = ThresholdFormSet(data=data, form_kwargs={"scopes": SCOPES, "documents": DOCS})
        assert formset.is_valid()

        assert [(t["scope"], t["value"]) for t in formset.thresholds()] == [("G2", 50), ("G1", 60)]


def indicator_form(**changes):
    data = {"criterion": "1", "code": "1.3", "name_vi": " Tỷ lệ hộ dùng nước sạch ", "name_en": "Clean water",
            "comparison": ">=", "unit": "%", "department": "", "source_status": "official",
            "source_document": "LA-1234", "source_urls": "https://a.vn\n\n  https://b.vn  \n", **changes}
    return IndicatorForm(data=data, criteria=[("1", "1. Quy hoạch")], units=["%", ""], documents=DOCS,
                         departments=[("nongnghiep", "Phòng Nông nghiệp")])


def test_an_indicator_becomes_its_yaml_with_its_source():
    form = indicator_form()
    assert form.is_valid(), form.errors

    assert form.indicator() == {
        "code": "1.3", "name_vi": "Tỷ lệ hộ dùng nước sạch", "name_en": "Clean water", "unit": "%",
        "comparison": ">=", "department": "",
        "source": {"status": "official", "document": "LA-1234", "urls": ["https://a.vn", "https://b.vn"]}}


def test_a_code_with_a_space_inside_is_refused_in_vietnamese_and_surrounding_spaces_are_trimmed():
    with translation.override("vi"):
        inside = indicator_form(code="1 .3")
        around = indicator_form(code=" 1.3\t")

        assert not inside.is_valid() and inside.errors["code"] == ["Mã chỉ tiêu không được có khoảng trắng."]
        assert around.is_valid() and around.cleaned_data["code"] == "1.3"


def test_a_criterion_code_with_a_space_is_refused_in_english():
    data = {"number": "5", "code": "5 A", "name_vi": "Trường học", "name_en": "Schools", "source_status": "official"}
    with translation.override("en"):
        form = CriterionForm(data=data, documents=DOCS)

        assert not form.is_valid()
        assert form.errors["code"] and "space" in form.errors["code"][0]


def test_a_source_round_trips_through_its_initial_values():
    source = {"status": "provisional", "urls": ["https://a.vn"], "note": "chờ quyết định"}
    form = SourceFields(data=SourceFields.initial_from(source), documents=DOCS)

    assert form.is_valid() and form.source() == source


def test_a_document_id_is_a_slug_and_the_document_keeps_what_was_given():
    data = {"doc_id": "LA-NTM-1234-2026", "number": " 1234/QĐ-UBND ", "title_vi": "Bộ tiêu chí xã NTM tỉnh Long An",
            "signed": "2026-03-02", "urls": "https://longan.gov.vn/1234"}
    form = DocumentForm(data=data)
    assert form.is_valid(), form.errors
    assert form.document() == {"id": "LA-NTM-1234-2026", "number": "1234/QĐ-UBND",
                               "title_vi": "Bộ tiêu chí xã NTM tỉnh Long An", "signed": date(2026, 3, 2),
                               "urls": ["https://longan.gov.vn/1234"]}

    assert not DocumentForm(data={**data, "doc_id": "1234/QĐ-UBND"}).is_valid()  # a number is no id
