"""The browser's language is honoured on a first visit to any page, not only the home page."""

import pytest


@pytest.mark.parametrize("path", ["/", "/overview/", "/search/?q=que+my+thanh"])
def test_a_first_visit_from_an_english_browser_goes_to_the_english_page(client, db, path):
    response = client.get(path, HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")
    assert response.status_code == 302
    assert response["Location"] == "/en" + path


def test_a_language_chosen_earlier_wins_over_the_browser(client, db):
    client.cookies["django_language"] = "vi"
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="en").status_code == 200


def test_a_vietnamese_browser_stays_on_the_unprefixed_pages(client, db):
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="vi-VN,vi;q=0.9").status_code == 200


def test_the_api_is_never_redirected(client, db):
    assert client.get("/api/openapi.json", HTTP_ACCEPT_LANGUAGE="en").status_code != 302
