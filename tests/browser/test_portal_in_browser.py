"""The public portal in a real browser: the home page, the search box in the header, the language
switch and the log-in form, against the Tân Trụ demo."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo_loaded(transactional_db):
    from ntm.demo.loader import load_demo

    return load_demo()


def test_the_home_page_shows_tan_trus_progress_to_anyone(live_server, page, screenshot, demo_loaded):
    page.goto(live_server.url + "/")

    area = page.locator("#area-d805")
    expect(area.get_by_role("heading", level=2)).to_contain_text("Huyện Tân Trụ")
    expect(area).to_contain_text("Tiến độ theo tiêu chí NTMNC năm 2024")
    expect(area.locator("li").filter(has_text="Quê Mỹ Thạnh")).to_contain_text("15/19")
    expect(area.get_by_text("Dữ liệu minh họa", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="Đăng nhập").first).to_be_visible()
    screenshot("home")


def test_the_national_home_page_opens_a_province_in_place(live_server, page, demo_loaded, monkeypatch):
    from ntm.portal import views

    monkeypatch.setattr(views, "OPEN_AREAS", 0)  # as with the whole country loaded
    page.goto(live_server.url + "/")
    expect(page.locator("#area-d805")).to_have_count(0)

    page.locator("#province-p80 summary").click()

    area = page.locator("#province-p80 #area-d805")
    expect(area).to_contain_text("Tiến độ theo tiêu chí NTMNC năm 2024")
    expect(area.locator("li").filter(has_text="Quê Mỹ Thạnh")).to_contain_text("15/19")
    assert page.url == live_server.url + "/"


def test_typing_in_the_header_search_box_shows_results_as_you_type(live_server, page, screenshot, demo_loaded):
    page.goto(live_server.url + "/")

    box = page.get_by_role("search").get_by_label("Tìm xã, huyện, tiêu chí")
    box.press_sequentially("que my thanh", delay=30)

    results = page.locator("#quick-results")
    expect(results.get_by_role("link", name="Xã Quê Mỹ Thạnh")).to_be_visible()
    screenshot("search")


def test_the_search_page_works_without_javascript_and_keeps_updating_with_it(live_server, page, demo_loaded):
    page.goto(live_server.url + "/search/?q=binh+trinh+dong")
    expect(page.locator("#search-results").get_by_role("link", name="Xã Bình Trinh Đông")).to_be_visible()

    box = page.get_by_label("Tìm xã, huyện, tiêu chí")
    box.fill("")
    box.press_sequentially("thu nhap", delay=30)

    expect(page.locator("#search-results").get_by_role("link", name="Tiêu chí 10. Thu nhập").first).to_be_visible()
    expect(page).to_have_url(re.compile(r"/search/\?q=thu(\+|%20)nhap$"))


def test_switching_language_on_the_home_page_shows_english(live_server, page, screenshot, demo_loaded):
    page.goto(live_server.url + "/")

    page.get_by_role("button", name="English").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Progress in building new-rural areas")
    expect(page.locator("#area-d805")).to_contain_text("Progress on the NTMNC criteria, 2024")
    assert page.locator("html").get_attribute("lang") == "en"
    screenshot("home-en")


def test_logging_in_through_the_form_shows_the_users_name_and_a_logout_button(live_server, page, screenshot,
                                                                             demo_loaded):
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Đăng nhập").first.click()

    page.get_by_label("Tên đăng nhập").fill("vpdp.tantru")
    page.get_by_label("Mật khẩu").fill("sai-mat-khau")
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("alert")).to_be_visible()
    screenshot("login")

    page.get_by_label("Mật khẩu").fill("tantru2024")
    page.get_by_role("button", name="Đăng nhập").click()

    expect(page.locator(".who-name")).to_have_text("Phạm Thị Dung")
    expect(page.get_by_role("button", name="Đăng xuất")).to_be_visible()
    expect(page.get_by_role("link", name="Tổng quan")).to_be_visible()
    screenshot("home-signed-in")


@pytest.mark.parametrize("width", [1024, 768])
def test_the_header_fits_a_tablet_and_is_keyboard_usable(live_server, page, screenshot, demo_loaded, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(live_server.url + "/")

    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Bỏ qua, tới nội dung")).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="NTM Tracker")).to_be_focused()
    if width == 768:
        screenshot("home-768")
