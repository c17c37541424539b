"""The workflow's changes checked against the facts (`ntm.workflow.actions`), on a few units of their own rather
than the demo: an item must exist in the catalog, an assignment is made once, an inspection covers communes of
its area only, findings and follow-ups stay within their inspection, and the first closing of a follow-up stands."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.utils import translation

from ntm.units.models import Kind, Unit
from ntm.workflow import actions
from ntm.workflow.actions import AssignmentInput, WorkflowError
from ntm.workflow.models import Assignment, FollowUp

SET = "commune-ntm-2021-2025"
NOW = datetime(2024, 6, 20, 9, 0, tzinfo=UTC)


@pytest.fixture
def units(db):
    province = Unit.objects.create(key="p80", code="80", name="Long An", division_type="tỉnh", kind=Kind.PROVINCE)
    tan_tru = Unit.objects.create(key="d805", code="805", name="Tân Trụ", division_type="huyện", kind=Kind.DISTRICT,
                                  parent=province)
    other = Unit.objects.create(key="d806", code="806", name="Cần Đước", division_type="huyện", kind=Kind.DISTRICT,
                                parent=province)

    def commune(key, name, parent):
        return Unit.objects.create(key=key, code=key[1:], name=name, division_type="xã", kind=Kind.COMMUNE,
                                   parent=parent)

    return {"province": province, "tan_tru": tan_tru, "qmt": commune("c28084", "Quê Mỹ Thạnh", tan_tru),
            "btd": commune("c28090", "Bình Trinh Đông", tan_tru), "long_trach": commune("c28120", "Long Trạch", other)}


@pytest.fixture
def people(db):
    make = get_user_model().objects.create_user
    return {"office": make("vpdp.tantru", password="x"), "official": make("canbo.qmt", password="x"),
            "leader": make("lanhdao.qmt", password="x")}


def item(units, people, **changes) -> AssignmentInput:
    fields = {"unit": units["qmt"], "criteria_set": SET, "year": 2024, "criterion": "10",
              "responsible": people["official"], **changes}
    return AssignmentInput(**fields)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"criteria_set": "commune-ntm-2099"}, "Không có bộ tiêu chí commune-ntm-2099."),
        ({"criterion": "20"}, f"Bộ {SET} không có tiêu chí 20."),
        ({"indicator": "5.1"}, "Tiêu chí 10 không có chỉ tiêu 5.1."),
    ],
    ids=["an unknown set", "a criterion the set does not have", "an indicator of another criterion"],
)
def test_an_assignment_must_name_an_item_of_the_catalog(units, people, changes, message):
    with pytest.raises(WorkflowError) as caught:
        actions.assign(item(units, people, **changes), by=people["office"], now=NOW)

    assert str(caught.value) == message
    assert not Assignment.objects.exists()


def test_the_same_item_is_assigned_to_a_person_once_but_to_others_and_per_indicator(units, people):
    first = actions.assign(item(units, people, due=date(2024, 9, 30), note="Báo cáo quý"), by=people["office"],
                           now=NOW)
    actions.assign(item(units, people, responsible=people["leader"]), by=people["office"], now=NOW)
    actions.assign(item(units, people, indicator="10.1"), by=people["office"], now=NOW)

    with pytest.raises(WorkflowError) as caught:
        actions.assign(item(units, people, note="lần nữa"), by=people["office"], now=NOW)

    assert str(caught.value) == "Người này đã được giao mục này."
    assert Assignment.objects.count() == 3
    assert (first.due, first.note, first.created_by, first.created_at) == (date(2024, 9, 30), "Báo cáo quý",
                                                                           people["office"], NOW)


def test_an_inspection_covers_communes_of_its_area_only_naming_the_others(units, people):
    with pytest.raises(WorkflowError) as caught:
        actions.create_inspection(district=units["tan_tru"], title="Kiểm tra quý II", date=date(2024, 6, 18),
                                  team="Đoàn huyện", communes=[units["qmt"], units["long_trach"]],
                                  by=people["office"], now=NOW)

    assert str(caught.value) == "Không thuộc địa bàn: Long Trạch."
    with translation.override("en"), pytest.raises(WorkflowError) as caught:
        actions.create_inspection(district=units["tan_tru"], title="Q2", date=date(2024, 6, 18), team="",
                                  communes=[units["long_trach"]], by=people["office"], now=NOW)
    assert str(caught.value) == "Outside the area: Long Trạch."


def test_a_province_inspects_communes_of_its_districts(units, people):
    inspection = actions.create_inspection(district=units["province"], title="Kiểm tra tỉnh", date=date(2024, 6, 18),
                                           team="", communes=[units["qmt"], units["long_trach"]],
                                           by=people["office"], now=NOW)

    assert set(inspection.communes.values_list("name", flat=True)) == {"Quê Mỹ Thạnh", "Long Trạch"}


@pytest.fixture
def inspection(units, people):
    return actions.create_inspection(district=units["tan_tru"], title="Kiểm tra quý II", date=date(2024, 6, 18),
                                     team="Đoàn huyện", communes=[units["qmt"]], by=people["office"], now=NOW)


def test_findings_and_follow_ups_are_for_the_communes_inspected(units, people, inspection):
    with pytest.raises(WorkflowError) as caught:
        actions.add_finding(inspection=inspection, commune=units["btd"], text="Đường chưa cứng hóa")
    assert str(caught.value) == "Xã Bình Trinh Đông không thuộc đợt kiểm tra này."

    with pytest.raises(WorkflowError) as caught:
        actions.add_follow_up(inspection=inspection, commune=units["btd"], text="Làm đường", owner=people["official"],
                              due=None)
    assert str(caught.value) == "Xã Bình Trinh Đông không thuộc đợt kiểm tra này."
    assert not FollowUp.objects.exists()


def test_a_finding_about_a_criterion_must_name_one_of_the_set(units, inspection):
    with pytest.raises(WorkflowError) as caught:
        actions.add_finding(inspection=inspection, commune=units["qmt"], text="x", criteria_set=SET, criterion="99")
    assert str(caught.value) == f"Bộ {SET} không có tiêu chí 99."

    finding = actions.add_finding(inspection=inspection, commune=units["qmt"], text="Thu nhập chưa đạt",
                                  criteria_set=SET, criterion="10", status_seen="not_met")
    general = actions.add_finding(inspection=inspection, commune=units["qmt"], text="Hồ sơ gọn gàng")
    assert (finding.criterion, general.criterion) == ("10", "")


def test_a_follow_up_cannot_hang_on_a_finding_of_another_commune_or_inspection(units, people, inspection):
    other = actions.create_inspection(district=units["tan_tru"], title="Kiểm tra khác", date=date(2024, 7, 1),
                                      team="", communes=[units["qmt"], units["btd"]], by=people["office"], now=NOW)
    elsewhere = actions.add_finding(inspection=other, commune=units["qmt"], text="Ghi nhận đợt khác")
    other_commune = actions.add_finding(inspection=other, commune=units["btd"], text="Ghi nhận xã khác")

    for finding, target in ((elsewhere, inspection), (other_commune, other)):
        with pytest.raises(WorkflowError) as caught:
            actions.add_follow_up(inspection=target, commune=units["qmt"], text="Khắc phục", owner=people["official"],
                                  due=date(2024, 8, 1), finding=finding)
        assert str(caught.value) == "Ghi nhận không thuộc xã và đợt kiểm tra này."


def test_the_first_closing_of_a_follow_up_stands(units, people, inspection):
    follow_up = actions.add_follow_up(inspection=inspection, commune=units["qmt"], text="Nộp báo cáo",
                                      owner=people["official"], due=date(2024, 7, 1))

    assert actions.mark_done(follow_up, by=people["official"], now=NOW, note="Đã nộp") is True
    stale = FollowUp.objects.get(pk=follow_up.pk)
    stale.done_at = None  # a page opened before the first closing
    later = NOW + timedelta(hours=2)

    assert actions.mark_done(stale, by=people["office"], now=later, note="lần 2") is False
    assert (stale.done_at, stale.done_by_id, stale.done_note) == (NOW, people["official"].pk, "Đã nộp")
    stored = FollowUp.objects.get(pk=follow_up.pk)
    assert (stored.done_at, stored.done_by, stored.done_note) == (NOW, people["official"], "Đã nộp")
