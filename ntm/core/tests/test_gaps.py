"""The gap listing: missing and provisional thresholds and provisional sources, with their documents."""

from __future__ import annotations

from pathlib import Path

import pytest

from ntm.core.gaps import GapKind, find_gaps, render
from ntm.core.loader import load_catalog

from .catalogs import catalog

CATALOG_DIR = Path(__file__).resolve().parents[3] / "catalog"
OFF = 'status: official, document: DOC, urls: ["https://example.org/doc"]'


def one_criterion(indicator_source: str, thresholds: str, criterion_source: str = f"source: {{{OFF}}}") -> str:
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
      comparison: ">="
      source: {{{indicator_source}}}
      years: [2023, 2024]
      thresholds: {thresholds}
"""


@pytest.mark.parametrize(
    ("criterion", "expected"),
    [
        (one_criterion(OFF, f"[{{scope: '*', value: 80, {OFF}}}]"), []),
        (one_criterion(OFF, "[{scope: '*', value: null, document: DOC, note: 'PL I'}]"),
         [(GapKind.MISSING_THRESHOLD, "1", "1.1", "*", None, "missing", "1/QĐ-TTg")]),
        (one_criterion(OFF, "[{scope: R1, year: 2023, value: 62, status: provisional, note: demo},"
                            " {scope: '*', value: null, note: 'PL I'}]"),
         [(GapKind.PROVISIONAL_THRESHOLD, "1", "1.1", "R1", 2023, "provisional", "1/QĐ-TTg"),
          (GapKind.MISSING_THRESHOLD, "1", "1.1", "*", None, "missing", "1/QĐ-TTg")]),
        (one_criterion("status: provisional, note: guessed", f"[{{scope: '*', value: 80, {OFF}}}]",
                       "source: {status: provisional, note: unconfirmed}"),
         [(GapKind.PROVISIONAL_CRITERION, "1", "", "", None, "provisional", "1/QĐ-TTg"),
          (GapKind.PROVISIONAL_INDICATOR, "1", "1.1", "", None, "provisional", "1/QĐ-TTg")]),
    ],
    ids=[
        "an official, complete indicator has no gap",
        "a null threshold is a missing official value, with its document",
        "a provisional threshold is listed, its document taken from the set when it names none",
        "provisional criterion and indicator sources are listed",
    ],
)
def test_gaps_are_found_with_the_document_to_take_them_from(criterion, expected):
    gaps = find_gaps(catalog(criterion))
    assert [(g.kind, g.criterion, g.indicator, g.scope, g.year, g.status, g.document and g.document.number)
            for g in gaps] == expected


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("vi", "s · tiêu chí 1 · chỉ tiêu 1.1 · ngưỡng vùng/nhóm R1, năm 2023 · tạm tính"
               " · lấy từ: 1/QĐ-TTg (Văn bản thử) — demo"),
        ("en", "s · criterion 1 · indicator 1.1 · threshold scope R1, year 2023 · provisional"
               " · take from: 1/QĐ-TTg (Văn bản thử) — demo"),
    ],
    ids=["a gap reads in Vietnamese", "a gap reads in English"],
)
def test_a_gap_renders_as_one_line(lang, expected):
    cat = catalog(one_criterion(OFF, "[{scope: R1, year: 2023, value: 62, status: provisional, note: demo},"
                                     " {scope: '*', value: null, note: 'PL I'}]"))
    assert render(find_gaps(cat)[0], lang) == expected


def test_the_repository_gaps_can_be_limited_to_one_set():
    cat = load_catalog(CATALOG_DIR)
    gaps = find_gaps(cat, "commune-ntm-2021-2025")
    assert {g.set_id for g in gaps} == {"commune-ntm-2021-2025"}
    income = [g for g in gaps if g.indicator == "10.1"]
    assert [(g.scope, g.year, g.status) for g in income] == [
        ("DBSCL", 2023, "provisional"), ("DBSCL", 2024, "provisional"), ("*", None, "missing")]
    with pytest.raises(KeyError):
        find_gaps(cat, "nope")
