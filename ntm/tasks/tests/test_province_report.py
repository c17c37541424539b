"""The province report as a province office sees it, with work run at once (NTM_JOBS_INLINE, the immediate
backend, as in every test outside test_worker.py): ask on the province's report page, land on the job's page,
download a PDF that has the summary and every commune's own report; others are refused."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from ntm.accounts.models import Role
from ntm.evaluation.actions import refresh_results
from ntm.evaluation.tests.conftest import YEAR, build_commune, build_district, build_province, build_user, meet_criteria
from ntm.tasks.models import Job


@pytest.fixture
def province(db):
    """A province of two districts, three communes with figures: Mỹ Bình meets 5 criteria, the others 3."""
    province = build_province("Bình An")
    east, west = build_district("Đông Hòa", province), build_district("Tây Hòa", province)
    for name, district, met in (("Mỹ Bình", east, 5), ("An Lạc", east, 3), ("Phú Thọ", west, 3)):
        meet_criteria(build_commune(name, district), met)
    refresh_results(YEAR)
    return province


@pytest.fixture
def office(client, province):
    client.force_login(build_user("vpdp.binhan", Role.PROVINCE_OFFICE, province))
    return client


def ask(client, province, fmt: str, *, prefix: str = "", year: int = YEAR, capture) -> Job:
    with capture(execute=True):
        response = client.post(f"{prefix}/reports/province/{province.key}/",
                               {"level": "ntmnc", "year": str(year), "format": fmt})
    job = Job.objects.latest("pk")
    assert response.status_code == 302 and response["Location"] == f"{prefix}/tasks/{job.pk}/"
    return job


def test_the_report_page_offers_the_formats_and_the_year(office, province):
    page = office.get(f"/reports/province/{province.key}/", {"level": "ntmnc", "year": YEAR}).content.decode()
    assert "Báo cáo toàn tỉnh — Tỉnh Bình An" in page
    assert all(f'<option value="{f}">{f.upper()}</option>' in page for f in ("pdf", "docx", "xlsx"))
    assert f'<option value="{YEAR}" selected>' in page


def test_a_pdf_has_the_summary_then_each_communes_report(office, province, django_capture_on_commit_callbacks):
    job = ask(office, province, "pdf", capture=django_capture_on_commit_callbacks)
    job.refresh_from_db()
    assert job.state == Job.State.DONE and job.done == job.total == 2 + 3  # two districts, then three communes
    assert job.result["communes"] == 3 and job.result["reached"] == 0
    page = office.get(f"/tasks/{job.pk}/").content.decode()
    assert "3 xã, 0 xã đạt đủ tiêu chí" in page and f"bao-cao-toan-tinh-{province.key}-ntmnc-{YEAR}.pdf" in page

    download = office.get(f"/tasks/{job.pk}/file")
    assert download["Content-Disposition"].startswith("attachment")
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(b"".join(download.streaming_content))).pages)
    assert "trên địa bàn Tỉnh Bình An" in text
    summary_end = max(text.index(row) for row in ("Mỹ Bình (Đông Hòa)", "An Lạc (Đông Hòa)", "Phú Thọ (Tây Hòa)"))
    for name in ("XÃ MỸ BÌNH", "XÃ AN LẠC", "XÃ PHÚ THỌ"):  # after the summary, each commune's own report
        assert text.index(f"UBND {name}") > summary_end


def test_a_word_summary_is_built_too(office, province, django_capture_on_commit_callbacks):
    from docx import Document

    job = ask(office, province, "docx", capture=django_capture_on_commit_callbacks)
    download = office.get(f"/tasks/{job.pk}/file")
    doc = Document(io.BytesIO(b"".join(download.streaming_content)))
    cells = {c.text for t in doc.tables for row in t.rows for c in row.cells}
    assert {"Mỹ Bình (Đông Hòa)", "An Lạc (Đông Hòa)", "Phú Thọ (Tây Hòa)"} <= cells


def test_an_office_asking_in_english_reads_the_failure_in_english(office, province,
                                                                  django_capture_on_commit_callbacks):
    job = ask(office, province, "xlsx", prefix="/en", year=2001, capture=django_capture_on_commit_callbacks)
    page = office.get(f"/en/tasks/{job.pk}/").content.decode()
    assert '<dd class="job-state job-failed">Error</dd>' in page
    assert "There is no commune criteria set of level “Advanced new rural (NTMNC)” for 2001" in page


def test_only_a_reader_of_the_province_may_ask_for_its_report(client, province):
    client.force_login(build_user("vpdp.khac", Role.PROVINCE_OFFICE, build_province("Khác")))
    assert client.post(f"/reports/province/{province.key}/", {"format": "pdf"}).status_code == 403
    assert not Job.objects.exists()


def test_a_district_is_not_a_province(office, province):
    district = build_district("Đông Hòa 2", province)
    assert office.get(f"/reports/province/{district.key}/").status_code == 404
    assert office.post(f"/reports/province/{province.key}/", {"format": "exe"}).status_code == 404


def test_the_province_page_links_to_the_report(office, province):
    page = office.get(f"/province/{province.key}/", {"level": "ntmnc", "year": YEAR}).content.decode()
    assert f'href="/reports/province/{province.key}/?level=ntmnc&amp;year={YEAR}">Báo cáo toàn tỉnh</a>' in page


def test_administrators_see_the_jobs_in_the_admin(admin_client, office, province, django_capture_on_commit_callbacks):
    job = ask(office, province, "xlsx", capture=django_capture_on_commit_callbacks)
    page = admin_client.get("/admin/ntm_tasks/job/").content.decode()
    assert job.subject in page
    assert admin_client.get(f"/admin/ntm_tasks/job/{job.pk}/change/").status_code == 200
