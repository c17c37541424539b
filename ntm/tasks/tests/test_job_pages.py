"""A job's pages as the person who asked for it reads them — state, progress, result or error, in both languages —
who else may see them, its file; and the daily schedule's rules. Jobs are made directly: no worker, no demo."""

from __future__ import annotations

import logging
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from ntm.tasks.models import Job
from ntm.tasks.queue import create_job, store_file
from ntm.tasks.schedule import Schedule

pytestmark = pytest.mark.django_db
HCM = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def asker():
    return get_user_model().objects.create_user("vpdp.thu", first_name="Thị Thu", last_name="Lê")


def job_of(by, kind=Job.Kind.PROVINCE_REPORT, subject="Tỉnh Thử — NTM 2024 — XLSX", **state) -> Job:
    job = create_job(kind, subject, by=by)
    if state:
        Job.objects.filter(pk=job.pk).update(**state)
        job.refresh_from_db()
    return job


def page(client, job: Job, lang: str = "", **headers) -> str:
    prefix = f"/{lang}" if lang else ""
    response = client.get(f"{prefix}/tasks/{job.pk}/", headers=headers)
    assert response.status_code == 200
    return response.content.decode()


def test_a_waiting_job_shows_its_progress_and_keeps_polling(client, asker):
    job = job_of(asker, state=Job.State.RUNNING, done=3, total=8)
    client.force_login(asker)
    html = page(client, job)
    assert "Tỉnh Thử — NTM 2024 — XLSX" in html and "Đang chạy" in html and "38% — 3/8" in html
    assert 'hx-trigger="every 2s"' in html and "Lê Thị Thu" in html and "Tải về" not in html


def test_the_polling_request_gets_only_the_status_block(client, asker):
    job = job_of(asker)
    client.force_login(asker)
    fragment = page(client, job, **{"HX-Request": "true"})
    assert fragment.startswith('<div id="job-status"') and "<html" not in fragment


def test_a_finished_report_offers_its_file_and_says_what_it_holds(client, asker):
    job = job_of(asker, state=Job.State.DONE, done=4, total=4, finished_at=timezone.now(),
                 result={"communes": 12, "reached": 5})
    store_file(job, b"PK\x03\x04 workbook", "bao-cao-toan-tinh-p99-ntm-2024.xlsx")
    client.force_login(asker)
    html = page(client, job)
    assert "Xong" in html and "12 xã, 5 xã đạt đủ tiêu chí" in html and "every 2s" not in html
    assert "Tải về bao-cao-toan-tinh-p99-ntm-2024.xlsx" in html
    english = page(client, job, "en")
    assert "Done" in english and "12 communes, 5 meeting every criterion" in english
    download = client.get(f"/tasks/{job.pk}/file")
    assert download.status_code == 200 and b"".join(download.streaming_content) == b"PK\x03\x04 workbook"
    assert 'filename="bao-cao-toan-tinh-p99-ntm-2024.xlsx"' in download["Content-Disposition"]


@pytest.mark.parametrize(("kind", "result", "vi", "en"), [
    (Job.Kind.DIGEST, {"sent": 1}, "Đã gửi 1 bản tin", "1 digest sent"),
    (Job.Kind.DIGEST, {"sent": 3}, "Đã gửi 3 bản tin", "3 digests sent"),
    (Job.Kind.IMPORT, {"written": 40}, "Đã ghi 40 số liệu", "40 figures written"),
])
def test_each_kind_of_job_says_its_result(client, asker, kind, result, vi, en):
    job = job_of(asker, kind=kind, state=Job.State.DONE, result=result, finished_at=timezone.now())
    client.force_login(asker)
    assert vi in page(client, job) and en in page(client, job, "en")


def test_a_failed_job_says_why_and_stops_polling(client, asker):
    job = job_of(asker, state=Job.State.FAILED, attempts=3, error="ổ đĩa đầy", finished_at=timezone.now())
    client.force_login(asker)
    html = page(client, job)
    assert "Lỗi" in html and 'role="alert">ổ đĩa đầy' in html and "every 2s" not in html
    assert "Số lần chạy</dt><dd>3" in html
    assert "Error" in page(client, job, "en") and "Attempts" in page(client, job, "en")


