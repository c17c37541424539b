"""What every criterion, indicator and value of a set rests on, nationally and for a province's communes."""

from __future__ import annotations

from ntm.core.catalog import Source, SourceStatus
from ntm.core.loader import build_catalog
from ntm.core.provenance import citation, show, show_lines

from .catalogs import COMMON
from .test_gaps import FILLS_R2, NATIONAL, PERIOD, PROV, layer


def build(*layers: str):
    return build_catalog(COMMON, [("s.yaml", NATIONAL)] + [(f"l{i}.yaml", t) for i, t in enumerate(layers)])


def values_of(data: dict, code: str) -> list[tuple]:
    ind = next(i for c in data["criteria"] for i in c["indicators"] if i["code"] == code)
    return [(v["scope"], v["year"], v["value"], v["status"], v["document"] and v["document"]["number"], v["layer"])
            for v in ind["values"]]


def test_the_national_set_lists_every_value_with_its_status_and_document():
    data = show(build(layer(FILLS_R2)), PERIOD, year=2024)
    assert data["rests_on"] == [{"years": [2024], "version": data["set"]["version"], "text": "1/QĐ-TTg",
                                 "layers": []}]
    assert values_of(data, "1.1") == [("R1", 2024, 60, "official", "1/QĐ-TTg", None),
                                      ("R2", 2024, None, "missing", "1/QĐ-TTg", None)]
    assert data["values"] == {"total": 4, "official": 1, "missing": 3, "provisional": 0, "demo": 0}
    crit = data["criteria"][0]
    assert (crit["code"], crit["source"]["status"], crit["source"]["document"]["number"]) == ("1", "official",
                                                                                             "1/QĐ-TTg")
    assert crit["indicators"][0]["judged_by"] == "number"


def test_a_province_sees_its_layer_values_and_the_national_ones_it_keeps():
    data = show(build(layer(FILLS_R2, year_from="2024-01-01")), PERIOD, province="p80", province_name="Long An")
    assert [(r["years"], r["text"]) for r in data["rests_on"]] == [
        ([2022, 2023], "1/QĐ-TTg"), ([2024, 2025], "Long An 8151/QĐ-UBND, trên nền 1/QĐ-TTg")]
    assert data["rests_on"][1]["layers"][0]["document"]["signed"] == "2022-08-31"
    r2 = [v for v in values_of(data, "1.1") if v[0] == "R2"]
    assert r2 == [("R2", 2022, None, "missing", "1/QĐ-TTg", None), ("R2", 2023, None, "missing", "1/QĐ-TTg", None),
                  ("R2", 2024, 50, "official", "8151/QĐ-UBND", "prov"),
                  ("R2", 2025, 50, "official", "8151/QĐ-UBND", "prov")]
    # the province's own blank on 2.1 names its decision wherever the national set has no figure either
    assert {v[4] for v in values_of(data, "2.1") if v[1] >= 2024} == {"8151/QĐ-UBND"}


def test_demo_values_say_so():
    demo = layer(f'thresholds:\n  - {{indicator: "2.1", scope: "*", value: 95, {PROV}}}\n',
                 layer_id="demo", base="prov", demo=True)
    data = show(build(layer(FILLS_R2), demo), PERIOD, province="p80", year=2024)
    assert values_of(data, "2.1") == [("R1", 2024, 95, "demo", "8151/QĐ-UBND", "demo"),
                                      ("R2", 2024, 95, "demo", "8151/QĐ-UBND", "demo")]
    assert data["rests_on"][0]["text"] == (
        "Long An 8151/QĐ-UBND (minh họa), trên nền Long An 8151/QĐ-UBND, trên nền 1/QĐ-TTg")
    assert [x["demo"] for x in data["rests_on"][0]["layers"]] == [False, True]


def test_the_listing_reads_one_line_per_line_of_the_file_with_the_values_it_decides():
    cat = build(layer(FILLS_R2))
    vi = show_lines(show(cat, PERIOD, province="p80", province_name="Long An"), "vi")
    assert "Tỉnh: Long An (p80)" in vi
    assert "Căn cứ (2022–2025): Long An 8151/QĐ-UBND, trên nền 1/QĐ-TTg" in vi
    assert "Giá trị: 8 chính thức, 8 chưa có số, 0 tạm tính, 0 minh họa trên 16" in vi
    assert any(line.startswith("    R1, mọi năm: 60 (4 giá trị) — chính thức · 1/QĐ-TTg") for line in vi)
    assert any(line.startswith("    R2, mọi năm: 50 (4 giá trị) — chính thức · 8151/QĐ-UBND (31/08/2022) · lớp prov")
               for line in vi)
    assert any(line.startswith("    mọi vùng/nhóm, mọi năm (8 giá trị) — chưa có số · lấy từ 8151/QĐ-UBND")
               for line in vi)
    en = show_lines(show(cat, PERIOD, year=2024, lang="en"), "en")
    assert "Rests on (2024): 1/QĐ-TTg" in en
    assert any(line.startswith("    R2, every year (1 values) — no figure yet · take from 1/QĐ-TTg") for line in en)


def test_a_citation_names_the_document_its_date_and_title_never_the_editors_note():
    cat = build(layer(FILLS_R2))
    prov_value = next(t for code, t in cat.layers[0].thresholds if code == "1.1" and t.value is not None)
    national = cat.get(PERIOD).indicators[0].thresholds[0]

    assert citation(cat, prov_value.source) == "8151/QĐ-UBND (31/08/2022): Bộ tiêu chí tỉnh"
    assert citation(cat, prov_value.source, "en") == "8151/QĐ-UBND (2022-08-31): Bộ tiêu chí tỉnh"
    assert citation(cat, national.source) == "1/QĐ-TTg: Văn bản thử"  # no signing date known
    assert citation(cat, Source(SourceStatus.PROVISIONAL, None, (), "đọc từ ảnh chụp")) == ""


def test_decimal_values_are_written_the_readers_way():
    text = layer('thresholds:\n  - {indicator: "1.1", scope: R2, value: 1234.5, status: official, document: PROV, '
                 'urls: ["https://example.org/p"]}\n')
    data = show(build(text), PERIOD, province="p80", year=2024)

    vi = show_lines(data, "vi")
    en = show_lines(data, "en")

    assert any(line.startswith("    R2, mọi năm: 1.234,5 (1 giá trị)") for line in vi)
    assert any(line.startswith("    R2, every year: 1,234.5 (1 values)") for line in en)
    assert values_of(data, "1.1")[1][2] == 1234.5  # a number in the data, not text
