"""One definition of the roles: the pure rules' enum, and Django's choices made from it."""

from ntm.accounts.models import Membership, Role
from ntm.core.recognition import Role as CoreRole


def test_the_choices_are_the_core_roles_with_a_label_each():
    assert [(r.name, r.value) for r in Role] == [(r.name, r.value) for r in CoreRole]
    assert all(str(r.label) for r in Role)
    assert Membership._meta.get_field("role").choices == Role.choices


def test_a_stored_role_compares_equal_to_the_core_role():
    assert Role.ADMIN == CoreRole.ADMIN == "admin"
    assert Role.COMMUNE_LEADER in {CoreRole.COMMUNE_LEADER}
