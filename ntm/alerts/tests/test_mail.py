"""Mailing new alerts (`send_alert_mails`) and reading alerts (`mark_read`, `mark_all_read`), on a few users of
their own: one message per person in their language, only to those who can and want to be mailed, each alert
mailed once; and where the digest draws the line between due and overdue (`work.split`)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from django.contrib.auth import get_user_model

from ntm.alerts import work
from ntm.alerts.actions import mark_all_read, mark_read, send_alert_mails
from ntm.alerts.digest import WorkRow
from ntm.alerts.models import Alert, NotificationSettings

NOW = datetime(2024, 6, 20, 7, 0, tzinfo=UTC)
DUE = {"due": "25/06/2024", "title": "Họp dân"}


@pytest.fixture
def users(db):
    make = get_user_model().objects.create_user
    out = {
        "an": make("an", email="an@example.vn", first_name="An", last_name="Nguyễn Văn"),
        "binh": make("binh", email="binh@example.vn"),
        "no_mail": make("khongthu", email=""),
        "inactive": make("danghi", email="danghi@example.vn", is_active=False),
        "opted_out": make("tatthu", email="tatthu@example.vn"),
    }
    NotificationSettings.objects.create(user=out["binh"], language="en")
    NotificationSettings.objects.create(user=out["opted_out"], email=False)
    return out


def alert(user, kind="due", params=DUE) -> Alert:
    return Alert.objects.create(kind=kind, params=params, recipient=user, created_at=NOW)


def test_each_person_gets_one_message_with_their_alerts_in_their_language(users, mailoutbox):
    mine = [alert(users["an"]), alert(users["an"], "overdue", {"due": "10/06/2024", "title": "Nộp báo cáo"})]
    theirs = alert(users["binh"], "overdue", {"due": "2024-06-10", "title": "Report"})

    assert send_alert_mails([a.pk for a in [*mine, theirs]], now=NOW) == 2

    by_to = {m.to[0]: m for m in mailoutbox}
    assert by_to["an@example.vn"].subject == "NTM Tracker: 2 cảnh báo mới"
    lines = by_to["an@example.vn"].body.split("\n")
    assert lines[0] == "Kính gửi Nguyễn Văn An,"  # family name first, as Vietnamese names are written
    assert sorted(lines[2:4]) == ["- Quá hạn từ ngày 10/06/2024: Nộp báo cáo", "- Đến hạn ngày 25/06/2024: Họp dân"]
    assert by_to["binh@example.vn"].subject == "NTM Tracker: 1 new alert(s)"
    assert "Dear binh,\n\n- Overdue since 2024-06-10: Report" in by_to["binh@example.vn"].body
    assert set(Alert.objects.values_list("emailed_at", flat=True)) == {NOW}


def test_nobody_is_mailed_twice_for_the_same_alert(users, mailoutbox):
    first = alert(users["an"])
    send_alert_mails([first.pk], now=NOW)
    second = alert(users["an"], params={"due": "30/06/2024", "title": "Kiểm tra"})

    assert send_alert_mails([first.pk, second.pk], now=NOW + timedelta(hours=1)) == 1

    assert len(mailoutbox) == 2 and "Kiểm tra" in mailoutbox[1].body and "Họp dân" not in mailoutbox[1].body


@pytest.mark.parametrize("who", ["no_mail", "inactive", "opted_out"])
def test_no_mail_for_those_without_an_address_inactive_or_opted_out_and_their_alerts_stay_unmailed(
        users, mailoutbox, who):
    kept = alert(users[who])

    assert send_alert_mails([kept.pk], now=NOW) == 0

    assert mailoutbox == []
    kept.refresh_from_db()
    assert kept.emailed_at is None  # mailed later if the person adds an address or opts in


def test_reading_keeps_the_first_time_and_all_read_counts_only_the_unread(users):
    first, second, other = alert(users["an"]), alert(users["an"]), alert(users["binh"])
    mark_read(first, now=NOW)
    mark_read(first, now=NOW + timedelta(days=1))

    assert Alert.objects.get(pk=first.pk).read_at == NOW
    assert mark_all_read(users["an"], now=NOW + timedelta(days=2)) == 1
    assert Alert.objects.get(pk=second.pk).read_at == NOW + timedelta(days=2)
    assert Alert.objects.get(pk=other.pk).read_at is None


def test_due_work_runs_from_today_to_seven_days_on_and_before_today_is_overdue():
    today = date(2024, 6, 20)
    rows = [WorkRow(str(d), today + timedelta(days=d)) for d in (-30, -1, 0, 7, 8)]

    due, overdue = work.split(rows, today)

    assert [r.title for r in due] == ["0", "7"]
    assert [r.title for r in overdue] == ["-30", "-1"]


def test_a_long_follow_up_is_shortened_for_the_digest():
    text = "Khắc phục " + "đường giao thông nội đồng " * 10

    assert work._shortened(text) == text[:119] + "…" and len(work._shortened(text)) == 120
    assert work._shortened(text[:120]) == text[:120]
