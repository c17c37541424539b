"""`ntm notify`: one daily digest per user — work due within 7 days, overdue work, slipping criteria."""

from datetime import date

import pytest
from django.core.management import call_command

from ntm.alerts import work
from ntm.alerts.digest import DigestInput, WorkRow, build_digest
from ntm.alerts.models import Alert, AlertKind, NotificationSettings

from .conftest import record

TODAY = date(2024, 6, 20)


@pytest.fixture
def workload(people, monkeypatch):
    """Open work for the commune official: one item due in 5 days, one overdue since 10/6."""
    qmt = "Xã Quê Mỹ Thạnh"
    rows = {people["canbo.quemythanh"].pk: [WorkRow("Cập nhật thu nhập bình quân", date(2024, 6, 25), qmt),
                                            WorkRow("Nộp báo cáo môi trường", date(2024, 6, 10), qmt),
                                            WorkRow("Việc còn xa", date(2024, 7, 30))]}
    monkeypatch.setattr(work, "open_work", lambda today: rows)
    return rows


def run(*args) -> str:
    from io import StringIO

    out = StringIO()
    call_command("notify", *args, stdout=out)
    return out.getvalue()


def test_notify_sends_one_digest_per_user_with_due_overdue_and_slipping(
        workload, que_my_thanh, mailoutbox, django_capture_on_commit_callbacks):
    record(que_my_thanh, "10.1", value=60)  # its immediate mail is not sent: the test never commits
    with django_capture_on_commit_callbacks(execute=True):
        output = run("--today", "2024-06-20")
    assert sorted(m.to[0] for m in mailoutbox) == ["canbo.quemythanh@example.vn", "vpdp.tantru@example.vn"]
    official = next(m for m in mailoutbox if m.to[0].startswith("canbo"))
    assert "1 sắp đến hạn, 1 quá hạn, 1 cảnh báo" in official.subject
    assert "Quá hạn (1):\n- Nộp báo cáo môi trường (Xã Quê Mỹ Thạnh) — hạn 10/06/2024" in official.body
    assert "Cập nhật thu nhập bình quân" in official.body and "Việc còn xa" not in official.body
    assert "tiêu chí 10 “Thu nhập”" in official.body
    assert "2 digest(s) sent for 2024-06-20" in output
    assert not Alert.objects.filter(kind=AlertKind.CRITERION_SLIPPED, emailed_at__isnull=True).exists()
    assert Alert.objects.filter(kind=AlertKind.OVERDUE, recipient__username="canbo.quemythanh").count() == 1


def test_a_second_run_the_same_day_sends_nothing(workload, que_my_thanh, mailoutbox,
                                                 django_capture_on_commit_callbacks):
    record(que_my_thanh, "10.1", value=60)
    with django_capture_on_commit_callbacks(execute=True):
        run("--today", "2024-06-20")
        output = run("--today", "2024-06-20")
    assert len(mailoutbox) == 2 and "0 digest(s) sent" in output


def test_dry_run_shows_the_digests_and_changes_nothing(workload, que_my_thanh, mailoutbox,
                                                       django_capture_on_commit_callbacks):
    record(que_my_thanh, "10.1", value=60)
    with django_capture_on_commit_callbacks(execute=True):
        output = run("--today", "2024-06-20", "--dry-run")
    assert mailoutbox == [] and "2 digest(s) would send" in output and "Nộp báo cáo môi trường" in output
    assert Alert.objects.filter(emailed_at__isnull=True).count() == 2


def test_the_digest_is_in_the_users_language(workload, people, que_my_thanh, mailoutbox,
                                             django_capture_on_commit_callbacks):
    NotificationSettings.objects.create(user=people["vpdp.tantru"], language="en")
    record(que_my_thanh, "10.1", value=60)
    with django_capture_on_commit_callbacks(execute=True):
        run("--today", "2024-06-20")
    office = next(m for m in mailoutbox if m.to[0].startswith("vpdp"))
    assert office.subject.startswith("NTM Tracker: digest for 2024-06-20") and "criterion 10 “Income”" in office.body


def test_a_bad_date_is_refused():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("notify", "--today", "20/06/2024")


def test_nothing_to_tell_builds_no_digest():
    assert build_digest(DigestInput("An", TODAY)) is None


def _workflow():
    models = pytest.importorskip("ntm.workflow.models")
    if not hasattr(models, "Assignment") or not hasattr(models, "FollowUp"):
        pytest.skip("ntm.workflow has no Assignment or FollowUp yet")
    return models


def _without_demo_work(wf) -> None:
    """Start from a district with no work recorded (the demo brings its own assignments and follow-ups)."""
    wf.FollowUp.objects.all().delete()
    wf.Assignment.objects.all().delete()


def test_the_workflow_adapter_reads_open_assignments_and_follow_ups(people, que_my_thanh):
    from django.utils import timezone

    wf = _workflow()
    _without_demo_work(wf)
    official = people["canbo.quemythanh"]
    wf.Assignment.objects.create(unit=que_my_thanh, criteria_set="commune-ntm-2021-2025", year=2024, criterion="10",
                                 responsible=official, due=date(2024, 6, 25), created_at=timezone.now())
    inspection = wf.Inspection.objects.create(district=que_my_thanh.parent, title="Kiểm tra tháng 6",
                                              date=date(2024, 6, 1), created_at=timezone.now())
    common = {"inspection": inspection, "commune": que_my_thanh, "owner": official}
    wf.FollowUp.objects.create(text="Nộp báo cáo môi trường", due=date(2024, 6, 10), **common)
    wf.FollowUp.objects.create(text="Đã xong", due=date(2024, 6, 11), done_at=timezone.now(), **common)
    wf.FollowUp.objects.create(text="Còn xa", due=date(2024, 8, 1), **common)
    due, overdue = work.split(work.open_work(TODAY)[official.pk], TODAY)
    assert [(r.title, r.unit) for r in due] == [("Tiêu chí 10 (2024)", "Xã Quê Mỹ Thạnh")]
    assert [r.title for r in overdue] == ["Nộp báo cáo môi trường"]


def test_the_person_assigned_to_the_criterion_is_told_instead_of_every_official(people, que_my_thanh):
    from django.utils import timezone

    wf = _workflow()
    _without_demo_work(wf)
    wf.Assignment.objects.create(unit=que_my_thanh, criteria_set="commune-ntm-2021-2025", year=2024, criterion="10",
                                 responsible=people["lanhdao.quemythanh"], due=date(2024, 6, 25),
                                 created_at=timezone.now())
    alerts = record(que_my_thanh, "10.1", value=60)
    assert sorted(a.recipient.username for a in alerts) == ["lanhdao.quemythanh", "vpdp.tantru"]
