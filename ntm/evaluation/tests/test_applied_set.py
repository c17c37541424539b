"""With the demo loaded, the set that applies to Quê Mỹ Thạnh (Long An) is the national NTMNC set with
Long An's layer (8151/QĐ-UBND) and the demo's overlay: every page, export and API answer says so, and
each value resting on a demo threshold is labelled demo. A result made with an older version says so."""

from __future__ import annotations

import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import translation

from ntm.api.actions import create_token
from ntm.catalogs.actions import approve, create_draft
from ntm.catalogs.models import CatalogVersion, State
from ntm.evaluation.jobs import run_job
from ntm.evaluation.models import RefreshJob
from ntm.evaluation.selectors import applied_set
from ntm.units.models import Unit

QMT = "c28084"  # Quê Mỹ Thạnh
TAN_TRU = "d805"
NTMNC = "commune-ntmnc-2021-2025"
PERIOD = {"level": "ntmnc", "year": "2024"}
DEMO_TOOLTIP = "Ngưỡng minh họa của dữ liệu mẫu, không phải ngưỡng chính thức"


@pytest.fixture
def office(client, demo):
    client.force_login(get_user_model().objects.get(username="vpdp.tantru"))
    return client


def text(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def threshold_cell(html: str, code: str) -> str:
    match = re.search(rf'<td data-threshold-demo="{re.escape(code)}">(.*?)</td>', html, re.S)
    assert match, f"no demo threshold cell for {code}"
    return match.group(1)


def demo_layer_text() -> str:
    return CatalogVersion.objects.get(set_id="demo-long-an-ntmnc-2021-2025", state=State.PUBLISHED).text


@pytest.mark.django_db
class TestWhichSetApplies:
    def test_que_my_thanh_gets_long_an_and_the_demo_over_the_national_set(self, demo):
        applied = applied_set(Unit.objects.get(key=QMT), NTMNC, 2024)

        assert [layer.id for layer in applied.layers] == ["long-an-ntmnc-2021-2025", "demo-long-an-ntmnc-2021-2025"]
        assert applied.demo
        assert "Long An 8151/QĐ-UBND, trên nền " in applied.basis
        assert applied.basis.startswith("Long An số liệu mẫu Tân Trụ (minh họa), trên nền")


@pytest.mark.django_db
class TestCommunePage:
    def test_names_the_documents_the_verdicts_rest_on(self, office):
        html = text(office.get(reverse("evaluation:commune", args=[QMT]), PERIOD))

        assert re.search(r'class="criteria-basis"[^>]*>Căn cứ: Long An số liệu mẫu Tân Trụ \(minh họa\), '
                         r'trên nền Long An 8151/QĐ-UBND, trên nền \d+/QĐ-TTg', html)

    def test_the_income_threshold_is_labelled_demo_with_its_explanation(self, office):
        cell = threshold_cell(text(office.get(reverse("evaluation:commune", args=[QMT]), PERIOD)), "10.1")

        assert "≥ 75" in cell
        assert "minh họa (demo)" in cell
        assert DEMO_TOOLTIP in cell

    def test_an_official_national_value_carries_no_demo_badge(self, office):
        html = text(office.get(reverse("evaluation:commune", args=[QMT]), PERIOD))

        assert 'data-threshold-demo="1.1"' not in html

    def test_in_english(self, office):
        with translation.override("en"):
            url = reverse("evaluation:commune", args=[QMT])
        html = text(office.get(url, PERIOD))

        assert "Demo threshold of the sample data, not an official threshold" in threshold_cell(html, "10.1")
        assert "on top of Long An 8151/QĐ-UBND" in html

    def test_the_district_page_resolves_once_and_marks_demo_cells(self, office, django_assert_max_num_queries):
        with django_assert_max_num_queries(20):
            html = text(office.get(reverse("evaluation:district", args=[TAN_TRU]), PERIOD))

        assert "Căn cứ: Long An số liệu mẫu Tân Trụ (minh họa)" in html
        assert "Có kết quả dựa trên ngưỡng minh họa (demo)" in html
        assert 'class="marker-demo"' in html


@pytest.mark.django_db
class TestEntryPage:
    def test_shows_the_basis_and_the_demo_income_threshold(self, office):
        html = text(office.get(reverse("figures:entry", args=[QMT]), {"year": "2024", "set": NTMNC}))

        assert "Căn cứ: Long An số liệu mẫu Tân Trụ (minh họa), trên nền Long An 8151/QĐ-UBND" in html
        row = re.search(r'id="row-10-1".*?</div>\s*</div>', html, re.S) or re.search(r'10\.1</span>.*?entry-current',
                                                                                        html, re.S)
        assert row and "minh họa (demo)" in row.group(0) and DEMO_TOOLTIP in row.group(0)


@pytest.mark.django_db
class TestExports:
    def test_the_excel_detail_names_the_basis_and_marks_demo_thresholds(self, office):
        from openpyxl import load_workbook

        response = office.get(reverse("exchange:detail", args=[QMT]), PERIOD)
        ws = load_workbook(io.BytesIO(response.content)).active
        header = " ".join(str(ws.cell(row=r, column=1).value or "") for r in (1, 2, 3))
        income = next(r for r in ws.iter_rows(min_row=5) if r[0].value == "10.1")

        assert "Căn cứ: Long An số liệu mẫu Tân Trụ (minh họa), trên nền Long An 8151/QĐ-UBND" in header
        assert "ngưỡng minh họa (demo)" in header
        assert income[5].value == "minh họa (demo)"  # the "Nguồn ngưỡng" column
        assert DEMO_TOOLTIP in income[4].comment.text

    def test_the_excel_matrix_names_the_basis_and_comments_demo_cells(self, office):
        from openpyxl import load_workbook

        response = office.get(reverse("exchange:matrix", args=[TAN_TRU]), PERIOD)
        ws = load_workbook(io.BytesIO(response.content)).active

        assert "8151/QĐ-UBND" in ws.cell(row=2, column=1).value
        assert any(c.comment and DEMO_TOOLTIP in c.comment.text for row in ws.iter_rows(min_row=5) for c in row)

    def test_the_pdf_marks_demo_thresholds_and_explains_them_in_a_footnote(self, office):
        from pypdf import PdfReader

        response = office.get(reverse("reports:commune", args=[QMT, "pdf"]), PERIOD)
        pdf = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
        pdf = re.sub(r"\s+", "", pdf)  # lines break anywhere, even inside "8151/QĐ-UBND"

        def squash(words: str) -> str:
            return re.sub(r"\s+", "", words)

        assert squash("Bộ tiêu chí áp dụng: Long An số liệu mẫu Tân Trụ (minh họa), "
                      "trên nền Long An 8151/QĐ-UBND") in pdf
        assert squash("75 triệu đồng/người/năm † minh họa") in pdf
        assert squash("† Ngưỡng minh họa của dữ liệu mẫu (demo), không phải ngưỡng chính thức") in pdf

    def test_the_district_docx_names_the_basis_and_the_footnote(self, office):
        from docx import Document

        response = office.get(reverse("reports:district", args=[TAN_TRU, "docx"]), PERIOD)
        body = "\n".join(p.text for p in Document(io.BytesIO(response.content)).paragraphs)

        assert "Bộ tiêu chí áp dụng: Long An số liệu mẫu Tân Trụ (minh họa)" in body
        assert "† Ngưỡng minh họa của dữ liệu mẫu (demo)" in body


@pytest.mark.django_db
class TestApi:
    def test_results_say_which_set_applies_and_that_they_rest_on_demo_values(self, client, demo):
        token = create_token(get_user_model().objects.get(username="vpdp.tantru"), name="t")[1]
        headers = {"Authorization": f"Bearer {token}"}

        unit = client.get(f"/api/results/units?unit={QMT}&year=2024&criteria_set={NTMNC}", headers=headers).json()
        crit = client.get(f"/api/results/criteria?unit={QMT}&year=2024&criteria_set={NTMNC}",
                          headers=headers).json()

        row = next(r for r in unit["items"] if r["criteria_set"] == NTMNC and r["year"] == 2024)
        assert row["demo"] is True and row["stale"] is False
        assert row["criteria_basis"].startswith("Long An số liệu mẫu Tân Trụ (minh họa), trên nền Long An 8151")
        assert "on top of" in row["criteria_basis_en"]
        assert [layer["demo"] for layer in row["layers"]] == [False, True]
        income = next(c for c in crit["items"] if c["criterion"] == "10")
        assert income["demo"] is True
        assert next(i for i in income["indicators"] if i["code"] == "10.1")["demo"] is True
        assert next(c for c in crit["items"] if c["criterion"] == "1")["demo"] is False


@pytest.mark.django_db
class TestStaleResults:
    def test_a_changed_layer_shows_until_the_results_are_refreshed(self, office, settings):
        settings.NTM_JOBS_INLINE = False  # the job waits, as in a real server before its thread runs
        page = reverse("evaluation:commune", args=[QMT])
        district = reverse("evaluation:district", args=[TAN_TRU])
        assert "phiên bản cũ" not in text(office.get(page, PERIOD))

        changed = demo_layer_text().replace('version: "2024.1"', 'version: "2024.2"').replace(
            "year: 2024, value: 75", "year: 2024, value: 70")
        user = get_user_model().objects.get(username="quantri")
        job = approve(create_draft(changed, by=user), by=user, allow_self=True)

        assert RefreshJob.objects.get(pk=job.pk).state == RefreshJob.State.QUEUED
        html = text(office.get(page, PERIOD))
        assert "Kết quả này được đánh giá theo phiên bản cũ của bộ tiêu chí; đang đánh giá lại (0 %)." in html
        assert re.search(r"\d+ xã có kết quả đánh giá theo phiên bản cũ của bộ tiêu chí; đang đánh giá lại",
                         text(office.get(district, PERIOD)))

        RefreshJob.objects.filter(pk=job.pk).update(state=RefreshJob.State.FAILED)
        assert "chạy “ntm results refresh” để đánh giá lại" in text(office.get(page, PERIOD))

        run_job(job.pk)
        html = text(office.get(page, PERIOD))
        assert "phiên bản cũ" not in html
        assert "≥ 70" in threshold_cell(html, "10.1")
        assert "phiên bản cũ" not in text(office.get(district, PERIOD))
