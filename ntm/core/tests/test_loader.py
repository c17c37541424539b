"""The catalog loader: every problem is named with its file, criterion and indicator, all at once;
and the repository's own catalog loads cleanly."""

from __future__ import annotations

from pathlib import Path

import pytest

from ntm.core.catalog import Dimension, UnitKind
from ntm.core.loader import CatalogError, build_catalog, load_catalog

from .catalogs import COMMON, OFFICIAL, set_text

CATALOG_DIR = Path(__file__).resolve().parents[3] / "catalog"
OFF = 'status: official, document: DOC, urls: ["https://example.org/doc"]'
STAR = f"{{scope: '*', value: 80, {OFF}}}"


def indicator(code: str = "1.1", *, unit: str = "%", comparison: str = ">=", source: str = OFFICIAL,
              thresholds: str = f"[{{scope: '*', value: 80, {OFF}}}]", extra: str = "") -> str:
    return f"""\
    - code: "{code}"
      name_vi: "Chỉ tiêu {code}"
      name_en: "Indicator {code}"
      unit: "{unit}"
      comparison: "{comparison}"
      {source}
      thresholds: {thresholds}
      {extra}
"""


def criterion(code: str = "1", indicators: str | None = None, *, source: str = OFFICIAL) -> str:
    return f"""\
- code: "{code}"
  number: 1
  name_vi: "Tiêu chí {code}"
  name_en: "Criterion {code}"
  {source}
  indicators:
{indicators if indicators is not None else indicator(code + ".1")}"""


def problems_of(*files: tuple[str, str]) -> list:
    with pytest.raises(CatalogError) as exc:
        build_catalog(COMMON, list(files))
    return exc.value.problems


def one_problem(text: str, file: str = "s.yaml"):
    found = problems_of((file, text))
    assert len(found) == 1, [p.render("en") for p in found]
    return found[0]


@pytest.mark.parametrize(
    ("criteria", "dimension", "where", "message"),
    [
        (criterion("1", indicator("1.1", extra="colour: red")), "region",
         ("1", "1.1"), 'unknown key "colour"'),
        (criterion("1", indicator("1.1", unit="kg")), "region",
         ("1", "1.1"), 'unit "kg" is not in the unit list'),
        (criterion("1", indicator("1.1", thresholds=f"[{STAR}, {{scope: XX, value: 1, {OFF}}}]")),
         "region", ("1", "1.1"), 'region/group "XX" is not one of the set\'s (R1, R2)'),
        (criterion("1", indicator("1.1", thresholds=f"[{STAR}, {{scope: G9, value: 1, {OFF}}}]")),
         "group", ("1", "1.1"), 'region/group "G9" is not one of the set\'s (G1, G2)'),
        (criterion("1", indicator("1.1", thresholds=f"[{{scope: R1, value: 80, {OFF}}}]")), "region",
         ("1", "1.1"), 'no threshold for region/group "R2"'),
        (criterion("1", indicator("1.1") + indicator("1.1")), "region",
         ("1", "1.1"), 'indicator code "1.1" is duplicated'),
        (criterion("1") + criterion("1", indicator("1.2")), "region",
         ("1", ""), 'criterion code "1" is duplicated'),
        (criterion("1", indicator("1.1", source="source: {status: official}")), "region",
         ("1", "1.1"), "an official source needs its document and the urls where it was read"),
        (criterion("1", source="source: {status: official, document: DOC}"), "region",
         ("1", ""), "an official source needs its document and the urls where it was read"),
        (criterion("1", indicator("1.1", source="source: {status: provisional}")), "region",
         ("1", "1.1"), "a provisional source needs a note saying why"),
        (criterion("1", indicator("1.1", thresholds="[{scope: '*', value: 80, status: provisional}]")), "region",
         ("1", "1.1"), "a provisional source needs a note saying why"),
    ],
    ids=[
        "an unknown key",
        "a unit missing from the common unit list",
        "an unknown region",
        "an unknown commune group",
        "a region without any threshold",
        "a duplicated indicator code",
        "a duplicated criterion code",
        "an official indicator source without document or urls",
        "an official criterion source without urls",
        "a provisional indicator source without a note",
        "a provisional threshold without a note",
    ],
)
def test_each_problem_names_its_file_criterion_and_indicator(criteria, dimension, where, message):
    problem = one_problem(set_text(criteria, dimension=dimension))
    assert (problem.file, problem.criterion, problem.indicator) == ("s.yaml", *where)
    assert message in problem.message_en
    assert problem.message_vi and problem.message_vi != problem.message_en


def test_a_yaml_syntax_error_names_the_file():
    problem = one_problem("id: s\ncriteria: [unclosed\n", file="broken.yaml")
    assert (problem.file, problem.criterion, problem.indicator) == ("broken.yaml", "", "")
    assert "YAML does not parse" in problem.message_en
    assert problem.render("vi").startswith("broken.yaml: YAML không đọc được")


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("vi", 's.yaml, tiêu chí 1, chỉ tiêu 1.1: đơn vị "kg"'),
        ("en", 's.yaml, criterion 1, indicator 1.1: unit "kg"'),
    ],
    ids=["rendered in Vietnamese by default", "rendered in English on request"],
)
def test_a_problem_renders_where_and_what_in_either_language(lang, expected):
    problem = one_problem(set_text(criterion("1", indicator("1.1", unit="kg"))))
    assert problem.render(lang).startswith(expected)


