"""An administrator completes a criteria set through Excel: a new version the loader accepts."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from ntm.core.loader import parse_common, parse_set
from ntm.exchange import layout as L
from ntm.exchange.catalog_store import common_text

from .conftest import NTMNC


def _export(client) -> bytes:
    response = client.get(f"/exchange/catalog/{NTMNC}.xlsx")
    assert response.status_code == 200
    return response.content


def _income_row(ws, year: int = 2024) -> int:
    for n in range(L.FIRST_ROW, ws.max_row + 1):
        if ws[f"{L.C_INDICATOR}{n}"].value == "10.1" and ws[f"{L.C_SCOPE}{n}"].value == "DBSCL" \
                and ws[f"{L.C_YEAR}{n}"].value == year:
            return n
    raise AssertionError("no ĐBSCL 2024 income row")


def _fill(data: bytes, **cells) -> tuple[bytes, int]:
    wb = load_workbook(io.BytesIO(data))
    ws = wb[L.CATALOG_SHEET]
    n = _income_row(ws)
    for column, value in cells.items():
        ws[f"{getattr(L, column)}{n}"] = value
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue(), n


def _import(client, data: bytes):
    return client.post("/exchange/catalog/import/", {"file": SimpleUploadedFile("nguong.xlsx", data)})


def test_export_marks_gaps(admin):
    ws = load_workbook(io.BytesIO(_export(admin)))[L.CATALOG_SHEET]
    n = _income_row(ws)
    assert ws[f"{L.C_STATUS}{n}"].value == "tạm tính" and ws[f"{L.C_VALUE}{n}"].value == 75
    assert ws[f"{L.C_VALUE}{n}"].fill.fgColor.rgb.endswith("FFEB9C")
    missing = [r for r in range(L.FIRST_ROW, ws.max_row + 1) if ws[f"{L.C_VALUE}{r}"].value is None
               and ws[f"{L.C_INDICATOR}{r}"].value]
    assert missing and ws[f"{L.C_STATUS}{missing[0]}"].value == "chưa có ngưỡng chính thức"


def test_filling_an_official_threshold_creates_a_new_version_the_loader_accepts(admin, local_catalog):
    data, _row = _fill(_export(admin), C_VALUE="76,5", C_STATUS="chính thức", C_DOCUMENT="318/QĐ-TTg",
                       C_NOTE="Phụ lục II, tiêu chí 10")
    response = _import(admin, data)
    assert response.status_code == 200, response.content
    assert not response.context.get("errors"), response.context.get("errors")
    files = list(local_catalog.glob("*.yaml"))
    assert [f.name for f in files] == [f"{NTMNC}@2024.2.yaml"]
    vocab, _p = parse_common(common_text())
    cset, problems = parse_set(files[0].read_text(encoding="utf-8"), files[0].name, vocab)
    assert not problems and cset.version.startswith("2024.2+")
    income = next(i for i in cset.indicators if i.code == "10.1")
    threshold = income.threshold_for("DBSCL", 2024)
    assert str(threshold.value) == "76.5" and threshold.source.status == "official"
    assert threshold.source.document == "QD-318-TTg-2022" and threshold.source.urls
    # The next export starts from the new version, and a second import makes 2024.3.
    again, _row = _fill(_export(admin), C_NOTE="Phụ lục II, tiêu chí 10 (đối chiếu lại)")
    assert not _import(admin, again).context.get("errors")
    assert (local_catalog / f"{NTMNC}@2024.3.yaml").exists()


@pytest.mark.parametrize(("cells", "column", "words"), [
    ({"C_VALUE": "bảy mươi", "C_STATUS": "chính thức"}, L.C_VALUE, "không phải là số"),
    ({"C_STATUS": "chắc chắn"}, L.C_STATUS, "trạng thái “chắc chắn” không hiểu được"),
])
def test_a_bad_value_is_refused_naming_criterion_indicator_and_row(admin, local_catalog, cells, column, words):
    data, row = _fill(_export(admin), **cells)
    errors = _import(admin, data).context["errors"]
    assert len(errors) == 1, errors
    assert errors[0].startswith(f"Sheet '{L.CATALOG_SHEET}', dòng {row}, cột {column}: tiêu chí 10, chỉ tiêu 10.1: ")
    assert words in errors[0]
    assert not list(local_catalog.glob("*.yaml"))


def test_loader_rules_come_back_with_the_row(admin, local_catalog):
    data, row = _fill(_export(admin), C_VALUE="76", C_STATUS="chính thức", C_DOCUMENT="999/QĐ-XYZ")
    errors = _import(admin, data).context["errors"]
    located = [e for e in errors if "999/QĐ-XYZ" in e and "tiêu chí 10, chỉ tiêu 10.1" in e]
    assert located, errors
    rows = located[0].removeprefix(f"Sheet '{L.CATALOG_SHEET}', dòng ").split(":")[0]
    assert str(row) in rows.split(", ")
    assert not list(local_catalog.glob("*.yaml"))


def test_only_administrators_complete_the_catalog(office_tan_tru):
    assert office_tan_tru.get(f"/exchange/catalog/{NTMNC}.xlsx").status_code == 403
    assert office_tan_tru.get("/exchange/catalog/import/").status_code == 403
