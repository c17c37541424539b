"""Log-in guard: repeated failures lock the user name and the address (django-axes), an administrator
unlocks, every log-in and failure is in the audit trail, and a forgotten password is reset by e-mail."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command

from ntm.accounts.demo_users import DEMO_PASSWORD
from ntm.audit.models import AuditEntry

LOGIN = "/accounts/login/"


@pytest.fixture(autouse=True)
def _limit(settings):
    settings.AXES_FAILURE_LIMIT = 3


def log_in(client, username, password, ip="203.0.113.7"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip)


def test_the_right_password_is_refused_after_repeated_failures_and_the_page_says_why(client, demo):
    for _ in range(2):
        assert log_in(client, "canbo.quemythanh", "sai-mat-khau").status_code == 200
    assert log_in(client, "canbo.quemythanh", "sai-mat-khau").status_code == 429  # the third failure locks
    locked = log_in(client, "canbo.quemythanh", DEMO_PASSWORD)
    assert locked.status_code == 429
    text = locked.content.decode()
    assert "tạm bị khóa" in text and "15 phút" in text and "quản trị viên mở khóa" in text
    assert "_auth_user_id" not in client.session


def test_the_lock_holds_for_that_name_from_another_address_but_not_for_others(client, demo):
    for _ in range(3):
        log_in(client, "canbo.quemythanh", "sai", ip="203.0.113.7")
    assert log_in(client, "canbo.quemythanh", DEMO_PASSWORD, ip="198.51.100.9").status_code == 429
    assert log_in(client, "vpdp.tantru", DEMO_PASSWORD, ip="198.51.100.9").status_code == 302


def test_one_address_trying_many_names_is_locked_too(client, demo):
    for name in ("canbo.quemythanh", "vpdp.tantru", "phong.yte"):
        log_in(client, name, "sai", ip="192.0.2.66")
    assert log_in(client, "lanhdao.tantru", DEMO_PASSWORD, ip="192.0.2.66").status_code == 429
    assert log_in(client, "lanhdao.tantru", DEMO_PASSWORD, ip="192.0.2.67").status_code == 302


def test_an_administrator_unlocks_a_name_and_the_user_logs_in(client, demo):
    for _ in range(3):
        log_in(client, "canbo.quemythanh", "sai", ip="192.0.2.1")
    assert log_in(client, "canbo.quemythanh", DEMO_PASSWORD, ip="192.0.2.2").status_code == 429
    call_command("axes_reset_username", "canbo.quemythanh", stdout=None)
    assert log_in(client, "canbo.quemythanh", DEMO_PASSWORD, ip="192.0.2.2").status_code == 302


def test_the_admin_lists_the_lockout_and_deleting_it_unlocks(client, demo):
    from axes.models import AccessAttempt

    for _ in range(3):
        log_in(client, "canbo.binhtrinhdong", "sai", ip="192.0.2.5")
    attempt = AccessAttempt.objects.get(username="canbo.binhtrinhdong")
    client.force_login(get_user_model().objects.get(username="quantri"))
    listing = client.get("/admin/axes/accessattempt/")
    assert "canbo.binhtrinhdong" in listing.content.decode()
    client.post(f"/admin/axes/accessattempt/{attempt.pk}/delete/", {"post": "yes"})
    client.logout()
    assert log_in(client, "canbo.binhtrinhdong", DEMO_PASSWORD, ip="192.0.2.6").status_code == 302


def test_log_ins_and_failures_are_recorded_with_who_and_from_where(client, demo):
    log_in(client, "vpdp.tantru", "sai", ip="198.51.100.20")
    log_in(client, "khong.ton.tai", "sai", ip="198.51.100.21")
    log_in(client, "vpdp.tantru", DEMO_PASSWORD, ip="198.51.100.22")
    client.post("/accounts/logout/", REMOTE_ADDR="198.51.100.22")
    rows = list(AuditEntry.objects.filter(action=AuditEntry.Action.ACCESS).order_by("pk")
                .values_list("object_repr", "additional_data__event", "remote_addr", "actor__username"))
    assert rows == [
        ("vpdp.tantru", "login_failed", "198.51.100.20", None),
        ("khong.ton.tai", "login_failed", "198.51.100.21", None),
        ("vpdp.tantru", "login", "198.51.100.22", "vpdp.tantru"),
        ("vpdp.tantru", "logout", "198.51.100.22", "vpdp.tantru"),
    ]
    assert AuditEntry.objects.filter(additional_data__event="login").get().unit.key == "d805"


def test_a_forgotten_password_is_reset_through_the_link_mailed_to_the_user(client, demo):
    page = client.get("/accounts/password/reset/")
    assert page.status_code == 200 and "Quên mật khẩu" in page.content.decode()
    sent = client.post("/accounts/password/reset/", {"email": "canbo.quemythanh@demo.invalid"})
    assert sent.status_code == 302
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["canbo.quemythanh@demo.invalid"]
    assert "đặt lại mật khẩu" in mail.outbox[0].subject
    link = re.search(r"https?://[^/]+(/\S+/)", mail.outbox[0].body).group(1)
    form = client.get(link, follow=True)
    assert "Đặt mật khẩu mới" in form.content.decode()
    new = "moi-Mat-khau-2026"
    done = client.post(form.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})
    assert done.status_code == 302
    assert log_in(client, "canbo.quemythanh", "moi-Mat-khau-2026").status_code == 302
    assert client.get(link, follow=True).context["validlink"] is False  # the link works once


def test_an_unknown_address_gets_the_same_answer_and_no_mail(client, demo):
    sent = client.post("/accounts/password/reset/", {"email": "ai.do@example.invalid"})
    assert sent.status_code == 302 and mail.outbox == []


def test_a_signed_in_user_changes_the_password(client, demo):
    assert log_in(client, "phong.yte", DEMO_PASSWORD).status_code == 302
    assert "Đổi mật khẩu" in client.get("/accounts/").content.decode()
    changed = client.post("/accounts/password/change/", {
        "old_password": DEMO_PASSWORD, "new_password1": "Yte-2026-moi", "new_password2": "Yte-2026-moi"})
    assert changed.status_code == 302
    client.logout()
    assert log_in(client, "phong.yte", DEMO_PASSWORD).status_code == 200
    assert log_in(client, "phong.yte", "Yte-2026-moi").status_code == 302
    change = AuditEntry.objects.filter(content_type__model="user", action=AuditEntry.Action.UPDATE,
                                       actor__username="phong.yte").get()
    assert "password" in change.changes and DEMO_PASSWORD not in str(change.changes)
