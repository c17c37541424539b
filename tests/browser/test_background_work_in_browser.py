"""Background work in a real browser: a province office asks for the report of all its communes, lands on the
job's page ("Đang chờ"), and — once `ntm worker` has run it — the page turns to "Xong" by itself (htmx, no
reload) and offers the download."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from ntm.accounts.models import Role
from ntm.evaluation.actions import refresh_results
from ntm.evaluation.tests.conftest import YEAR, build_commune, build_district, build_province, build_user, meet_criteria

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def province(transactional_db, settings):
    settings.NTM_JOBS_INLINE = False  # the database queue, as in production: nothing runs until the worker does
    province = build_province("Bình An")
    for name, met in (("Mỹ Bình", 5), ("An Lạc", 3)):
        meet_criteria(build_commune(name, build_district("Đông Hòa", province)), met)
    refresh_results(YEAR)
    build_user("vpdp.binhan", Role.PROVINCE_OFFICE, province)
    return province


def test_a_province_report_is_followed_until_it_can_be_downloaded(page, login, live_server, province, screenshot):
    login(live_server, "vpdp.binhan")
    page.goto(f"{live_server.url}/reports/province/{province.key}/?level=ntmnc&year={YEAR}")
    page.get_by_label("Định dạng").select_option("xlsx")
    page.get_by_role("button", name="Lập báo cáo").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Báo cáo toàn tỉnh")
    expect(page.locator(".job-state")).to_have_text("Đang chờ")
    screenshot("background-report-waiting")

    call_command("worker", "--batch", "--no-schedule", verbosity=0)  # what `ntm worker` does on its host

    expect(page.locator(".job-state")).to_have_text("Xong", timeout=10_000)  # the page polls every 2 s
    expect(page.get_by_text("2 xã, 0 xã đạt đủ tiêu chí")).to_be_visible()
    screenshot("background-report-done")
    with page.expect_download() as download:
        page.get_by_role("link", name=f"Tải về bao-cao-toan-tinh-{province.key}-ntmnc-{YEAR}.xlsx").click()
    assert download.value.suggested_filename == f"bao-cao-toan-tinh-{province.key}-ntmnc-{YEAR}.xlsx"
