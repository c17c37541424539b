"""`ntm catalog check`, `ntm catalog gaps` and `ntm catalog show` on the repository catalog, on small
catalogs written for the test and on broken copies."""

from __future__ import annotations

import json
import shutil
from datetime import date
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.utils import timezone

from ntm.catalog_source import reload_catalog
from ntm.catalogs.models import CatalogVersion, State
from ntm.core.loader import load_catalog
from ntm.core.tests.catalogs import COMMON, numeric, set_text
from ntm.core.tests.test_gaps import FILLS_R2, NATIONAL, PERIOD, PROV, layer
from ntm.units.models import Kind, Unit

pytestmark = pytest.mark.django_db

REPOSITORY = load_catalog(Path(settings.CATALOG_DIR))


def run(*args: str) -> str:
    out = StringIO()
    call_command("catalog", *args, stdout=out)
    return out.getvalue()


def run_json(*args: str) -> dict:
    return json.loads(run(*args, "--json"))


@pytest.fixture
def catalog_copy(tmp_path: Path) -> Path:
    shutil.copy(Path(settings.CATALOG_DIR) / "_common.yaml", tmp_path / "_common.yaml")
    shutil.copy(Path(settings.CATALOG_DIR) / "commune-model-2021-2025.yaml", tmp_path / "model.yaml")
    return tmp_path


@pytest.fixture
def small(tmp_path: Path) -> Path:
    """A national set of two regions (R1 official, R2 and indicator 2.1 blank) and Long An's layer
    that fills R2 of 1.1 and names its own decision for 2.1."""
    (tmp_path / "_common.yaml").write_text(COMMON, encoding="utf-8")
    (tmp_path / "s.yaml").write_text(NATIONAL, encoding="utf-8")
    (tmp_path / "provinces").mkdir()
    (tmp_path / "provinces" / "prov.yaml").write_text(layer(FILLS_R2), encoding="utf-8")
    return tmp_path


# --- check ----------------------------------------------------------------------------------------------

def test_check_reports_the_repository_catalog_ok_with_its_counts():
    sets = REPOSITORY.sets
    expected = (f"OK: {len(sets)} sets, {sum(len(s.criteria) for s in sets)} criteria, "
                f"{sum(len(s.indicators) for s in sets)} indicators")
    assert run("check").splitlines()[0].startswith(expected)


def test_check_accepts_another_folder(catalog_copy):
    assert run("check", "--dir", str(catalog_copy)).strip() == "OK: 1 sets, 4 criteria, 4 indicators"


