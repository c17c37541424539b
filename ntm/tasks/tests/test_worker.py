"""Background work through the real queue: a catalog publish, a province report and the daily digest wait in
the database, `ntm worker --batch` (in this process) runs them, and the pages show their progress and result;
a failing task is tried again a bounded number of times, then its page and the log say it failed.

These tests commit (the worker takes work from the database as another process would), so they use
`transactional_db`."""

from __future__ import annotations

import io
import logging
from datetime import date, datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django_tasks_db.models import DBTaskResult
from openpyxl import load_workbook

from ntm.alerts import work
from ntm.alerts.digest import WorkRow
from ntm.catalogs.actions import approve, create_draft
from ntm.evaluation.models import RefreshJob
from ntm.reports import data
from ntm.tasks.models import Job
from ntm.tasks.schedule import Schedule

pytestmark = pytest.mark.django_db(transaction=True)
HCM = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.fixture(autouse=True)
def _queued(settings):
    """Work goes to the database queue (as in production), and a retry waits for nothing."""
    settings.NTM_JOBS_INLINE = False
    settings.NTM_TASK_RETRY_SECONDS = 0
    settings.NTM_TASK_ATTEMPTS = 3


def worker(*args: str) -> str:
    """One batch of `ntm worker`: every task waiting, then back (the digest's own test lets it start the day's)."""
    out = StringIO()
    call_command("worker", "--batch", *(args or ["--no-schedule"]), stdout=out)
    return out.getvalue()


@pytest.fixture
def office(client, demo):
    """The Long An provincial office, signed in."""
    client.force_login(get_user_model().objects.get(username="vpdp.longan"))
    return client


def job_page(client, job_id: int) -> str:
    return client.get(f"/tasks/{job_id}/").content.decode()


def test_a_catalog_publish_re_evaluates_through_the_worker(client):
    from ntm.catalogs.tests.test_versions import SET, add_indicator, next_version, users
    from ntm.evaluation.tests.conftest import build_commune, build_district, record

    commune = build_commune("Nhựt Tảo", build_district())
    record(commune, SET, "1.1", 2026, value=95)
    author, approver = users()
    job = approve(create_draft(next_version(add_indicator), by=author), by=approver)
    client.force_login(approver)

    assert "Đang chờ" in client.get(f"/catalog/jobs/{job.pk}/").content.decode()
    assert DBTaskResult.objects.ready().count() == 1

    worker()
    job.refresh_from_db()
    assert job.state == RefreshJob.State.DONE and job.done == job.total >= 1 and job.written > 0
    assert "Xong" in client.get(f"/catalog/jobs/{job.pk}/").content.decode()
    assert DBTaskResult.objects.successful().count() == 1


def test_a_province_report_is_built_by_the_worker_and_downloaded(office):
    response = office.post("/reports/province/p80/", {"level": "ntmnc", "year": "2024", "format": "xlsx"})
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/tasks/{job.pk}/"
    page = job_page(office, job.pk)
    assert "Đang chờ" in page and "hx-trigger=\"every 2s\"" in page and "Tải về" not in page

    worker()
    job.refresh_from_db()
    assert job.state == Job.State.DONE and job.done == job.total and job.attempts == 1
    page = job_page(office, job.pk)
    assert "Xong" in page and "every 2s" not in page
    assert f"/tasks/{job.pk}/file" in page and "bao-cao-toan-tinh-p80-ntmnc-2024.xlsx" in page

    download = office.get(f"/tasks/{job.pk}/file")
    sheet = load_workbook(io.BytesIO(b"".join(download.streaming_content))).active
    names = [row[0] for row in sheet.iter_rows(min_row=5, values_only=True) if row[0]]
    assert "Quê Mỹ Thạnh (Tân Trụ)" in names
    assert any(n.startswith("Bình Trinh Đông") for n in names)
    assert sheet["A1"].value.endswith("trên địa bàn Tỉnh Long An")


