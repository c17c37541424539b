"""Browser tests: Playwright (sync API) driving Debian's chromium against pytest-django's live server.
Run them alone with `pytest -m browser`; skip them with `-m "not browser"`."""

from __future__ import annotations

from pathlib import Path

import pytest

SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-component-update", "--disable-gpu"]


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "browser: drives a real browser against the live server (slow)")


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium)")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    """A fresh tablet-sized page (1024×768) in Vietnamese, as district offices use it."""
    context = browser.new_context(viewport={"width": 1024, "height": 768}, locale="vi-VN")
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def login(page):
    """`login(live_server, username)`: log the page's browser in as that user, through a session made by
    Django's test client (no log-in form needed), and return the user."""

    def log_in(live_server, username: str):
        from django.contrib.auth import get_user_model
        from django.test import Client

        user = get_user_model().objects.get(username=username)
        client = Client()
        client.force_login(user)
        page.context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value,
                                   "url": live_server.url}])
        return user

    return log_in


@pytest.fixture
def screenshot(page):
    def save(name: str) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return save
