"""Which pages each role may open over a unit (`ntm.accounts.access.may` and its rules), on a few units of their
own: the links a template shows must be exactly the pages that open. test_access.py covers reading and editing
on the demo; these cover entering, importing, office and oversight pages, classifying, and a department's field."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser

from ntm.accounts.access import indicator_fields, may, may_classify
from ntm.accounts.models import Membership, Role
from ntm.core.catalog import Comparison, Criterion, Indicator, Source, SourceStatus
from ntm.units.models import Kind, Unit

ACTIONS = ("read", "enter", "import", "office", "oversee")


@pytest.fixture
def units(db):
    province = Unit.objects.create(key="p80", code="80", name="Long An", division_type="tỉnh", kind=Kind.PROVINCE)
    tan_tru = Unit.objects.create(key="d805", code="805", name="Tân Trụ", division_type="huyện", kind=Kind.DISTRICT,
                                  parent=province)
    qmt = Unit.objects.create(key="c28084", code="28084", name="Quê Mỹ Thạnh", division_type="xã",
                              kind=Kind.COMMUNE, parent=tan_tru)
    btd = Unit.objects.create(key="c28090", code="28090", name="Bình Trinh Đông", division_type="xã",
                              kind=Kind.COMMUNE, parent=tan_tru)
    return {"province": province, "tan_tru": tan_tru, "qmt": qmt, "btd": btd}


@pytest.fixture
def people(units):
    def user(username, role, unit, department=""):
        u = get_user_model().objects.create_user(username, password="x")
        Membership.objects.create(user=u, role=role, unit=unit, department=department)
        return u

    return {
        "admin": user("quantri", Role.ADMIN, None),
        "province office": user("vpdp.longan", Role.PROVINCE_OFFICE, units["province"]),
        "district office": user("vpdp.tantru", Role.DISTRICT_OFFICE, units["tan_tru"]),
        "district leader": user("lanhdao.tantru", Role.LEADER, units["tan_tru"]),
        "health office": user("phong.yte", Role.DEPARTMENT, units["tan_tru"], "health"),
        "commune official": user("canbo.qmt", Role.COMMUNE_OFFICIAL, units["qmt"]),
        "commune leader": user("lanhdao.qmt", Role.COMMUNE_LEADER, units["qmt"]),
        "anonymous": AnonymousUser(),
    }


def pages(user, unit) -> set[str]:
    return {action for action in ACTIONS if may(user, action, unit)}


@pytest.mark.parametrize(
    ("person", "expected"),
    [
        ("admin", set(ACTIONS)),
        ("province office", {"read", "office", "oversee"}),  # the province appraises; it does not enter figures
        ("district office", set(ACTIONS)),
        ("district leader", {"read", "oversee"}),
        ("health office", {"read", "enter"}),  # enters its own field; an import writes every field
        ("commune official", {"read", "enter", "import"}),
        ("commune leader", {"read"}),
        ("anonymous", set()),
    ],
)
def test_each_role_opens_the_pages_of_a_commune_its_rules_allow(units, people, person, expected):
    assert pages(people[person], units["qmt"]) == expected


def test_a_commune_official_opens_nothing_of_the_neighbouring_commune(units, people):
    assert pages(people["commune official"], units["btd"]) == set()
    assert pages(people["commune official"], "c28090") == set()  # by key, as templates pass it


def test_an_unknown_unit_key_opens_nothing_even_for_an_administrator(people):
    assert not may(people["admin"], "read", "c99999")
    assert not may(people["admin"], "read", None)


def test_only_the_province_office_and_administrators_classify_communes(units, people):
    assert {name for name, u in people.items() if may_classify(u, units["province"])} == {"admin", "province office"}


def indicator(code: str, department: str) -> Indicator:
    return Indicator(code, "Chỉ tiêu", "Indicator", "%", Comparison.AT_LEAST, Source(SourceStatus.OFFICIAL),
                     department=department, thresholds=(), minimum=Decimal(0))


def test_a_criterion_is_one_field_for_every_department_its_indicators_name():
    insurance, verdict = indicator("14.3", "social_insurance"), indicator("14.0", "health")
    criterion = Criterion("14", 14, "Y tế", "Health", Source(SourceStatus.OFFICIAL), (insurance, verdict))

    assert indicator_fields(criterion, insurance) == frozenset({"social_insurance", "health"})
    lone = Criterion("7", 7, "Chợ", "Market", Source(SourceStatus.OFFICIAL), (indicator("7.0", ""),))
    assert indicator_fields(lone, lone.indicators[0]) == frozenset()  # nobody's field: offices enter it
