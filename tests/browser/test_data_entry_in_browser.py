"""Data entry in a real browser: a commune official saves a figure and sees the criterion turn met."""

from __future__ import annotations

import re

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "tantru2024"


@pytest.fixture
def demo_loaded(transactional_db):
    from ntm.demo.loader import load_demo

    return load_demo()


def log_in(page, live_server, username: str) -> None:
    """Through the log-in form; through a session cookie if that page is not there yet."""
    page.goto(f"{live_server.url}/accounts/login/")
    if page.locator("#id_username").count():
        page.fill("#id_username", username)
        page.fill("#id_password", PASSWORD)
        page.locator("form.login-form button[type=submit], form button[type=submit]").last.click()
        page.wait_for_load_state()
        return
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client

    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url}])


def test_official_saves_income_and_the_criterion_turns_met_without_reload(live_server, page, screenshot,
                                                                           demo_loaded):
    log_in(page, live_server, "canbo.quemythanh")
    page.goto(f"{live_server.url}/entry/c28084/?year=2024&set=commune-ntmnc-2021-2025")
    status = page.locator("#status-10")
    assert "Chưa đạt" in status.inner_text()
    assert "15/19" in page.locator("#entry-score").inner_text()
    screenshot("entry")

    page.evaluate("window.notReloaded = true")
    income = page.get_by_label(re.compile(r"Giá trị\s+chỉ tiêu 10\.1"))
    income.fill("76")
    page.get_by_role("button", name=re.compile(r"Lưu\s+chỉ tiêu 10\.1")).click()
    page.locator("#row-10_1 .entry-message-saved").wait_for()

    assert "Đạt" in status.inner_text() and "Chưa" not in status.inner_text()
    assert "16/19" in page.locator("#entry-score").inner_text()
    assert page.evaluate("window.notReloaded") is True
    page.locator("#row-10_1").scroll_into_view_if_needed()
    screenshot("entry-after-save")

    # A commune official may not read the district page; the district office sees the new score there.
    page.context.clear_cookies()
    log_in(page, live_server, "vpdp.tantru")
    page.goto(f"{live_server.url}/district/d805/?level=ntmnc&year=2024")
    qmt = page.get_by_role("row").filter(has_text="Quê Mỹ Thạnh")
    assert "16/19" in qmt.inner_text()
