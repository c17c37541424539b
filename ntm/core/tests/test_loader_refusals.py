"""The catalog loader's refusals not covered in test_loader.py: each mistake an editor can make in a set or a
province layer is named with its place and what to write instead, in Vietnamese and English, and never stops
the other problems from being reported."""

from __future__ import annotations

import pytest

from ntm.core.loader import CatalogError, build_catalog

from .catalogs import COMMON, OFFICIAL, set_text
from .test_layers import NATIONAL, layer

OFF = 'status: official, document: DOC, urls: ["https://example.org/doc"]'


def indicator(code: str = "1.1", *, comparison: str = ">=", thresholds: str = f"[{{scope: '*', value: 80, {OFF}}}]",
              extra: str = "", source: str = OFFICIAL) -> str:
    return f"""\
    - code: "{code}"
      name_vi: "Chỉ tiêu {code}"
      name_en: "Indicator {code}"
      unit: "%"
      comparison: "{comparison}"
      {source}
      thresholds: {thresholds}
      {extra}
"""


def criterion(indicators: str, *, extra: str = "", name_vi: str = '"Thu nhập"') -> str:
    return f"""\
- code: "1"
  number: 1
  name_vi: {name_vi}
  name_en: "Income"
  {OFFICIAL}
  {extra}
  indicators:
{indicators}"""


def problems_of(*files: tuple[str, str]) -> list:
    with pytest.raises(CatalogError) as caught:
        build_catalog(COMMON, list(files))
    return caught.value.problems


def only(files: list[tuple[str, str]]):
    found = problems_of(*files)
    assert len(found) == 1, [p.render("en") for p in found]
    return found[0]


@pytest.mark.parametrize(
    ("criteria", "where", "message_en", "message_vi"),
    [
        (criterion(indicator(comparison="met")), ("1", "1.1"),
         "a met/not-met indicator takes no numeric threshold", "chỉ tiêu Đạt/Không đạt không có ngưỡng số"),
        (criterion(indicator(comparison="≥")), ("1", "1.1"),
         'comparison "≥" is invalid (>=, <=, =, met)', 'phép so sánh "≥" không hợp lệ'),
        (criterion(indicator(extra="department: kho_bac")), ("1", "1.1"),
         'department "kho_bac" is not in _common.yaml', 'phòng/ngành "kho_bac" không có trong _common.yaml'),
        (criterion(indicator(thresholds=f"[{{scope: '*', year: 'năm 2024', value: 80, {OFF}}}]")), ("1", "1.1"),
         'year "năm 2024" is not a year', 'năm "năm 2024" không phải là số năm'),
        (criterion(indicator(thresholds=f"[{{scope: '*', value: 'tám mươi', {OFF}}}]")), ("1", "1.1"),
         'threshold "tám mươi" is not a number', 'ngưỡng "tám mươi" không phải là số'),
        (criterion(indicator(thresholds=f"[{{scope: R1, value: 80, {OFF}}}, {{scope: R1, value: 70, {OFF}}},"
                                        f" {{scope: R2, value: 60, {OFF}}}]")), ("1", "1.1"),
         'duplicate threshold for "R1" year None', 'ngưỡng trùng cho "R1"'),
        (criterion(indicator(thresholds="[{scope: '*', value: null, document: QD-KHONG-CO}]")), ("1", "1.1"),
         'document "QD-KHONG-CO" is not in _common.yaml', 'văn bản "QD-KHONG-CO" không có trong _common.yaml'),
        (criterion(indicator(source="source: {status: chính thức, document: DOC, urls: [u]}")),
         ("1", "1.1"),
         'source status "chính thức" is invalid (official or provisional)',
         'trạng thái nguồn "chính thức" không hợp lệ'),
        (criterion(indicator(source="")), ("1", "1.1"), "source is missing", "thiếu nguồn (source)"),
        (criterion(indicator(), name_vi='""'), ("1", ""), '"name_vi" is missing', 'thiếu "name_vi"'),
        (criterion("    [80]\n"), ("1", ""), 'each indicator must be a mapping of keys to values, not "80"',
         'mỗi chỉ tiêu phải là một bảng khóa: giá trị, không phải "80"'),
        (criterion("    []\n"), ("1", ""), "the criterion has no indicator", "tiêu chí không có chỉ tiêu nào"),
        (criterion(indicator(), extra='alternatives: [["1.1", "1.9"]]'), ("1", ""),
         'alternative names indicator "1.9", which is not in the criterion',
         'phương án thay thế nhắc chỉ tiêu "1.9" không thuộc tiêu chí'),
    ],
    ids=[
        "a met/not-met indicator with a number",
        "a comparison sign the loader does not know (and nothing more about its criterion)",
        "a department missing from the common file",
        "a year written as words",
        "a threshold written in words",
        "two thresholds for the same region and year",
        "a blank threshold citing an unknown document",
        "a source status in Vietnamese, without a note (named once, not also as a provisional source)",
        "an indicator without a source",
        "a criterion without its Vietnamese name",
        "a bare number where the indicators belong",
        "a criterion without indicators",
        "an alternative naming an indicator of another criterion",
    ],
)
def test_a_mistake_in_a_set_is_named_where_it_is_in_both_languages(criteria, where, message_en, message_vi):
    problem = only([("s.yaml", set_text(criteria))])

    assert (problem.file, problem.criterion, problem.indicator) == ("s.yaml", *where)
    assert message_en in problem.message_en
    assert message_vi in problem.message_vi


