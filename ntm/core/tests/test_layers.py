"""Province layers over national sets: what a commune of the province is judged against."""

import textwrap
from decimal import Decimal

import pytest

from ntm.core.engine import Figure, Status, UnitFacts, evaluate_units
from ntm.core.loader import CatalogError, build_catalog

from .catalogs import COMMON, numeric, set_text

NATIONAL = set_text(numeric("1", ">=", '[{scope: R1, value: 60, status: official, document: DOC, '
                                       'urls: ["https://example.org/doc"]}, {scope: R2, value: null, document: DOC}]')
                    + numeric("2", ">=", "[{scope: '*', value: null, document: DOC}]"))


def layer(body: str, *, layer_id: str = "prov", base: str = "s", demo: bool = False, year_from: str = "2022-08-31",
          provinces: str = "[{key: p80, name: Long An}]") -> str:
    head = textwrap.dedent(f"""\
        schema: 1
        id: {layer_id}
        version: "2022.1"
        base: {base}
        provinces: {provinces}
        name_vi: "Bộ tiêu chí của tỉnh"
        name_en: "Province set"
        document: PROV
        documents:
          - {{id: PROV, number: "8151/QĐ-UBND", title_vi: "Bộ tiêu chí tỉnh", signed: 2022-08-31, urls: ["https://example.org/p"]}}
        effective_from: {year_from}
        demo: {"true" if demo else "false"}
        source: {{status: official, document: PROV, urls: ["https://example.org/p"]}}
        """)
    return head + textwrap.dedent(body)


def build(*layers: str):
    texts = [("s.yaml", NATIONAL)] + [(f"l{i}.yaml", t) for i, t in enumerate(layers)]
    return build_catalog(COMMON, texts)


def judge(cset, value, scope="R1", year=2024, code="1.1"):
    result = evaluate_units(cset, [UnitFacts("u", scope)], {("u", code): Figure(Decimal(value))}, year)["u"]
    return next(i for c in result.criteria for i in c.indicators if i.code == code)


def test_a_province_raises_a_national_threshold_for_its_communes_only():
    cat = build(layer("""\
        thresholds:
          - {indicator: "1.1", scope: R1, value: 70, status: official, document: PROV, urls: ["https://example.org/p"]}
        """))
    theirs = cat.resolve("s", "p80", 2024)
    assert judge(theirs, 65).status is Status.NOT_MET and judge(theirs, 65).threshold == 70
    assert judge(cat.resolve("s", "p01", 2024), 65).status is Status.MET  # another province: national 60
    assert cat.resolve("s", "p80", 2021) is cat.get("s")  # before the province's decision
    assert theirs.id == "s" and "prov@2022.1" in theirs.version
    assert cat.describe(theirs) == "Long An 8151/QĐ-UBND, trên nền 1/QĐ-TTg"
    assert cat.describe(theirs, "en") == "Long An 8151/QĐ-UBND, on top of 1/QĐ-TTg"


def test_a_province_fills_a_national_blank_but_its_blank_never_hides_a_national_value():
    cat = build(layer("""\
        thresholds:
          - {indicator: "1.1", scope: R2, value: 50, status: official, document: PROV, urls: ["https://example.org/p"]}
          - {indicator: "1.1", scope: R1, value: null, document: PROV, note: "not transcribed"}
        """))
    theirs = cat.resolve("s", "p80", 2024)
    assert judge(theirs, 55, scope="R2").status is Status.MET
    assert judge(theirs, 55, scope="R1").threshold == 60  # the national level still applies


def test_a_province_adds_and_removes_indicators():
    cat = build(layer("""\
        indicators:
          - criterion: "1"
            code: "1.2"
            name_vi: "Chỉ tiêu của tỉnh"
            name_en: "Province indicator"
            unit: "%"
            comparison: ">="
            source: {status: official, document: PROV, urls: ["https://example.org/p"]}
            thresholds: [{scope: "*", value: 30, status: official, document: PROV, urls: ["https://example.org/p"]}]
        remove_indicators: ["2.1"]
        """))
    theirs = cat.resolve("s", "p80", 2024)
    assert [i.code for i in theirs.indicators] == ["1.1", "1.2"]
    assert [i.code for c in cat.get("s").criteria for i in c.indicators] == ["1.1", "2.1"]
    assert judge(theirs, 31, code="1.2").status is Status.MET


def test_a_demo_overlay_sits_on_the_province_layer_and_every_value_is_demo():
    province = layer("thresholds: []\n")
    demo = layer("""\
        thresholds:
          - {indicator: "2.1", scope: "*", value: 95, status: official, document: PROV, urls: ["https://x.org"]}
        """, layer_id="demo", base="prov", demo=True)
    cat = build(province, demo)
    theirs = cat.resolve("s", "p80", 2024)
    [t] = [t for i in theirs.indicators if i.code == "2.1" for t in i.thresholds if t.value is not None]
    assert t.source.demo and theirs.demo
    assert judge(theirs, 96, code="2.1").demo
    assert "(minh họa)" in cat.describe(theirs) and cat.describe(theirs).count("trên nền") == 2
    assert not cat.resolve("s", "p01", 2024).demo


def test_demo_values_are_refused_in_a_national_set():
    text = set_text(numeric("1", ">=", '[{scope: "*", value: 70, status: demo, note: "x"}]'))
    with pytest.raises(CatalogError) as err:
        build_catalog(COMMON, [("s.yaml", text)])
    assert "demo" in str(err.value) and "s.yaml" in str(err.value)


def test_layer_problems_name_the_file_and_the_indicator():
    bad = layer("""\
        thresholds:
          - {indicator: "9.9", scope: R1, value: 1, status: official, document: PROV, urls: ["https://x.org"]}
          - {indicator: "1.1", scope: R7, value: 1, status: official, document: PROV, urls: ["https://x.org"]}
        remove_indicators: ["8.8"]
        """)
    with pytest.raises(CatalogError) as err:
        build(bad)
    text = str(err.value)
    assert 'l0.yaml, chỉ tiêu 9.9: chỉ tiêu "9.9" không có trong bộ s' in text
    assert "R7" in text and "8.8" in text
    with pytest.raises(CatalogError) as err:
        build(layer("thresholds: []\n", base="nope"))
    assert 'bộ tiêu chí nền "nope" không có' in str(err.value)
