"""The district and commune pages as a district office sees them in a browser."""

from __future__ import annotations

import pytest
from django.urls import reverse

from ntm.accounts.models import Role
from ntm.evaluation.tests.conftest import (
    NTMNC,
    YEAR,
    build_commune,
    build_district,
    build_province,
    build_user,
    meet_criteria,
    publish_office_levels,
    record,
    target,
)
from ntm.units.models import Succession

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def tan_tru(transactional_db):
    """Four pilot communes of Tân Trụ at different stages, and one commune not targeted."""
    district = build_district("Tân Trụ", build_province("Long An"))
    publish_office_levels(district.parent)  # the national set holds no income level: the office's own
    qmt = build_commune("Quê Mỹ Thạnh", district)
    for name, met in [("Bình Lãng", 17), ("Bình Trinh Đông", 12), ("Bình Tịnh", 6), ("Nhựt Ninh", 0)]:
        commune = build_commune(name, district)
        if name != "Nhựt Ninh":
            target(commune)
        meet_criteria(commune, met)
    target(qmt, basis="Nghị quyết 55-NQ/HU")
    meet_criteria(qmt, 9, judged_by="Văn phòng Điều phối NTM huyện")
    record(qmt, NTMNC, "14.0", YEAR, verdict=True, judged_by="Trạm Y tế xã", refresh=False)
    record(qmt, NTMNC, "14.1", YEAR, value="96.5", source_note="BHXH huyện, 10/2024", refresh=False)
    record(qmt, NTMNC, "10.1", YEAR, value="68.2", source_note="Chi cục Thống kê, điều tra hộ 2024")
    nhut_tao = build_commune("Nhựt Tảo", district)
    Succession.objects.create(predecessor=qmt, successor=nhut_tao, effective="2025-07-01")
    build_user("vpdp.tantru", Role.DISTRICT_OFFICE, district)
    return district, qmt


@pytest.fixture
def office(live_server, login, tan_tru):
    """The browser, logged in as Tân Trụ's district office."""
    login(live_server, "vpdp.tantru")
    return tan_tru


def test_district_page_shows_each_communes_score_and_status_words(live_server, page, screenshot, office):
    district, qmt = office
    page.goto(live_server.url + reverse("evaluation:district", args=[district.key]))

    row = page.locator(f'tr[data-commune="{qmt.key}"]')
    assert row.locator("td.score").inner_text().strip() == "10/19"
    cells = row.locator("td.status")
    assert cells.nth(0).locator(".visually-hidden").text_content() == "Đạt"
    assert cells.nth(10).locator(".visually-hidden").text_content() == "Chưa có số liệu"
    assert cells.nth(9).get_attribute("title").startswith("10: Chưa đạt")
    assert page.get_by_role("heading", level=1).inner_text() == "Huyện Tân Trụ"
    screenshot("district")


def test_commune_page_states_the_gap_in_plain_words(live_server, page, screenshot, office):
    _district, qmt = office
    page.goto(live_server.url + reverse("evaluation:commune", args=[qmt.key]))

    assert page.get_by_text("68,2 / 75 triệu đồng/người/năm: còn thiếu 6,8").is_visible()
    assert page.get_by_text("Sau ngày 1/7/2025, xã này trở thành:").is_visible()
    screenshot("commune")


def test_the_language_switch_turns_the_pages_into_english(live_server, page, screenshot, office):
    district, qmt = office
    page.goto(live_server.url + reverse("evaluation:commune", args=[qmt.key]))

    page.get_by_role("button", name="English").click()

    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("heading", name="Criteria", exact=True).is_visible()
    assert page.get_by_text("68.2 / 75 million VND/person/year: short by 6.8").is_visible()
    screenshot("commune-en")
    page.get_by_role("link", name="Huyện Tân Trụ").click()
    assert page.get_by_role("columnheader", name="Criteria met").is_visible()
    screenshot("district-en")
