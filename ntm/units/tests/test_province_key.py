"""The province a unit lies in, whatever its era (`province_key_of`, `province_keys`: the key province layers
name), and how a unit is described when a name is ambiguous (`describe`)."""

from __future__ import annotations

from datetime import date

import pytest

from ntm.units.models import Kind, Unit
from ntm.units.selectors import describe, province_key_of, province_keys


@pytest.fixture
def units(db):
    long_an = Unit.objects.create(key="p80", code="80", name="Long An", division_type="tỉnh", kind=Kind.PROVINCE,
                                  valid_to=date(2025, 6, 30))
    tay_ninh = Unit.objects.create(key="p72-2025", code="72", name="Tây Ninh", division_type="tỉnh",
                                   kind=Kind.PROVINCE, valid_from=date(2025, 7, 1))
    tan_tru = Unit.objects.create(key="d805", code="805", name="Tân Trụ", division_type="huyện", kind=Kind.DISTRICT,
                                  parent=long_an, valid_to=date(2025, 6, 30))
    old = Unit.objects.create(key="c28084", code="28084", name="Quê Mỹ Thạnh", division_type="xã",
                              kind=Kind.COMMUNE, parent=tan_tru, valid_to=date(2025, 6, 30))
    new = Unit.objects.create(key="c28087-2025", code="28087", name="Tân Trụ", division_type="xã",
                              kind=Kind.COMMUNE, parent=tay_ninh, valid_from=date(2025, 7, 1))
    orphan = Unit.objects.create(key="c99999", code="99999", name="Mồ Côi", division_type="xã", kind=Kind.COMMUNE)
    return {"long_an": long_an, "tay_ninh": tay_ninh, "tan_tru": tan_tru, "old": old, "new": new, "orphan": orphan}


def test_a_commune_of_either_era_finds_its_province(units):
    assert province_key_of(units["old"]) == "p80"  # commune → district → province
    assert province_key_of(units["new"]) == "p72-2025"  # commune → province since 1/7/2025
    assert province_key_of(units["tan_tru"]) == "p80"


def test_a_province_or_a_unit_without_one_has_no_province_key(units):
    assert province_key_of(units["long_an"]) == ""
    assert province_key_of(units["orphan"]) == ""


def test_province_keys_by_parent_id_serve_communes_of_both_eras(units, django_assert_num_queries):
    with django_assert_num_queries(2):
        keys = province_keys()

    assert keys[units["old"].parent_id] == "p80"
    assert keys[units["new"].parent_id] == "p72-2025"
    assert units["old"].pk not in keys  # communes are looked up through their parent


def test_a_unit_is_described_with_its_key_its_parents_and_its_validity(units):
    assert describe(units["old"]) == "Xã Quê Mỹ Thạnh [c28084], Huyện Tân Trụ, Tỉnh Long An (… – 30/06/2025)"
    assert describe(units["new"], "en") == "Xã Tân Trụ [c28087-2025], Tỉnh Tây Ninh (01/07/2025 – …)"
    assert describe(units["orphan"]) == "Xã Mồ Côi [c99999] (không rõ hiệu lực)"
    assert describe(units["orphan"], "en") == "Xã Mồ Côi [c99999] (validity unknown)"
