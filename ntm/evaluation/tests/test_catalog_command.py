"""`ntm catalog check` and `ntm catalog gaps` on the repository catalog and on broken copies of it."""

from __future__ import annotations

import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command


def run(*args: str) -> str:
    out = StringIO()
    call_command("catalog", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def catalog_copy(tmp_path: Path) -> Path:
    shutil.copy(Path(settings.CATALOG_DIR) / "_common.yaml", tmp_path / "_common.yaml")
    shutil.copy(Path(settings.CATALOG_DIR) / "commune-model-2021-2025.yaml", tmp_path / "model.yaml")
    return tmp_path


def test_check_reports_the_repository_catalog_ok_with_its_counts():
    assert run("check").strip() == "OK: 6 sets, 76 criteria, 96 indicators"


def test_check_accepts_another_folder(catalog_copy):
    assert run("check", "--dir", str(catalog_copy)).strip() == "OK: 1 sets, 4 criteria, 4 indicators"


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


def test_gaps_list_the_income_threshold_of_the_ntmnc_set_with_its_document():
    lines = run("gaps", "--set", "commune-ntmnc-2021-2025").splitlines()
    income = [line for line in lines if "chỉ tiêu 10.1" in line and "thiếu số chính thức" in line]
    assert len(income) == 1
    assert income[0].startswith("commune-ntmnc-2021-2025 · tiêu chí 10 · chỉ tiêu 10.1")
    assert "318/QĐ-TTg (Ban hành Bộ tiêu chí quốc gia về xã nông thôn mới" in income[0]
    assert all(line.startswith("commune-ntmnc-2021-2025") for line in lines[:-1])


def test_gaps_end_with_a_count_line_in_the_chosen_language():
    lines = run("gaps", "--lang", "en").splitlines()
    assert lines[-1] == f"Total: {len(lines) - 1} missing or provisional items"
    assert any("indicator 10.1 · threshold scope DBSCL, year 2023 · provisional" in line for line in lines)


def test_gaps_refuse_an_unknown_set():
    with pytest.raises(CommandError, match="nope"):
        run("gaps", "--set", "nope")
