"""Data entry for long sets on a weak link, in a real browser: a commune official jumps to a criterion from the
list, filters the rows without data, types a value that shows "chưa lưu" until the server confirms it, and
keeps what was typed when the connection drops or the page is reloaded offline."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

QMT = "c28084"
NTMNC = "commune-ntmnc-2021-2025"
YEAR = 2025  # Quê Mỹ Thạnh's last half-year before the merger: nothing entered yet
ENTRY = f"/entry/{QMT}/?year={YEAR}&set={NTMNC}"
INCOME = re.compile(r"Giá trị\s+chỉ tiêu 10\.1")
SAVE_INCOME = re.compile(r"Lưu\s+chỉ tiêu 10\.1")
OFFLINE_SHOWN = "document.querySelector('#row-10_1 [data-draft-status]').textContent.includes('mất kết nối')"


@pytest.fixture
def official(transactional_db, live_server, page, login):
    from ntm.demo.loader import load_demo

    load_demo(with_work=False, with_2026=False)
    login(live_server, "canbo.quemythanh")
    return page


def saved_income() -> Decimal | None:
    from ntm.figures.models import Figure

    figure = Figure.objects.filter(unit__key=QMT, criteria_set=NTMNC, indicator="10.1", year=YEAR,
                                   superseded_at__isnull=True).first()
    return figure.value if figure else None


def tabs_until(page, selector: str, limit: int = 80) -> int:
    """Tab presses until the focus is on `selector`."""
    for presses in range(1, limit + 1):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return presses
    raise AssertionError(f"{selector} not reached in {limit} Tab presses")


def no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.parametrize(("width", "height"), [(1366, 900), (390, 844)])
def test_official_jumps_to_income_filters_empty_rows_and_sees_not_saved_then_saved(live_server, official,
                                                                                   screenshot, width, height):
    page = official
    page.set_viewport_size({"width": width, "height": height})
    page.goto(live_server.url + ENTRY)
    assert no_sideways_scroll(page)
    if width > 1000:  # keyboard: skip link, then the list: income in far fewer presses than the 55 of a plain walk
        presses = tabs_until(page, "a.skip-link")
        page.keyboard.press("Enter")
        presses += tabs_until(page, 'a[href="#tc-10"]')
        page.keyboard.press("Enter")
        presses += tabs_until(page, 'input[name="i10_1-value"]')
        assert presses <= 25, presses

    jump = page.locator(".entry-jump")
    jump.get_by_role("link", name=re.compile(r"10\s*\.?\s*Thu nhập")).click()
    assert page.url.endswith("#tc-10")
    heading = page.locator("#h-tc-10").bounding_box()
    assert heading is not None and 0 <= heading["y"] < height / 2  # in view, not under the sticky list

    page.locator(".entry-filters").get_by_role("link", name=re.compile("Chưa có số liệu")).click()
    page.wait_for_url(re.compile(r"show=nodata"))
    rows = page.locator(".entry-row")
    assert rows.count() > 0 and page.locator(".entry-row .entry-history").count() == 0  # no row has a figure
    assert no_sideways_scroll(page)

    income = page.get_by_label(INCOME)
    income.fill("76,5")
    row = page.locator("#row-10_1")
    draft_status = row.locator("[data-draft-status]")
    assert draft_status.is_visible() and "Chưa lưu" in draft_status.inner_text()
    screenshot(f"entry-long-set-not-saved-{width}")

    page.get_by_role("button", name=SAVE_INCOME).click()
    row.locator(".entry-message-saved").wait_for()
    assert not row.locator("[data-draft-status]").is_visible()
    assert page.locator("#entry-drafts-summary").is_hidden()
    assert saved_income() == Decimal("76.5")
    assert no_sideways_scroll(page)
    screenshot(f"entry-long-set-saved-{width}")


def test_a_value_saved_while_the_network_is_cut_is_sent_when_it_returns(live_server, official, screenshot):
    page = official
    page.goto(live_server.url + ENTRY)
    page.get_by_label(INCOME).fill("77")

    page.context.set_offline(True)
    page.get_by_role("button", name=SAVE_INCOME).click()
    status = page.locator("#row-10_1 [data-draft-status]")
    page.wait_for_function(OFFLINE_SHOWN)
    assert "Chưa lưu" in status.inner_text()
    assert saved_income() is None
    screenshot("entry-offline-draft")

    page.context.set_offline(False)
    page.locator("#row-10_1 .entry-message-saved").wait_for(timeout=20_000)
    assert saved_income() == Decimal("77")
    assert page.locator("#entry-drafts-summary").is_hidden()


def test_a_draft_survives_a_reload_while_offline_and_is_saved_when_back(live_server, official):
    page = official
    page.goto(live_server.url + ENTRY)
    context = page.context
    # Chromium's offline emulation can let a request already being issued through under load; refusing the
    # figure posts as well makes "nothing reached the server while offline" certain.
    context.set_offline(True)
    context.route("**/*", lambda route: route.abort("internetdisconnected")
                  if route.request.method == "POST" else route.continue_())
    page.get_by_label(INCOME).fill("78,25")
    page.get_by_role("button", name=SAVE_INCOME).click()
    page.wait_for_function(OFFLINE_SHOWN)

    with pytest.raises(Exception, match="ERR_INTERNET_DISCONNECTED"):
        page.reload()
    assert saved_income() is None, saved_income()
    page.close()  # the error page would reload by itself when the network returns; open the page anew instead
    page = context.new_page()

    context.unroute("**/*")
    context.set_offline(False)
    page.goto(live_server.url + ENTRY)
    page.locator("#row-10_1 .entry-message-saved").wait_for(timeout=20_000)
    assert page.get_by_label(INCOME).input_value() == "78,25"
    assert saved_income() == Decimal("78.25")


def test_a_conflict_keeps_the_draft_shows_who_saved_and_sends_nothing_until_save(live_server, official):
    from django.contrib.auth import get_user_model

    from ntm.figures.actions import FigureInput, record_figure
    from ntm.units.models import Unit

    page = official
    page.goto(live_server.url + ENTRY)
    page.get_by_label(INCOME).fill("77")
    record_figure(FigureInput(unit=Unit.objects.get(key=QMT), criteria_set=NTMNC, indicator="10.1", year=YEAR,
                              value=Decimal("70")), by=get_user_model().objects.get(username="vpdp.tantru"))
    page.get_by_role("button", name=SAVE_INCOME).click()
    row = page.locator("#row-10_1")
    row.locator(".entry-message-stale").wait_for()
    assert "70" in row.locator(".entry-message-stale").inner_text()
    assert "vẫn được giữ" in row.locator("[data-draft-status]").inner_text()
    assert page.get_by_label(INCOME).input_value() == "77"
    assert saved_income() == Decimal("70")

    page.reload()  # kept, shown as a conflict, and not sent by itself
    assert page.get_by_label(INCOME).input_value() == "77"
    assert "vẫn được giữ" in page.locator("#row-10_1 [data-draft-status]").inner_text()
    page.wait_for_timeout(500)
    assert saved_income() == Decimal("70")

    page.get_by_role("button", name=SAVE_INCOME).click()  # the user has seen 70 and still means 77
    page.locator("#row-10_1 .entry-message-saved").wait_for()
    assert saved_income() == Decimal("77")
