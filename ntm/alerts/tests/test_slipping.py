"""A criterion that was met and no longer is alerts the commune's officials and the district office."""

from io import StringIO

import pytest
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from ntm.alerts.models import Alert, AlertKind

from .conftest import record


def recipients(alerts, kind=AlertKind.CRITERION_SLIPPED):
    return sorted(a.recipient.username for a in alerts if a.kind == kind)


def test_income_falling_below_the_threshold_alerts_the_commune_official_and_the_district_office(
        people, que_my_thanh, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        alerts = record(que_my_thanh, "10.1", value=60)
    assert recipients(alerts) == ["canbo.quemythanh", "vpdp.tantru"]
    alert = alerts[0]
    assert (alert.criterion, alert.criteria_set, alert.year) == ("10", "commune-ntm-2021-2025", 2024)
    assert "tiêu chí 10 “Thu nhập”" in alert.message and "trước đạt, nay chưa đạt" in alert.message
    assert sorted(m.to[0] for m in mailoutbox) == ["canbo.quemythanh@example.vn", "vpdp.tantru@example.vn"]
    assert "Thu nhập" in mailoutbox[0].body
    assert Alert.objects.filter(emailed_at__isnull=True).count() == 0


def test_a_criterion_still_met_or_already_unmet_raises_nothing(people, que_my_thanh):
    assert record(que_my_thanh, "10.1", value=70) == []  # still met
    assert len(record(que_my_thanh, "10.1", value=60)) == 2
    assert record(que_my_thanh, "10.1", value=55) == []  # already not met


def test_no_mail_leaves_when_the_transaction_rolls_back(people, que_my_thanh, mailoutbox,
                                                        django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        record(que_my_thanh, "10.1", value=60)
    assert len(callbacks) == 1 and mailoutbox == []


def test_the_other_communes_official_is_not_told(people, que_my_thanh):
    alerts = record(que_my_thanh, "10.1", value=60)
    assert "canbo.binhtrinhdong" not in recipients(alerts)


def test_the_message_is_worded_in_the_readers_language(people, que_my_thanh):
    from django.utils import translation

    alert = record(que_my_thanh, "10.1", value=60)[0]
    with translation.override("en"):
        assert "criterion 10 “Income”" in alert.message


@pytest.mark.django_db(transaction=True)
def test_with_the_database_queue_the_alerts_are_there_at_once_and_the_worker_mails_them(
        people, que_my_thanh, mailoutbox, settings):
    settings.NTM_JOBS_INLINE = False  # the database queue, as in production: the save does not wait for mail
    alerts = record(que_my_thanh, "10.1", value=60)
    assert recipients(Alert.objects.all()) == recipients(alerts) == ["canbo.quemythanh", "vpdp.tantru"]
    assert mailoutbox == [] and DBTaskResult.objects.ready().count() == 1
    call_command("worker", "--batch", "--no-schedule", stdout=StringIO())
    assert sorted(m.to[0] for m in mailoutbox) == ["canbo.quemythanh@example.vn", "vpdp.tantru@example.vn"]
    assert Alert.objects.filter(emailed_at__isnull=True).count() == 0
