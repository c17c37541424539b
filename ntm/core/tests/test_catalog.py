"""The catalog model's lookups (`ntm.core.catalog`): which threshold applies to a scope and year, which set is
in force, which province layers apply, and the words a page shows for what a verdict rests on."""

from __future__ import annotations

from decimal import Decimal

from ntm.core.catalog import ANY, Comparison, Source, SourceStatus, UnitKind
from ntm.core.loader import build_catalog

from .catalogs import COMMON, numeric, set_text
from .test_layers import NATIONAL, layer

OFF = 'status: official, document: DOC, urls: ["https://example.org/doc"]'


def test_the_most_specific_threshold_wins_scope_before_year():
    thresholds = (f"[{{scope: R1, year: 2024, value: 90, {OFF}}}, {{scope: R1, value: 80, {OFF}}},"
                  f" {{scope: '*', year: 2024, value: 70, {OFF}}}, {{scope: '*', value: 60, {OFF}}}]")
    [ind] = build_catalog(COMMON, [("s.yaml", set_text(numeric("1", ">=", thresholds)))]).sets[0].indicators

    def value(scope, year):
        return ind.threshold_for(scope, year).value

    assert value("R1", 2024) == 90  # its region and year
    assert value("R1", 2023) == 80  # its region, every year: before "*" for that year
    assert value("R2", 2024) == 70
    assert value("R2", 2023) == 60
    assert value(ANY, 2024) == 70


def test_no_threshold_for_another_scope_or_year_is_none_never_a_guess():
    thresholds = f"[{{scope: R1, year: 2024, value: 90, {OFF}}}, {{scope: R2, year: 2024, value: 80, {OFF}}}]"
    [ind] = build_catalog(COMMON, [("s.yaml", set_text(numeric("1", ">=", thresholds, years="[2024]")))]
                          ).sets[0].indicators

    assert ind.threshold_for("R1", 2025) is None
    assert ind.threshold_for("TDMNPB", 2024) is None


def test_a_null_threshold_is_missing_and_keeps_its_document():
    [ind] = build_catalog(COMMON, [("s.yaml", set_text(numeric("1", ">=", "[{scope: '*', value: null, "
                                                                     "document: DOC}]")))]).sets[0].indicators
    t = ind.threshold_for("R2", 2030)

    assert t.missing and t.value is None and t.source.document == "DOC"


def test_comparisons_and_source_statuses_say_what_they_are():
    assert [c.is_numeric for c in Comparison] == [True, True, True, False]  # >=, <=, =, met
    assert Source(SourceStatus.PROVISIONAL).provisional and not Source(SourceStatus.PROVISIONAL).demo
    assert Source(SourceStatus.DEMO).demo and not Source(SourceStatus.OFFICIAL).provisional


def two_sets():
    old = set_text(numeric("1", ">=", f"[{{scope: '*', value: 60, {OFF}}}]"), set_id="old").replace(
        "effective_from: 2022-03-08", "effective_from: 2021-01-01\neffective_to: 2025-12-31")
    new = set_text(numeric("1", ">=", f"[{{scope: '*', value: 70, {OFF}}}]"), set_id="new").replace(
        "effective_from: 2022-03-08", "effective_from: 2025-07-01")
    return build_catalog(COMMON, [("old.yaml", old), ("new.yaml", new)])


def test_the_set_in_force_is_the_latest_one_and_its_years_are_inclusive():
    cat = two_sets()

    def found(year, kind=UnitKind.COMMUNE, level="ntm"):
        cset = cat.set_for(kind, level, year)
        return cset.id if cset else None

    assert [found(y) for y in (2020, 2021, 2024, 2025, 2026, 2040)] == [None, "old", "old", "new", "new", "new"]
    assert cat.get("old").in_force(2025) and not cat.get("old").in_force(2026)
    assert found(2024, level="ntmnc") is None and found(2024, kind=UnitKind.DISTRICT) is None


def with_layers(*texts: str):
    return build_catalog(COMMON, [("s.yaml", NATIONAL)] + [(f"l{i}.yaml", t) for i, t in enumerate(texts)])


RAISE_R1 = 'thresholds:\n  - {{indicator: "1.1", scope: R1, value: {v}, status: official, document: PROV, ' \
           'urls: ["https://example.org/p"]}}\n'


def test_a_province_gets_the_layer_in_force_that_year_the_latest_decision_first():
    cat = with_layers(layer(RAISE_R1.format(v=65), layer_id="first"),
                      layer(RAISE_R1.format(v=75), layer_id="second", year_from="2024-01-01"))

    assert cat.layers_over("s", "p80", 2021) is None  # before the first decision
    assert cat.layers_over("s", "p80", 2023).id == "first"
    assert cat.layers_over("s", "p80", 2024).id == "second"
    assert cat.layers_over("s", "p01", 2024) is None

    def r1(province, year):
        return cat.resolve("s", province, year).indicators[0].threshold_for("R1", year).value

    assert (r1("p80", 2023), r1("p80", 2024), r1("p01", 2024), r1("", 2024)) == (65, 75, 60, 60)


def test_a_layer_over_a_layer_is_composed_in_order_and_named_from_the_top():
    cat = with_layers(layer(RAISE_R1.format(v=65)),
                      layer(RAISE_R1.format(v=99), layer_id="demo", base="prov", demo=True))

    cset = cat.resolve("s", "p80", 2024)

    assert cset.id == "s" and [ref.id for ref in cset.layers] == ["prov", "demo"] and cset.demo
    assert cset.indicators[0].threshold_for("R1", 2024).value == Decimal(99)
    assert cat.describe(cset, "en") == ("Long An 8151/QĐ-UBND (demo), on top of Long An 8151/QĐ-UBND, "
                                        "on top of 1/QĐ-TTg")
    assert cat.resolve("s", "p80", 2024) is cset  # resolved once per province and year
    assert not cat.resolve("s", "", 2024).demo


def test_provinces_with_layers_follow_layers_over_layers():
    cat = with_layers(layer("thresholds: []\n"),
                      layer("thresholds: []\n", layer_id="tinh2", base="prov",
                            provinces="[{key: p86, name: Vĩnh Long}]"))

    assert cat.provinces_with_layers("s") == frozenset({"p80", "p86"})
    assert cat.provinces_with_layers("prov") == frozenset({"p86"})
    assert cat.provinces_with_layers("khac") == frozenset()


def test_describe_names_an_unknown_document_by_its_id():
    cat = with_layers()
    cset = cat.get("s")

    assert cat.describe(cset) == "1/QĐ-TTg"
    assert type(cat)(sets=cat.sets).describe(cset) == "DOC"  # a catalog without its documents