def test_someone_else_cannot_follow_or_download_a_report(office, client):
    office.post("/reports/province/p80/", {"level": "ntmnc", "year": "2024", "format": "xlsx"})
    job = Job.objects.get()
    worker()
    other = get_user_model().objects.get(username="canbo.quemythanh")
    client.force_login(other)
    assert client.get(f"/tasks/{job.pk}/").status_code == 404
    assert client.get(f"/tasks/{job.pk}/file").status_code == 404


def test_the_worker_starts_the_daily_digest_once_and_sends_it(demo, mailoutbox, monkeypatch, time_machine):
    official = get_user_model().objects.get(username="canbo.quemythanh")
    official.email = "canbo@example.vn"
    official.save(update_fields=["email"])
    monkeypatch.setattr(work, "open_work", lambda today: {
        official.pk: [WorkRow("Nộp báo cáo môi trường", date(2024, 6, 10), "Xã Quê Mỹ Thạnh")]})
    time_machine.move_to(datetime(2024, 6, 20, 5, 0).astimezone(), tick=False)  # before NTM_DIGEST_AT (06:30)
    worker("--interval", "1")
    assert not Job.objects.exists()

    time_machine.move_to(datetime(2024, 6, 20, 7, 0).astimezone(), tick=False)
    output = worker("--interval", "1")
    job = Job.objects.get(kind=Job.Kind.DIGEST)
    assert "started daily ntm.alerts.tasks.start_daily_digest" in output
    assert job.state == Job.State.DONE and job.result == {"sent": 1} and job.key == "digest:2024-06-20"
    assert [m.to for m in mailoutbox] == [[official.email]]

    worker("--interval", "1")  # a second worker, or a restart, the same day: nothing more
    assert Job.objects.count() == 1 and len(mailoutbox) == 1


def test_a_failing_task_is_tried_again_then_reported(office, monkeypatch, caplog):
    calls = []

    def broken(*args, **kwargs):
        calls.append(1)
        raise RuntimeError("ổ đĩa đầy")

    monkeypatch.setattr(data, "district_report", broken)
    office.post("/reports/province/p80/", {"level": "ntmnc", "year": "2024", "format": "xlsx"})
    with caplog.at_level(logging.INFO, logger="ntm.tasks"):
        worker()

    job = Job.objects.get()
    assert len(calls) == 3 and job.attempts == 3
    assert job.state == Job.State.FAILED and job.error == "ổ đĩa đầy" and not job.file
    page = job_page(office, job.pk)
    assert "Lỗi" in page and "ổ đĩa đầy" in page and "every 2s" not in page
    messages = [r.getMessage() for r in caplog.records if r.name == "ntm.tasks"]
    assert [m for m in messages if "trying again" in m] == [
        f"job {job.pk} (province_report) failed (attempt 1 of 3), trying again in 0 s: ổ đĩa đầy",
        f"job {job.pk} (province_report) failed (attempt 2 of 3), trying again in 0 s: ổ đĩa đầy"]
    assert f"job {job.pk} (province_report) failed (attempt 3 of 3), giving up: ổ đĩa đầy" in messages
    assert DBTaskResult.objects.failed().count() == 1 and DBTaskResult.objects.successful().count() == 2


