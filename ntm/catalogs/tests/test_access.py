"""Who may use the catalog workbench, edit a draft and approve it, role by role (`ntm.catalogs.access`): the
pages' tests check one refusal each; these check the rules themselves."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from ntm.accounts.models import Membership, Role
from ntm.catalogs import access
from ntm.catalogs.models import CatalogVersion, Kind, State
from ntm.units.models import Kind as UnitKind
from ntm.units.models import Unit

from .conftest import make_user


def layer_text(*keys: str) -> str:
    provinces = ", ".join(f"{{key: {k}, name: Tỉnh {k}}}" for k in keys)
    return f"id: tinh\nversion: '2026.1'\nbase: commune-ntm-2026-2030\nprovinces: [{provinces}]\n"


def version(kind: str, text: str, by=None, state: str = State.DRAFT) -> CatalogVersion:
    return CatalogVersion.objects.create(set_id=f"v{CatalogVersion.objects.count()}", version="1", kind=kind,
                                         text=text, state=state, created_by=by)


@pytest.fixture
def people(db):
    # the rules need no catalog: units and memberships only (the conftest's fixtures reload the catalog)
    long_an = Unit.objects.create(key="p80", code="80", name="Long An", division_type="tỉnh",
                                  kind=UnitKind.PROVINCE)
    tay_ninh = Unit.objects.create(key="p72", code="72", name="Tây Ninh", division_type="tỉnh",
                                   kind=UnitKind.PROVINCE)
    both = make_user("vpdp.hai.tinh", Role.PROVINCE_OFFICE, long_an)
    Membership.objects.create(user=both, role=Role.PROVINCE_OFFICE, unit=tay_ninh)
    district = Unit.objects.create(key="d800", code="800", name="Đức Hòa", division_type="huyện",
                                   kind=UnitKind.DISTRICT, parent=long_an)
    return {
        "admin": make_user("quantri", Role.ADMIN, None),
        "office p80": make_user("vpdp.longan", Role.PROVINCE_OFFICE, long_an), "office p80+p72": both,
        "office p72": make_user("vpdp.tayninh", Role.PROVINCE_OFFICE, tay_ninh),
        "district office": make_user("vpdp.duchoa", Role.DISTRICT_OFFICE, district),
        "province leader": make_user("ld.longan", Role.LEADER, long_an),
        "anonymous": AnonymousUser(),
    }


def test_the_workbench_is_for_province_offices_and_administrators(people):
    usable = {name for name, user in people.items() if access.may_use(user)}

    assert usable == {"admin", "office p80", "office p80+p72", "office p72"}
    with pytest.raises(PermissionDenied):
        access.require_use(people["district office"])
    access.require_use(people["office p72"])  # no refusal


def test_own_provinces_lists_each_province_office_once(people):
    long_an = Unit.objects.get(key="p80")
    Membership.objects.create(user=people["office p80"], role=Role.LEADER, unit=long_an)
    people["office p80"]._ntm_memberships = None  # memberships are read once per request

    assert access.own_provinces(people["office p80"]) == [("p80", "Long An")]
    assert access.own_provinces(people["office p80+p72"]) == [("p80", "Long An"), ("p72", "Tây Ninh")]
    assert access.own_provinces(people["admin"]) == []


@pytest.mark.parametrize(
    ("keys", "may"),
    [
        (("p80",), {"admin", "office p80", "office p80+p72"}),
        (("p80", "p72"), {"admin", "office p80+p72"}),
        ((), {"admin"}),  # a layer naming no province is for an administrator only
    ],
    ids=["one province", "two provinces", "no province"],
)
def test_a_layer_is_written_only_by_the_offices_of_every_province_it_covers(people, keys, may):
    writers = {name for name, user in people.items() if access.may_write_text(user, Kind.LAYER, list(keys))}

    assert writers == may


def test_any_workbench_user_may_draft_a_national_set(people):
    writers = {name for name, user in people.items() if access.may_write_text(user, Kind.SET, [])}

    assert writers == {"admin", "office p80", "office p80+p72", "office p72"}


def test_a_draft_is_edited_by_those_who_may_write_it_and_nothing_else_is(people):
    draft = version(Kind.LAYER, layer_text("p80"), by=people["office p80"])
    published = version(Kind.LAYER, layer_text("p80"), by=people["office p80"], state=State.PUBLISHED)
    rejected = version(Kind.SET, "id: s\n", by=people["office p80"], state=State.REJECTED)

    assert {n for n, u in people.items() if access.may_edit(u, draft)} == {"admin", "office p80", "office p80+p72"}
    assert not any(access.may_edit(u, v) for u in people.values() for v in (published, rejected))


def test_a_national_set_is_approved_by_an_administrator_other_than_its_author(people):
    by_office = version(Kind.SET, "id: s\n", by=people["office p80"])
    by_admin = version(Kind.SET, "id: s\n", by=people["admin"])

    assert {n for n, u in people.items() if access.may_approve(u, by_office)} == {"admin"}
    assert not any(access.may_approve(u, by_admin) for u in people.values())


def test_a_layer_is_approved_by_a_second_office_of_its_province_or_an_administrator(people):
    draft = version(Kind.LAYER, layer_text("p80"), by=people["office p80"])
    published = version(Kind.LAYER, layer_text("p80"), by=people["office p80"], state=State.PUBLISHED)

    assert {n for n, u in people.items() if access.may_approve(u, draft)} == {"admin", "office p80+p72"}
    assert not any(access.may_approve(u, published) for u in people.values())


def test_a_draft_whose_author_was_deleted_may_be_approved(people):
    orphan = version(Kind.SET, "id: s\n", by=None)

    assert access.may_approve(people["admin"], orphan)
    assert not access.is_author(people["anonymous"], orphan)


@pytest.mark.parametrize(
    ("text", "keys"),
    [
        (layer_text("p80", "p72"), ["p80", "p72"]),
        ("id: s\nversion: '1'\n", []),
        ("provinces: [{name: Long An}, p80, {key: p72}]\n", ["p72"]),
        ("provinces: [unclosed\n", []),
        ("", []),
    ],
    ids=["a layer", "a set", "entries without a key", "unreadable YAML", "empty"],
)
def test_the_provinces_a_layer_names_are_read_from_its_text(text, keys):
    assert access.province_keys_of(text) == keys
