"""Two-factor log-in: administrators and province offices must set up an authenticator before any page;
others may enable it, and then they are asked for a code at each log-in."""

import re
import time
from base64 import b32decode

import pytest
from django.contrib.auth import get_user_model
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from ntm.accounts.demo_users import DEMO_PASSWORD
from ntm.api.actions import create_token


@pytest.fixture(autouse=True)
def _required(settings):
    settings.NTM_REQUIRE_2FA = True


def code_for(key: bytes, *, later: int = 0) -> str:
    totp = TOTP(key)
    totp.time = time.time() + later
    return f"{totp.token():06d}"


def log_in(client, username):
    response = client.post("/accounts/login/", {"username": username, "password": DEMO_PASSWORD})
    assert response.status_code == 302, username
    return response


def secret_on(page) -> bytes:
    shown = re.search(r"<code>([A-Z2-7 ]+)</code>", page.content.decode())
    assert shown, "no secret shown"
    return b32decode(shown.group(1).replace(" ", ""))


def test_an_administrator_is_sent_to_set_up_two_factor_then_gets_in_with_a_code(client, demo):
    log_in(client, "quantri")
    page = client.get("/overview/")
    assert page.status_code == 302 and page.url.startswith("/accounts/two-factor/setup/")
    assert client.get("/admin/").url.startswith("/accounts/two-factor/setup/")
    setup = client.get(page.url)
    html = setup.content.decode()
    assert setup.status_code == 200 and "<svg" in html and "Quét mã QR" in html
    key = secret_on(setup)
    done = client.post(page.url, {"code": code_for(key), "next": "/overview/"})
    assert done.status_code == 302 and done.url == "/overview/"
    assert client.get("/overview/").status_code == 200
    assert client.get("/admin/").status_code == 200
    assert TOTPDevice.objects.get(user__username="quantri").confirmed


def test_a_province_office_with_an_authenticator_gives_a_code_at_the_next_log_in(client, demo):
    user = get_user_model().objects.get(username="vpdp.longan")
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    log_in(client, "vpdp.longan")
    asked = client.get("/catalog/")
    assert asked.url.startswith("/accounts/two-factor/verify/")
    assert client.get("/accounts/two-factor/setup/").url.startswith("/accounts/two-factor/verify/")  # no swap
    assert client.post(asked.url, {"code": "12345"}).status_code == 200  # five digits: refused
    assert client.post(asked.url, {"code": code_for(device.bin_key), "next": "/catalog/"}).url == "/catalog/"
    assert client.get("/catalog/").status_code == 200


def test_a_wrong_code_is_refused_and_a_second_try_must_wait(client, demo):
    log_in(client, "quantri")
    key = secret_on(client.get("/accounts/two-factor/setup/"))
    wrong = "000000" if code_for(key) != "000000" else "111111"
    assert "Mã không đúng" in client.post("/accounts/two-factor/setup/", {"code": wrong}).content.decode()
    again = client.post("/accounts/two-factor/setup/", {"code": code_for(key)})
    assert "hãy đợi vài giây" in again.content.decode()
    assert client.get("/overview/").status_code == 302


def test_log_out_and_language_stay_open_while_a_code_is_owed(client, demo):
    log_in(client, "vpdp.tayninh")
    assert client.post("/i18n/setlang/", {"language": "en", "next": "/"}).status_code == 302
    assert client.post("/accounts/logout/").status_code == 302
    assert "_auth_user_id" not in client.session


def test_the_api_ignores_a_session_that_owes_a_code_but_takes_a_token(client, demo):
    log_in(client, "vpdp.longan")
    assert client.get("/api/units/c28084").status_code == 401
    token = create_token(get_user_model().objects.get(username="vpdp.longan"))[1]
    assert client.get("/api/units/c28084", headers={"Authorization": f"Bearer {token}"}).status_code == 200


def test_a_commune_official_needs_no_second_factor_but_may_enable_it(client, demo):
    log_in(client, "canbo.quemythanh")
    assert client.get("/overview/").status_code == 200
    account = client.get("/accounts/").content.decode()
    assert "Bật đăng nhập hai bước" in account
    setup = client.get("/accounts/two-factor/setup/")
    key = secret_on(setup)
    assert client.post("/accounts/two-factor/setup/", {"code": code_for(key)}).status_code == 302
    client.post("/accounts/logout/")
    log_in(client, "canbo.quemythanh")
    assert client.get("/overview/").url.startswith("/accounts/two-factor/verify/")
    assert client.post("/accounts/two-factor/verify/", {"code": code_for(key, later=30)}).status_code == 302
    assert client.get("/overview/").status_code == 200
    client.post("/accounts/two-factor/disable/")
    assert not TOTPDevice.objects.filter(user__username="canbo.quemythanh").exists()


def test_a_required_role_cannot_turn_it_off(client, demo):
    user = get_user_model().objects.get(username="quantri")
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    log_in(client, "quantri")
    client.post("/accounts/two-factor/verify/", {"code": code_for(device.bin_key)})
    page = client.post("/accounts/two-factor/disable/", follow=True)
    assert "không thể tắt" in page.content.decode()
    assert TOTPDevice.objects.filter(user=user).exists()


def test_without_the_requirement_an_administrator_goes_straight_in(client, demo, settings):
    settings.NTM_REQUIRE_2FA = False
    log_in(client, "quantri")
    assert client.get("/overview/").status_code == 200
