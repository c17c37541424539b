"""The demo loader's refusals — a demo file that is not a demo layer, a commune or indicator the data names but the
district or set lacks — each naming what is wrong; and the stable spread the new province's communes get."""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

import pytest
import yaml
from django.utils import translation

from ntm.catalog_source import get_catalog
from ntm.catalogs.models import CatalogVersion
from ntm.demo import loader
from ntm.demo.loader import DEMO_2026_FILE, DEMO_CATALOG_DIR, DemoDataError, load_demo_layers, spread_for
from ntm.units.models import Kind, Unit

LAYER = DEMO_CATALOG_DIR / "demo-commune-ntm-2021-2025.yaml"
SPREAD = yaml.safe_load(DEMO_2026_FILE.read_text(encoding="utf-8"))["spread"]


def only(tmp_path: Path, name: str, text: str) -> Path:
    folder = tmp_path / "catalog"
    folder.mkdir()
    (folder / name).write_text(text, encoding="utf-8")
    return folder


# --- Demo layers ------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_demo_layer_is_stored_once_and_loading_again_changes_nothing(tmp_path):
    folder = tmp_path / "catalog"
    folder.mkdir()
    shutil.copy(LAYER, folder / LAYER.name)
    assert load_demo_layers(folder) == 1
    stored = CatalogVersion.objects.get(set_id="demo-commune-ntm-2021-2025")
    assert stored.demo and stored.state == "published" and stored.version == "2024.1"
    assert load_demo_layers(folder) == 0


@pytest.mark.django_db
def test_an_edited_demo_file_replaces_its_stored_text(tmp_path):
    folder = tmp_path / "catalog"
    folder.mkdir()
    shutil.copy(LAYER, folder / LAYER.name)
    load_demo_layers(folder)
    edited = LAYER.read_text(encoding="utf-8").replace("value: 62,", "value: 61,")
    (folder / LAYER.name).write_text(edited, encoding="utf-8")
    assert load_demo_layers(folder) == 1
    assert CatalogVersion.objects.filter(set_id="demo-commune-ntm-2021-2025").count() == 1
    assert "value: 61," in CatalogVersion.objects.get(set_id="demo-commune-ntm-2021-2025").text


@pytest.mark.django_db
def test_a_demo_file_without_demo_true_is_refused_by_name(tmp_path):
    text = LAYER.read_text(encoding="utf-8").replace("demo: true", "demo: false").replace("status: demo",
                                                                                        "status: provisional")
    with pytest.raises(DemoDataError) as refused:
        load_demo_layers(only(tmp_path, "not-demo.yaml", text))
    assert str(refused.value) == ("not-demo.yaml: tệp mẫu phải là một lớp (base: …) có demo: true / "
                                  "a demo file must be a layer (base: …) with demo: true")
    assert not CatalogVersion.objects.filter(set_id="demo-commune-ntm-2021-2025").exists()


@pytest.mark.django_db
def test_a_demo_file_the_catalog_refuses_names_the_file_and_the_problem(tmp_path):
    text = LAYER.read_text(encoding="utf-8").replace('indicator: "10.1", scope: DBSCL, year: 2023',
                                                     'indicator: "99.9", scope: DBSCL, year: 2023')
    folder = only(tmp_path, "broken.yaml", text)
    with translation.override("vi"), pytest.raises(DemoDataError) as refused:
        load_demo_layers(folder)
    assert str(refused.value).startswith("broken.yaml: Phiên bản có lỗi, chưa lưu. ")
    assert 'chỉ tiêu "99.9" không có trong bộ commune-ntm-2021-2025' in str(refused.value)
    assert "is not in set" not in str(refused.value)  # one language, the message's
    with translation.override("en"), pytest.raises(DemoDataError) as refused:
        load_demo_layers(folder)
    assert str(refused.value).startswith("broken.yaml: The version has errors; nothing was saved. ")
    assert str(refused.value).endswith('indicator 99.9: indicator "99.9" is not in set commune-ntm-2021-2025')


