"""An administrator completes a missing official threshold through the set's workbook: the result is
a draft version the loader accepts, in force only after a second person approves it."""

from __future__ import annotations

import io

import yaml
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from ntm.catalogs.models import CatalogVersion, State
from ntm.exchange import catalog_sheet as S

from .conftest import NTMNC


def _gap_row(ws) -> int:
    value = S.col_of(S.THRESHOLD_COLUMNS, "value")
    for n in range(S.FIRST, ws.max_row + 1):
        if ws[f"A{n}"].value and ws[f"{value}{n}"].value is None:
            return n
    raise AssertionError("no gap left to fill")


def test_filling_a_gap_creates_a_draft_the_loader_accepts(admin):
    exported = admin.get(f"/exchange/catalog/{NTMNC}.xlsx")
    assert exported.status_code == 200
    wb = load_workbook(io.BytesIO(exported.content))
    ws = wb[S.THRESHOLD_SHEET]
    n = _gap_row(ws)
    code, scope = ws[f"A{n}"].value, ws[f"{S.col_of(S.THRESHOLD_COLUMNS, 'scope')}{n}"].value
    for key, value in {"value": "76,5", "status": "chính thức", "document": "318/QĐ-TTg",
                       "urls": "https://example.vn/318", "note": "Phụ lục"}.items():
        ws[f"{S.col_of(S.THRESHOLD_COLUMNS, key)}{n}"] = value
    out = io.BytesIO()
    wb.save(out)
    response = admin.post("/exchange/catalog/import/", {"file": SimpleUploadedFile("bo.xlsx", out.getvalue())})
    found = response.context["found"]
    assert found.ok, found.problems
    changed = [c.key for c in found.changes if c.item == "threshold"]
    assert len(changed) == 1 and changed[0].startswith(f"{code} {scope}"), changed
    admin.post("/exchange/catalog/import/confirm/", {"token": response.context["token"]})
    draft = CatalogVersion.objects.filter(set_id=NTMNC, state=State.DRAFT).get()
    raw = yaml.safe_load(draft.text)
    thresholds = [t for c in raw["criteria"] for i in c["indicators"] if i["code"] == code
                  for t in i.get("thresholds") or [] if t.get("value") == 76.5]
    assert thresholds and thresholds[0]["document"] == "QD-318-TTg-2022"


def test_a_bad_value_is_refused_naming_sheet_row_and_column(admin):
    wb = load_workbook(io.BytesIO(admin.get(f"/exchange/catalog/{NTMNC}.xlsx").content))
    ws = wb[S.THRESHOLD_SHEET]
    n = _gap_row(ws)
    column = S.col_of(S.THRESHOLD_COLUMNS, "value")
    ws[f"{column}{n}"] = "bảy mươi"
    out = io.BytesIO()
    wb.save(out)
    before = CatalogVersion.objects.count()
    found = admin.post("/exchange/catalog/import/", {"file": SimpleUploadedFile("bo.xlsx", out.getvalue())}
                       ).context["found"]
    assert [(p.sheet, p.row, p.column) for p in found.problems] == [(S.THRESHOLD_SHEET, n, column)]
    assert "không phải là số" in found.problems[0].message
    assert CatalogVersion.objects.count() == before
