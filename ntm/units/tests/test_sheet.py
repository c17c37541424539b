"""Reading a province's decision list (`ntm.units.sheet.read_list`): which commune each row means (code, name
with or without diacritics and prefix), what it changes, and every refusal with its row and column. The pages'
tests cover the preview and confirmation; these cover the reading itself."""

from __future__ import annotations

import io

import pytest
from django.utils import translation
from openpyxl import Workbook, load_workbook

from ntm.units.sheet import HEADER_SCAN, read_list, template_workbook

from .conftest import build_commune

HEADER = ["STT", "Mã xã", "Tên xã", "Nhóm xã", "Xã miền núi", "Ven biển"]


def xlsx(rows: list[list], *, header: list | None = HEADER, title_rows: int = 2) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "PL1"
    for _ in range(title_rows):
        ws.append(["Phụ lục: danh sách xã theo nhóm"])
    if header:
        ws.append(header)
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def read(rows: list[list], communes, **kwargs):
    return read_list(xlsx(rows, **kwargs), communes, "Tỉnh Lâm Đồng")


def errors(result) -> list[tuple]:
    return [(e.row, e.column, e.message) for e in result.errors]


def changes(result) -> list[tuple]:
    return [(a.row, a.unit_name, a.attribute, a.old, a.new) for a in result.assignments]


def test_rows_are_matched_by_code_or_by_name_typed_any_way(communes):
    dahuoai, baolam, dilinh = communes
    rows = [[1, int(dahuoai.code), None, 1, None, None],  # a code Excel kept as a number
            [2, None, "xa bao lam", "Nhóm 2", None, None],  # prefix, no diacritics
            [3, "00" + dilinh.code, "Di Linh", "G3", None, None]]  # zero-padded, with a matching name

    result = read(rows, communes)

    assert result.ok and result.rows == 3
    assert changes(result) == [(4, "Xã Đạ Huoai", "commune_group", "", "G1"),
                               (5, "Xã Bảo Lâm", "commune_group", "", "G2"),
                               (6, "Xã Di Linh", "commune_group", "", "G3")]


def test_flags_are_set_cleared_or_left_alone(communes):
    dahuoai, baolam, dilinh = communes
    baolam.mountain = True
    rows = [[1, dahuoai.code, None, None, "x", None],  # marked: set
            [2, baolam.code, None, None, "không", "Có"],  # "không": cleared; "Có": set
            [3, dilinh.code, None, None, None, None]]  # blank: unchanged, so nothing to write

    result = read(rows, communes)

    assert result.ok and result.rows == 3
    assert changes(result) == [(4, "Xã Đạ Huoai", "mountain", False, True),
                               (5, "Xã Bảo Lâm", "mountain", True, False),
                               (5, "Xã Bảo Lâm", "coastal", False, True)]


def test_a_value_already_in_force_is_read_but_changes_nothing(communes):
    communes[0].commune_group = "G2"

    [assignment] = read([[1, communes[0].code, None, 2, None, None]], communes).assignments

    assert (assignment.old, assignment.new, assignment.changes) == ("G2", "G2", False)


def test_a_prefix_tells_a_commune_from_a_ward_of_the_same_name(province, communes):
    ward = build_commune("Bảo Lâm", province, kind="ward")

    result = read([[1, None, "Phường Bảo Lâm", 1, None, None], [2, None, "Xã Bảo Lâm", 2, None, None]],
                  [*communes, ward])

    assert [(a.unit_id, a.new) for a in result.assignments] == [(ward.pk, "G1"), (communes[1].pk, "G2")]


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        ([1, "99999", None, 1, None, None], (4, "B", "không có xã mã 99999 trong Tỉnh Lâm Đồng.")),
        ([1, "{code}", "Bảo Lâm", 1, None, None], (4, "C", "mã {code} là Xã Đạ Huoai, không phải “Bảo Lâm”.")),
        ([1, None, "Đạ Huoai Mới", 1, None, None], (4, "C", "không có xã tên “Đạ Huoai Mới” trong Tỉnh Lâm Đồng.")),
        ([1, None, None, 1, "x", None], (4, "B", "thiếu mã hoặc tên xã.")),
        ([1, "{code}", None, 4, None, None], (4, "D", "“4” không phải nhóm xã; ghi 1, 2 hoặc 3.")),
        ([1, "{code}", None, None, "có lẽ", None],
         (4, "E", "“có lẽ” không đọc được; ghi x (có) hoặc “không”, hoặc để trống.")),
    ],
    ids=["an unknown code", "a code and a name that disagree", "an unknown name", "neither code nor name",
         "a group out of range", "an unreadable flag"],
)
def test_a_bad_row_is_refused_with_its_row_and_column(communes, row, expected):
    code = communes[0].code
    row = [cell.format(code=code) if isinstance(cell, str) else cell for cell in row]

    result = read([row], communes)

    assert not result.ok
    assert errors(result) == [(expected[0], expected[1], expected[2].format(code=code))]


