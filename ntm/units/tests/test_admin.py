"""The units' admin pages: a name found without its diacritics, the two eras told apart, and region, group and
flags shown but never edited there (they change only by a recorded decision)."""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib.auth import get_user_model

from ntm.units.models import Kind, Unit


@pytest.fixture
def units(db):
    old = Unit.objects.create(key="c28084", code="28084", name="Quê Mỹ Thạnh", division_type="xã", kind=Kind.COMMUNE,
                              valid_to=date(2025, 6, 30), region="DBSCL")
    new = Unit.objects.create(key="c28087-2025", code="28087", name="Nhựt Tảo", division_type="xã",
                              kind=Kind.COMMUNE, valid_from=date(2025, 7, 1))
    return old, new


@pytest.fixture
def admin_client(client):
    client.force_login(get_user_model().objects.create_superuser("quantri", "quantri@example.vn", "x"))
    return client


def listed(client, **params) -> set[str]:
    response = client.get("/admin/units/unit/", params)
    assert response.status_code == 200
    return {u.key for u in response.context["cl"].result_list}


@pytest.mark.parametrize("q", ["que my thanh", "QUÊ MỸ", "Quê Mỹ Thạnh", "28084"])
def test_a_unit_is_found_with_or_without_diacritics_or_by_code(units, admin_client, q):
    assert listed(admin_client, q=q) == {"c28084"}


def test_the_era_filter_splits_units_at_1_july_2025(units, admin_client):
    assert listed(admin_client, era="before") == {"c28084"}
    assert listed(admin_client, era="after") == {"c28087-2025"}
    assert listed(admin_client) == {"c28084", "c28087-2025"}


def test_region_group_and_flags_are_not_editable_in_the_admin(units, admin_client):
    old, _new = units
    page = admin_client.get(f"/admin/units/unit/{old.pk}/change/")
    form_fields = set(page.context["adminform"].form.fields)

    assert {"region", "commune_group", "mountain", "island", "coastal", "specially_disadvantaged"}.isdisjoint(
        form_fields)
    assert "name" in form_fields
    saved = admin_client.post(f"/admin/units/unit/{old.pk}/change/", {
        "key": old.key, "code": old.code, "name": "Quê Mỹ Thạnh (cũ)", "division_type": old.division_type,
        "kind": old.kind, "valid_to": "2025-06-30", "region": "TN", "classifications-TOTAL_FORMS": "0",
        "classifications-INITIAL_FORMS": "0", "successions-TOTAL_FORMS": "0", "successions-INITIAL_FORMS": "0"})
    assert saved.status_code == 302  # saved: the region posted alongside was ignored
    old.refresh_from_db()
    assert (old.name, old.search_name, old.region) == ("Quê Mỹ Thạnh (cũ)", "que my thanh (cu)", "DBSCL")
