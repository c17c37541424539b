"""The workflow's reference data (`ntm.workflow.reference`): the hard-criteria list checked against the catalog,
every unknown set or code named at once, and the catalog's district departments in the reader's language."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.utils import translation

from ntm.workflow.reference import (
    HARD_CRITERIA_FILE,
    department_name,
    departments,
    read_hard_criteria,
)


def test_the_repository_list_names_criteria_of_sets_in_the_catalog(db):
    hard = read_hard_criteria(HARD_CRITERIA_FILE)

    assert hard["commune-ntm-2021-2025"] == frozenset({"1", "10", "13", "15"})  # health insurance is 15 there
    assert hard["commune-ntmnc-2021-2025"] == frozenset({"1", "10", "13", "14"})  # and 14 in NTMNC


def test_every_unknown_set_or_code_is_named_at_once(db, tmp_path):
    path = tmp_path / "hard.yaml"
    path.write_text('sets:\n  commune-ntm-2021-2025: ["10", "99", 1]\n  commune-ntm-1999: ["1"]\n'
                    '  commune-ntm-2026-2030: ["Quy hoạch"]\n', encoding="utf-8")

    with pytest.raises(ImproperlyConfigured) as caught:
        read_hard_criteria(path)

    assert str(caught.value).split("; ") == [
        "hard.yaml: commune-ntm-2021-2025: tiêu chí '99' không có trong bộ",
        "hard.yaml: bộ tiêu chí 'commune-ntm-1999' không có trong danh mục",
        "hard.yaml: commune-ntm-2026-2030: tiêu chí 'Quy hoạch' không có trong bộ",
    ]


def test_codes_written_as_numbers_are_read_as_codes_and_an_empty_file_is_empty(db, tmp_path):
    path = tmp_path / "hard.yaml"
    path.write_text("sets:\n  commune-ntm-2021-2025: [1, 10]\n", encoding="utf-8")
    assert read_hard_criteria(path) == {"commune-ntm-2021-2025": frozenset({"1", "10"})}

    path.write_text("", encoding="utf-8")
    assert read_hard_criteria(path) == {}


def test_departments_are_named_in_the_readers_language_and_an_unknown_code_by_itself():
    with translation.override("vi"):
        vi = dict(departments())
    with translation.override("en"):
        en = dict(departments())

    assert vi and set(vi) == set(en)
    assert any(vi[code] != en[code] for code in vi)
    code = next(iter(vi))
    with translation.override("vi"):
        assert department_name(code) == vi[code]
        assert department_name("khong-co") == "khong-co"
