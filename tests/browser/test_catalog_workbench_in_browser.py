"""The catalog workbench in a real browser: Long An's province office starts a new version of the
2026–2030 set, adds indicator 1.1 with levels for groups 1, 2 and 3 and their document, sees the diff and
cannot approve its own draft; an administrator approves; the job page reaches "Xong" and the stored
result of a commune with a figure for 1.1 changes."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from playwright.sync_api import expect

from ntm.accounts.models import Membership, Role
from ntm.catalog_source import reload_catalog
from ntm.evaluation.actions import refresh_results
from ntm.evaluation.models import CriterionResult, UnitResult
from ntm.figures.models import Figure
from ntm.units.models import Kind, Unit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SET = "commune-ntm-2026-2030"
DOC = "QD-51-2025-QD-TTg"


@pytest.fixture
def people_and_commune(transactional_db, settings):
    settings.NTM_JOBS_INLINE = True  # the job runs when the approval commits, in the server's thread
    settings.NTM_CATALOG_RECHECK_SECONDS = 0
    reload_catalog()
    long_an = Unit.objects.create(key="p80", code="80", name="Long An", division_type="tỉnh", kind=Kind.PROVINCE)
    for username, role, unit in [("vpdp.longan", Role.PROVINCE_OFFICE, long_an), ("quantri", Role.ADMIN, None)]:
        user = get_user_model().objects.create_user(username=username, first_name=username)
        Membership.objects.create(user=user, role=role, unit=unit)
    commune = Unit.objects.create(key="c99001-2025", code="99001", name="Mỹ Yên", division_type="xã",
                                  kind=Kind.COMMUNE, parent=long_an, valid_from=date(2025, 7, 1), commune_group="G2")
    now = timezone.now()
    Figure.objects.create(unit=commune, criteria_set=SET, indicator="1.0", year=2026, verdict=True, entered_at=now)
    Figure.objects.create(unit=commune, criteria_set=SET, indicator="1.1", year=2026, value=Decimal("50"),
                          entered_at=now)
    refresh_results(2026)
    yield commune
    reload_catalog()


def test_draft_a_new_indicator_a_second_person_approves_and_the_stored_result_follows(
        page, login, live_server, people_and_commune, screenshot):
    commune = people_and_commune
    assert UnitResult.objects.get(unit=commune, criteria_set=SET, year=2026).met == 1

    login(live_server, "vpdp.longan")
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Danh mục tiêu chí", exact=True).click()
    page.get_by_role("button", name=f"Soạn phiên bản mới của {SET}").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("phiên bản 2026.2")

    page.get_by_role("link", name="Thêm chỉ tiêu vào tiêu chí 1", exact=True).click()
    page.get_by_label("Mã chỉ tiêu").fill("1.1")
    page.get_by_label("Tên (tiếng Việt)").fill("Tỷ lệ đường xã được cứng hóa")
    page.get_by_label("Tên (tiếng Anh)").fill("Paved commune roads")
    page.get_by_label("Cách đánh giá").select_option(">=")
    page.get_by_label("Đơn vị tính").select_option("%")
    page.locator("#id_source_document").select_option(DOC)
    page.locator("#id_source_urls").fill("https://xaydungchinhsach.chinhphu.vn/qd-51-2025")
    for n, (scope, value) in enumerate([("G1", "90"), ("G2", "70"), ("G3", "60")]):
        expect(page.locator(f"#id_t-{n}-scope")).to_have_value(scope)
        page.locator(f"#id_t-{n}-value").fill(value)
        page.locator(f"#id_t-{n}-document").select_option(DOC)
        page.locator(f"#id_t-{n}-urls").fill("https://xaydungchinhsach.chinhphu.vn/qd-51-2025")
    page.get_by_role("button", name="Lưu chỉ tiêu").click()

    expect(page.locator(".messages")).to_contain_text("Đã lưu chỉ tiêu 1.1.")
    diff = page.locator("#diff")
    expect(diff).to_contain_text("Thêm 4, bỏ 0, sửa 0.")
    expect(diff).to_contain_text("Ngưỡng 1.1 G2")
    expect(page.locator("#check")).to_contain_text("Hợp lệ")
    expect(page.locator("#decide")).to_contain_text("Bạn là người soạn: chờ người thứ hai phê duyệt.")
    expect(page.get_by_role("button", name="Phê duyệt và áp dụng")).to_have_count(0)
    version_url = page.url.split("#")[0]  # the same URL with its fragment would not reload
    screenshot("catalog-draft-by-author")

    page.context.clear_cookies()
    login(live_server, "quantri")
    page.goto(version_url)
    page.get_by_label("Ý kiến phê duyệt").fill("Đúng Phụ lục I")
    page.get_by_role("button", name="Phê duyệt và áp dụng").click()
    expect(page).to_have_url(re.compile(r"/catalog/jobs/\d+/$"))
    expect(page.locator(".job-state")).to_have_text("Xong", timeout=30_000)
    expect(page.locator("#job-status")).to_contain_text("100%")
    screenshot("catalog-job-done")

    after = UnitResult.objects.get(unit=commune, criteria_set=SET, year=2026)
    assert after.met == 0 and "2026.2" in after.set_version
    criterion = CriterionResult.objects.get(unit=commune, criteria_set=SET, year=2026, criterion="1")
    assert criterion.status == "not_met"
    from ntm.evaluation.verify import differences

    assert differences() == []  # what `ntm results verify` checks: every stored result follows the new version
