"""The gap listing: missing and provisional thresholds and provisional sources, with their documents,
counted as lines and as values (indicator × region or group × year), per set, per province layer and
per province."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from ntm.core.gaps import (
    GapKind,
    find_gaps,
    number,
    render,
    set_years,
    summarize,
    summary_json,
    summary_lines,
    total_line,
)
from ntm.core.loader import build_catalog, load_catalog

from .catalogs import COMMON, catalog, numeric, set_text

CATALOG_DIR = Path(__file__).resolve().parents[3] / "catalog"
OFF = 'status: official, document: DOC, urls: ["https://example.org/doc"]'
PERIOD = "s-2021-2025"  # a set id naming its period: 2022 (effective_from) to 2025, four years


def one_criterion(indicator_source: str, thresholds: str, criterion_source: str = f"source: {{{OFF}}}",
                  comparison: str = ">=") -> str:
    return f"""\
- code: "1"
  number: 1
  name_vi: "Tiêu chí 1"
  name_en: "Criterion 1"
  {criterion_source}
  indicators:
    - code: "1.1"
      name_vi: "Chỉ tiêu"
      name_en: "Indicator"
      unit: "%"
      comparison: "{comparison}"
      source: {{{indicator_source}}}
      years: [2023, 2024]
      thresholds: {thresholds}
