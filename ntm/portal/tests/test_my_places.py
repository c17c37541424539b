"""A signed-in user's own page: one place per role, each with the pages that role works on and only those the
user may open — on a hand-built province (no demo), in both languages."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.utils import translation

from ntm.accounts.models import Membership, Role
from ntm.portal.my_page import places
from ntm.units.models import Kind, Unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree():
    province = Unit.objects.create(key="p99", code="99", name="Thử", division_type="tỉnh", kind=Kind.PROVINCE)
    district = Unit.objects.create(key="d999", code="999", name="Cũ", division_type="huyện", kind=Kind.DISTRICT,
                                   parent=province)
    commune = Unit.objects.create(key="c99901", code="99901", name="An Hòa", division_type="xã", kind=Kind.COMMUNE,
                                  parent=district)
    return province, district, commune


def holder(*roles: tuple[str, Unit | None], department: str = ""):
    user = get_user_model().objects.create_user(f"u{Membership.objects.count()}")
    for role, unit in roles:
        Membership.objects.create(user=user, role=role, unit=unit, department=department if role == Role.DEPARTMENT
                                  else "")
    return user


def links(place) -> list[tuple[str, str]]:
    return [(link.label, link.url) for link in place.links]


def test_someone_without_a_role_has_no_place(tree):
    assert places(holder()) == []


def test_a_commune_official_works_on_the_communes_pages(tree):
    _, _, commune = tree
    with translation.override("vi"):
        (place,) = places(holder((Role.COMMUNE_OFFICIAL, commune)))
    assert place.unit == "Xã An Hòa" and place.role == "Cán bộ, công chức xã"
    assert links(place) == [("Kết quả của xã", "/commune/c99901/"), ("Nhập số liệu", "/entry/c99901/"),
                            ("Phân công", "/commune/c99901/assignments/"), ("Hồ sơ công nhận", "/dossiers/c99901/")]


def test_the_district_office_gets_its_district_assignments_and_overdue_follow_ups(tree):
    _, district, _ = tree
    (place,) = places(holder((Role.DISTRICT_OFFICE, district)))
    labels = [label for label, _url in links(place)]
    assert labels[:3] == ["Trang của huyện", "Phân công", "Kết luận quá hạn"]
    assert links(place)[0] == ("Trang của huyện", "/district/d999/")


def test_a_province_office_gets_its_province_page(tree):
    province, _, _ = tree
    (place,) = places(holder((Role.PROVINCE_OFFICE, province)))
    assert place.unit == "Tỉnh Thử" and links(place) == [("Trang của tỉnh", "/province/p99/")]


def test_a_leader_starts_from_the_overview(tree):
    _, district, _ = tree
    (place,) = places(holder((Role.LEADER, district)))
    assert links(place)[0][0] == "Tổng quan" and ("Trang của huyện", "/district/d999/") in links(place)


def test_a_department_without_a_field_gets_the_area_pages_only(tree):
    _, district, _ = tree
    (place,) = places(holder((Role.DEPARTMENT, district)))
    assert [label for label, _url in links(place)][:2] == ["Trang của huyện", "Phân công"]


def test_an_administrator_starts_from_the_whole_country(tree):
    with translation.override("en"):
        (place,) = places(holder((Role.ADMIN, None)))
        assert (place.role, place.unit) == ("System administrator", "National")
    assert links(place) == [("National: provinces and cities", "/en/national/"), ("Overview", "/en/overview/")]


def test_each_role_is_its_own_place_in_the_order_held(tree):
    province, _, commune = tree
    user = holder((Role.COMMUNE_LEADER, commune), (Role.PROVINCE_OFFICE, province))
    assert [p.unit for p in places(user)] == ["Xã An Hòa", "Tỉnh Thử"]


def test_the_labels_read_in_english(tree):
    _, _, commune = tree
    with translation.override("en"):
        (place,) = places(holder((Role.COMMUNE_OFFICIAL, commune)))
    assert links(place) == [("Commune results", "/en/commune/c99901/"), ("Data entry", "/en/entry/c99901/"),
                            ("Assignments", "/en/commune/c99901/assignments/"),
                            ("Recognition dossiers", "/en/dossiers/c99901/")]
