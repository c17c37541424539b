"""Who may assign work, use an area's workflow pages and close follow-ups (`ntm.workflow.access`), role by
role, on a few units of their own: the pages' tests check one refusal each; these check the rules."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404

from ntm.accounts.models import Membership, Role
from ntm.units.models import Kind, Unit
from ntm.workflow import access, actions

NOW = datetime(2024, 6, 20, 9, 0, tzinfo=UTC)


@pytest.fixture
def units(db):
    province = Unit.objects.create(key="p80", code="80", name="Long An", division_type="tỉnh", kind=Kind.PROVINCE)
    tan_tru = Unit.objects.create(key="d805", code="805", name="Tân Trụ", division_type="huyện", kind=Kind.DISTRICT,
                                  parent=province)
    can_duoc = Unit.objects.create(key="d806", code="806", name="Cần Đước", division_type="huyện",
                                   kind=Kind.DISTRICT, parent=province)
    qmt = Unit.objects.create(key="c28084", code="28084", name="Quê Mỹ Thạnh", division_type="xã",
                              kind=Kind.COMMUNE, parent=tan_tru)
    ward = Unit.objects.create(key="w28075", code="28075", name="Tân Trụ", division_type="thị trấn",
                               kind=Kind.WARD, parent=tan_tru)
    return {"province": province, "tan_tru": tan_tru, "can_duoc": can_duoc, "qmt": qmt, "ward": ward}


@pytest.fixture
def people(units):
    def user(username, role, unit):
        u = get_user_model().objects.create_user(username, password="x")
        Membership.objects.create(user=u, role=role, unit=unit)
        return u

    return {
        "admin": user("quantri", Role.ADMIN, None),
        "province office": user("vpdp.longan", Role.PROVINCE_OFFICE, units["province"]),
        "district office": user("vpdp.tantru", Role.DISTRICT_OFFICE, units["tan_tru"]),
        "other district office": user("vpdp.canduoc", Role.DISTRICT_OFFICE, units["can_duoc"]),
        "department": user("phong.nongnghiep", Role.DEPARTMENT, units["tan_tru"]),
        "commune leader": user("lanhdao.qmt", Role.COMMUNE_LEADER, units["qmt"]),
        "commune official": user("canbo.qmt", Role.COMMUNE_OFFICIAL, units["qmt"]),
        "anonymous": AnonymousUser(),
    }


def who(people, rule) -> set[str]:
    return {name for name, user in people.items() if rule(user)}


def test_work_on_a_commune_is_assigned_by_the_offices_above_it_or_its_leader(units, people):
    assert who(people, lambda u: access.may_assign(u, units["qmt"])) == {
        "admin", "province office", "district office", "commune leader"}


def test_a_follow_up_is_closed_by_its_owner_or_the_office_that_inspected(units, people):
    inspection = actions.create_inspection(district=units["tan_tru"], title="Kiểm tra", date=date(2024, 6, 18),
                                           team="", communes=[units["qmt"]], by=people["district office"], now=NOW)
    follow_up = actions.add_follow_up(inspection=inspection, commune=units["qmt"], text="Nộp báo cáo",
                                      owner=people["commune official"], due=None)

    assert who(people, lambda u: access.may_close(u, follow_up)) == {
        "admin", "province office", "district office", "commune official"}


def outcome(call) -> str:
    try:
        return call().key
    except Http404:
        return "404"
    except PermissionDenied:
        return "403"


@pytest.mark.parametrize(
    ("helper", "key", "expected"),
    [
        (access.area_for_reader, "d805", {"admin": "d805", "province office": "d805", "district office": "d805",
                                          "other district office": "403", "department": "d805",
                                          "commune leader": "403", "commune official": "403", "anonymous": "403"}),
        (access.area_for_reader, "c28084", {"admin": "404", "district office": "404", "commune official": "404",
                                            "other district office": "403"}),
        (access.area_for_office, "d805", {"admin": "d805", "province office": "d805", "district office": "d805",
                                          "other district office": "403", "department": "403",
                                          "commune leader": "403"}),
        (access.area_for_office, "p80", {"admin": "p80", "province office": "p80", "district office": "403"}),
        (access.commune_for_reader, "c28084", {"commune official": "c28084", "department": "c28084",
                                               "other district office": "403"}),
        (access.commune_for_reader, "w28075", {"admin": "404", "district office": "404"}),
        (access.commune_for_reader, "d805", {"admin": "404"}),
        (access.commune_for_assigner, "c28084", {"commune leader": "c28084", "district office": "c28084",
                                                 "commune official": "403", "department": "403",
                                                 "anonymous": "403"}),
        (access.commune_for_reader, "c99999", {"admin": "404", "province office": "404"}),
    ],
    ids=["a district's pages", "a commune is no area", "a district's office pages", "a province's office pages",
         "a commune's pages", "a ward is no commune", "a district is no commune", "assigning in a commune",
         "an unknown unit"],
)
def test_each_role_reaches_the_pages_its_rules_allow(people, helper, key, expected):
    assert {name: outcome(lambda u=people[name]: helper(u, key)) for name in expected} == expected
