"""The workflow forms (`ntm.workflow.forms`): which criteria and indicators a picker offers, in which
language, and what a posted choice is read as; communes and people outside what the page offers are refused."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.utils import translation

from ntm.catalog_source import get_catalog
from ntm.units.models import Kind, Unit
from ntm.workflow.forms import INDENT, AssignmentForm, FindingForm, _criterion_choices, _item_choices

NTM = "commune-ntm-2021-2025"
NTMNC = "commune-ntmnc-2021-2025"


def sets(*ids):
    return [get_catalog().get(i) for i in ids]


def test_one_set_is_a_plain_list_with_indicators_only_under_criteria_that_have_several(db):
    with translation.override("vi"):
        choices = dict(_item_choices(sets(NTM)))

    assert choices[f"{NTM}|10|"] == "10. Thu nhập"
    assert f"{NTM}|10|10.1" not in choices  # criterion 10 has one indicator: the criterion is the item
    assert choices[f"{NTM}|5|5.1"].startswith(f"{INDENT}5.1 ")
    assert list(choices).index(f"{NTM}|5|") < list(choices).index(f"{NTM}|5|5.1")


def test_several_sets_are_grouped_under_their_level_and_name_in_the_readers_language(db):
    with translation.override("en"):
        groups = _item_choices(sets(NTM, NTMNC))
        criteria = _criterion_choices(sets(NTM, NTMNC))

    assert [label.split(" — ")[0] for label, _options in groups] == ["NTM", "NTMNC"]
    assert dict(groups[0][1])[f"{NTM}|10|"] == "10. Income"
    assert criteria[0] == ("", "—") and [label for label, _o in criteria[1:]] == [g[0] for g in groups]


@pytest.fixture
def place(db):
    district = Unit.objects.create(key="d805", code="805", name="Tân Trụ", division_type="huyện",
                                   kind=Kind.DISTRICT)
    qmt = Unit.objects.create(key="c28084", code="28084", name="Quê Mỹ Thạnh", division_type="xã",
                              kind=Kind.COMMUNE, parent=district)
    elsewhere = Unit.objects.create(key="c28120", code="28120", name="Long Trạch", division_type="xã",
                                    kind=Kind.COMMUNE)
    make = get_user_model().objects.create_user
    return {"qmt": qmt, "elsewhere": elsewhere, "official": make("canbo.qmt", first_name="An", last_name="Lê"),
            "outsider": make("nguoingoai")}


def assignment_form(place, **data):
    users = get_user_model().objects.filter(pk=place["official"].pk)
    communes = Unit.objects.filter(pk=place["qmt"].pk)
    posted = {"commune": place["qmt"].pk, "item": f"{NTM}|5|5.2", "year": "2024",
              "responsible": place["official"].pk, **data}
    return AssignmentForm(data=posted, communes=communes, people=users, sets=sets(NTM))


def test_a_posted_item_is_read_as_set_criterion_and_indicator(place):
    form = assignment_form(place)
    assert form.is_valid(), form.errors
    assert (form.cleaned_data["criteria_set"], form.cleaned_data["criterion"], form.cleaned_data["indicator"]) == (
        NTM, "5", "5.2")

    whole = assignment_form(place, item=f"{NTM}|10|")
    assert whole.is_valid() and (whole.cleaned_data["criterion"], whole.cleaned_data["indicator"]) == ("10", "")


@pytest.mark.parametrize(
    ("changes", "field"),
    [({"commune": "elsewhere"}, "commune"), ({"responsible": "outsider"}, "responsible"),
     ({"item": f"{NTMNC}|10|"}, "item"), ({"item": f"{NTM}|10"}, "item"), ({"year": "1999"}, "year")],
    ids=["a commune the page does not offer", "a person the page does not offer", "an item of another set",
         "an item cut short", "a year before 2000"],
)
def test_what_the_page_does_not_offer_is_refused_at_its_field(place, changes, field):
    data = {k: place[v].pk if v in place else v for k, v in changes.items()}

    with translation.override("vi"):
        form = assignment_form(place, **data)

        assert not form.is_valid() and field in form.errors


def test_a_finding_may_be_general_or_about_one_criterion(place):
    communes = Unit.objects.filter(pk=place["qmt"].pk)

    general = FindingForm(data={"commune": place["qmt"].pk, "criterion": "", "text": "Hồ sơ đầy đủ"},
                          communes=communes, sets=sets(NTM))
    about = FindingForm(data={"commune": place["qmt"].pk, "criterion": f"{NTM}|17", "status_seen": "not_met",
                              "text": "Rác thải chưa thu gom"}, communes=communes, sets=sets(NTM))

    assert general.is_valid() and (general.cleaned_data["criteria_set"], general.cleaned_data["criterion"]) == ("", "")
    assert about.is_valid() and (about.cleaned_data["criteria_set"], about.cleaned_data["criterion"]) == (NTM, "17")
