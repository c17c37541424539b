"""The overview, criterion page and commune progress chart on the Tân Trụ demo, in a real browser."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo_loaded(transactional_db):
    from ntm.demo.loader import load_demo

    return load_demo()


def test_the_commune_page_draws_its_progress_chart(live_server, page, screenshot, demo_loaded, login):
    login(live_server, "canbo.quemythanh")
    page.goto(f"{live_server.url}/commune/c28084/?level=ntmnc&year=2024")

    canvas = page.locator("canvas#progress-chart")
    canvas.wait_for()
    page.wait_for_selector('canvas#progress-chart[data-drawn="true"]', timeout=5000)
    box = canvas.bounding_box()
    assert box and box["width"] > 200 and box["height"] > 150
    # Chart.js painted something: the canvas is not blank.
    assert page.evaluate("""() => {
        const c = document.getElementById('progress-chart');
        const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        for (let i = 3; i < d.length; i += 4) { if (d[i] !== 0) return true; }
        return false;
    }""")
    assert "15/19" in page.locator("table.history").inner_text()
    page.locator("#progress-title").scroll_into_view_if_needed()
    screenshot("commune-chart")


def test_the_overview_shows_hard_criteria_and_filters_pilots(live_server, page, screenshot, demo_loaded, login):
    login(live_server, "lanhdao.tantru")
    page.goto(f"{live_server.url}/district/d805/?level=ntmnc&year=2024")

    panel = page.locator("section.hard-criteria")
    assert "9/9 xã chưa đạt" in panel.inner_text()
    page.get_by_label("Chỉ xã điểm").check()
    page.get_by_role("button", name="Xem").click()
    page.wait_for_url("**pilot=1**")
    assert page.locator("tr[data-commune]").count() == 4
    screenshot("overview-pilots")


def test_a_department_opens_its_criterion_from_the_matrix(live_server, page, screenshot, demo_loaded, login):
    login(live_server, "phong.yte")
    page.goto(f"{live_server.url}/district/d805/?level=ntmnc&year=2024")

    page.get_by_role("link", name="Tiêu chí 10. Thu nhập").first.click()

    assert page.get_by_role("heading", level=1).inner_text() == "Tiêu chí 10. Thu nhập"
    assert page.get_by_text("0/9 xã đạt").is_visible()
    assert page.get_by_text("68,2 / 75 triệu đồng/người/năm: còn thiếu 6,8").is_visible()
    screenshot("criterion-income")


def test_the_province_office_sees_long_an(live_server, page, screenshot, demo_loaded, login):
    login(live_server, "vpdp.longan")
    page.goto(f"{live_server.url}/province/p80/?level=ntmnc&year=2024&pilot=1")

    assert page.get_by_role("heading", level=1).inner_text() == "Tỉnh Long An"
    assert page.locator("tr[data-commune]").count() == 4
    screenshot("province-pilots")
