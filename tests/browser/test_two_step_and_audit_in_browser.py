"""An administrator logs in through the form, is asked to set up two-step log-in, scans (here: reads) the key,
types the code, reaches the pages, and finds that log-in in the audit log."""

from __future__ import annotations

import re
import time
from base64 import b32decode

import pytest
from django_otp.oath import TOTP

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo_loaded(transactional_db):
    from ntm.demo.loader import load_demo

    return load_demo(with_work=False, with_2026=False)


def test_an_administrator_sets_up_two_step_log_in_and_sees_it_in_the_audit_log(live_server, page, demo_loaded,
                                                                               screenshot, settings):
    from ntm.accounts.demo_users import DEMO_PASSWORD

    settings.NTM_REQUIRE_2FA = True
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Tên đăng nhập").fill("quantri")
    page.get_by_label("Mật khẩu").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.get_by_role("heading", name="Bật đăng nhập hai bước").wait_for()
    assert page.locator("figure.qr svg").is_visible()
    screenshot("two-step-setup")
    key = b32decode(re.sub(r"\s", "", page.locator("figure.qr code").inner_text()))
    totp = TOTP(key)
    totp.time = time.time()
    page.get_by_label("Mã 6 số trong ứng dụng xác thực").fill(f"{totp.token():06d}")
    page.get_by_role("button", name="Xác nhận").click()
    page.get_by_text("Đã bật đăng nhập hai bước").wait_for()
    page.get_by_role("link", name="Nhật ký").click()
    page.get_by_role("heading", name="Nhật ký thay đổi").wait_for()
    page.get_by_label("Loại đối tượng").select_option("logins")
    page.get_by_role("button", name="Lọc").click()
    row = page.locator("table.audit-table tbody tr").first
    assert "Đăng nhập" in row.inner_text() and "quantri" in row.inner_text() and "127.0.0.1" in row.inner_text()
    screenshot("audit-log")