def test_a_commune_listed_twice_is_refused_on_the_second_row(communes):
    result = read([[1, communes[0].code, None, 1, None, None], [2, None, "Đạ Huoai", 2, None, None]], communes)

    assert errors(result) == [(5, "B", "Xã Đạ Huoai đã có ở dòng 4.")]
    assert changes(result) == [(4, "Xã Đạ Huoai", "commune_group", "", "G1")]  # read, never applied: not ok
    assert not result.ok


def test_blank_rows_are_skipped_and_not_counted(communes):
    result = read([[None] * 6, [1, communes[0].code, None, 3, None, None], ["", " ", None, None, None, None]],
                  communes)

    assert result.ok and result.rows == 1


def test_a_list_that_says_nothing_is_refused(communes):
    result = read([[1, communes[0].code, None, None, None, None]], communes)

    assert errors(result) == [(None, "", "không có dòng nào ghi nhóm xã hay đặc điểm.")]


@pytest.mark.parametrize(
    ("header", "title_rows", "expected"),
    [
        (["STT", "Nhóm xã"], 2, (3, "", "thiếu cột “Mã xã” hoặc “Tên xã”.")),
        (["STT", "Tên xã", "Dân số"], 2, (None, "", f"không tìm thấy dòng tiêu đề (trong {HEADER_SCAN} dòng đầu)")),
        (HEADER, HEADER_SCAN, (None, "", f"không tìm thấy dòng tiêu đề (trong {HEADER_SCAN} dòng đầu)")),
    ],
    ids=["a group column but no code or name", "no group or flag column", "a header below the rows scanned"],
)
def test_a_list_without_a_usable_header_is_refused(communes, header, title_rows, expected):
    result = read([[1, communes[0].code, "Đạ Huoai", 1, None, None]], communes, header=header, title_rows=title_rows)

    [(row, column, message)] = errors(result)
    assert (row, column) == expected[:2] and message.startswith(expected[2])


def test_the_header_may_sit_on_the_last_row_scanned(communes):
    result = read([[1, communes[0].code, None, 1, None, None]], communes, title_rows=HEADER_SCAN - 1)

    assert result.ok


def test_a_file_that_is_not_a_workbook_is_refused(communes):
    result = read_list(b"STT;Ma xa;Nhom\n1;91001;1\n", communes, "Tỉnh Lâm Đồng")

    assert not result.ok and result.errors[0].row is None and result.errors[0].message


def test_refusals_read_in_english(communes):
    with translation.override("en"):
        result = read([[1, None, None, 1, None, None], [2, communes[0].code, None, 1, None, None],
                       [3, communes[0].code, None, 2, None, None]], communes)

    assert [e.message for e in result.errors] == ["the commune code or name is missing.",
                                                  "Xã Đạ Huoai is already on row 5."]


def test_the_template_lists_the_communes_with_their_values_and_reads_back_as_a_list(province, communes):
    communes[1].commune_group, communes[1].island = "G2", True

    wb = load_workbook(io.BytesIO(template_workbook(province, communes)))
    ws = wb.active
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=5)]
    assert rows[1] == [communes[1].code, "Xã Bảo Lâm", 2, None, None, "x", None]
    assert [r[0] for r in rows] == [c.code for c in communes]

    ws.cell(row=5, column=3, value=3)  # the office fills one group and keeps the rest
    out = io.BytesIO()
    wb.save(out)
    result = read_list(out.getvalue(), communes, "Tỉnh Lâm Đồng")

    assert result.ok and result.rows == 3
    assert [(a.unit_name, a.attribute, a.changes) for a in result.assignments] == [
        ("Xã Đạ Huoai", "commune_group", True), ("Xã Bảo Lâm", "commune_group", False),
        ("Xã Bảo Lâm", "island", False)]
