from datetime import date

import pytest
from django.core.management import CommandError, call_command

from ntm.units import sources
from ntm.units.actions import import_units
from ntm.units.models import Unit
from ntm.units.selectors import AmbiguousUnit, UnitLookupError, UnitNotFound, find_unit


@pytest.fixture
def long_an(db):
    return import_units(province_names=["Long An"])


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["Quê Mỹ Thạnh", "que my thanh", "Xã Quê Mỹ Thạnh", "xa que my thanh",
                                  "  QUÊ  MỸ THẠNH ", "c28084"])
def test_a_commune_is_found_with_or_without_diacritics_and_prefix(long_an, name):
    assert find_unit(name).key == "c28084"


def test_tan_binh_is_a_commune_name_in_several_provinces():
    provinces = {r.province_code for r in sources.legacy_units()
                 if r.kind == "commune" and r.name == "Tân Bình"}
    assert len(provinces) > 5 and 80 in provinces


@pytest.mark.django_db
def test_a_name_matching_several_units_raises_an_ambiguity_listing_them(long_an):
    # Long An alone has a Xã Tân Bình in Tân Trụ and one in Tân Thạnh.
    with pytest.raises(AmbiguousUnit) as caught:
        find_unit("tan binh", kind="commune")
    error = caught.value
    assert isinstance(error, UnitLookupError)
    keys = {u.key for u in error.matches}
    assert len(keys) >= 2
    for unit in error.matches:
        assert unit.key in error.message_vi and unit.key in error.message_en
    assert "Huyện Tân Trụ, Tỉnh Long An" in error.message_vi
    assert "Huyện Tân Thạnh, Tỉnh Long An" in error.message_vi
    assert "30/06/2025" in error.message_vi
    assert "Có " in error.message_vi and "units are named" in error.message_en


@pytest.mark.django_db
def test_the_prefix_date_or_kind_narrow_an_ambiguous_name(long_an):
    with pytest.raises(AmbiguousUnit):
        find_unit("Tân Trụ")  # the district, the town and the 2025 commune
    assert find_unit("Huyện Tân Trụ").kind == "district"
    assert find_unit("Thị trấn Tân Trụ").kind == "ward"
    assert find_unit("tan tru", kind="district").key == "d805"
    assert find_unit("Tân Trụ", on=date(2025, 7, 1)).key == "c28075-2025"


@pytest.mark.django_db
def test_a_name_matching_nothing_raises_not_found(long_an):
    with pytest.raises(UnitNotFound) as caught:
        find_unit("Quê Mỹ Thạnh", on=date(2026, 1, 1))
    assert "Không tìm thấy" in caught.value.message_vi and "No administrative unit" in caught.value.message_en


@pytest.mark.django_db
def test_editing_a_name_outside_the_importer_keeps_it_searchable(long_an):
    unit = Unit.objects.get(key="c28084")
    unit.name = "Quê Mỹ Thạnh Mới"
    unit.save()
    assert find_unit("que my thanh moi") == unit


@pytest.mark.django_db
def test_the_command_imports_and_prints_counts_in_vietnamese(capsys):
    call_command("units", "import", "--province", "Long An")
    out = capsys.readouterr().out
    assert "Tỉnh Long An" in out and "tạo mới" in out and "Quan hệ kế thừa" in out
    call_command("units", "import", "--province", "long an", "--lang", "en")
    assert "0 created" in capsys.readouterr().out


@pytest.mark.django_db
def test_the_find_command_prints_the_match_or_fails_on_ambiguity(long_an, capsys):
    call_command("units", "find", "que my thanh")
    out = capsys.readouterr().out
    assert "Xã Quê Mỹ Thạnh [c28084]" in out and "Xã Nhựt Tảo" in out
    with pytest.raises(CommandError, match="d805"):
        call_command("units", "find", "Tân Trụ")