def test_check_warns_about_a_published_version_the_repository_file_outranks():
    name = "commune-ntm-2021-2025"
    text = (Path(settings.CATALOG_DIR) / f"{name}.yaml").read_text(encoding="utf-8")
    repo_version = next(line.split('"')[1] for line in text.splitlines() if line.startswith("version:"))
    CatalogVersion.objects.create(set_id=name, version="2000.1", text=text.replace(repo_version, "2000.1"),
                                  state=State.PUBLISHED, takes_effect=date(2024, 1, 1), approved_at=timezone.now())
    try:
        reload_catalog()
        lines = run("check").splitlines()
        assert lines[1] == (f"Cảnh báo: {name} phiên bản 2000.1 đã phê duyệt nhưng không được dùng: tệp trong kho"
                            f" (phiên bản {repo_version}) mới bằng hoặc mới hơn")
        assert run("check", "--lang", "en").splitlines()[1].startswith(f"Warning: {name} version 2000.1 is published")
    finally:
        CatalogVersion.objects.all().delete()
        reload_catalog()


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("id: x\ncriteria: [\n", "vi", "broken.yaml: YAML không đọc được"),
        ("id: x\ncriteria: [\n", "en", "broken.yaml: YAML does not parse"),
        ("schema: 1\nid: x\n", "en", 'broken.yaml: "version" is missing'),
    ],
    ids=["a syntax error, in Vietnamese by default", "a syntax error, in English on request",
         "a set missing its required keys"],
)
def test_check_fails_naming_the_broken_file(catalog_copy, text, lang, expected):
    (catalog_copy / "broken.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(CommandError) as exc:
        run("check", "--dir", str(catalog_copy), "--lang", lang)
    lines = str(exc.value).splitlines()
    assert any(line.startswith(expected) for line in lines)
    assert all(line.startswith("broken.yaml") for line in lines[:-1])


def test_check_fails_on_a_folder_without_a_catalog(tmp_path):
    with pytest.raises(CommandError):
        run("check", "--dir", str(tmp_path / "missing"))


# --- gaps -----------------------------------------------------------------------------------------------

def test_gaps_count_lines_and_values_per_set_layer_and_province(small):
    lines = run("gaps", "--dir", str(small)).splitlines()
    assert f"{PERIOD} · tiêu chí 1 · chỉ tiêu 1.1 · ngưỡng vùng/nhóm R2, mọi năm · thiếu số chính thức (4 giá trị)" \
           " · lấy từ: 1/QĐ-TTg (Văn bản thử)" in lines
    assert any(line.startswith(f"{PERIOD} [prov] · tiêu chí 2 · chỉ tiêu 2.1 · ngưỡng mọi vùng/nhóm, mọi năm"
                               " · thiếu số chính thức (8 giá trị) · lấy từ: 8151/QĐ-UBND") for line in lines)
    assert (f"{PERIOD}: 2 dòng thiếu hoặc tạm tính; 16 giá trị (2 vùng × 4 năm 2022–2025 × 2 chỉ tiêu định lượng):"
            " 4 chính thức, 12 thiếu, 0 tạm tính, 0 minh họa; 0 chỉ tiêu đánh giá Đạt/Không đạt") in lines
    assert any(line.startswith("  lớp prov (Long An 8151/QĐ-UBND, trên nền 1/QĐ-TTg; 2022–2025): 2 dòng")
               and "điền 4 giá trị; sau lớp: 8 chính thức, 8 thiếu" in line for line in lines)
    assert any(line.startswith("  tỉnh Long An (p80): 8 chính thức, 8 thiếu") for line in lines)
    assert lines[-1] == "Tổng cộng: 4 dòng thiếu hoặc tạm tính; 12 giá trị thiếu, 0 tạm tính, 0 minh họa"


def test_gaps_as_json_give_the_counts_per_set_and_per_layer(small):
    data = run_json("gaps", "--dir", str(small), "--set", PERIOD)
    [s] = data["sets"]
    assert {k: s[k] for k in ("set", "lines", "values_missing", "values_official", "values_demo")} == {
        "set": PERIOD, "lines": 2, "values_missing": 12, "values_official": 4, "values_demo": 0}
    [lj] = s["layers"]
    assert {k: lj[k] for k in ("id", "lines", "values_filled", "values_missing", "values_official", "values_demo")} \
        == {"id": "prov", "lines": 2, "values_filled": 4, "values_missing": 8, "values_official": 8, "values_demo": 0}
    assert [(p["key"], p["name"], p["values_missing"]) for p in s["provinces"]] == [("p80", "Long An", 8)]
    assert s["gaps"][0]["document"]["number"] == "1/QĐ-TTg" and s["gaps"][0]["values"] == 4


def test_gaps_for_one_province_show_its_layers_only(small):
    Unit.objects.create(key="p83", code="83", name="Bến Tre", division_type="tỉnh", kind=Kind.PROVINCE)
    [theirs] = run_json("gaps", "--dir", str(small), "--province", "p80")["sets"]
    assert [lj["id"] for lj in theirs["layers"]] == ["prov"]
    [other] = run_json("gaps", "--dir", str(small), "--province", "p83")["sets"]
    assert other["layers"] == [] and [(p["name"], p["values_official"]) for p in other["provinces"]] == [
        ("Bến Tre", 4)]
    english = run("gaps", "--dir", str(small), "--province", "p83", "--lang", "en").splitlines()
    assert "  province Bến Tre (p83): 4 official, 12 missing, 0 provisional, 0 demo of 16 values — 2022–2025: " \
           "1/QĐ-TTg" in english


def test_gaps_count_the_communes_without_a_group_for_the_set_by_group(tmp_path):
    (tmp_path / "_common.yaml").write_text(COMMON, encoding="utf-8")
    (tmp_path / "g.yaml").write_text(set_text(numeric("1", ">=", "[{scope: '*', value: null, document: DOC}]"),
                                              set_id="g-2026-2030", dimension="group"), encoding="utf-8")
    province = Unit.objects.create(key="p80-2025", code="80", name="Tây Ninh", division_type="tỉnh",
                                   kind=Kind.PROVINCE, valid_from=date(2025, 7, 1))
    for code, group in (("1", ""), ("2", ""), ("3", "G1")):
        Unit.objects.create(key=f"c{code}-2025", code=code, name=f"Xã {code}", division_type="xã", kind=Kind.COMMUNE,
                            parent=province, valid_from=date(2025, 7, 1), commune_group=group)
    lines = run("gaps", "--dir", str(tmp_path)).splitlines()
    assert "  2 xã chưa có nhóm (nhóm 1/2/3)" in lines
    assert run_json("gaps", "--dir", str(tmp_path), "--province", "p80-2025")["sets"][0]["communes_without_group"] == 2
    assert "  2 communes without a group (1/2/3)" in run("gaps", "--dir", str(tmp_path), "--lang", "en").splitlines()


def test_gaps_on_the_repository_count_the_ntmnc_income_values_with_their_document():
    [s] = run_json("gaps", "--set", "commune-ntmnc-2021-2025")["sets"]
    income = [g for g in s["gaps"] if g["indicator"] == "10.1" and g["kind"] == "missing_threshold"]
    assert income and all(g["document"]["number"] == "318/QĐ-TTg" for g in income)
    assert s["values_total"] == len(s["scopes"]) * len(s["years"]) * s["numeric_indicators"]
    assert s["values_total"] == s["values_official"] + s["values_missing"] + s["values_provisional"] + s["values_demo"]
    assert s["values_demo"] == 0


def test_gaps_end_with_a_count_line_in_the_chosen_language():
    lines = run("gaps", "--lang", "en").splitlines()
    assert lines[-1].startswith("Total: ") and "missing or provisional lines;" in lines[-1]
    assert any(line.startswith("commune-ntmnc-2021-2025: ") and "values (7 regions × 4 years 2022–2025" in line
               for line in lines)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("gaps", "--set", "nope"), 'bộ tiêu chí "nope" không có'),
        (("gaps", "--province", "p999"), 'không có tỉnh mã "p999"'),
        (("gaps", "--year", "2024"), "--year chỉ dùng với show"),
        (("show",), "show cần mã bộ tiêu chí"),
        (("show", "nope"), 'bộ tiêu chí "nope" không có'),
        (("show", "long-an-ntmnc-2021-2025"), "là lớp của tỉnh trên bộ commune-ntmnc-2021-2025: dùng --province"),
        (("show", "commune-ntm-2021-2025", "--year", "2030"), "không áp dụng cho năm 2030 (áp dụng 2022–2025)"),
        (("check", "--json"), "check kiểm tra cả danh mục"),
    ],
    ids=["an unknown set", "an unknown province", "a year for gaps", "show without a set", "show an unknown set",
         "show a layer", "a year the set does not apply", "check with --json"],
)
def test_bad_input_is_refused_saying_what_is_wrong(args, message):
    with pytest.raises(CommandError, match=message.replace("(", r"\(").replace(")", r"\)")):
        run(*args)