def test_every_problem_of_every_file_is_collected_at_once():
    first = set_text(
        criterion("1", indicator("1.1", unit="kg", extra="colour: red"))
        + criterion("2", indicator("2.1", source="source: {status: provisional}"))
    )
    second = "criteria: [\n"
    found = problems_of(("a.yaml", first), ("b.yaml", second))
    assert [(p.file, p.criterion, p.indicator) for p in found] == [
        ("a.yaml", "1", "1.1"), ("a.yaml", "1", "1.1"), ("a.yaml", "2", "2.1"), ("b.yaml", "", ""),
    ]


def test_a_duplicated_set_id_across_files_is_a_problem():
    text = set_text(criterion("1"))
    found = problems_of(("a.yaml", text), ("b.yaml", text))
    assert [(p.file, p.message_en) for p in found] == [("catalog", 'set id "s" is duplicated')]


def test_a_missing_official_threshold_is_a_null_value_with_its_document():
    null = "[{scope: '*', value: null, document: DOC, note: 'PL I'}]"
    text = set_text(criterion("1", indicator("1.1", thresholds=null)))
    threshold = build_catalog(COMMON, [("s.yaml", text)]).sets[0].indicators[0].thresholds[0]
    assert (threshold.missing, threshold.source.document, threshold.source.note) == (True, "DOC", "PL I")


def test_a_derived_indicator_needs_no_threshold_for_every_region():
    text = set_text(criterion("D1", indicator("D1.1", unit="% số xã", thresholds="[]",
                                               extra="derived: {share_of_communes_meeting: ntm}")),
                    unit_kind="district")
    ind = build_catalog(COMMON, [("s.yaml", text)]).sets[0].indicators[0]
    assert ind.derived is not None and ind.derived.share_of_communes_meeting == "ntm"


EXPECTED_SETS = {
    # id: (unit kind, level, dimension, criteria, indicators)
    "commune-ntm-2021-2025": (UnitKind.COMMUNE, "ntm", Dimension.REGION, 19, 29),
    "commune-ntmnc-2021-2025": (UnitKind.COMMUNE, "ntmnc", Dimension.REGION, 19, 25),
    "commune-model-2021-2025": (UnitKind.COMMUNE, "model", Dimension.REGION, 4, 4),
    "district-ntm-2021-2025": (UnitKind.DISTRICT, "ntm", Dimension.NONE, 14, 19),
    "district-ntmnc-2021-2025": (UnitKind.DISTRICT, "ntmnc", Dimension.NONE, 10, 10),
    "commune-ntm-2026-2030": (UnitKind.COMMUNE, "ntm", Dimension.GROUP, 10, 10),
    "district-special-2021-2025": (UnitKind.DISTRICT, "ntm-special", Dimension.NONE, 7, 11),
}


def test_the_repository_catalog_loads_without_problems():
    catalog = load_catalog(CATALOG_DIR)
    assert {s.id for s in catalog.sets} == set(EXPECTED_SETS)


@pytest.mark.parametrize("set_id", sorted(EXPECTED_SETS))
def test_each_repository_set_has_the_expected_shape(set_id):
    cset = load_catalog(CATALOG_DIR).get(set_id)
    shape = (cset.unit_kind, cset.level, cset.dimension, len(cset.criteria), len(cset.indicators))
    assert shape == EXPECTED_SETS[set_id]


@pytest.mark.parametrize(
    ("set_id", "key_criteria"),
    [
        ("commune-ntm-2021-2025", {"10", "17", "19"}),
        ("district-ntm-2021-2025", {"6", "7", "8", "9"}),
        ("district-ntmnc-2021-2025", {"6", "7", "8", "9"}),
    ],
    ids=["commune: income, environment and food safety, defence and security",
         "district NTM: the criteria of the district revocation rule",
         "district NTMNC: the criteria of the district revocation rule"],
)
def test_the_key_criteria_are_those_named_in_the_revocation_rule(set_id, key_criteria):
    cset = load_catalog(CATALOG_DIR).get(set_id)
    assert {c.code for c in cset.criteria if c.key} == key_criteria


@pytest.mark.parametrize(
    ("unit_kind", "level", "year", "set_id"),
    [
        (UnitKind.COMMUNE, "ntm", 2024, "commune-ntm-2021-2025"),
        (UnitKind.COMMUNE, "ntm", 2026, "commune-ntm-2026-2030"),
        (UnitKind.COMMUNE, "model", 2024, "commune-model-2021-2025"),
        (UnitKind.DISTRICT, "ntmnc", 2024, "district-ntmnc-2021-2025"),
    ],
    ids=["a commune in 2024 is judged on the 318 set", "a commune in 2026 on the 51/2025 set",
         "a model commune on the 319 rules", "an advanced district on the 320 set"],
)
def test_the_set_in_force_is_found_by_kind_level_and_year(unit_kind, level, year, set_id):
    cset = load_catalog(CATALOG_DIR).set_for(unit_kind, level, year)
    assert cset is not None and cset.id == set_id


def test_a_yaml_syntax_error_in_the_common_file_is_a_problem_too():
    with pytest.raises(CatalogError) as exc:
        build_catalog("documents: [\n", [("s.yaml", set_text(criterion("1")))])
    files = {p.file for p in exc.value.problems}
    assert "_common.yaml" in files
    assert any("YAML does not parse" in p.message_en for p in exc.value.problems if p.file == "_common.yaml")
