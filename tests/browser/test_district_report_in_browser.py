"""A district's report in a real browser: the district page's "Báo cáo PDF" button (a pill like the other
actions) queues the report, the office lands on the job's page, which turns to "Xong" once `ntm worker` has
built it and offers the PDF."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from ntm.accounts.models import Role
from ntm.evaluation.actions import refresh_results
from ntm.evaluation.tests.conftest import YEAR, build_commune, build_district, build_province, build_user, meet_criteria

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def district(transactional_db, settings):
    settings.NTM_JOBS_INLINE = False  # the database queue, as in production
    district = build_district("Đông Hòa", build_province("Bình An"))
    for name, met in (("Mỹ Bình", 5), ("An Lạc", 3)):
        meet_criteria(build_commune(name, district), met)
    refresh_results(YEAR)
    build_user("vpdp.donghoa", Role.DISTRICT_OFFICE, district)
    return district


def test_the_district_pdf_is_asked_for_on_the_page_and_downloaded_when_ready(page, login, live_server, district,
                                                                             screenshot):
    login(live_server, "vpdp.donghoa")
    page.goto(f"{live_server.url}/district/{district.key}/?level=ntmnc&year={YEAR}")
    button = page.get_by_role("button", name="Báo cáo PDF")
    link = page.get_by_role("link", name="Nguồn lực")
    assert button.evaluate("b => getComputedStyle(b).borderRadius") == link.evaluate(
        "a => getComputedStyle(a).borderRadius")
    assert button.evaluate("b => getComputedStyle(b).color") == link.evaluate("a => getComputedStyle(a).color")
    screenshot("district-report-buttons")
    button.click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Báo cáo tổng hợp huyện")
    expect(page.locator(".job-state")).to_have_text("Đang chờ")
    call_command("worker", "--batch", "--no-schedule", verbosity=0)
    expect(page.locator(".job-state")).to_have_text("Xong", timeout=10_000)  # the page polls every 2 s
    expect(page.get_by_text("2 xã, 0 xã đạt đủ tiêu chí")).to_be_visible()
    name = f"tong-hop-{district.key}-ntmnc-{YEAR}.pdf"
    with page.expect_download() as download:
        page.get_by_role("link", name=f"Tải về {name}").click()
    assert download.value.suggested_filename == name
