"""How an audit entry reads on the page and in the export (`ntm.audit.presentation`): the action or log-in
event, the kind of object and each change in the field's own words, whatever the stored changes look like."""

from __future__ import annotations

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import translation

from ntm.audit.models import AuditEntry
from ntm.audit.presentation import action_label, change_pairs, changes_text, event_label, kind_label
from ntm.units.models import Unit


@pytest.fixture(autouse=True)
def vietnamese():
    with translation.override("vi"):
        yield


def entry(changes=None, *, action=AuditEntry.Action.UPDATE, data=None, model=Unit) -> AuditEntry:
    return AuditEntry(content_type=ContentType.objects.get_for_model(model), object_pk="1", object_repr="Xã A",
                      action=action, changes=changes, additional_data=data)


def test_each_change_reads_in_the_fields_own_words(db):
    e = entry({"name": ["Quê Mỹ Thạnh", "Nhựt Tảo"], "commune_group": [None, "G2"], "region": ["DBSCL", "None"]})

    labels = [label for label, _b, _a in change_pairs(e)]
    assert change_pairs(e)[0][1:] == ("Quê Mỹ Thạnh", "Nhựt Tảo")
    assert change_pairs(e)[1][1:] == ("", "G2")  # nothing before: blank, not "None"
    assert change_pairs(e)[2][1:] == ("DBSCL", "")
    assert all(label not in ("name", "commune_group", "region") for label in labels)
    assert changes_text(e).endswith(": ∅ → G2; " + labels[2] + ": DBSCL → ∅")


def test_a_field_removed_since_keeps_its_stored_name(db):
    assert change_pairs(entry({"old_field": ["1", "2"]})) == [("old_field", "1", "2")]


def test_a_many_to_many_change_lists_the_objects(db):
    e = entry({"communes": {"type": "m2m", "operation": "add", "objects": ["Xã A", "Xã B"]}})

    assert change_pairs(e) == [("communes", "", "add: Xã A, Xã B")]


def test_stored_changes_of_another_shape_are_shown_not_dropped(db):
    assert change_pairs(entry({"note": "văn bản tự do"})) == [("note", "", "văn bản tự do")]
    assert change_pairs(entry("not a mapping")) == []
    assert changes_text(entry(None)) == ""


def test_actions_and_log_in_events_are_named_in_both_languages(db):
    create, access = entry(action=AuditEntry.Action.CREATE), entry(action=AuditEntry.Action.ACCESS)
    failed, other = entry(data={"event": "login_failed"}), entry(data=["not", "a", "mapping"])

    assert (action_label(create), action_label(access)) == ("Tạo", "Truy cập")
    assert (event_label(failed), event_label(other), event_label(create)) == ("Đăng nhập thất bại", "", "")
    with translation.override("en"):
        assert (action_label(entry(action=AuditEntry.Action.DELETE)), event_label(failed)) == ("Delete",
                                                                                                "Failed log-in")


def test_the_kind_is_the_models_name_capitalised(db):
    assert kind_label(entry()) == "Đơn vị hành chính"