def test_years_are_checked_one_by_one_for_every_region():
    # R1 is given for 2023 only and "*" for 2024 only: R2 has nothing for 2023
    thresholds = f"[{{scope: R1, year: 2023, value: 80, {OFF}}}, {{scope: '*', year: 2024, value: 70, {OFF}}}]"

    problem = only([("s.yaml", set_text(criterion(indicator(thresholds=thresholds, extra="years: [2023, 2024]"))))])

    assert problem.render("en").startswith('s.yaml, criterion 1, indicator 1.1: no threshold for region/group "R2" '
                                           "for 2023 (write value: null")
    assert problem.render("vi").startswith('s.yaml, tiêu chí 1, chỉ tiêu 1.1: thiếu ngưỡng cho vùng/nhóm "R2" năm 2023')


@pytest.mark.parametrize(
    ("old", "new", "message_en"),
    [
        ("effective_from: 2022-03-08", "effective_from: 8/3/2022", "effective_from must be a date (YYYY-MM-DD)"),
        ("dimension: region", "dimension: province",
         "unit_kind (commune|district) or dimension (region|group|none) is invalid"),
        ("unit_kind: commune", "unit_kind: xã", "unit_kind (commune|district) or dimension (region|group|none)"),
        ("document: DOC\n", "document: QD-KHAC\n", 'document "QD-KHAC" is not in _common.yaml'),
        ("dimension: region", "dimension: region\napplies_to: all_districts",
         'applies_to "all_districts" is invalid (empty or without_communes)'),
        ("dimension: region", "dimension: region\ncolour: red", 'unknown key "colour"'),
    ],
    ids=["a date in the Vietnamese order", "an unknown dimension", "a unit kind in Vietnamese",
         "an unknown decision", "an unknown applies_to", "an unknown key at the top"],
)
def test_a_mistake_in_a_set_heading_names_the_file_only(old, new, message_en):
    text = set_text(criterion(indicator()))
    assert old in text

    problem = only([("s.yaml", text.replace(old, new, 1))])

    assert (problem.file, problem.criterion, problem.indicator) == ("s.yaml", "", "")
    assert message_en in problem.message_en


def test_a_file_that_is_a_list_is_refused_as_not_a_mapping():
    problem = only([("s.yaml", "- id: s\n- version: 1\n")])

    assert problem.render("vi") == "s.yaml: tệp phải là một bảng khóa: giá trị"
    assert problem.render("en") == "s.yaml: the file must be a mapping of keys to values"


