"""The app's own pages work under its Content-Security-Policy (scripts, styles, images from this site only):
the browser reports no violation on the main pages, htmx still answers the header search, Chart.js still
draws the commune's chart, Leaflet still draws the map, the admin still loads."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGES = [
    "/", "/overview/", "/district/d805/?level=ntmnc&year=2024", "/commune/c28084/", "/entry/c28084/?year=2024",
    "/dossiers/c28084/", "/api/docs",
]


@pytest.fixture
def demo_loaded(transactional_db):
    from ntm.demo.loader import load_demo

    return load_demo()


@pytest.fixture
def violations(page):
    """Every CSP violation the browser reports, from the console and from `securitypolicyviolation`."""
    found: list[str] = []
    page.on("console", lambda m: found.append(m.text) if "Content Security Policy" in m.text else None)
    page.add_init_script("document.addEventListener('securitypolicyviolation', e => "
                         "console.error('Content Security Policy: ' + e.violatedDirective + ' ' + e.blockedURI))")
    return found


def test_main_pages_load_without_a_policy_violation(live_server, page, login, violations, demo_loaded):
    login(live_server, "vpdp.tantru")
    for path in PAGES:
        response = page.goto(live_server.url + path)
        assert response.status == 200, path
        policy = response.headers["content-security-policy"]
        assert "script-src 'self'" in policy and "unsafe-inline" not in policy
        page.wait_for_load_state("networkidle")
    assert violations == []


def test_htmx_and_chartjs_still_work_under_the_policy(live_server, page, login, violations, demo_loaded):
    login(live_server, "vpdp.tantru")
    page.goto(f"{live_server.url}/commune/c28084/")
    page.wait_for_function("() => window.Chart && Chart.getChart('progress-chart') !== undefined")
    page.get_by_role("search").get_by_label("Tìm xã, huyện, tiêu chí").type("que my")
    page.locator("#quick-results a").first.wait_for()
    assert violations == []


def test_the_admin_loads_under_the_policy(live_server, page, login, violations, demo_loaded, settings):
    settings.NTM_REQUIRE_2FA = False  # this test is about the policy, not the second factor
    login(live_server, "quantri")
    for path in ["/admin/", "/admin/auth/user/", "/admin/auth/user/1/change/"]:
        assert page.goto(live_server.url + path).status == 200, path
        page.wait_for_load_state("networkidle")
    assert violations == []


def test_the_map_draws_under_the_policy(live_server, page, login, violations, transactional_db, tmp_path):
    from io import StringIO

    from django.core.management import call_command

    from ntm.demo.loader import load_demo
    from ntm.maps.tests.shapes import squares, write
    from ntm.units.models import Kind, Unit

    load_demo(with_work=False, with_2026=True)
    codes = list(Unit.objects.filter(parent__key="p80-2025", kind=Kind.COMMUNE).values_list("code", flat=True))
    call_command("units", "boundaries", str(write(tmp_path, squares(codes))), "--attribution", "thử nghiệm",
                 stdout=StringIO())
    login(live_server, "vpdp.tayninh")
    page.goto(f"{live_server.url}/province/p80-2025/map/?level=ntm&year=2026")
    page.wait_for_selector('#map[data-drawn="true"]', timeout=10000)
    assert page.locator("#map path.map-shape").count() == len(codes)
    assert violations == []
