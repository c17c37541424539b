"""The demo's administrator and province offices log in in two steps with the published demo key, whose
current codes `ntm demo_code` prints; a device removed by an administrator no longer blocks its owner."""

import re
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django_otp.plugins.otp_totp.models import TOTPDevice

from ntm.accounts.demo_users import DEMO_PASSWORD, give_demo_totp


@pytest.fixture(autouse=True)
def _required(settings):
    settings.NTM_REQUIRE_2FA = True


def test_the_demo_key_and_the_printed_code_let_the_administrator_in(client, demo):
    assert sorted(give_demo_totp()) == ["quantri", "vpdp.longan", "vpdp.tayninh"]
    out = StringIO()
    call_command("demo_code", stdout=out)
    codes = dict(re.findall(r"^(\S+): (\d{6}) ", out.getvalue(), re.M))
    assert set(codes) == {"quantri", "vpdp.longan", "vpdp.tayninh"}
    client.post("/accounts/login/", {"username": "quantri", "password": DEMO_PASSWORD})
    assert client.get("/overview/").url.startswith("/accounts/two-factor/verify/")
    assert client.post("/accounts/two-factor/verify/", {"code": codes["quantri"]}).status_code == 302
    assert client.get("/overview/").status_code == 200


def test_a_user_whose_device_was_removed_is_not_asked_for_a_code_any_more(client, demo):
    user = get_user_model().objects.get(username="vpdp.tantru")
    TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    client.post("/accounts/login/", {"username": "vpdp.tantru", "password": DEMO_PASSWORD})
    assert client.get("/overview/").url.startswith("/accounts/two-factor/verify/")
    TOTPDevice.objects.filter(user=user).delete()
    assert client.get("/accounts/two-factor/verify/").status_code == 302
    assert client.get("/overview/").status_code == 200
