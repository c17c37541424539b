"""Who is told about a commune: its officials, the person assigned to a criterion, the district's office and
leaders — each looked up in one query for many units at once, on a hand-built district (no demo)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ntm.accounts.models import Membership, Role
from ntm.alerts import recipients
from ntm.units.models import Kind, Unit
from ntm.workflow.models import Assignment

pytestmark = pytest.mark.django_db
NTM = "commune-ntm-2021-2025"


@pytest.fixture
def area():
    province = Unit.objects.create(key="p99", code="99", name="Thử", division_type="tỉnh", kind=Kind.PROVINCE)
    district = Unit.objects.create(key="d999", code="999", name="Cũ", division_type="huyện", kind=Kind.DISTRICT,
                                   parent=province)
    a, b = (Unit.objects.create(key=f"c9990{n}", code=f"9990{n}", name=name, division_type="xã",
                                kind=Kind.COMMUNE, parent=district) for n, name in ((1, "An Hòa"), (2, "Bình Đức")))
    return district, a, b


def person(username: str, *roles: tuple[str, Unit]):
    user = get_user_model().objects.create_user(username)
    for role, unit in roles:
        Membership.objects.create(user=user, role=role, unit=unit)
    return user


def test_each_commune_has_its_own_officials(area):
    _, a, b = area
    an, an2 = person("canbo.an", (Role.COMMUNE_OFFICIAL, a)), person("canbo.an2", (Role.COMMUNE_OFFICIAL, a))
    binh = person("canbo.binh", (Role.COMMUNE_OFFICIAL, b))
    person("lanhdao.an", (Role.COMMUNE_LEADER, a))  # a leader is not an official
    assert recipients.commune_officials([a.pk, b.pk]) == {a.pk: {an.pk, an2.pk}, b.pk: {binh.pk}}


def test_a_commune_without_officials_is_left_out(area):
    _, a, b = area
    person("canbo.binh", (Role.COMMUNE_OFFICIAL, b))
    assert a.pk not in recipients.commune_officials([a.pk, b.pk])
    assert recipients.commune_officials([]) == {}


def test_the_district_office_and_leaders_are_told_apart(area):
    district, a, _ = area
    office = person("vpdp.cu", (Role.DISTRICT_OFFICE, district))
    leader = person("lanhdao.cu", (Role.LEADER, district))
    both = person("ca.hai", (Role.DISTRICT_OFFICE, district), (Role.LEADER, district))
    person("vpdp.xa", (Role.DISTRICT_OFFICE, a))  # not the district's
    assert recipients.district_offices([district.pk]) == {district.pk: {office.pk, both.pk}}
    assert recipients.district_leaders([district.pk]) == {district.pk: {leader.pk, both.pk}}


def test_several_roles_for_several_units_are_read_in_one_query(area):
    district, a, b = area
    an = person("canbo.an", (Role.COMMUNE_OFFICIAL, a))
    office = person("vpdp.cu", (Role.DISTRICT_OFFICE, district))
    with CaptureQueriesContext(connection) as queries:
        found = recipients.by_role({Role.COMMUNE_OFFICIAL: [a.pk, b.pk], Role.DISTRICT_OFFICE: [district.pk]})
    assert len(queries) == 1
    assert found[Role.COMMUNE_OFFICIAL] == {a.pk: {an.pk}}
    assert found[Role.DISTRICT_OFFICE] == {district.pk: {office.pk}}
    assert found[Role.COMMUNE_OFFICIAL][b.pk] == set(), "a unit without anyone reads as nobody"


def test_no_roles_asked_is_no_query(area):
    with CaptureQueriesContext(connection) as queries:
        assert recipients.by_role({}) == {}
    assert len(queries) == 0


def test_the_people_assigned_to_a_criterion_are_told_in_the_year_asked(area):
    _, a, b = area
    tam, hoa = person("canbo.tam"), person("canbo.hoa")
    at = datetime(2026, 1, 5, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
    for unit, year, criterion, who in ((a, 2024, "10", tam), (a, 2024, "10", hoa), (a, 2025, "10", hoa),
                                       (b, 2024, "17", tam)):
        Assignment.objects.create(unit=unit, criteria_set=NTM, year=year, criterion=criterion, responsible=who,
                                  created_at=at)
    assert recipients.assignees([a.pk, b.pk], 2024) == {(a.pk, NTM, "10"): {tam.pk, hoa.pk},
                                                        (b.pk, NTM, "17"): {tam.pk}}
    assert recipients.assignees([a.pk], 2025) == {(a.pk, NTM, "10"): {hoa.pk}}
    assert recipients.assignees([a.pk]) == {(a.pk, NTM, "10"): {tam.pk, hoa.pk}}, "every year when none given"
    assert recipients.assignees([b.pk], 2023) == {}


def test_a_slip_reads_officials_offices_and_the_year_s_assignees_in_one_query(area):
    district, a, b = area
    an = person("canbo.an", (Role.COMMUNE_OFFICIAL, a))
    office = person("vpdp.cu", (Role.DISTRICT_OFFICE, district), (Role.COMMUNE_OFFICIAL, b))
    person("lanhdao.cu", (Role.LEADER, district))  # leaders are told of risks to a title, not of slips
    tam = person("canbo.tam")
    at = datetime(2026, 1, 5, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
    for year in (2024, 2025):
        Assignment.objects.create(unit=a, criteria_set=NTM, year=year, criterion="10", responsible=tam, created_at=at)
    with CaptureQueriesContext(connection) as queries:
        officials, offices, assigned = recipients.slip_recipients([a.pk], [district.pk], 2024)
    assert len(queries) == 1
    assert (officials, offices) == ({a.pk: {an.pk}}, {district.pk: {office.pk}})
    assert assigned == recipients.assignees([a.pk], 2024) == {(a.pk, NTM, "10"): {tam.pk}}
    assert recipients.slip_recipients([b.pk], [], 2024) == ({b.pk: {office.pk}}, {}, {})
