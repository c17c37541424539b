"""Text typed by one user never reaches another's spreadsheet as a live formula: each workbook the product
makes holds a hostile note, name or title as plain text (string type, quote prefix), and numbers stay
numbers. One test per export."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from openpyxl import load_workbook

from ntm.catalogs.models import CatalogVersion, State
from ntm.figures.actions import FigureInput, record_figure
from ntm.units.models import Unit
from ntm.workbooks.safe_cells import csv_row, is_formula_like

from .conftest import NTMNC, QMT, TAN_TRU, YEAR

HOSTILE = '=HYPERLINK("http://evil.example/x","click")'


def _workbook(response):
    assert response.status_code == 200, response.status_code
    return load_workbook(io.BytesIO(response.content))  # formulas kept as formulas (data_only=False)


def _assert_written_as_text(wb, hostile: str, *, whole_cell: bool = True) -> None:
    """The hostile text is there, as text; no cell of any sheet is a formula."""
    found = []
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{ws.title}!{cell.coordinate} is a formula: {cell.value!r}"
                if isinstance(cell.value, str) and hostile in cell.value:
                    found.append(cell)
    assert found, "the hostile text is not in the workbook"
    assert all(c.data_type == "s" for c in found)
    if not whole_cell:
        return
    exact = [c for c in found if c.value == hostile]
    assert exact and all(c.data_type == "s" and c.quotePrefix for c in exact)


def _rename(key: str, name: str) -> Unit:
    unit = Unit.objects.get(key=key)
    unit.name = name
    unit.save(update_fields=["name"])
    return unit


def test_an_evidence_note_with_a_formula_is_text_in_the_commune_detail(official_qmt):
    record_figure(FigureInput(unit=Unit.objects.get(key=QMT), criteria_set=NTMNC, indicator="10.1", year=YEAR,
                              value=Decimal("70"), source_note=HOSTILE))
    wb = _workbook(official_qmt.get(f"/exchange/commune/{QMT}/detail.xlsx?level=ntmnc&year={YEAR}"))
    _assert_written_as_text(wb, HOSTILE)
    values = [c.value for row in wb.active.iter_rows() for c in row]
    assert 70 in values or "70" in " ".join(str(v) for v in values)  # the figure itself still shows


def test_a_commune_named_like_a_formula_is_text_in_the_district_matrix(office_tan_tru):
    _rename(QMT, "+cmd|' /C calc'!A0")
    wb = _workbook(office_tan_tru.get(f"/exchange/district/{TAN_TRU}/matrix.xlsx?level=ntmnc&year={YEAR}"))
    ws = wb.active
    cells = [c for row in ws.iter_rows() for c in row if c.value == "+cmd|' /C calc'!A0"]
    assert cells and all(c.data_type == "s" and c.quotePrefix for c in cells)
    assert any(c.data_type == "n" and c.value == 1 for row in ws.iter_rows() for c in row)  # row numbers stay numbers


def test_a_commune_named_like_a_formula_is_text_in_the_figures_template(official_qmt):
    _rename(QMT, "@SUM(1+1)*cmd")  # the template shows it inside its title line
    wb = _workbook(official_qmt.get(f"/exchange/{QMT}/template.xlsx?year={YEAR}&set={NTMNC}"))
    _assert_written_as_text(wb, "@SUM(1+1)*cmd", whole_cell=False)


def test_a_criterion_named_like_a_formula_is_text_in_the_catalog_workbook(admin):
    assert admin.post(reverse("catalogs:start"), {"source": NTMNC}).status_code == 302
    draft = CatalogVersion.objects.get(set_id=NTMNC, state=State.DRAFT)
    assert "Thu nhập" in draft.text
    hostile_text = draft.text.replace("Thu nhập", "-2+3+cmd|' /C calc'!A0", 1)
    CatalogVersion.objects.filter(pk=draft.pk).update(text=hostile_text)  # as if typed on the workbench
    wb = _workbook(admin.get(reverse("catalogs:export_workbook", args=[draft.pk])))
    _assert_written_as_text(wb, "-2+3+cmd|' /C calc'!A0")


def test_a_commune_named_like_a_formula_is_text_in_the_classification_template(demo_2026, client):
    client.force_login(get_user_model().objects.get(username="vpdp.tayninh"))
    commune = Unit.objects.filter(parent__key="p80-2025", kind="commune").order_by("key").first()
    _rename(commune.key, "=1+2")
    wb = _workbook(client.get("/units/p80-2025/classification/template.xlsx"))
    cells = [c for row in wb.active.iter_rows() for c in row if isinstance(c.value, str) and "=1+2" in c.value]
    assert cells and all(c.data_type == "s" for c in cells)
    assert not any(c.data_type == "f" for row in wb.active.iter_rows() for c in row)


@pytest.mark.parametrize(("value", "risky"), [
    ("=1+2", True), ("+1", True), ("-2+3", True), ("@SUM(A1)", True), ("\tcmd", True), ("\rcmd", True),
    ("Đạt", False), ("15/19", False), ("", False), (-5, False), (Decimal("-1.5"), False), (None, False),
])
def test_only_text_that_starts_like_a_formula_is_guarded(value, risky):
    assert is_formula_like(value) is risky
    out = io.StringIO()
    csv.writer(out).writerow(csv_row([value]))
    written = next(csv.reader(io.StringIO(out.getvalue())))[0]
    assert written.startswith("'") is risky  # a negative number stays a number in a .csv