# --- show -----------------------------------------------------------------------------------------------

def _every_value(data: dict):
    for crit in data["criteria"]:
        for ind in crit["indicators"]:
            for value in ind["values"]:
                yield crit["code"], ind["code"], value


@pytest.mark.parametrize("set_id", [s.id for s in REPOSITORY.sets])
def test_with_no_demo_loaded_every_value_is_official_or_a_blank_with_its_document(set_id):
    cset = REPOSITORY.get(set_id)
    for province in ["", *sorted(REPOSITORY.provinces_with_layers(set_id))]:
        data = run_json("show", set_id, *(["--province", province] if province else []))
        assert [c["code"] for c in data["criteria"]][:len(cset.criteria)] == [c.code for c in cset.criteria]
        assert data["values"]["demo"] == 0 and not any(layer["demo"] for r in data["rests_on"] for layer in r["layers"])
        wrong = [(crit, ind, v["scope"], v["year"], v["status"]) for crit, ind, v in _every_value(data)
                 if not (v["document"] and v["document"]["number"]
                         and (v["status"] == "official" or (v["status"] == "missing" and v["value"] is None)))]
        assert wrong == [], f"{set_id} {province}: values neither official nor a documented blank"
        for crit in data["criteria"]:
            assert crit["source"]["status"] in ("official", "provisional")
            for ind in crit["indicators"]:
                assert ind["source"]["status"] in ("official", "provisional")


def test_show_names_the_layers_composed_for_a_province_in_both_languages(small):
    data = run_json("show", PERIOD, "--dir", str(small), "--province", "p80", "--year", "2024")
    assert data["province"] == {"key": "p80", "name": "Long An"}
    assert [r["text"] for r in data["rests_on"]] == ["Long An 8151/QĐ-UBND, trên nền 1/QĐ-TTg"]
    r2 = next(v for _c, code, v in _every_value(data) if code == "1.1" and v["scope"] == "R2")
    assert (r2["value"], r2["status"], r2["document"]["number"], r2["layer"]) == (50, "official", "8151/QĐ-UBND",
                                                                                   "prov")
    text = run("show", PERIOD, "--dir", str(small), "--province", "p80", "--lang", "en").splitlines()
    assert "Rests on (2022–2025): Long An 8151/QĐ-UBND, on top of 1/QĐ-TTg" in text
    assert any(line.startswith("    R2, every year: 50 (4 values) — official · 8151/QĐ-UBND (2022-08-31) · layer prov")
               for line in text)


def test_show_says_demo_for_the_values_of_a_demo_layer(small):
    (small / "provinces" / "demo.yaml").write_text(layer(
        f'thresholds:\n  - {{indicator: "2.1", scope: "*", value: 95, {PROV}}}\n',
        layer_id="demo", base="prov", demo=True), encoding="utf-8")
    data = run_json("show", PERIOD, "--dir", str(small), "--province", "p80", "--year", "2024")
    assert data["values"]["demo"] == 2
    assert {v["status"] for _c, code, v in _every_value(data) if code == "2.1"} == {"demo"}
    assert "(minh họa)" in data["rests_on"][0]["text"]
    assert "95 (2 giá trị) — minh họa" in run("show", PERIOD, "--dir", str(small), "--province", "p80",
                                              "--year", "2024")