def test_a_task_that_fails_once_succeeds_on_the_next_attempt(office, monkeypatch):
    real, calls = data.district_report, []

    def flaky(*args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise ConnectionError("mất kết nối cơ sở dữ liệu")
        return real(*args, **kwargs)

    monkeypatch.setattr(data, "district_report", flaky)
    office.post("/reports/province/p80/", {"level": "ntmnc", "year": "2024", "format": "xlsx"})
    worker()
    job = Job.objects.get()
    assert job.state == Job.State.DONE and job.attempts == 2 and job.error == "" and job.file


def test_a_report_for_a_year_without_a_set_fails_at_once_with_its_reason(office):
    office.post("/reports/province/p80/", {"level": "ntm", "year": "2001", "format": "xlsx"})
    worker()
    job = Job.objects.get()
    assert job.state == Job.State.FAILED and job.attempts == 1  # trying again cannot help
    assert "Không có bộ tiêu chí xã mức “Nông thôn mới (NTM)” năm 2001" in job_page(office, job.pk)


def test_a_re_evaluation_that_keeps_failing_is_reported_on_its_page(client, demo, monkeypatch):
    from ntm.evaluation import jobs

    monkeypatch.setattr(jobs, "refresh_results", lambda *a, **k: 1 / 0)
    admin = get_user_model().objects.get(username="quantri")
    job = jobs.schedule_refresh("thử", by=admin)
    worker()
    job.refresh_from_db()
    assert job.state == RefreshJob.State.FAILED and job.error == "division by zero"
    client.force_login(admin)
    assert "division by zero" in client.get(f"/catalog/jobs/{job.pk}/").content.decode()


def test_the_worker_refuses_when_work_runs_immediately(settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    with pytest.raises(CommandError, match="no worker needed"):
        worker()


def test_the_daily_schedule_starts_each_entry_once_a_day():
    started = []
    schedule = Schedule({"ntm.tasks.tests.test_worker.note_day": "06:30", "ntm.tasks.tests.test_worker.x": "off"})
    globals()["note_day"] = started.append
    assert schedule.run_due(datetime(2026, 1, 5, 6, 0, tzinfo=HCM)) == []
    assert schedule.run_due(datetime(2026, 1, 5, 6, 30, tzinfo=HCM)) == ["ntm.tasks.tests.test_worker.note_day"]
    assert schedule.run_due(datetime(2026, 1, 5, 23, 0, tzinfo=HCM)) == []
    assert schedule.run_due(datetime(2026, 1, 6, 7, 0, tzinfo=HCM)) == ["ntm.tasks.tests.test_worker.note_day"]
    assert started == [date(2026, 1, 5), date(2026, 1, 6)]


def test_work_left_running_by_a_dead_worker_of_this_host_is_run_again(office):
    import socket

    office.post("/reports/province/p80/", {"level": "ntmnc", "year": "2024", "format": "xlsx"})
    row = DBTaskResult.objects.get()
    row.claim(f"{socket.gethostname()}:999999999")  # a pid that no process has: the worker was killed
    elsewhere = DBTaskResult.objects.create(args_kwargs={"args": [0], "kwargs": {}}, task_path=row.task_path,
                                            backend_name="default", worker_ids=["other-host:1"], status="RUNNING")
    output = worker()
    assert "1 việc bị bỏ dở được chạy lại" in output
    assert Job.objects.get().state == Job.State.DONE
    elsewhere.refresh_from_db()
    assert elsewhere.status == "RUNNING", "only this host can tell that its own worker is gone"


def test_a_failed_re_evaluation_waits_for_its_next_attempt_and_says_so(client, demo, settings, monkeypatch):
    from ntm.evaluation import jobs

    settings.NTM_TASK_RETRY_SECONDS = 3600
    monkeypatch.setattr(jobs, "refresh_results", lambda *a, **k: 1 / 0)
    admin = get_user_model().objects.get(username="quantri")
    job = jobs.schedule_refresh("thử", by=admin)
    worker()
    job.refresh_from_db()
    assert job.state == RefreshJob.State.QUEUED and job.error == "division by zero"
    client.force_login(admin)
    page = client.get(f"/catalog/jobs/{job.pk}/").content.decode()
    assert "Lần chạy trước bị lỗi, sẽ thử lại" in page and "division by zero" in page
    waiting = DBTaskResult.objects.get(status="READY")
    assert 3500 < (waiting.run_after - waiting.enqueued_at).total_seconds() <= 3600  # not before its time
    assert DBTaskResult.objects.ready().count() == 0
