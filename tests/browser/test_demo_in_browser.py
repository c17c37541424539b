"""The Tân Trụ demo in a real browser: what a district secretary sees first."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo_loaded(transactional_db):
    from ntm.demo.loader import load_demo

    return load_demo()


def test_the_demo_district_shows_the_articles_scores(live_server, page, screenshot, demo_loaded, login):
    login(live_server, "vpdp.tantru")
    page.goto(f"{live_server.url}/district/d805/?level=ntmnc&year=2024")
    qmt = page.get_by_role("row").filter(has_text="Quê Mỹ Thạnh")
    btd = page.get_by_role("row").filter(has_text="Bình Trinh Đông")
    assert "15/19" in qmt.inner_text()
    assert "13/19" in btd.inner_text()
    assert page.get_by_text("Dữ liệu mẫu").first.is_visible()
    screenshot("demo-district")


def test_the_demo_commune_page_states_the_income_gap(live_server, page, screenshot, demo_loaded, login):
    login(live_server, "vpdp.tantru")
    page.goto(f"{live_server.url}/commune/c28084/?level=ntmnc&year=2024")
    assert page.get_by_text("68,2 / 75 triệu đồng/người/năm: còn thiếu 6,8").first.is_visible()
    assert page.get_by_text("Nhựt Tảo").first.is_visible()
    screenshot("demo-commune")
