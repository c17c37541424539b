"""A unit looked up by its key for a page comes with its district and province, as the access checks use them."""

from __future__ import annotations

import pytest
from django.http import Http404

from ntm.accounts.access import unit_for_reader, unit_with_parents
from ntm.units.models import Unit

pytestmark = pytest.mark.django_db


def test_a_commune_comes_with_its_district_and_province_in_one_query(demo, django_assert_num_queries):
    expected = Unit.objects.select_related("parent", "parent__parent").get(key="c28084")

    with django_assert_num_queries(1):
        unit = unit_with_parents("c28084")
        chain = [unit, unit.parent, unit.parent.parent]
        assert unit.parent.parent.parent_id is None

    assert [(u.pk, u.key, u.name, u.kind, u.valid_from) for u in chain] == [
        (u.pk, u.key, u.name, u.kind, u.valid_from) for u in (expected, expected.parent, expected.parent.parent)]
    assert not hasattr(unit, "ntm_depth")


def test_a_province_has_no_parent_and_asks_for_none(demo, django_assert_num_queries):
    province = Unit.objects.get(key="c28084").parent.parent
    with django_assert_num_queries(1):
        assert unit_with_parents(province.key).parent is None


def test_an_unknown_key_is_not_found(demo, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert unit_with_parents("x-none") is None
    admin = type("Admin", (), {"is_superuser": True, "is_authenticated": True})()
    with pytest.raises(Http404):
        unit_for_reader(admin, "x-none")
