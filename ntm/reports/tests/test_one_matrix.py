"""One communes × criteria matrix: the district page, its Excel export and its PDF/DOCX report show the same
cells, n/N and statuses, in the reader's language (issue 11, "one of each")."""

import io
import re
from datetime import date
from html import unescape

import pytest
from django.contrib.auth import get_user_model
from django.utils import translation
from docx import Document
from openpyxl import load_workbook

from ntm.exchange.layout import FIRST_ROW
from ntm.reports.data import district_report
from ntm.reports.tests.test_reports import pdf_text
from ntm.units.models import Unit

DISTRICT = "d805"
PERIOD = "?level=ntmnc&year=2024"


@pytest.fixture
def office(client, demo):
    client.force_login(get_user_model().objects.get(username="vpdp.tantru"))
    return client


def page_matrix(client, prefix: str = "") -> dict[str, tuple[str, ...]]:
    """Commune name → the label of each criterion cell, as the district page shows them."""
    html = client.get(f"{prefix}/district/{DISTRICT}/{PERIOD}").content.decode()
    rows = {}
    for body in re.findall(r'<tr data-commune="[^"]+">(.*?)</tr>', html, re.S):
        link = re.search(r'<a href="[^"]*">([^<]+)</a>', body)
        assert link, body
        name = unescape(link[1])
        labels = re.findall(r'<td class="status status-[a-z_]+" title="[^:"]+: ([^"(]+?)(?: \([^"]*\))?"', body)
        rows[name] = tuple(unescape(label) for label in labels)
    return rows


def excel_matrix(client, prefix: str = "") -> dict[str, tuple[str, ...]]:
    content = client.get(f"{prefix}/exchange/district/{DISTRICT}/matrix.xlsx{PERIOD}").content
    sheet = load_workbook(io.BytesIO(content)).active
    rows = {}
    for values in sheet.iter_rows(min_row=FIRST_ROW, values_only=True):
        if values[1]:
            rows[values[1]] = tuple(str(v).removesuffix(" †") for v in values[2:-1])
    return rows


def docx_matrix(client, prefix: str = "") -> dict[str, tuple[str, ...]]:
    doc = Document(io.BytesIO(client.get(f"{prefix}/reports/district/{DISTRICT}.docx{PERIOD}").content))
    table = next(t for t in doc.tables if t.rows[0].cells[0].text == "Xã")
    return {r.cells[0].text: tuple(c.text.removesuffix(" †") for c in r.cells[1:-1]) for r in table.rows[1:]}


def test_the_report_shows_the_same_cells_as_the_page_and_the_excel_export(office):
    page = page_matrix(office)
    assert len(page) >= 5 and all(len(cells) == 19 for cells in page.values())
    assert {"Đạt", "Chưa đạt"} <= {label for cells in page.values() for label in cells}
    assert excel_matrix(office) == page
    assert docx_matrix(office) == page
    with translation.override("vi"):
        report = district_report(Unit.objects.get(key=DISTRICT), level="ntmnc", year=2024, today=date(2024, 12, 31))
    assert {r.name: tuple(c.removesuffix(" †") for c in r.cells) for r in report.rows} == page


def test_the_english_report_has_english_statuses_like_the_english_page(office):
    page = page_matrix(office, "/en")
    assert {"Met", "Not met"} <= {label for cells in page.values() for label in cells}
    assert docx_matrix(office, "/en") == page
    assert excel_matrix(office, "/en") == page
    text = pdf_text(office.get(f"/en/reports/district/{DISTRICT}.pdf{PERIOD}").content)
    assert "Not met" in text and "Chưa đạt" not in text


def test_the_report_counts_n_of_N_as_the_page_does(office):
    html = office.get(f"/district/{DISTRICT}/{PERIOD}").content.decode()
    scores = {}
    for body in re.findall(r'<tr data-commune="[^"]+">(.*?)</tr>', html, re.S):
        name = unescape(re.search(r'<a href="[^"]*">([^<]+)</a>', body)[1])
        scores[name] = re.search(r'<td class="score">(?:<strong>)?(\d+/\d+|—/\d+)', body)[1]
    with translation.override("vi"):
        report = district_report(Unit.objects.get(key=DISTRICT), level="ntmnc", year=2024, today=date(2024, 12, 31))
    assert {r.name: f"{r.met}/{r.total}" for r in report.rows} == scores
    assert report.reached == sum(1 for score in scores.values() if score.split("/")[0] == score.split("/")[1])