"""


NULL_ALL = "{scope: '*', value: null, document: DOC, note: 'PL I'}"
PROVISIONAL_R1_2023 = "{scope: R1, year: 2023, value: 62, status: provisional, note: demo}"


@pytest.mark.parametrize(
    ("criterion", "expected"),
    [
        (one_criterion(OFF, f"[{{scope: '*', value: 80, {OFF}}}]"), []),
        (one_criterion(OFF, f"[{NULL_ALL}]"),
         [(GapKind.MISSING_THRESHOLD, "1", "1.1", "*", None, "missing", "1/QĐ-TTg", 8)]),
        (one_criterion(OFF, f"[{PROVISIONAL_R1_2023}, {NULL_ALL}]"),
         [(GapKind.PROVISIONAL_THRESHOLD, "1", "1.1", "R1", 2023, "provisional", "1/QĐ-TTg", 1),
          (GapKind.MISSING_THRESHOLD, "1", "1.1", "*", None, "missing", "1/QĐ-TTg", 7)]),
        (one_criterion(OFF, f"[{{scope: R1, value: 60, {OFF}}}, {NULL_ALL}]"),
         [(GapKind.MISSING_THRESHOLD, "1", "1.1", "*", None, "missing", "1/QĐ-TTg", 4)]),
        (one_criterion("status: provisional, note: guessed", f"[{{scope: '*', value: 80, {OFF}}}]",
                       "source: {status: provisional, note: unconfirmed}"),
         [(GapKind.PROVISIONAL_CRITERION, "1", "", "", None, "provisional", "1/QĐ-TTg", 0),
          (GapKind.PROVISIONAL_INDICATOR, "1", "1.1", "", None, "provisional", "1/QĐ-TTg", 0)]),
    ],
    ids=[
        "an official, complete indicator has no gap",
        "a null line for every region and year stands for 2 regions × 4 years = 8 values",
        "a provisional line decides 1 value, the null line the 7 others; the set's document when none is named",
        "a null line under an official regional line stands for the other region's 4 values only",
        "provisional criterion and indicator sources are listed (no values)",
    ],
)
def test_gaps_are_found_with_their_document_and_the_values_they_stand_for(criterion, expected):
    gaps = find_gaps(catalog(criterion, set_id=PERIOD))
    assert [(g.kind, g.criterion, g.indicator, g.scope, g.year, g.status, g.document and g.document.number, g.values)
            for g in gaps] == expected


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("vi", f"{PERIOD} · tiêu chí 1 · chỉ tiêu 1.1 · ngưỡng vùng/nhóm R1, năm 2023 · tạm tính (1 giá trị)"
               " · lấy từ: 1/QĐ-TTg (Văn bản thử) — demo"),
        ("en", f"{PERIOD} · criterion 1 · indicator 1.1 · threshold scope R1, year 2023 · provisional (1 values)"
               " · take from: 1/QĐ-TTg (Văn bản thử) — demo"),
    ],
    ids=["a gap reads in Vietnamese", "a gap reads in English"],
)
def test_a_gap_renders_as_one_line(lang, expected):
    cat = catalog(one_criterion(OFF, f"[{PROVISIONAL_R1_2023}, {NULL_ALL}]"), set_id=PERIOD)
    assert render(find_gaps(cat)[0], lang) == expected


def test_a_missing_line_reads_with_its_value_count():
    cat = catalog(one_criterion(OFF, f"[{NULL_ALL}]"), set_id=PERIOD)
    assert "· ngưỡng mọi vùng/nhóm, mọi năm · thiếu số chính thức (8 giá trị) ·" in render(find_gaps(cat)[0])
    assert "· threshold every scope, every year · official value missing (8 values) ·" in render(
        find_gaps(cat)[0], "en")


def test_large_counts_use_the_languages_thousands_separator():
    assert (number(1680), number(1680, "en"), number(28)) == ("1.680", "1,680", "28")


@pytest.mark.parametrize(
    ("set_id", "effective_to", "expected"),
    [
        ("s-2021-2025", "null", (2022, 2023, 2024, 2025)),
        ("s", "null", (2022, 2023, 2024, 2025, 2026)),
        ("s-2021-2025", "2023-12-31", (2022, 2023)),
    ],
    ids=["to the end of the period its id names", "five years when nothing says",
         "to the year of effective_to"],
)
def test_the_years_a_set_is_in_force(set_id, effective_to, expected):
    text = set_text(numeric("1", ">=", f"[{NULL_ALL}]"), set_id=set_id).replace(
        "dimension:", f"effective_to: {effective_to}\ndimension:")
    cat = build_catalog(COMMON, [("s.yaml", text)])
    assert set_years(cat, cat.get(set_id)) == expected


def test_an_open_set_ends_the_year_before_the_next_set_of_its_kind_and_level():
    old = set_text(numeric("1", ">=", f"[{NULL_ALL}]"), set_id="old-2021-2030")
    new = set_text(numeric("1", ">=", f"[{NULL_ALL}]"), set_id="new-2026-2030").replace(
        "effective_from: 2022-03-08", "effective_from: 2026-02-15")
    other_level = set_text(numeric("1", ">=", f"[{NULL_ALL}]"), set_id="nc-2021-2025", level="ntmnc")
    cat = build_catalog(COMMON, [("a.yaml", old), ("b.yaml", new), ("c.yaml", other_level)])
    assert set_years(cat, cat.get("old-2021-2030")) == (2022, 2023, 2024, 2025)
    assert set_years(cat, cat.get("new-2026-2030")) == (2026, 2027, 2028, 2029, 2030)
    assert set_years(cat, cat.get("nc-2021-2025"))[-1] == 2025


def test_a_set_counts_its_values_by_status_and_leaves_verdict_indicators_out():
    criteria = (numeric("1", ">=", f"[{{scope: R1, value: 60, {OFF}}}, {PROVISIONAL_R1_2023}, {NULL_ALL}]")
                + numeric("2", "<=", f"[{{scope: '*', value: 5, {OFF}}}]")
                + one_criterion(OFF, "[]", comparison="met").replace('code: "1"', 'code: "3"')
                .replace('"1.1"', '"3.1"'))
    [summary] = summarize(catalog(criteria, set_id=PERIOD))
    values = summary.values
    # 1.1: R1 three official years + one provisional (2023), R2 four missing; 2.1: eight official
    assert (values.official, values.provisional, values.missing, values.demo, values.total) == (11, 1, 4, 0, 16)
    assert (summary.lines, summary.verdicts, summary.years) == (2, 1, (2022, 2023, 2024, 2025))


@pytest.mark.parametrize(
    ("dimension", "expected_total"),
    [("none", 4), ("group", 8)],
    ids=["a set without regions has one value a year", "a set by commune group has one per group and year"],
)
def test_values_follow_the_sets_dimension(dimension, expected_total):
    [summary] = summarize(catalog(numeric("1", ">=", f"[{NULL_ALL}]"), set_id=PERIOD, dimension=dimension))
    assert (summary.values.total, summary.values.missing) == (expected_total, expected_total)


# --- province layers ------------------------------------------------------------------------------------

NATIONAL = set_text(
    numeric("1", ">=", f"[{{scope: R1, value: 60, {OFF}}}, {{scope: R2, value: null, document: DOC}}]")
    + numeric("2", ">=", "[{scope: '*', value: null, document: DOC}]"), set_id=PERIOD)
PROV = 'status: official, document: PROV, urls: ["https://example.org/p"]'


def layer(body: str, *, layer_id: str = "prov", base: str = PERIOD, demo: bool = False,
          year_from: str = "2022-08-31", provinces: str = "[{key: p80, name: Long An}]") -> str:
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
          - {{id: PROV, number: "8151/QĐ-UBND", title_vi: "Bộ tiêu chí tỉnh", signed: 2022-08-31,
              urls: ["https://example.org/p"]}}
        effective_from: {year_from}
        demo: {"true" if demo else "false"}
        source: {{{PROV}}}
        """)
    return head + textwrap.dedent(body)


