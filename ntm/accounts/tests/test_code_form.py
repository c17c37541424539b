"""The one-time code form on its own (what the person typed, what they are told, in both languages), who must use a
second factor, and how names are shown. A real TOTP device; no demo, no pages."""

from __future__ import annotations

import time

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.utils import translation
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from ntm.accounts.forms import CodeForm
from ntm.accounts.models import Membership, Role
from ntm.accounts.names import display_name
from ntm.accounts.two_factor import confirmed_device, requires_two_factor
from ntm.units.models import Kind, Unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def device():
    user = get_user_model().objects.create_user("vpdp.thu")
    return TOTPDevice.objects.create(user=user, name="điện thoại", confirmed=True)


def current_code(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    return f"{totp.token():06d}"


def errors(code: str, device: TOTPDevice | None, lang: str = "vi") -> list[str]:
    with translation.override(lang):
        form = CodeForm({"code": code}, device=device)
        return [] if form.is_valid() else [str(e) for e in form.errors["code"]]


def test_the_code_the_app_shows_is_accepted_with_or_without_its_space(device):
    code = current_code(device)
    form = CodeForm({"code": f" {code[:3]} {code[3:]} "}, device=device)
    assert form.is_valid() and form.cleaned_data["code"] == code


@pytest.mark.parametrize("typed", ["12345", "1234567", "12a456", "１２３４５６", "-12345", "12 34 5"])
def test_anything_but_six_digits_is_refused_before_the_device_is_asked(device, typed):
    assert errors(typed, device) == ["Mã gồm đúng 6 chữ số."]
    assert errors(typed, device, "en") == ["The code is exactly 6 digits."]
    device.refresh_from_db()
    assert device.throttling_failure_count == 0, "a typing mistake is not a wrong guess"


def test_a_blank_code_is_required():
    assert errors("", None, "en") == ["This field is required."]


def test_a_wrong_code_is_refused_then_a_second_try_must_wait(device):
    good = current_code(device)
    wrong = f"{(int(good) + 1) % 1_000_000:06d}"
    assert errors(wrong, device, "en") == ["Wrong or expired code; enter the code your app shows now."]
    assert errors(good, device, "en") == [
        "That was just a wrong code; wait a few seconds, then enter the code your app shows now."]
    assert errors(good, device) == ["Vừa nhập sai; hãy đợi vài giây rồi nhập mã đang hiện trong ứng dụng."]


def test_without_a_device_no_code_is_right(device):
    assert errors(current_code(device), None) == [
        "Mã không đúng hoặc đã hết hạn; hãy nhập mã đang hiện trong ứng dụng."]


def test_a_code_is_used_once(device):
    code = current_code(device)
    assert errors(code, device) == []
    assert errors(code, device, "en") == ["Wrong or expired code; enter the code your app shows now."]


def test_the_field_asks_phones_for_a_numeric_one_time_code():
    with translation.override("en"):
        field = CodeForm().fields["code"]
        assert str(field.label) == "The 6-digit code in your authenticator app"
    attrs = field.widget.attrs
    assert attrs["autocomplete"] == "one-time-code" and attrs["inputmode"] == "numeric"


def test_only_a_confirmed_device_counts(device):
    user = device.user
    assert confirmed_device(user) == device
    device.confirmed = False
    device.save()
    assert confirmed_device(user) is None


# --- Who must use a second factor -------------------------------------------------------------------------------


@pytest.fixture
def province():
    return Unit.objects.create(key="p99", code="99", name="Thử", division_type="tỉnh", kind=Kind.PROVINCE)


def member(username: str, role: str, unit: Unit | None):
    user = get_user_model().objects.create_user(username)
    Membership.objects.create(user=user, role=role, unit=unit)
    return user


@pytest.mark.parametrize(("role", "required"), [
    (Role.ADMIN, True), (Role.PROVINCE_OFFICE, True), (Role.DISTRICT_OFFICE, False),
    (Role.COMMUNE_OFFICIAL, False), (Role.DEPARTMENT, False), (Role.LEADER, False)])
def test_administrators_and_province_offices_must_use_a_second_factor(settings, province, role, required):
    settings.NTM_REQUIRE_2FA = True
    assert requires_two_factor(member("x", role, None if role == Role.ADMIN else province)) is required


def test_a_superuser_must_too_and_nobody_without_the_setting(settings, province):
    boss = get_user_model().objects.create_superuser("root")
    settings.NTM_REQUIRE_2FA = True
    assert requires_two_factor(boss) and not requires_two_factor(AnonymousUser())
    settings.NTM_REQUIRE_2FA = False
    assert not requires_two_factor(boss)
    assert not requires_two_factor(member("vpdp.tinh", Role.PROVINCE_OFFICE, province))


# --- Names ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("first", "last", "shown"), [
    ("Thị Dung", "Phạm", "Phạm Thị Dung"), ("Dung", "", "Dung"), ("", "Phạm", "Phạm"), ("", "", "canbo.x")])
def test_names_are_shown_family_name_first_else_the_username(first, last, shown):
    user = get_user_model()(username="canbo.x", first_name=first, last_name=last)
    assert display_name(user) == shown


def test_nobody_has_an_empty_name():
    assert display_name(None) == ""