def test_a_refused_set_does_not_hide_the_problems_of_another_file():
    bad = set_text(criterion(indicator(comparison="met"))).replace("effective_from: 2022-03-08",
                                                                  "effective_from: soon")
    other = set_text(criterion(indicator(extra="department: kho_bac")), set_id="t")

    found = problems_of(("a.yaml", bad), ("b.yaml", other))

    assert [(p.file, p.message_en.split(" (")[0]) for p in found] == [
        ("a.yaml", "a met/not-met indicator takes no numeric threshold"),
        ("a.yaml", "effective_from must be a date"),
        ("b.yaml", 'department "kho_bac" is not in _common.yaml'),
    ]


# --- province layers ---------------------------------------------------------------------------------------

PROV_OFF = 'status: official, document: PROV, urls: ["https://example.org/p"]'


def layer_problems(text: str) -> list[str]:
    return [p.render("en") for p in problems_of(("s.yaml", NATIONAL), ("l.yaml", text))]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (layer("thresholds: []\n", provinces="[{name: Long An}]"),
         ['l.yaml: each province needs its "key" (unit key, e.g. p80) and "name"']),
        (layer(f"thresholds:\n  - {{scope: R1, value: 70, {PROV_OFF}}}\n"),
         ['l.yaml: each layer threshold needs its "indicator"']),
        (layer(f'thresholds:\n  - {{indicator: "1.1", scope: R2, value: 50, {PROV_OFF}}}\n'
               f'  - {{indicator: "1.1", scope: R2, value: 55, {PROV_OFF}}}\n'),
         ['l.yaml, indicator 1.1: duplicate threshold for "R2" year None']),
        (layer("thresholds: []\n", year_from="31/08/2022"),
         ["l.yaml: effective_from must be a date (YYYY-MM-DD)"]),
        (layer("thresholds: []\n").replace("document: PROV\ndocuments:", "document: QD-TINH\ndocuments:"),
         ['l.yaml: document "QD-TINH" is neither in _common.yaml nor in the file\'s "documents"']),
        (layer(f"""\
            indicators:
              - {{code: "1.5", name_vi: "Thêm", name_en: "Added", unit: "%", comparison: ">=",
                  source: {{{PROV_OFF}}}, thresholds: [{{scope: "*", value: 5, {PROV_OFF}}}]}}
            """),
         ['l.yaml, indicator 1.5: an added indicator needs its "criterion"']),
        (layer(f"""\
            indicators:
              - {{criterion: "9", code: "9.1", name_vi: "Thêm", name_en: "Added", unit: "%", comparison: ">=",
                  source: {{{PROV_OFF}}}, thresholds: [{{scope: "*", value: 5, {PROV_OFF}}}]}}
            """),
         ['l.yaml, indicator 9.1: criterion "9" is not in set s']),
    ],
    ids=["a province without its key", "a threshold without its indicator", "two thresholds for one region",
         "a date in the Vietnamese order", "a decision neither shared nor declared",
         "an added indicator without its criterion", "an added indicator under an unknown criterion"],
)
def test_a_mistake_in_a_province_layer_is_named(text, expected):
    assert layer_problems(text) == expected


def test_a_document_declared_differently_by_two_layers_is_a_problem():
    first = layer("thresholds: []\n", layer_id="a")
    second = layer("thresholds: []\n", layer_id="b").replace('number: "8151/QĐ-UBND"', 'number: "8152/QĐ-UBND"')

    found = problems_of(("s.yaml", NATIONAL), ("a.yaml", first), ("b.yaml", second))

    assert [p.render("vi") for p in found] == ['b.yaml: văn bản "PROV" đã được khai báo khác']
    assert found[0].message_en == 'document "PROV" is declared differently elsewhere'


def test_two_layers_may_declare_the_same_document_identically():
    first = layer("thresholds: []\n", layer_id="a")
    second = layer("thresholds: []\n", layer_id="b", provinces="[{key: p86, name: Vĩnh Long}]")

    cat = build_catalog(COMMON, [("s.yaml", NATIONAL), ("a.yaml", first), ("b.yaml", second)])

    assert [x.id for x in cat.layers] == ["a", "b"]
    assert cat.documents["PROV"].number == "8151/QĐ-UBND"


