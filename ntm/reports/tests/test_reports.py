"""Reports as Vietnamese administrative documents, in PDF and DOCX."""

import io
import re
from datetime import date

import pytest
from django.contrib.auth import get_user_model
from docx import Document
from pypdf import PdfReader

from ntm.reports.data import official_date


def login(client, username: str) -> None:
    client.force_login(get_user_model().objects.get(username=username))


def pdf_text(content: bytes) -> str:
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages))


@pytest.mark.parametrize(("day", "expected"), [
    (date(2026, 2, 5), "ngày 05 tháng 02 năm 2026"),
    (date(2024, 5, 8), "ngày 08 tháng 5 năm 2024"),
    (date(2024, 12, 31), "ngày 31 tháng 12 năm 2024"),
])
def test_dates_are_written_as_decree_30_prescribes(day, expected):
    assert official_date(day) == expected


def test_the_commune_pdf_names_the_commune_with_its_diacritics(client, demo):
    login(client, "canbo.quemythanh")
    response = client.get("/reports/commune/c28084.pdf?level=ntmnc&year=2024")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "Xã Quê Mỹ Thạnh" in text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text and "Độc lập - Tự do - Hạnh phúc" in text
    assert "15/19" in text
    assert "số liệu mẫu (demo)" in text


def test_the_district_pdf_has_the_communes_by_criteria_table(client, demo):
    login(client, "vpdp.tantru")
    text = pdf_text(client.get("/reports/district/d805.pdf?level=ntmnc&year=2024").content)
    assert "Huyện Tân Trụ" in text.replace("HUYỆN TÂN TRỤ", "Huyện Tân Trụ")
    assert "Bình Trinh Đông" in text and "13/19" in text
    assert "BẢNG TỔNG HỢP CÁC XÃ THEO TỪNG TIÊU CHÍ" in text


def test_the_docx_report_has_the_motto_the_table_and_a_chart(client, demo):
    login(client, "vpdp.tantru")
    response = client.get("/reports/district/d805.docx?level=ntmnc&year=2024")
    assert response.status_code == 200
    doc = Document(io.BytesIO(response.content))
    text = "\n".join(cell.text for table in doc.tables for row in table.rows for cell in row.cells)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "Quê Mỹ Thạnh" in text and "15/19" in text
    assert doc.inline_shapes, "the chart is embedded as a picture"


def test_a_report_of_another_commune_is_refused(client, demo):
    login(client, "canbo.binhtrinhdong")
    assert client.get("/reports/commune/c28084.pdf?level=ntmnc&year=2024").status_code == 403


def test_anonymous_users_are_sent_to_log_in(client, demo):
    response = client.get("/reports/commune/c28084.pdf?level=ntmnc&year=2024")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
