"""The header on every page: site name, navigation, search box, who is signed in, log-out."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_anonymous_visitors_get_the_search_box_and_a_log_in_link(client, db):
    html = client.get(reverse("portal:home")).content.decode()

    assert re.search(r'<form class="site-search" role="search"', html)
    assert '<label for="site-search-q">' in html
    assert 'hx-trigger="keyup changed delay:300ms, search"' in html
    assert ">Đăng nhập</a>" in html
    assert "Tổng quan" not in html


def test_a_signed_in_user_sees_name_role_overview_and_a_logout_form(client, office_tan_tru):
    client.force_login(office_tan_tru)

    html = client.get(reverse("portal:home")).content.decode()

    assert "Phạm Thị Dung" in html
    assert "Văn phòng Điều phối NTM huyện (Huyện Tân Trụ)" in html
    assert f'href="{reverse("evaluation:home")}"' in html
    assert re.search(r'<form action="/accounts/logout/" method="post"><input type="hidden" name="csrfmiddlewaretoken"',
                     html)
    assert "Đăng xuất" in html


def test_logging_out_through_the_form_signs_the_user_out(client, office_tan_tru):
    client.force_login(office_tan_tru)

    client.post(reverse("logout"))

    assert ">Đăng nhập</a>" in client.get(reverse("portal:home")).content.decode()


def test_the_log_in_page_has_labelled_fields_and_shows_errors(client, demo):
    html = client.get(reverse("login")).content.decode()
    assert '<label for="id_username">Tên đăng nhập</label>' in html
    assert '<label for="id_password">Mật khẩu</label>' in html
    assert "tantru2024" not in html

    refused = client.post(reverse("login"), {"username": "vpdp.tantru", "password": "sai"}).content.decode()
    assert 'role="alert"' in refused
    assert 'value="vpdp.tantru"' in refused


def test_the_log_in_page_signs_in_and_returns_home(client, demo):
    response = client.post(reverse("login"), {"username": "vpdp.tantru", "password": "tantru2024"})

    assert response.status_code == 302
    assert "Phạm Thị Dung" in client.get(response.url).content.decode()