def test_a_layer_province_without_a_name_is_named_by_its_key():
    cat = build_catalog(COMMON, [("s.yaml", NATIONAL), ("l.yaml", layer("thresholds: []\n",
                                                                        provinces="[{key: p80}]"))])

    assert cat.layers[0].provinces == ("p80",)
    assert cat.layers[0].province_names == ("p80",)


@pytest.mark.parametrize(
    ("criteria", "expected"),
    [
        (criterion(indicator(thresholds="[80]")),
         ('s.yaml, criterion 1, indicator 1.1: each threshold must be a mapping of keys to values, not "80"',
          's.yaml, tiêu chí 1, chỉ tiêu 1.1: mỗi ngưỡng phải là một bảng khóa: giá trị, không phải "80"')),
        (criterion('    ["1.1"]\n'),
         ('s.yaml, criterion 1: each indicator must be a mapping of keys to values, not "1.1"',
          's.yaml, tiêu chí 1: mỗi chỉ tiêu phải là một bảng khóa: giá trị, không phải "1.1"')),
        ('- "Tiêu chí 1"\n',
         ('s.yaml: each criterion must be a mapping of keys to values, not "Tiêu chí 1"',
          's.yaml: mỗi tiêu chí phải là một bảng khóa: giá trị, không phải "Tiêu chí 1"')),
    ],
    ids=["a bare number for a threshold", "a bare code for an indicator", "a bare title for a criterion"],
)
def test_a_bare_value_where_a_table_belongs_is_a_problem_not_a_crash(criteria, expected):
    # a draft pasted in the catalog editor goes through here: a crash would be a server error
    found = problems_of(("s.yaml", set_text(criteria)))

    assert found[0].render("en") == expected[0]
    assert found[0].render("vi") == expected[1]


def test_a_year_written_as_yes_is_not_the_year_1():
    thresholds = f"[{{scope: '*', year: yes, value: 80, {OFF}}}]"

    problem = only([("s.yaml", set_text(criterion(indicator(thresholds=thresholds))))])

    assert problem.message_en == 'year "True" is not a year'


def test_a_bare_value_among_a_layer_criteria_is_a_problem_not_a_crash():
    found = layer_problems(layer("criteria: [\"1\"]\n"))

    assert found == ['l.yaml: each criterion must be a mapping of keys to values, not "1"']


def test_a_lone_value_where_a_list_belongs_is_a_list_of_one():
    # editors write `urls: https://…` for one address: it must stay one address, not its letters
    one_url = 'source: {status: official, document: DOC, urls: "https://example.org/doc"}'
    cat = build_catalog(COMMON, [("s.yaml", set_text(criterion(indicator(source=one_url, extra="years: 2024"))))])
    [ind] = cat.sets[0].indicators

    assert ind.source.urls == ("https://example.org/doc",)
    assert ind.threshold_for("R1", 2024).value == 80

    cat = build_catalog(COMMON, [("s.yaml", NATIONAL), ("l.yaml", layer('remove_indicators: "2.1"\n'))])
    assert cat.layers[0].removed == ("2.1",)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (layer("thresholds: 5\n"), ['l.yaml: each layer threshold needs its "indicator"']),
        (layer("remove_indicators: 9\n"), ['l.yaml, indicator 9: cannot remove indicator "9": it is not in set s']),
        (layer("thresholds: []\n", provinces='"p80"'),
         ['l.yaml: each province needs its "key" (unit key, e.g. p80) and "name"']),
    ],
    ids=["a number for the thresholds", "a number for the removals", "a province written as its key alone"],
)
def test_a_lone_value_in_a_layer_is_one_named_problem_not_a_crash(text, expected):
    assert layer_problems(text) == expected


def test_a_lone_alternative_is_checked_like_a_list():
    problem = only([("s.yaml", set_text(criterion(indicator(), extra="alternatives: 5")))])

    assert problem.message_en == 'alternative names indicator "5", which is not in the criterion'
