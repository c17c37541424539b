"""Who may read and edit what, for every role of the demo (STYLE: test the helpers for every role,
then one refusal test per view)."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404

from ntm.accounts.access import can_edit, can_read, departments_of, readable_units, unit_for_editor, unit_for_reader
from ntm.units.models import Unit

QMT, BTD, TAN_TRU, LONG_AN = "c28084", "c28090", "d805", "p80"
OTHER_DISTRICT_COMMUNE = "c27853"  # Tân Bình of Tân Thạnh district, Long An


def user(username: str):
    return get_user_model().objects.get(username=username)


def unit(key: str) -> Unit:
    return Unit.objects.get(key=key)


READS = [
    # (user, unit, may read)
    ("canbo.quemythanh", QMT, True),
    ("canbo.quemythanh", BTD, False),
    ("canbo.quemythanh", TAN_TRU, False),
    ("lanhdao.quemythanh", QMT, True),
    ("lanhdao.quemythanh", BTD, False),
    ("vpdp.tantru", QMT, True),
    ("vpdp.tantru", BTD, True),
    ("vpdp.tantru", TAN_TRU, True),
    ("vpdp.tantru", OTHER_DISTRICT_COMMUNE, False),
    ("phong.yte", BTD, True),
    ("phong.yte", OTHER_DISTRICT_COMMUNE, False),
    ("lanhdao.tantru", QMT, True),
    ("lanhdao.tantru", OTHER_DISTRICT_COMMUNE, False),
    ("vpdp.longan", QMT, True),
    ("vpdp.longan", OTHER_DISTRICT_COMMUNE, True),
    ("vpdp.longan", LONG_AN, True),
    ("quantri", OTHER_DISTRICT_COMMUNE, True),
]


@pytest.mark.parametrize(("username", "key", "allowed"), READS)
def test_each_role_reads_exactly_its_own_units(demo, username, key, allowed):
    assert can_read(user(username), unit(key)) is allowed
    assert readable_units(user(username)).filter(key=key).exists() is allowed


EDITS = [
    # (user, unit, department of the indicator, may edit)
    ("canbo.quemythanh", QMT, "statistics", True),
    ("canbo.quemythanh", BTD, "statistics", False),
    ("lanhdao.quemythanh", QMT, "statistics", False),
    ("vpdp.tantru", BTD, "statistics", True),
    ("phong.yte", BTD, "health", True),
    ("phong.yte", BTD, "statistics", False),
    ("phong.yte", OTHER_DISTRICT_COMMUNE, "health", False),
    ("lanhdao.tantru", QMT, "statistics", False),
    ("vpdp.longan", QMT, "statistics", False),
    ("quantri", QMT, "statistics", True),
]


@pytest.mark.parametrize(("username", "key", "department", "allowed"), EDITS)
def test_each_role_edits_only_what_it_answers_for(demo, username, key, department, allowed):
    assert can_edit(user(username), unit(key), department=department) is allowed


def test_a_department_edits_only_its_own_field(demo):
    assert departments_of(user("phong.yte"), unit(BTD)) == {"health"}
    assert departments_of(user("canbo.quemythanh"), unit(QMT)) is None


def test_anonymous_users_read_and_edit_nothing(demo):
    anonymous = AnonymousUser()
    assert not readable_units(anonymous).exists()
    assert not can_read(anonymous, unit(QMT))
    assert not can_edit(anonymous, unit(QMT), department="statistics")


def test_the_helpers_raise_404_for_unknown_units_and_403_outside_the_scope(demo):
    with pytest.raises(Http404):
        unit_for_reader(user("vpdp.tantru"), "c999999")
    with pytest.raises(PermissionDenied):
        unit_for_reader(user("canbo.quemythanh"), BTD)
    with pytest.raises(PermissionDenied):
        unit_for_editor(user("lanhdao.tantru"), QMT)
    assert unit_for_editor(user("canbo.quemythanh"), QMT).key == QMT


def test_demo_users_can_log_in_with_the_readme_password(client, demo):
    from ntm.accounts.demo_users import DEMO_PASSWORD, DEMO_USERS

    for demo_user in DEMO_USERS:
        assert client.login(username=demo_user.username, password=DEMO_PASSWORD), demo_user.username
