"""The district report from the district page: its buttons queue the work (the layout takes seconds), the
office follows it on /tasks/<n>/ and downloads the file from there. The work goes through the database queue
and `ntm worker --batch`, as in production; only readers of the district may ask for it or fetch it."""

from __future__ import annotations

import io
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from docx import Document

from ntm.accounts.models import Membership, Role
from ntm.evaluation.tests.conftest import build_district, build_user
from ntm.reports.tests.test_reports import pdf_text
from ntm.tasks.models import Job
from ntm.units.models import Unit

pytestmark = pytest.mark.django_db(transaction=True)
URL = "/reports/district/d805"


@pytest.fixture(autouse=True)
def _queued(settings):
    settings.NTM_JOBS_INLINE = False


@pytest.fixture
def office(client, demo):
    """The Tân Trụ district office, signed in."""
    client.force_login(get_user_model().objects.get(username="vpdp.tantru"))
    return client


def worker() -> None:
    call_command("worker", "--batch", "--no-schedule", stdout=StringIO())


def test_the_district_page_asks_for_the_reports_by_post(office):
    page = office.get("/district/d805/", {"level": "ntmnc", "year": "2024"}).content.decode()
    for fmt, label in (("pdf", "Báo cáo PDF"), ("docx", "Báo cáo Word")):
        form = page[page.index(f'action="{URL}.{fmt}"'):]
        form = form[:form.index("</form>")]
        assert 'name="csrfmiddlewaretoken"' in form and f">{label}</button>" in form
        assert 'name="level" value="ntmnc"' in form and 'name="year" value="2024"' in form
    assert f'href="{URL}.pdf' not in page


def test_a_district_pdf_is_queued_built_by_the_worker_and_downloaded(office):
    response = office.post(f"{URL}.pdf", {"level": "ntmnc", "year": "2024"})
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/tasks/{job.pk}/"
    assert job.kind == Job.Kind.DISTRICT_REPORT and job.state == Job.State.QUEUED
    page = office.get(f"/tasks/{job.pk}/").content.decode()
    assert "Đang chờ" in page and 'hx-trigger="every 2s"' in page and "Tải về" not in page

    worker()
    job.refresh_from_db()
    assert job.state == Job.State.DONE and job.done == job.total == 2 and job.attempts == 1
    page = office.get(f"/tasks/{job.pk}/", headers={"HX-Request": "true"}).content.decode()
    assert "Xong" in page and "every 2s" not in page
    assert f"{job.result['communes']} xã, {job.result['reached']} xã đạt đủ tiêu chí" in page
    assert f"/tasks/{job.pk}/file" in page and "tong-hop-d805-ntmnc-2024.pdf" in page

    download = office.get(f"/tasks/{job.pk}/file")
    content = b"".join(download.streaming_content)
    assert download["Content-Type"] == "application/pdf" and content.startswith(b"%PDF")
    text = pdf_text(content)
    assert "trên địa bàn Huyện Tân Trụ" in text and "Bình Trinh Đông" in text and "13/19" in text


def test_a_word_report_goes_the_same_way_in_english(office):
    response = office.post(f"/en{URL}.docx", {"level": "ntmnc", "year": "2024"})
    job = Job.objects.get()
    assert response["Location"] == f"/en/tasks/{job.pk}/"
    worker()
    page = office.get(f"/en/tasks/{job.pk}/").content.decode()
    assert "Done" in page and "District summary report" in page
    doc = Document(io.BytesIO(b"".join(office.get(f"/tasks/{job.pk}/file").streaming_content)))
    cells = {c.text for t in doc.tables for row in t.rows for c in row.cells}
    assert "Quê Mỹ Thạnh" in cells


def test_a_reader_of_another_area_may_neither_ask_nor_download(office, client):
    office.post(f"{URL}.pdf", {"level": "ntmnc", "year": "2024"})
    job = Job.objects.get()
    worker()
    other = Unit.objects.get(key="d805").parent
    client.force_login(build_user("vpdp.khac", Role.DISTRICT_OFFICE, build_district("Khác", other)))
    assert client.post(f"{URL}.pdf", {"level": "ntmnc", "year": "2024"}).status_code == 403
    assert client.get(f"{URL}.pdf").status_code == 403
    assert Job.objects.count() == 1
    assert client.get(f"/tasks/{job.pk}/file").status_code == 404


def test_the_file_stays_with_readers_of_the_district(office):
    """Whoever asked for it loses it when they no longer read the district (moved to another office)."""
    office.post(f"{URL}.pdf", {"level": "ntmnc", "year": "2024"})
    job = Job.objects.get()
    worker()
    assert office.get(f"/tasks/{job.pk}/file").status_code == 200
    Membership.objects.filter(user__username="vpdp.tantru").update(unit=build_district("Khác"))
    assert office.get(f"/tasks/{job.pk}/").status_code == 404
    assert office.get(f"/tasks/{job.pk}/file").status_code == 404


def test_a_year_without_a_criteria_set_fails_with_its_reason(office):
    office.post(f"{URL}.pdf", {"level": "ntmnc", "year": "2001"})
    worker()
    job = Job.objects.get()
    assert job.state == Job.State.FAILED and job.attempts == 1
    assert "Không có bộ tiêu chí xã mức" in office.get(f"/tasks/{job.pk}/").content.decode()