def with_layers(*layers: str):
    return build_catalog(COMMON, [("s.yaml", NATIONAL)] + [(f"l{i}.yaml", t) for i, t in enumerate(layers)])


FILLS_R2 = f"""\
thresholds:
  - {{indicator: "1.1", scope: R2, value: 50, {PROV}}}
  - {{indicator: "1.1", scope: R1, value: null, document: PROV, note: "not transcribed"}}
  - {{indicator: "2.1", scope: "*", value: null, document: PROV, note: "PL 2 of 8151"}}
"""


def test_a_layer_counts_its_own_null_lines_the_values_it_fills_and_what_is_still_missing():
    cat = with_layers(layer(FILLS_R2))
    [summary] = summarize(cat)
    assert (summary.values.official, summary.values.missing) == (4, 12)  # the national set alone
    [ls] = summary.layers
    assert ls.years == (2022, 2023, 2024, 2025) and ls.filled == 4  # R2 × 4 years of 1.1
    assert (ls.values.official, ls.values.missing) == (8, 8)  # 1.1 everywhere; 2.1 still blank
    assert [(g.layer, g.indicator, g.scope, g.values, g.document.number) for g in ls.gaps] == [
        ("prov", "1.1", "R1", 0, "8151/QĐ-UBND"),  # the national 60 still applies: nothing missing there
        ("prov", "2.1", "*", 8, "8151/QĐ-UBND"),
    ]
    assert render(ls.gaps[1]).startswith(f"{PERIOD} [prov] · tiêu chí 2 · chỉ tiêu 2.1 · ngưỡng mọi vùng/nhóm")


def test_a_province_counts_the_set_resolved_for_it_year_by_year():
    cat = with_layers(layer(FILLS_R2, year_from="2024-01-01"))
    [summary] = summarize(cat)
    [p] = summary.provinces
    assert (p.key, p.name) == ("p80", "Long An")
    # official: 2022, 2023 national (1.1 in R1 only), 2024, 2025 with the layer (1.1 in R1 and R2)
    assert (p.values.official, p.values.missing, p.values.total) == (1 + 1 + 2 + 2, 16 - 6, 16)
    assert [years for years, _cset in p.rests_on] == [(2022, 2023), (2024, 2025)]
    assert [cat.describe(cset) for _y, cset in p.rests_on] == ["1/QĐ-TTg", "Long An 8151/QĐ-UBND, trên nền 1/QĐ-TTg"]
    [ls] = summary.layers
    assert ls.years == (2024, 2025) and ls.filled == 2


def test_one_province_asked_shows_only_its_layers_even_without_any():
    cat = with_layers(layer(FILLS_R2))
    [other] = summarize(cat, province="p01", province_name="Bến Tre")
    assert other.layers == [] and [(p.key, p.name, p.values.official) for p in other.provinces] == [
        ("p01", "Bến Tre", 4)]
    [theirs] = summarize(cat, province="p80")
    assert [ls.layer.id for ls in theirs.layers] == ["prov"] and theirs.provinces[0].values.official == 8


