"""The province office sets the group of two communes on the classification page, with the decision."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from ntm.accounts.models import Role
from ntm.units.models import Classification, Unit
from ntm.units.tests.conftest import build_commune, build_province, build_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def lam_dong(transactional_db):
    province = build_province("Lâm Đồng")
    communes = [build_commune(name, province) for name in ("Đạ Huoai", "Bảo Lâm", "Di Linh")]
    build_user("vpdp.lamdong", Role.PROVINCE_OFFICE, province)
    return province, communes


def test_the_province_office_sets_group_2_for_two_communes(live_server, page, login, lam_dong, screenshot, settings):
    settings.NTM_JOBS_INLINE = True
    province, (first, second, third) = lam_dong
    login(live_server, "vpdp.lamdong")
    page.goto(live_server.url + reverse("units:classification", args=[province.key]))
    assert "3 xã chưa có nhóm" in page.locator("#group-count").inner_text()

    page.get_by_label("Xã Đạ Huoai").check()
    page.get_by_label("Xã Bảo Lâm").check()
    page.get_by_label("Nhóm xã").select_option("G2")
    page.get_by_label("Số quyết định").fill("88/QĐ-UBND")
    page.get_by_label("Ngày ký").fill("2026-02-20")
    page.get_by_label("Có hiệu lực từ").fill("2026-03-01")
    page.get_by_role("button", name="Ghi cho các xã đã chọn").click()

    page.wait_for_selector("text=Đã ghi 2 thay đổi cho 2 xã theo quyết định 88/QĐ-UBND")
    screenshot("classification-two-communes")
    assert page.locator(f'tr[data-commune="{first.key}"] .group').inner_text() == "Xã nhóm 2"
    assert page.locator(f'tr[data-commune="{second.key}"] .group').inner_text() == "Xã nhóm 2"
    assert page.locator(f'tr[data-commune="{third.key}"] .group').inner_text() == "chưa có"
    assert "1 xã chưa có nhóm" in page.locator("#group-count").inner_text()
    page.get_by_role("link", name="Chỉ xem xã chưa có nhóm").click()
    assert page.locator("tbody tr").count() == 1
    assert dict(Unit.objects.filter(parent=province).values_list("name", "commune_group")) == {
        "Đạ Huoai": "G2", "Bảo Lâm": "G2", "Di Linh": ""}
    assert set(Classification.objects.values_list("decision_number", "valid_from")) == {
        ("88/QĐ-UBND", date(2026, 3, 1))}
