"""A commune formed by the 1/7/2025 merger as the new province's office works on it in a browser: Xã Nhựt
Tảo shows Quê Mỹ Thạnh's history beside its own figures, and the office records the path the rule proposes.

`see_predecessor_history` and `record_proposed_path` are steps other browser tests can call on a page
that shows Xã Nhựt Tảo (e.g. after opening it from the province page)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NHUT_TAO = "c28087-2025"
QUE_MY_THANH = "c28084"


def see_predecessor_history(page: Page, predecessor: str = "Xã Quê Mỹ Thạnh") -> None:
    """The predecessors' section lists `predecessor` with its last year and opens its figures (loaded on
    opening), labelled with its name, year and set."""
    section = page.locator("#predecessors")
    expect(section.get_by_role("heading", name="Lịch sử các xã cũ hợp thành xã này")).to_be_visible()
    expect(section.locator("tr", has_text=predecessor)).to_contain_text("2024")
    section.locator("details summary", has_text=f"Số liệu của {predecessor} năm 2024").click()
    expect(section.locator("table caption", has_text=re.compile(rf"{predecessor} — năm 2024, NTMNC"))).to_be_visible()


def record_proposed_path(page: Page, note: str = "") -> None:
    """Record the path the form opens on (the rule's proposal, if it gives one) and check it is shown."""
    section = page.locator("#merger")
    form = section.locator("form")
    if not form.is_visible():
        section.locator("details.merger-form summary").click()
    if not form.get_by_role("radio", checked=True).count():  # the rule gave no path: reassess for NTM
        form.get_by_label("Rà soát, đánh giá lại theo bộ tiêu chí hiện hành").check()
        form.get_by_label("Mức (công nhận, hoặc mục tiêu xây dựng)").select_option("ntm")
    if note:
        form.get_by_role("textbox", name="Ghi chú").fill(note)
    form.get_by_role("button", name="Ghi hướng đã chọn").click()
    expect(page.locator("#merger .merger-decision")).to_contain_text("Tỉnh đã chọn:")


@pytest.fixture
def tay_ninh(transactional_db):
    """The demo with the new Tây Ninh; the three Tân Trụ communes that formed Xã Nhựt Tảo held NTM."""
    from ntm.demo.loader import load_demo
    from ntm.units.models import Recognition, Unit

    load_demo(with_work=False, with_2026=True)
    for key in (QUE_MY_THANH, "c28087", "c28078"):
        Recognition.objects.create(unit=Unit.objects.get(key=key), level="ntm", year=2019, is_demo=True)


def test_the_province_office_sees_que_my_thanh_beside_nhut_tao_and_records_the_path(
        live_server, page, login, screenshot, tay_ninh):
    login(live_server, "vpdp.tayninh")
    page.goto(live_server.url + reverse("evaluation:commune", args=[NHUT_TAO]))
    expect(page.get_by_role("heading", level=1)).to_have_text("Xã Nhựt Tảo")
    expect(page.locator(".facts .score")).to_contain_text("/10")

    see_predecessor_history(page)
    expect(page.locator("#merger")).to_contain_text("Chưa đề xuất được: chưa có thông tin công nhận của Xã Nhị Thành")
    expect(page.locator("#merger")).to_contain_text("Đề xuất, tỉnh chưa quyết định.")
    screenshot("merged-commune-before-decision")

    record_proposed_path(page, note="Chờ hồ sơ của Xã Nhị Thành.")

    expect(page.locator("#merger .merger-decision")).to_contain_text("Rà soát, đánh giá lại theo bộ tiêu chí hiện hành")
    expect(page.locator("#merger .merger-decision")).to_contain_text("Chờ hồ sơ của Xã Nhị Thành.")
    screenshot("merged-commune-path-recorded")
