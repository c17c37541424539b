"""At 390 px (a phone) the pages a commune official and a district office work on do not scroll sideways:
the document is no wider than the screen, in Vietnamese and in English."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
WIDEST = """() => [...document.querySelectorAll('body *')]
  .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1
               && !e.closest('.table-scroll, [role=region]'))
  .slice(0, 5).map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))"""


def _width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


def test_work_home_and_dossier_pages_fit_a_phone(live_server, page, login, full_demo, screenshot):
    from ntm.recognition.models import Dossier

    page.set_viewport_size(PHONE)
    missing = []
    page.on("response", lambda r: missing.append(r.url) if r.status >= 400 else None)
    dossier = Dossier.objects.filter(commune__key="c28084").first()
    wide = []
    for user, paths in (
        ("canbo.quemythanh", ["/my-work/", "/en/my-work/", "/me/", f"/dossiers/d/{dossier.pk}/",
                              f"/en/dossiers/d/{dossier.pk}/"]),
        ("vpdp.tantru", ["/me/", "/district/d805/assignments/", "/en/district/d805/assignments/"]),
    ):
        page.context.clear_cookies()
        login(live_server, user)
        for path in paths:
            page.goto(live_server.url + path)
            if _width(page) > PHONE["width"]:
                wide.append(f"{user} {path}: {_width(page)} px — {page.evaluate(WIDEST)}")
    screenshot("phone-my-work")
    icon = page.evaluate("document.querySelector('link[rel=icon]').href")
    assert page.request.get(icon).status == 200 and not missing, missing  # the favicon too: no 404 anywhere
    assert not wide, "Pages wider than a 390 px phone:\n" + "\n".join(wide)
