"""A job's life without the worker: `run_job` called as the queue would call it, and the retry rules on their own.
(The worker's own tests, test_worker.py, run the same paths through the real database queue.)"""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.files.storage import default_storage
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ntm.reports.tasks import province_report_task
from ntm.tasks import queue
from ntm.tasks.models import Job
from ntm.tasks.queue import NotRetryable, Progress, create_job, describe, retry_delay, retry_or_fail, run_job

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _three_tries(settings):
    settings.NTM_TASK_ATTEMPTS = 3
    settings.NTM_TASK_RETRY_SECONDS = 60


def test_the_wait_doubles_after_each_failed_attempt(settings):
    assert [retry_delay(n) for n in (1, 2, 3, 4)] == [60, 120, 240, 480]
    settings.NTM_TASK_RETRY_SECONDS = 0
    assert retry_delay(5) == 0


@pytest.mark.parametrize(("exc", "line"), [
    (RuntimeError("  ổ đĩa đầy \n"), "ổ đĩa đầy"),
    (ZeroDivisionError(), "ZeroDivisionError"),
    (KeyError(), "KeyError"),
    (ValueError("   "), "ValueError"),
])
def test_a_failure_is_told_in_its_own_words_else_by_its_kind(exc, line):
    assert describe(exc) == line


def test_a_very_long_failure_is_cut_to_what_the_page_can_show():
    assert describe(RuntimeError("x" * 5000)) == "x" * 2000


class Calls:
    """Records what retry_or_fail asked for."""

    def __init__(self):
        self.retried: list[int] = []
        self.retry_notes: list[str] = []
        self.failures: list[str] = []

    def run(self, exc: Exception, attempt: int) -> bool:
        return retry_or_fail(exc, what="job 7 (digest)", attempt=attempt, retry=self.retried.append,
                             on_retry=self.retry_notes.append, on_failure=self.failures.append)


def test_a_failure_before_the_last_attempt_is_tried_again(caplog):
    calls = Calls()
    with caplog.at_level(logging.WARNING, logger="ntm.tasks"):
        assert calls.run(ConnectionError("mất kết nối"), attempt=2) is True
    assert calls.retried == [3] and calls.retry_notes == ["mất kết nối"] and calls.failures == []
    assert caplog.records[-1].getMessage() == (
        "job 7 (digest) failed (attempt 2 of 3), trying again in 120 s: mất kết nối")
    assert caplog.records[-1].levelname == "WARNING"


def test_the_last_attempt_gives_up_and_says_so(caplog):
    calls = Calls()
    with caplog.at_level(logging.WARNING, logger="ntm.tasks"):
        assert calls.run(ConnectionError("mất kết nối"), attempt=3) is False
    assert calls.retried == [] and calls.failures == ["mất kết nối"]
    assert caplog.records[-1].getMessage() == "job 7 (digest) failed (attempt 3 of 3), giving up: mất kết nối"
    assert caplog.records[-1].levelname == "ERROR"


def test_a_failure_that_trying_again_cannot_help_fails_at_the_first_attempt():
    calls = Calls()
    assert calls.run(NotRetryable("Không có tỉnh p99"), attempt=1) is False
    assert calls.retried == [] and calls.failures == ["Không có tỉnh p99"]


@pytest.mark.parametrize("configured", [0, -2, 1])
def test_a_limit_below_one_still_means_one_attempt(settings, configured):
    settings.NTM_TASK_ATTEMPTS = configured
    calls = Calls()
    assert calls.run(RuntimeError("hỏng"), attempt=1) is False
    assert calls.failures == ["hỏng"]


def test_a_job_keeps_the_language_of_whoever_asked():
    with translation.override("en"):
        english = create_job(Job.Kind.DIGEST, "2026-01-05")
    vietnamese = create_job(Job.Kind.DIGEST, "2026-01-06")
    assert english.params["lang"] == "en" and vietnamese.params["lang"] == "vi"
    explicit = create_job(Job.Kind.IMPORT, "tệp.xlsx", params={"lang": "en", "rows": 3})
    assert explicit.params == {"lang": "en", "rows": 3}


