"""The district matrix and a commune's detail as printable workbooks."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from .conftest import QMT, TAN_TRU


def _cells(ws) -> list[str]:
    return [str(c) for row in ws.iter_rows(values_only=True) for c in row if c is not None]


def test_district_matrix_prints_on_a4_landscape_with_vietnamese_names(office_tan_tru):
    response = office_tan_tru.get(f"/exchange/district/{TAN_TRU}/matrix.xlsx?level=ntmnc&year=2024")
    assert response.status_code == 200
    ws = load_workbook(io.BytesIO(response.content)).active
    text = _cells(ws)
    assert "Quê Mỹ Thạnh" in text
    row = next(r for r in ws.iter_rows(values_only=True) if "Quê Mỹ Thạnh" in r)
    assert "15/19" in row and "Đạt" in row and "Chưa đạt" in row
    assert "NTMNC" in ws["A1"].value and "2024" in ws["A1"].value and "Tân Trụ" in ws["A1"].value
    assert "318/QĐ-TTg" in ws["A2"].value and "Dữ liệu mẫu" in ws["A3"].value
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.fitToWidth == 1
    assert ws.freeze_panes == "C5" and ws.print_title_rows == "$4:$4"
    assert ws["A4"].font.bold


def test_commune_detail_lists_every_indicator_with_its_status(official_qmt):
    response = official_qmt.get(f"/exchange/commune/{QMT}/detail.xlsx?level=ntmnc&year=2024")
    assert response.status_code == 200
    ws = load_workbook(io.BytesIO(response.content)).active
    text = " ".join(_cells(ws))
    assert "Quê Mỹ Thạnh" in text and "15/19" in text and "Thu nhập" in text and "Dữ liệu mẫu" in ws["A3"].value


def test_exports_are_refused_outside_the_readers_scope(official_btd):
    assert official_btd.get(f"/exchange/commune/{QMT}/detail.xlsx").status_code == 403
    assert official_btd.get(f"/exchange/district/{TAN_TRU}/matrix.xlsx").status_code == 403
