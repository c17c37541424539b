"""The new Tây Ninh's province office in a browser: the summary of its communes by group, the list narrowed to
group 3, Xã Nhựt Tảo opened from the list with Quê Mỹ Thạnh's history beside it, and the map of the province
(synthetic square boundaries). One journey, as issue 9 asks."""

from __future__ import annotations

import re
from io import StringIO

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.browser.test_merged_commune_in_browser import see_predecessor_history

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PROVINCE = "p80-2025"
NHUT_TAO = "c28087-2025"


@pytest.fixture
def tay_ninh(transactional_db, tmp_path):
    """The 2026 demo, and a synthetic square per commune of the new Tây Ninh imported by the command."""
    from django.core.management import call_command

    from ntm.demo.loader import load_demo
    from ntm.maps.tests.shapes import squares, write
    from ntm.units.models import Kind, Unit

    load_demo(with_work=False, with_2026=True)
    codes = Unit.objects.filter(parent__key=PROVINCE, kind=Kind.COMMUNE).values_list("code", flat=True)
    call_command("units", "boundaries", str(write(tmp_path, squares(list(codes)))), stdout=StringIO())


def test_the_province_office_filters_group_3_opens_nhut_tao_with_its_history_and_the_map(
        live_server, page, login, screenshot, tay_ninh):
    from ntm.units.models import Kind, Unit

    login(live_server, "vpdp.tayninh")
    page.goto(live_server.url + reverse("evaluation:province", args=[PROVINCE]))
    expect(page.get_by_role("heading", level=1)).to_have_text("Tỉnh Tây Ninh")

    # The summary: the 82 communes counted by group, each group a row of the table.
    by_group = page.locator("table#by-group")
    expect(by_group.locator("caption")).to_have_text("Theo nhóm xã")
    groups = {g: Unit.objects.filter(parent__key=PROVINCE, kind=Kind.COMMUNE, commune_group=g).count()
              for g in ("G1", "G2", "G3")}
    for g, n in groups.items():
        expect(by_group.locator(f'tr[data-group="{g}"] td').first).to_have_text(str(n))
    expect(page.locator(".summary-lead")).to_contain_text("82 xã")
    expect(page.locator("table.matrix")).to_have_count(0)  # the full matrix only when asked for
    screenshot("province-summary")

    # Filter group 3: only its communes are listed.
    filters = page.locator("form.filter-form")
    filters.locator("select[name=group]").select_option("G3")
    filters.get_by_role("button", name="Xem").click()
    expect(page.locator("p.list-count")).to_contain_text(f"{groups['G3']}/82 xã")
    rows = page.locator("#communes tr[data-commune]")
    expect(rows).to_have_count(groups["G3"])
    expect(rows.filter(has_not_text="Nhóm 3")).to_have_count(0)
    screenshot("province-group-3")

    # Nhựt Tảo is in group 2: clear the filter, find it by name, open its page.
    page.get_by_role("link", name="Bỏ lọc").click()
    filters.locator("input[name=q]").fill("nhut tao")
    filters.get_by_role("button", name="Xem").click()
    expect(rows).to_have_count(1)
    rows.get_by_role("link", name="Nhựt Tảo").click()
    expect(page).to_have_url(re.compile(rf"/commune/{NHUT_TAO}/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Xã Nhựt Tảo")

    # Beside its own figures, the history of the communes it was formed from, labelled with their names.
    see_predecessor_history(page, "Xã Quê Mỹ Thạnh")
    screenshot("province-office-nhut-tao-history")

    # Back to the province, then its map: every commune drawn, the table beside it.
    page.go_back()
    page.go_back()
    page.locator("#map-link").get_by_role("link", name="Bản đồ").click()
    page.wait_for_selector('#map[data-drawn="true"]', timeout=10000)
    n = Unit.objects.filter(parent__key=PROVINCE, kind=Kind.COMMUNE).count()
    expect(page.locator("#map path.map-shape")).to_have_count(n)
    expect(page.locator("#map-data-table tbody tr")).to_have_count(n)
    screenshot("province-office-map")