def test_a_job_waiting_to_retry_says_the_last_attempt_failed(client, asker):
    job = job_of(asker, state=Job.State.RETRYING, attempts=1, error="mất kết nối")
    client.force_login(asker)
    html = page(client, job)
    assert "Lần chạy trước bị lỗi, sẽ thử lại" in html and "mất kết nối" in html and "every 2s" in html
    assert "Waiting to retry" in page(client, job, "en")


def test_a_finished_job_without_its_file_has_no_download(client, asker):
    job = job_of(asker, state=Job.State.DONE, file="jobs/999/gone.xlsx", filename="gone.xlsx")
    client.force_login(asker)
    assert client.get(f"/tasks/{job.pk}/file").status_code == 404
    never = job_of(asker, state=Job.State.DONE)
    assert client.get(f"/tasks/{never.pk}/file").status_code == 404


def test_someone_elses_job_does_not_exist_for_you_but_an_administrator_sees_it(client, asker):
    job = job_of(asker)
    client.force_login(get_user_model().objects.create_user("canbo.khac"))
    assert client.get(f"/tasks/{job.pk}/").status_code == 404
    assert client.get("/tasks/999999/").status_code == 404
    client.force_login(get_user_model().objects.create_superuser("root"))
    assert "Tỉnh Thử" in page(client, job)


def test_a_scheduled_job_is_followed_by_administrators_and_says_so(client):
    job = job_of(None, kind=Job.Kind.DIGEST, subject="2026-03-05")
    client.force_login(get_user_model().objects.create_superuser("root"))
    assert "theo lịch" in page(client, job) and "scheduled" in page(client, job, "en")


def test_the_list_shows_ones_own_jobs_newest_first(client, asker):
    older = job_of(asker, subject="Tỉnh Thử — NTM 2023 — PDF")
    newer = job_of(asker, subject="Tỉnh Thử — NTM 2024 — DOCX", state=Job.State.RUNNING, done=1, total=4)
    job_of(get_user_model().objects.create_user("canbo.khac"), subject="Tỉnh Khác — NTM 2024 — PDF")
    client.force_login(asker)
    html = client.get("/tasks/").content.decode()
    assert html.index(newer.subject) < html.index(older.subject) and "Tỉnh Khác" not in html
    assert "Đang chạy 25%" in html


def test_an_empty_list_says_so_and_anonymous_visitors_are_sent_to_log_in(client, asker):
    client.force_login(asker)
    assert "Chưa có việc chạy nền nào." in client.get("/tasks/").content.decode()
    client.logout()
    response = client.get("/tasks/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


# --- The daily schedule -----------------------------------------------------------------------------------------

started: list = []


def start_day(day):
    started.append(day)


def broken_start(day):
    raise ConnectionError("cơ sở dữ liệu bận")


HERE = "ntm.tasks.tests.test_job_pages"


def test_an_entry_switched_off_is_never_due():
    schedule = Schedule({f"{HERE}.start_day": "off"})
    assert schedule.due(datetime(2026, 3, 5, 23, 59, tzinfo=HCM)) == []


def test_a_time_that_is_not_a_time_fails_loudly():
    with pytest.raises(ValueError):
        Schedule({f"{HERE}.start_day": "6h30"})


def test_the_setting_is_the_default_schedule(settings):
    settings.NTM_DAILY_TASKS = {f"{HERE}.start_day": "07:15", f"{HERE}.broken_start": "off"}
    schedule = Schedule()
    assert schedule.due(datetime(2026, 3, 5, 7, 14, tzinfo=HCM)) == []
    assert schedule.due(datetime(2026, 3, 5, 7, 15, tzinfo=HCM)) == [f"{HERE}.start_day"]


def test_a_start_that_fails_is_logged_and_tried_at_the_next_call(caplog):
    schedule = Schedule({f"{HERE}.broken_start": "06:30", f"{HERE}.start_day": "06:30"})
    started.clear()
    with caplog.at_level(logging.ERROR, logger="ntm.tasks"):
        assert schedule.run_due(datetime(2026, 3, 5, 6, 31, tzinfo=HCM)) == [f"{HERE}.start_day"]
    assert f"daily task {HERE}.broken_start could not be started for 2026-03-05" in caplog.text
    assert schedule.due(datetime(2026, 3, 5, 6, 32, tzinfo=HCM)) == [f"{HERE}.broken_start"]
    assert started == [date(2026, 3, 5)], "the other entry ran once, not again"