def test_a_job_records_its_requester_but_not_an_anonymous_one():
    user = get_user_model().objects.create_user("vpdp.thu")
    assert create_job(Job.Kind.IMPORT, "a.xlsx", by=user).created_by == user
    assert create_job(Job.Kind.IMPORT, "b.xlsx", by=get_user_model()()).created_by is None


def test_a_long_subject_is_cut_to_the_column():
    job = create_job(Job.Kind.PROVINCE_REPORT, "Tỉnh " * 100)
    assert len(job.subject) == 300 and job.subject.startswith("Tỉnh Tỉnh")


def test_progress_sets_the_total_once_then_counts():
    job = create_job(Job.Kind.IMPORT, "a.xlsx")
    progress = Progress(job.pk)
    progress(0, 8)
    progress(3)
    job.refresh_from_db()
    assert (job.done, job.total, job.percent) == (3, 8, 38)


def test_a_result_file_is_stored_under_the_job_and_named_for_download(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    job = create_job(Job.Kind.PROVINCE_REPORT, "Tỉnh Long An")
    name = queue.store_file(job, b"%PDF-1.7", "bao-cao.pdf")
    job.refresh_from_db()
    assert job.file == name and name.startswith(f"jobs/{job.pk}/") and job.filename == "bao-cao.pdf"
    with default_storage.open(name) as stored:
        assert stored.read() == b"%PDF-1.7"


def test_work_that_succeeds_marks_the_job_done_with_its_result():
    job = create_job(Job.Kind.IMPORT, "a.xlsx")
    Job.objects.filter(pk=job.pk).update(error="lần trước hỏng", done=9)

    def work(running: Job, progress: Progress) -> dict:
        assert running.state == Job.State.RUNNING and running.done == 0 and running.started_at
        progress(2, 2)
        return {"written": 2}

    assert run_job(province_report_task, job.pk, 1, work) == {"written": 2}
    job.refresh_from_db()
    assert job.state == Job.State.DONE and job.result == {"written": 2} and job.error == ""
    assert job.attempts == 1 and job.percent == 100 and job.finished_at >= job.started_at


@pytest.mark.parametrize(("lang", "expected"), [("vi", "Lỗi"), ("en", "Error")])
def test_work_runs_in_the_requesters_language(lang, expected):
    with translation.override(lang):
        job = create_job(Job.Kind.IMPORT, "a.xlsx")
    result = run_job(province_report_task, job.pk, 1, lambda j, p: {"word": _("Lỗi")})
    assert result == {"word": expected}


def test_work_that_fails_with_attempts_left_waits_for_its_next_attempt(django_capture_on_commit_callbacks):
    job = create_job(Job.Kind.PROVINCE_REPORT, "Tỉnh Long An")

    def work(running, progress):
        raise OSError("ổ đĩa đầy")

    with django_capture_on_commit_callbacks() as queued:
        assert run_job(province_report_task, job.pk, 1, work) == {"retried": 2}
    job.refresh_from_db()
    assert job.state == Job.State.RETRYING and job.error == "ổ đĩa đầy" and job.finished_at is None
    assert job.running and len(queued) == 1  # the next attempt, once this transaction commits


def test_work_that_fails_for_good_is_raised_again_and_the_job_says_why(django_capture_on_commit_callbacks):
    with translation.override("en"):
        job = create_job(Job.Kind.PROVINCE_REPORT, "Tỉnh p99")

    def work(running, progress):
        raise NotRetryable(_("Không có tỉnh %(key)s") % {"key": "p99"})

    with django_capture_on_commit_callbacks() as queued, pytest.raises(NotRetryable):
        run_job(province_report_task, job.pk, 1, work)
    job.refresh_from_db()
    assert job.state == Job.State.FAILED and job.error == "There is no province p99" and job.finished_at
    assert not job.running and queued == []


def test_the_queue_is_empty_when_work_runs_immediately(settings):
    settings.NTM_TASKS = "immediate"
    assert queue.waiting() == (0, timedelta(0))


def test_a_retried_attempt_starts_its_count_again():
    job = create_job(Job.Kind.IMPORT, "a.xlsx")
    Job.objects.filter(pk=job.pk).update(state=Job.State.RETRYING, done=5, total=10,
                                         finished_at=timezone.now())
    run_job(province_report_task, job.pk, 2, lambda j, p: {})
    job.refresh_from_db()
    assert job.attempts == 2 and job.state == Job.State.DONE
