"""Every link a demo user is shown is one they may open: log in as each demo user, follow the links of the
pages they reach (GET, three clicks deep, this site only) and fail on any answer other than 200 or a
redirect to a page that answers 200, listing each failing link with the page it was found on.

To keep the run within a few minutes, URLs are grouped by route and query keys and at most
`PER_ROUTE` URLs of a group are opened per user (downloads: one per group); the language switch, log-out,
the admin and the API are not followed."""

from __future__ import annotations

from collections import defaultdict, deque
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.shortcuts import resolve_url
from django.test import Client
from django.urls import Resolver404, resolve
from django.utils import translation

from ntm.accounts.demo_users import DEMO_USERS

DEPTH = 3
PER_ROUTE = 2
SKIPPED_PREFIXES = ("/i18n/", "/en/i18n/", "/admin/", "/en/admin/", "/api/", "/static/", "/media/")
SKIPPED_NAMES = {"logout", "login"}
DOWNLOAD_ENDINGS = (".xlsx", ".pdf", ".docx", ".yaml", ".csv", ".zip")


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        href = dict(attrs).get("href") if tag == "a" else None
        if href:
            self.hrefs.append(href)


def links_on(html: str) -> list[str]:
    parser = _Links()
    parser.feed(html)
    return parser.hrefs


def _local(href: str) -> str | None:
    """The path and query of a same-site link; None for other sites, anchors, mail and skipped areas."""
    parts = urlsplit(href)
    if parts.scheme not in ("", "http") or parts.netloc not in ("", "testserver") or not parts.path.startswith("/"):
        return None
    if parts.path.startswith(SKIPPED_PREFIXES):
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _group(url: str) -> tuple[str, tuple[str, ...]] | None:
    parts = urlsplit(url)
    try:
        match = resolve(parts.path)
    except Resolver404:
        return ("unresolved", ())  # still opened: it must not be shown if it answers 404
    if match.url_name in SKIPPED_NAMES:
        return None
    keys = tuple(sorted({k for k, _ in parse_qsl(parts.query, keep_blank_values=True)}))
    return (match.route, keys)


def _is_download(url: str, response) -> bool:
    path = urlsplit(url).path
    return path.endswith(DOWNLOAD_ENDINGS) or "text/html" not in response.get("Content-Type", "")


def _answer(client: Client, url: str) -> tuple[str | None, object]:
    """(a problem or None, the final response)."""
    response = client.get(url)
    hops = 0
    while response.status_code in (301, 302, 303, 307, 308) and hops < 5:
        target = response["Location"]
        if "/accounts/login/" in target:
            return f"sent to log-in ({target})", response
        response = client.get(target)
        hops += 1
    if response.status_code != 200:
        return f"answered {response.status_code}", response
    return None, response


def crawl(client: Client, starts: list[str]) -> tuple[list[str], int]:
    """Failing links as 'page → link: problem', and how many URLs were opened."""
    failures: list[str] = []
    seen: set[str] = set()
    per_group: dict[tuple, int] = defaultdict(int)
    queue = deque((url, "(start)", 0) for url in starts)
    opened = 0
    while queue:
        url, found_on, depth = queue.popleft()
        if url in seen:
            continue
        group = _group(url)
        if group is None:
            continue
        limit = 1 if url.endswith(DOWNLOAD_ENDINGS) else PER_ROUTE
        if per_group[group] >= limit:
            continue
        seen.add(url)
        per_group[group] += 1
        opened += 1
        problem, response = _answer(client, url)
        if problem:
            failures.append(f"{found_on} → {url}: {problem}")
            continue
        if depth >= DEPTH or _is_download(url, response):
            continue
        for href in links_on(response.content.decode("utf-8", "replace")):
            target = _local(href)
            if target and target not in seen:
                queue.append((target, url, depth + 1))
    return failures, opened


@pytest.mark.django_db
def test_every_link_shown_to_each_demo_user_opens(full_demo):
    users = get_user_model().objects.in_bulk([d.username for d in DEMO_USERS], field_name="username")
    report = []
    for demo in DEMO_USERS:
        client = Client(raise_request_exception=False)
        client.force_login(users[demo.username])
        with translation.override(settings.LANGUAGE_CODE):  # the last page visited left its language active
            landing = resolve_url(settings.LOGIN_REDIRECT_URL)  # where log-in leads, then the header's pages
        failures, opened = crawl(client, [landing, "/", "/overview/", "/my-work/", "/alerts/", f"/en{landing}"])
        assert opened > 5, f"{demo.username} reached only {opened} pages"
        report += [f"{demo.username}: {f}" for f in failures]
    assert not report, "Links that do not open for the user who sees them:\n" + "\n".join(report)
