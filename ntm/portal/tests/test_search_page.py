"""The search page: units by name with or without diacritics, criteria and indicators by name or code;
a signed-in user sees only the units they may read."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse


def search(client, q, **extra):
    return client.get(reverse("portal:search"), {"q": q}, **extra)


def results(response) -> str:
    html = response.content.decode()
    match = re.search(r'<div class="search-results".*?</div>', html, re.S)
    return match.group(0) if match else ""


def links(html: str) -> dict[str, str]:
    """Link text → href."""
    return {re.sub(r"\s+", " ", text).strip(): href
            for href, text in re.findall(r'<a href="([^"]+)">(.*?)</a>', html, re.S)}


pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("q", "name"), [
    ("que my thanh", "Xã Quê Mỹ Thạnh"),
    ("Quê Mỹ Thạnh", "Xã Quê Mỹ Thạnh"),
    ("binh trinh dong", "Xã Bình Trinh Đông"),
    ("xa binh trinh dong", "Xã Bình Trinh Đông"),
    ("tan tru", "Huyện Tân Trụ"),
    ("long an", "Tỉnh Long An"),
])
def test_finds_units_with_or_without_diacritics(client, demo, q, name):
    assert name in links(results(search(client, q)))


def test_the_exact_name_comes_first(client, demo):
    found = list(links(results(search(client, "tan tru"))))

    assert found[0] == "Huyện Tân Trụ"


def test_anonymous_visitors_are_sent_to_the_public_page_only(client, demo):
    found = links(results(search(client, "que my thanh")))

    assert found["Xã Quê Mỹ Thạnh"] == "/#area-d805"
    assert "/commune/" not in results(search(client, "que my thanh"))


@pytest.mark.parametrize(("q", "expected"), [
    ("thu nhap", "Tiêu chí 10. Thu nhập"),
    ("Thu nhập", "Tiêu chí 10. Thu nhập"),
    ("10.1", "Chỉ tiêu 10.1. Thu nhập bình quân đầu người khu vực nông thôn"),
    ("tieu chi 10", "Tiêu chí 10. Thu nhập"),
])
def test_finds_criteria_and_indicators_by_name_or_code(client, db, q, expected):
    assert expected in links(results(search(client, q)))


def test_a_criterion_links_to_its_place_in_its_criteria_set(client, db):
    html = results(search(client, "thu nhap"))

    assert 'href="/criteria/commune-ntmnc-2021-2025/#tc-10"' in html
    assert "Bộ tiêu chí quốc gia về xã nông thôn mới nâng cao giai đoạn 2021 - 2025" in html


def test_the_criteria_set_page_shows_the_criterion_and_its_indicators(client, db):
    html = client.get(reverse("portal:criteria_set", args=["commune-ntmnc-2021-2025"])).content.decode()

    assert 'id="tc-10"' in html
    assert 'id="ct-10.1"' in html
    assert client.get(reverse("portal:criteria_set", args=["nope"])).status_code == 404


def test_the_district_office_gets_links_to_the_communes_page(client, office_tan_tru):
    client.force_login(office_tan_tru)

    assert links(results(search(client, "que my thanh")))["Xã Quê Mỹ Thạnh"] == "/commune/c28084/"
    assert links(results(search(client, "tan tru")))["Huyện Tân Trụ"] == "/district/d805/"


def test_a_commune_official_does_not_find_a_commune_outside_her_scope(client, official_btd):
    client.force_login(official_btd)

    html = results(search(client, "que my thanh"))

    assert "Quê Mỹ Thạnh" not in html
    assert "/commune/c28084/" not in html
    assert links(results(search(client, "binh trinh dong")))["Xã Bình Trinh Đông"] == "/commune/c28090/"


def test_htmx_gets_only_the_results_fragment(client, demo):
    response = search(client, "que my thanh", HTTP_HX_REQUEST="true")

    html = response.content.decode()
    assert "<html" not in html
    assert "Xã Quê Mỹ Thạnh" in html


def test_without_javascript_the_full_page_shows_the_results(client, demo):
    html = search(client, "que my thanh").content.decode()

    assert "<html" in html
    assert 'id="search-results"' in html
    assert 'value="que my thanh"' in html


def test_nothing_found_says_so(client, db):
    assert "Không tìm thấy kết quả cho “zzzz”." in search(client, "zzzz").content.decode()