@pytest.mark.django_db
def test_an_empty_folder_loads_nothing(tmp_path):
    assert load_demo_layers(tmp_path) == 0


# --- What the data names ----------------------------------------------------------------------------------------


@pytest.fixture
def district(db):
    province = Unit.objects.create(key="p99", code="99", name="Thử", division_type="tỉnh", kind=Kind.PROVINCE)
    district = Unit.objects.create(key="d999", code="999", name="Cũ", division_type="huyện", kind=Kind.DISTRICT,
                                   parent=province)
    Unit.objects.create(key="c99901", code="99901", name="An Hòa", division_type="xã", kind=Kind.COMMUNE,
                        parent=district)
    return district


def test_a_district_is_found_by_its_name_and_provinces(district):
    assert loader._district({"district": "Cũ", "province": "Thử"}) == district


def test_a_district_not_found_says_how_many_matched(district):
    with pytest.raises(DemoDataError, match="district Mới of Thử: 0 matches"):
        loader._district({"district": "Mới", "province": "Thử"})


def test_figures_for_a_commune_outside_the_district_are_refused(district):
    data = {"figures": {"commune-ntm-2021-2025": {2024: {"Không Có": {"values": {"10.1": 70}}}}}}
    with pytest.raises(DemoDataError, match="commune-ntm-2021-2025 2024: commune 'Không Có' is not in the district"):
        loader._figure_inputs(data, loader._communes(district))


def test_an_indicator_the_set_lacks_is_refused_with_the_commune_and_year(district):
    commune = Unit.objects.get(key="c99901")
    cset = get_catalog().get("commune-ntm-2021-2025")
    with pytest.raises(DemoDataError) as refused:
        loader._unit_figures(cset, 2024, commune, {"values": {"10.1": 70, "99.1": 1}, "not_met": ["98.2"]}, {})
    assert str(refused.value) == "commune-ntm-2021-2025 2024 An Hòa: unknown indicators ['98.2', '99.1']"


def test_a_recognition_of_no_unit_of_the_district_is_refused(district):
    with pytest.raises(DemoDataError, match="names no unit of the district"):
        loader._recognitions({"recognitions": [{"commune": "Không Có", "level": "ntm", "year": 2020,
                                                "decision": "1/QĐ"}]}, district, loader._communes(district))


def test_the_new_province_must_be_imported_and_name_its_own_communes(district):
    with pytest.raises(DemoDataError, match="province p77 is not imported"):
        loader._new_province_plan({"province_key": "p77"})
    with pytest.raises(DemoDataError, match=r"p99: no commune named \['Không Có'\]"):
        loader._new_province_plan({"province_key": "p99", "communes": {"Không Có": {}}, "spread": SPREAD})


# --- The spread of the communes the demo does not list ----------------------------------------------------------


def test_a_communes_group_and_unmet_criteria_are_the_same_on_every_run():
    assert spread_for("c72001", SPREAD) == spread_for("c72001", SPREAD)


def test_the_spread_gives_groups_and_unmet_criteria_from_the_data():
    often = [str(c) for c in SPREAD["often_unmet"]]
    for n in range(300):
        group, unmet = spread_for(f"c{70000 + n}", SPREAD)
        assert group in SPREAD["groups"]
        assert set(unmet) == {2025, 2026} and len(unmet[2026]) <= 4
        assert set(unmet[2025]) | set(unmet[2026]) <= set(often)
        assert abs(len(unmet[2025]) - len(unmet[2026])) <= 1, "one criterion more or less a year earlier"


def test_the_spread_is_roughly_the_documented_shares():
    spreads = [spread_for(f"c{70000 + n}", SPREAD) for n in range(2000)]
    groups = Counter(group for group, _ in spreads)
    assert groups.most_common(1)[0][0] == "G2" and 0.6 < groups["G2"] / len(spreads) < 0.8
    meeting_all = sum(1 for _, unmet in spreads if not unmet[2026]) / len(spreads)
    assert 0.08 < meeting_all < 0.2, "about one commune in seven meets all criteria in 2026"
