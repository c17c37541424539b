"""The one place a merged commune's recognition path is recorded, and the form that asks for it, on a small
hand-built province (no demo): who may decide, what each path needs, the refusals in both languages, and which
record is the current one."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from ntm.accounts.models import Membership, Role
from ntm.core.merger import Constituent, propose
from ntm.recognition.merger import can_decide, current_decision, record_decision
from ntm.recognition.merger_forms import MergerDecisionForm, initial_from
from ntm.recognition.models import MergerDecision, MergerPath
from ntm.units.models import Kind, Succession, Unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree():
    """Province p99 with an old district and two of its communes, merged on 1/7/2025 into Hòa Đức (right under
    the province); Bình Lợi, formed from nothing the system knows, and another province's commune."""
    province = Unit.objects.create(key="p99", code="99", name="Thử", division_type="tỉnh", kind=Kind.PROVINCE)
    other = Unit.objects.create(key="p98", code="98", name="Bên", division_type="tỉnh", kind=Kind.PROVINCE)
    district = Unit.objects.create(key="d999", code="999", name="Cũ", division_type="huyện", kind=Kind.DISTRICT,
                                   parent=province, valid_to=date(2025, 6, 30))
    new = Unit.objects.create(key="c99100", code="99100", name="Hòa Đức", division_type="xã", kind=Kind.COMMUNE,
                              parent=province, valid_from=date(2025, 7, 1))
    for n, name in ((1, "An Hòa"), (2, "Bình Đức")):
        old = Unit.objects.create(key=f"c9990{n}", code=f"9990{n}", name=name, division_type="xã",
                                  kind=Kind.COMMUNE, parent=district, valid_to=date(2025, 6, 30))
        Succession.objects.create(predecessor=old, successor=new, effective=date(2025, 7, 1))
    alone = Unit.objects.create(key="c99200", code="99200", name="Bình Lợi", division_type="xã",
                                kind=Kind.COMMUNE, parent=province, valid_from=date(2025, 7, 1))
    elsewhere = Unit.objects.create(key="c98100", code="98100", name="Xa", division_type="xã", kind=Kind.COMMUNE,
                                    parent=other, valid_from=date(2025, 7, 1))
    Succession.objects.create(predecessor=alone, successor=elsewhere, effective=date(2025, 7, 1))
    return {"province": province, "other": other, "district": district, "new": new, "alone": alone,
            "elsewhere": elsewhere}


def person(username: str, role: str | None = None, unit: Unit | None = None):
    user = get_user_model().objects.create_user(username)
    if role:
        Membership.objects.create(user=user, role=role, unit=unit)
    return user


@pytest.fixture
def office(tree):
    return person("vpdp.thu", Role.PROVINCE_OFFICE, tree["province"])


def test_the_province_office_and_administrators_decide(tree, office):
    assert can_decide(office, tree["new"])
    assert can_decide(person("quantri.thu", Role.ADMIN), tree["new"])
    assert can_decide(get_user_model().objects.create_superuser("root"), tree["new"])


@pytest.mark.parametrize("role", [Role.COMMUNE_OFFICIAL, Role.COMMUNE_LEADER, Role.DEPARTMENT, Role.LEADER])
def test_nobody_else_of_the_province_decides(tree, role):
    assert not can_decide(person("x", role, tree["province"]), tree["new"])


def test_another_provinces_office_does_not_decide(tree):
    assert not can_decide(person("vpdp.ben", Role.PROVINCE_OFFICE, tree["other"]), tree["new"])


def test_someone_who_may_not_decide_is_refused_and_nothing_is_recorded(tree):
    with pytest.raises(PermissionDenied):
        record_decision(tree["new"], path=MergerPath.REASSESS, level="ntm",
                        by=person("canbo.x", Role.COMMUNE_OFFICIAL, tree["new"]))
    assert not MergerDecision.objects.exists()


def test_a_recognition_is_recorded_with_its_decision_and_becomes_current(tree, office):
    recorded = record_decision(tree["new"], path=MergerPath.RECOGNISE, level="ntm", by=office, proposed="recognise",
                               decision_number="123/QĐ-UBND", decision_date=date(2025, 9, 1), note="  theo CV 267  ")
    assert current_decision(tree["new"]) == recorded
    assert (recorded.level, recorded.note, recorded.decided_by, recorded.proposed_path) == (
        "ntm", "theo CV 267", office, "recognise")
    assert "Hòa Đức" in str(recorded) and "ntm" in str(recorded)