def test_a_demo_layer_over_the_province_layer_counts_demo_values():
    demo = layer(f'thresholds:\n  - {{indicator: "2.1", scope: "*", value: 95, {PROV}}}\n',
                 layer_id="demo", base="prov", demo=True)
    cat = with_layers(layer(FILLS_R2), demo)
    [summary] = summarize(cat)
    by_id = {ls.layer.id: ls for ls in summary.layers}
    assert (by_id["demo"].values.demo, by_id["demo"].filled, by_id["demo"].gaps) == (8, 8, [])
    [p] = summary.provinces
    assert (p.values.official, p.values.demo, p.values.missing) == (8, 8, 0)
    assert summary.values.demo == 0  # the national set holds no demo value


def test_the_summary_reads_in_both_languages_and_as_data():
    cat = with_layers(layer(FILLS_R2))
    [summary] = summarize(cat)
    vi = summary_lines(cat, summary, "vi", communes_without_group=257)
    assert vi[0] == (f"{PERIOD}: 2 dòng thiếu hoặc tạm tính; 16 giá trị (2 vùng × 4 năm 2022–2025 × 2 chỉ tiêu"
                     " định lượng): 4 chính thức, 12 thiếu, 0 tạm tính, 0 minh họa; 0 chỉ tiêu đánh giá Đạt/Không đạt")
    assert vi[1].startswith("  lớp prov (Long An 8151/QĐ-UBND, trên nền 1/QĐ-TTg; 2022–2025): 2 dòng thiếu")
    assert "điền 4 giá trị; sau lớp: 8 chính thức, 8 thiếu" in vi[1]
    assert vi[2].startswith("  tỉnh Long An (p80): 8 chính thức, 8 thiếu, 0 tạm tính, 0 minh họa trên 16 giá trị")
    assert vi[3] == "  257 xã chưa có nhóm (nhóm 1/2/3)"
    en = summary_lines(cat, summary, "en")
    assert "16 values (2 regions × 4 years 2022–2025 × 2 numeric indicators): 4 official, 12 missing" in en[0]
    assert "fills 4 values; after it: 8 official, 8 missing" in en[1] and len(en) == 3
    assert total_line([summary]) == "Tổng cộng: 4 dòng thiếu hoặc tạm tính; 12 giá trị thiếu, 0 tạm tính, 0 minh họa"
    data = summary_json(cat, summary, "en", communes_without_group=3)
    assert {k: data[k] for k in ("set", "lines", "values_total", "values_official", "values_missing",
                                 "values_demo", "communes_without_group")} == {
        "set": PERIOD, "lines": 2, "values_total": 16, "values_official": 4, "values_missing": 12,
        "values_demo": 0, "communes_without_group": 3}
    [lj] = data["layers"]
    assert (lj["id"], lj["lines"], lj["values_filled"], lj["values_missing"], lj["rests_on"]) == (
        "prov", 2, 4, 8, "Long An 8151/QĐ-UBND, on top of 1/QĐ-TTg")
    assert lj["gaps"][1]["document"]["number"] == "8151/QĐ-UBND" and lj["gaps"][1]["values"] == 8
    assert data["provinces"][0]["rests_on"][0]["years"] == [2022, 2023, 2024, 2025]


def test_the_repository_gaps_can_be_limited_to_one_set_and_count_the_income_values():
    cat = load_catalog(CATALOG_DIR)
    gaps = find_gaps(cat, "commune-ntmnc-2021-2025")
    assert {g.set_id for g in gaps} == {"commune-ntmnc-2021-2025"}
    cset = cat.get("commune-ntmnc-2021-2025")
    income = [g for g in gaps if g.indicator == "10.1" and g.is_threshold]
    # every income value (7 regions × the set's years) is decided by exactly one line, official or not
    cells = len(cset.scopes) * len(set_years(cat, cset))
    official = sum(1 for s in cset.scopes for y in set_years(cat, cset)
                   if (t := next(i for i in cset.indicators if i.code == "10.1").threshold_for(s, y)) is not None
                   and t.value is not None and not t.source.provisional)
    assert cells == 28 and sum(g.values for g in income) == cells - official
    with pytest.raises(KeyError):
        find_gaps(cat, "nope")
