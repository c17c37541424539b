from datetime import date

import pytest

from ntm.units import sources
from ntm.units.actions import import_units, province_regions
from ntm.units.models import Region, Succession, Unit
from ntm.units.selectors import UnitNotFound, find_unit, predecessors_of, successors_of

TAN_TRU_COMMUNES = {"Quê Mỹ Thạnh", "Bình Lãng", "Bình Trinh Đông", "Bình Tịnh", "Lạc Tấn", "Tân Bình",
                    "Tân Phước Tây", "Đức Tân", "Nhựt Ninh"}


@pytest.fixture
def long_an(db):
    return import_units(province_names=["Long An"])


@pytest.mark.django_db
def test_importing_long_an_creates_tan_tru_district_with_its_communes_and_town(long_an):
    district = Unit.objects.get(kind="district", name="Tân Trụ", parent__name="Long An")
    assert district.full_name == "Huyện Tân Trụ"
    assert district.key == "d805"
    assert district.region == Region.DBSCL
    assert district.parent.region == Region.DBSCL
    assert district.valid_from is None and district.valid_to == date(2025, 6, 30)
    communes = {u.name for u in district.children.filter(kind="commune")}
    assert communes == TAN_TRU_COMMUNES
    town = district.children.get(kind="ward")
    assert town.full_name == "Thị trấn Tân Trụ"
    assert all(u.region == Region.DBSCL for u in district.children.all())


@pytest.mark.django_db
def test_old_communes_lead_to_their_2025_communes(long_an):
    que_my_thanh = find_unit("Quê Mỹ Thạnh")
    assert [u.full_name for u in successors_of(que_my_thanh)] == ["Xã Nhựt Tảo"]
    nhut_tao = successors_of(que_my_thanh).get()
    assert nhut_tao.key.endswith("-2025")
    assert nhut_tao.valid_from == date(2025, 7, 1) and nhut_tao.valid_to is None
    assert nhut_tao.region == Region.DBSCL
    assert nhut_tao.commune_group == ""  # assigned by the province later
    assert que_my_thanh in predecessors_of(nhut_tao)

    binh_trinh_dong = find_unit("Bình Trinh Đông")
    tan_tru_2025 = successors_of(binh_trinh_dong).get()
    assert tan_tru_2025.full_name == "Xã Tân Trụ"
    assert tan_tru_2025.valid_from == date(2025, 7, 1)
    assert tan_tru_2025.parent.key == "p80-2025"  # the new Tây Ninh province


@pytest.mark.django_db
def test_the_province_succession_is_imported_too(long_an):
    succession = Succession.objects.get(predecessor__key="p80")
    assert succession.successor.key == "p80-2025"
    assert succession.effective == date(2025, 7, 1)
    assert not succession.partial


@pytest.mark.django_db
def test_importing_twice_changes_nothing(long_an):
    assert long_an.units_created > 250 and long_an.successions_created > 150
    fields = ("key", "name", "parent__key", "region", "search_name", "valid_to")
    before = list(Unit.objects.order_by("key").values_list(*fields))
    again = import_units(province_names=["long an"])
    assert not again.changed
    assert again.units_unchanged == long_an.units_created
    assert again.successions_unchanged == long_an.successions_created
    after = list(Unit.objects.order_by("key").values_list(*fields))
    assert after == before


@pytest.mark.django_db
def test_a_renamed_unit_gets_its_name_back_on_the_next_import(long_an):
    Unit.objects.filter(key="c28084").update(name="Quê Mỹ Thạnh cũ", search_name="que my thanh cu")
    report = import_units(province_names=["Long An"])
    assert report.units_updated == 1 and report.units_created == 0
    assert Unit.objects.get(key="c28084").search_name == "que my thanh"


@pytest.mark.django_db
def test_importing_keeps_the_commune_group_an_office_set(long_an):
    Unit.objects.filter(key="c28087-2025").update(commune_group="G2", specially_disadvantaged=True)
    import_units(province_names=["Long An"])
    nhut_tao = Unit.objects.get(key="c28087-2025")
    assert nhut_tao.commune_group == "G2" and nhut_tao.specially_disadvantaged


@pytest.mark.django_db
def test_an_unknown_province_name_is_refused():
    with pytest.raises(UnitNotFound, match="Atlantis"):
        import_units(province_names=["Atlantis"])
    assert not Unit.objects.exists()


def test_every_pre_2025_province_has_a_region_and_long_an_is_in_the_mekong_delta():
    regions = province_regions()
    assert set(regions) == {int(r.code) for r in sources.legacy_units() if r.kind == "province"}
    assert set(regions.values()) == set(Region.values)
    assert regions[80] == Region.DBSCL


def test_the_package_gives_both_eras_and_the_lineage():
    legacy, new = sources.legacy_units(), sources.new_units()
    assert sum(r.kind == "province" for r in legacy) == 63
    assert sum(r.kind == "district" for r in legacy) == 696
    assert sum(r.kind in ("commune", "ward") for r in legacy) == 10_051
    assert sum(r.kind == "province" for r in new) == 34
    assert sum(r.kind in ("commune", "ward") for r in new) == 3_321
    assert len({r.key for r in legacy} | {r.key for r in new}) == len(legacy) + len(new)
    pairs = list(sources.successions())
    assert len(pairs) > 10_000
    assert any(p.partial for p in pairs)
