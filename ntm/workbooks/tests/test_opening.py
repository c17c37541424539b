"""Opening an uploaded workbook and writing cells safely, as the person uploading or downloading meets them: an
empty file, something that is not .xlsx, a damaged or truncated one, each refused in plain words in both
languages; a sound one opened; problems located by sheet, row and column; formula-like text kept as text."""

from __future__ import annotations

import csv
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from openpyxl import Workbook, load_workbook

from ntm.workbooks.forms import MAX_BYTES, UploadForm
from ntm.workbooks.opening import CellError, WorkbookUnreadable, open_workbook, text
from ntm.workbooks.safe_cells import csv_row, is_formula_like, protect_workbook


def xlsx(rows: list[list]) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "Số liệu"
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def refusal(data: bytes, lang: str = "vi") -> str:
    with translation.override(lang), pytest.raises(WorkbookUnreadable) as refused:
        open_workbook(data)
    return str(refused.value)


def test_a_sound_workbook_opens_with_its_values():
    wb = open_workbook(xlsx([["Mã", "Giá trị"], ["10.1", 58.5]]))
    assert [list(r) for r in wb["Số liệu"].iter_rows(values_only=True)] == [["Mã", "Giá trị"], ["10.1", 58.5]]


@pytest.mark.parametrize(("lang", "message"), [
    ("vi", "Tệp rỗng. Hãy chọn tệp Excel (.xlsx) đã tải từ trang này."),
    ("en", "The file is empty. Choose the Excel file (.xlsx) downloaded from this page."),
])
def test_an_empty_file_is_refused(lang, message):
    assert refusal(b"", lang) == message


@pytest.mark.parametrize("content", [b"Ma,Gia tri\n10.1,58.5\n", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1 old .xls",
                                     b"%PDF-1.7"])
def test_something_else_than_xlsx_is_refused_saying_how_to_save_it(content):
    assert refusal(content, "en") == ("The file is not an Excel file (.xlsx). If you use .xls or .csv, open it in "
                                      "Excel and save it as .xlsx.")
    assert refusal(content).startswith("Tệp không phải là tệp Excel (.xlsx).")


def test_a_truncated_upload_is_refused_as_damaged_or_incomplete():
    data = xlsx([["a"]])
    message = refusal(data[: len(data) // 2], "en")
    assert message.startswith("The Excel file is damaged or was not uploaded completely")


def test_a_zip_that_is_not_a_workbook_is_refused_as_damaged():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("ghi-chu.txt", "không phải Excel")
    message = refusal(out.getvalue(), "en")
    assert "damaged" in message and "cannot be read" in message


@pytest.mark.parametrize(("cell", "shown"), [
    (None, ""), ("  10.1 ", "10.1"), (58.0, "58"), (58.5, "58.5"), (3, "3"), ("Quê Mỹ Thạnh", "Quê Mỹ Thạnh")])
def test_cells_read_as_the_text_a_person_typed(cell, shown):
    assert text(cell) == shown


@pytest.mark.parametrize(("lang", "row", "expected"), [
    ("vi", 12, "Sheet 'Số liệu', dòng 12, cột C: không phải số"),
    ("en", 12, "Sheet 'Số liệu', row 12, column C: không phải số"),
    ("en", None, "Sheet 'Số liệu': không phải số"),
])
def test_a_cell_problem_says_where_it_is(lang, row, expected):
    with translation.override(lang):
        assert str(CellError("Số liệu", row, "C", "không phải số")) == expected


# --- The upload form --------------------------------------------------------------------------------------------


def test_an_upload_within_the_limit_is_taken():
    form = UploadForm(files={"file": SimpleUploadedFile("so-lieu.xlsx", xlsx([["a"]]))})
    assert form.is_valid()


def test_an_upload_over_10_mb_is_refused_before_it_is_read():
    big = SimpleUploadedFile("lon.xlsx", b"PK" + b"\0" * MAX_BYTES)
    with translation.override("en"):
        form = UploadForm(files={"file": big})
        assert not form.is_valid()
        assert str(form.errors["file"][0]).startswith("The file is larger than 10 MB")


# --- Formula-like text ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("value", ['=HYPERLINK("http://evil.example/x","click")', "+1", "-2+3", "@SUM(A1)",
                                   "\tx", "＝1+1", "＠cmd"])
def test_text_a_spreadsheet_would_run_is_formula_like(value):
    assert is_formula_like(value)


@pytest.mark.parametrize("value", [-5, 3.2, None, True, "Quê Mỹ Thạnh", "10.1", "", " =1"])
def test_numbers_and_ordinary_text_are_not(value):
    assert not is_formula_like(value)


def test_a_csv_row_puts_an_apostrophe_before_formula_like_text_only():
    out = io.StringIO()
    csv.writer(out).writerow(csv_row(["=1+1", -5, "An Hòa", "@x", None]))
    assert next(csv.reader(io.StringIO(out.getvalue()))) == ["'=1+1", "-5", "An Hòa", "'@x", ""]


def test_a_protected_workbook_shows_formula_like_text_as_the_words():
    wb = Workbook()
    wb.active.append(['=HYPERLINK("http://evil.example/x","click")', -5, "An Hòa"])
    protect_workbook(wb)
    out = io.BytesIO()
    wb.save(out)
    cells = next(load_workbook(io.BytesIO(out.getvalue())).active.iter_rows())
    assert cells[0].value == '=HYPERLINK("http://evil.example/x","click")' and cells[0].data_type == "s"
    assert cells[0].quotePrefix
    assert cells[1].value == -5 and cells[1].data_type == "n"
    assert cells[2].value == "An Hòa" and not cells[2].quotePrefix
