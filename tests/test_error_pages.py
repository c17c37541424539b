"""Error pages (400, 403, refused CSRF, 404, 500) speak the visitor's language, sit in the app's layout
(the 500 page in a small one of its own that needs no database, user or request), and say what to do next."""

from __future__ import annotations

import html
import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import path
from django.utils import translation

QMT = "c28084"


def boom(request):
    raise RuntimeError("a bug")


urlpatterns = [path("boom/", boom)]  # the 500 test's URL configuration: one view that fails


def text_of(response) -> str:
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode())))


def as_user(client, username: str):
    client.force_login(get_user_model().objects.get(username=username))
    return client


@pytest.mark.parametrize(("prefix", "title", "next_steps"), [
    ("", "Không tìm thấy trang", ["kiểm tra lại địa chỉ", "ô tìm kiếm", "về trang chủ", "Văn phòng Điều phối"]),
    ("/en", "Page not found", ["check the address", "search box", "go to the home page", "Coordination Office"]),
])
def test_a_missing_page_says_what_to_do_in_the_visitors_language(client, db, prefix, title, next_steps):
    response = client.get(f"{prefix}/khong-co-trang-nay/")
    assert response.status_code == 404
    text = text_of(response)
    assert f"{title} · NTM Tracker" in text and all(step in text for step in next_steps)
    assert 'class="site-header"' in response.content.decode()  # the app's layout, header and search


@pytest.mark.parametrize(("prefix", "says"), [
    ("", ["Không có quyền truy cập", "Tài khoản canbo.binhtrinhdong không có quyền", "về trang Tổng quan",
          "giao vai trò"]),
    ("/en", ["Access denied", "The account canbo.binhtrinhdong may not see or change this page",
             "go to the Overview page", "give your account that role"]),
])
def test_a_page_of_another_commune_is_refused_with_the_way_to_get_access(client, demo, prefix, says):
    response = as_user(client, "canbo.binhtrinhdong").get(f"{prefix}/exchange/commune/{QMT}/detail.xlsx")
    assert response.status_code == 403
    text = text_of(response)
    assert all(s in text for s in says)
    assert 'href="' + (f"{prefix}/overview/") + '"' in response.content.decode()


def test_a_visitor_who_is_not_logged_in_is_offered_the_log_in(rf, db):
    from django.contrib.auth.models import AnonymousUser
    from django.core.exceptions import PermissionDenied
    from django.views.defaults import permission_denied

    request = rf.get("/dossiers/d/1/")
    request.user = AnonymousUser()
    with translation.override("vi"):
        response = permission_denied(request, PermissionDenied())
    page = response.content.decode()
    assert response.status_code == 403 and "Đăng nhập" in page and "/accounts/login/?next=/dossiers/d/1/" in page


@pytest.mark.parametrize(("language", "says"), [
    ("vi", ["Biểu mẫu đã hết hạn", "Dữ liệu chưa được lưu", "tải lại trang", "đăng nhập lại"]),
    ("en", ["The form has expired", "Nothing was saved", "reload the page", "log in again"]),
])
def test_a_stale_form_is_refused_with_a_page_that_says_to_reload(db, language, says):
    client = Client(enforce_csrf_checks=True)
    client.cookies["django_language"] = language
    response = client.post("/accounts/login/" if language == "vi" else "/en/accounts/login/",
                           {"username": "x", "password": "y"})
    assert response.status_code == 403
    text = text_of(response)
    assert all(s in text for s in says)


@pytest.mark.parametrize(("language", "says"), [
    ("vi", ["Yêu cầu không hợp lệ", "Không có gì được lưu", "quay lại trang trước"]),
    ("en", ["Bad request", "Nothing was saved", "go back, reload the page"]),
])
def test_a_malformed_request_gets_a_page_in_the_visitors_language(client, db, language, says):
    client.cookies["django_language"] = language
    # A host name the site does not answer to.
    response = client.get("/" if language == "vi" else "/en/", HTTP_HOST="not-this-site.example")
    assert response.status_code == 400
    assert all(s in text_of(response) for s in says)


@pytest.mark.urls(__name__)
@pytest.mark.parametrize(("language", "says"), [
    ("vi", ["Đã có lỗi ở máy chủ", "chưa được lưu", "thử lại sau vài phút", "Văn phòng Điều phối", "về trang chủ"]),
    ("en", ["Something went wrong on the server", "may not have been saved", "try again in a few minutes",
            "Coordination Office", "go to the home page"]),
])
def test_a_server_error_says_what_to_do_without_needing_the_database(db, django_assert_num_queries, language, says):
    client = Client(raise_request_exception=False)
    client.cookies["django_language"] = language
    with django_assert_num_queries(0):
        response = client.get("/boom/")
    assert response.status_code == 500
    text = text_of(response)
    assert all(s in text for s in says) and "a bug" not in text
    assert f'<html lang="{language}">' in response.content.decode()
