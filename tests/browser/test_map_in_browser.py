"""The new Tây Ninh's office opens its communes' map (synthetic square boundaries) in a real browser."""

from __future__ import annotations

from io import StringIO

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo_with_squares(transactional_db, tmp_path):
    """The 2026 demo, and a square per commune of the new Tây Ninh but the last two, imported by the command."""
    from django.core.management import call_command

    from ntm.demo.loader import load_demo
    from ntm.maps.tests.shapes import squares, write
    from ntm.units.models import Kind, Unit

    load_demo(with_work=False, with_2026=True)
    communes = list(Unit.objects.filter(parent__key="p80-2025", kind=Kind.COMMUNE).order_by("code"))
    path = write(tmp_path, squares([c.code for c in communes[:-2]]))
    call_command("units", "boundaries", str(path), "--attribution", "Ô vuông tổng hợp (thử nghiệm)",
                 stdout=StringIO())
    return communes


def test_the_province_office_sees_its_communes_on_the_map_and_colours_by_one_criterion(
        live_server, page, screenshot, demo_with_squares, login):
    communes = demo_with_squares
    login(live_server, "vpdp.tayninh")
    page.goto(f"{live_server.url}/province/p80-2025/?level=ntm&year=2026")
    page.locator("#map-link").get_by_role("link", name="Bản đồ").click()
    page.wait_for_url("**/province/p80-2025/map/?level=ntm&year=2026")

    page.wait_for_selector('#map[data-drawn="true"]', timeout=10000)
    assert page.locator("#map path.map-shape").count() == len(communes) - 2
    assert page.locator("#map-data-table tbody tr").count() == len(communes)
    assert "2 đơn vị chưa có ranh giới" in page.locator("#map-missing").inner_text()
    assert page.locator("#map path.map-near").count() > 0  # some commune misses one or two criteria
    screenshot("map-province-score")

    page.get_by_label("Tô màu theo").select_option(index=1)
    page.get_by_role("button", name="Xem").click()
    page.wait_for_url("**colour=**")
    page.wait_for_selector('#map[data-drawn="true"]', timeout=10000)

    assert page.get_by_role("heading", level=2, name="Tiêu chí 1.").count() == 1
    rows = page.locator("#map-data-table tbody tr").evaluate_all(
        "rows => rows.map(r => [r.dataset.class, !r.querySelector('.no-shape')])")
    assert {css for css, _drawn in rows} <= {"met", "not_met", "no_data", "not_evaluable"}
    drawn_met = sum(1 for css, drawn in rows if drawn and css == "met")
    assert drawn_met > 0 and page.locator("#map path.map-met").count() == drawn_met
    page.locator("#map path.map-shape").first.hover()
    assert page.locator(".leaflet-tooltip").inner_text().count(":") >= 1
    screenshot("map-province-criterion")
