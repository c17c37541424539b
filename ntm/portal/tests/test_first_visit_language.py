"""The first-visit language redirect, in the cases the plain tests do not reach: what is never redirected (forms
posted, htmx fragments, the API, files, admin, an English page already), what a cache must know (Vary), and
browsers asking for a language the site does not have."""

from __future__ import annotations

import pytest

ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en-US,en;q=0.9"}


@pytest.fixture(autouse=True)
def _db(db):
    """The pages read the database."""


def test_a_head_request_is_redirected_like_a_get(client):
    response = client.head("/overview/", **ENGLISH)
    assert response.status_code == 302 and response["Location"] == "/en/overview/"


def test_the_redirect_tells_caches_it_depends_on_the_language_and_the_cookie(client):
    vary = client.get("/", **ENGLISH)["Vary"]
    assert "Accept-Language" in vary and "Cookie" in vary


def test_a_page_served_as_is_still_varies_by_language(client):
    assert "Accept-Language" in client.get("/", HTTP_ACCEPT_LANGUAGE="vi")["Vary"]


def test_an_htmx_fragment_is_never_redirected(client):
    response = client.get("/search/?q=que", HTTP_HX_REQUEST="true", **ENGLISH)
    assert response.status_code == 200


def test_a_form_posted_is_never_redirected(client):
    response = client.post("/accounts/login/", {"username": "x", "password": "y"}, **ENGLISH)
    assert response.status_code == 200, "the form is shown again with its error, in place"


@pytest.mark.parametrize("path", ["/static/ntm.css", "/media/jobs/1/x.pdf", "/admin/", "/i18n/setlang/",
                                  "/api/units"])
def test_files_admin_and_machine_paths_are_left_alone(client, path):
    response = client.get(path, **ENGLISH)
    assert not (response.status_code == 302 and response["Location"].startswith("/en/"))


def test_an_english_page_is_served_as_is(client):
    assert client.get("/en/search/?q=an", **ENGLISH).status_code == 200


def test_a_vietnamese_choice_made_earlier_keeps_english_browsers_on_vietnamese_pages(client):
    client.cookies["django_language"] = "vi"
    assert client.get("/search/?q=an", **ENGLISH).status_code == 200


@pytest.mark.parametrize("header", ["fr-FR,fr;q=0.9", "zh-CN", "", "*"])
def test_a_browser_asking_for_a_language_the_site_lacks_gets_vietnamese(client, header):
    assert client.get("/search/?q=an", HTTP_ACCEPT_LANGUAGE=header).status_code == 200


def test_english_preferred_after_another_missing_language_is_honoured(client):
    response = client.get("/overview/", HTTP_ACCEPT_LANGUAGE="fr-FR,fr;q=0.9,en;q=0.8")
    assert response.status_code == 302 and response["Location"] == "/en/overview/"


def test_an_unknown_page_is_not_sent_to_an_english_unknown_page(client):
    assert client.get("/khong-co-trang-nay/", **ENGLISH).status_code == 404
