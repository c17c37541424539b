"""Each role lands on its own page after log-in: the pages of its scope and what is due."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from ntm.accounts.demo_users import DEMO_PASSWORD

pytestmark = pytest.mark.django_db


def _page(client, username: str) -> str:
    client.force_login(get_user_model().objects.get(username=username))
    response = client.get("/me/")
    assert response.status_code == 200
    return response.content.decode()


def test_a_commune_official_lands_on_their_own_page_after_log_in(client, demo):
    response = client.post("/accounts/login/", {"username": "canbo.quemythanh", "password": DEMO_PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/me/"
    page = client.get("/me/").content.decode()
    assert 'href="/commune/c28084/"' in page and 'href="/entry/c28084/"' in page
    assert "Việc đến hạn và quá hạn" in page


def test_a_link_that_asked_for_log_in_still_leads_back_to_its_page(client, demo):
    response = client.post("/accounts/login/?next=/commune/c28084/",
                           {"username": "canbo.quemythanh", "password": DEMO_PASSWORD, "next": "/commune/c28084/"})
    assert response.status_code == 302 and response["Location"] == "/commune/c28084/"


def test_a_commune_leader_is_not_offered_data_entry(client, demo):
    page = _page(client, "lanhdao.quemythanh")
    assert 'href="/commune/c28084/"' in page and "/entry/c28084/" not in page


def test_a_department_finds_the_criteria_of_its_field_across_the_district(client, demo):
    page = _page(client, "phong.yte")
    assert "/district/d805/criterion/" in page
    assert "Y tế" in page  # the health criterion, by name


def test_a_province_office_after_the_merger_lands_on_its_province(client, demo_2026):
    page = _page(client, "vpdp.tayninh")
    assert 'href="/province/p80-2025/"' in page


def test_the_header_links_to_my_page_in_english_too(client, demo):
    client.force_login(get_user_model().objects.get(username="vpdp.tantru"))
    page = client.get("/en/me/").content.decode()
    assert 'href="/en/me/"' in page and "My page" in page
    assert 'href="/district/d805/"' not in page and 'href="/en/district/d805/"' in page


def test_the_district_office_is_offered_its_overdue_follow_ups_and_revocation_risk_a_department_is_not(client, demo):
    office = _page(client, "vpdp.tantru")
    assert 'href="/district/d805/follow-ups/overdue/"' in office and 'href="/district/d805/revocation-risk/"' in office
    department = _page(client, "phong.yte")
    assert "/follow-ups/overdue/" not in department and "/revocation-risk/" not in department
    assert client.get("/district/d805/follow-ups/overdue/").status_code == 403  # why it is not offered