def test_a_later_choice_is_current_and_the_earlier_kept(tree, office):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        first = record_decision(tree["new"], path=MergerPath.RECOGNISE, level="ntm", by=office)
    with time_machine.travel(start + timedelta(days=3), tick=False):
        second = record_decision(tree["new"], path=MergerPath.REASSESS, level="ntmnc", by=office)
    assert current_decision(tree["new"]) == second
    assert list(MergerDecision.objects.filter(commune=tree["new"])) == [second, first]


def test_a_commune_without_a_decision_has_none(tree):
    assert current_decision(tree["new"]) is None


def test_the_loader_may_record_without_a_person(tree):
    assert record_decision(tree["new"], path=MergerPath.REASSESS, by=None, is_demo=True).decided_by is None


@pytest.mark.parametrize(("lang", "message"), [
    ("vi", "Xã Bình Lợi không được hình thành từ xã nào: không có hướng công nhận sau sáp nhập."),
    ("en", "Xã Bình Lợi was not formed from any commune: it has no recognition path after a merger."),
])
def test_a_commune_not_formed_by_a_merger_is_refused_by_name(tree, office, lang, message):
    with translation.override(lang), pytest.raises(ValidationError) as refused:
        record_decision(tree["alone"], path=MergerPath.REASSESS, by=office)
    assert refused.value.messages == [message]


@pytest.mark.parametrize(("path", "level", "note", "en"), [
    (MergerPath.RECOGNISE, "", "", "Recognising the new commune needs the level it is recognised at."),
    (MergerPath.OTHER, "", "   ", "Another path needs to be spelled out in the note."),
])
def test_what_each_path_needs_is_refused_when_missing(tree, office, path, level, note, en):
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        record_decision(tree["new"], path=path, level=level, note=note, by=office)
    assert refused.value.messages == [en]
    assert not MergerDecision.objects.exists()


def test_another_path_with_its_note_and_a_reassessment_without_a_level_are_recorded(tree, office):
    other = record_decision(tree["new"], path=MergerPath.OTHER, note="Chờ hướng dẫn của Bộ", by=office)
    assert other.note == "Chờ hướng dẫn của Bộ"
    assert record_decision(tree["new"], path=MergerPath.REASSESS, by=office).level == ""


# --- The form ---------------------------------------------------------------------------------------------------


def form_errors(data: dict, lang: str = "vi") -> dict[str, list[str]]:
    with translation.override(lang):
        form = MergerDecisionForm(data)
        form.is_valid()
        return {field: [str(e) for e in errors] for field, errors in form.errors.items()}


def test_the_form_takes_a_recognition_with_its_level_and_a_day_first_date():
    with translation.override("vi"):
        form = MergerDecisionForm({"path": "recognise", "level": "ntmnc", "decision_number": "9/QĐ",
                                   "decision_date": "05/03/2026"})
        assert form.is_valid(), form.errors
    assert form.cleaned_data["decision_date"] == date(2026, 3, 5)


def test_the_form_names_the_missing_level_or_note_at_its_field():
    assert form_errors({"path": "recognise"}) == {"level": ["Công nhận xã mới cần ghi mức công nhận."]}
    assert form_errors({"path": "other", "note": " "}, "en") == {
        "note": ["Another path needs to be spelled out in the note."]}
    assert form_errors({"path": "reassess"}) == {}


def test_the_form_refuses_an_unknown_path_or_level():
    errors = form_errors({"path": "vanish", "level": "gold"}, "en")
    assert set(errors) == {"path", "level"}
    assert all("Select a valid choice" in e[0] for e in errors.values())


@pytest.mark.parametrize(("constituents", "initial"), [
    ([Constituent("A", "ntm"), Constituent("B", "ntm")], {"path": "recognise", "level": "ntm"}),
    ([Constituent("A", "model"), Constituent("B", "ntm")], {"path": "recognise", "level": "ntm"}),
    ([Constituent("A", "ntmnc"), Constituent("B")], {"path": "reassess", "level": "ntm"}),
    ([Constituent("A", known=False), Constituent("B", "ntm")], {}),
    ([], {}),
])
def test_the_form_opens_on_the_proposed_path(constituents, initial):
    assert initial_from(propose(constituents)) == initial
