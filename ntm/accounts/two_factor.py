"""Two-factor log-in (TOTP, django-otp): required for administrators and province offices when
NTM_REQUIRE_2FA is on, optional for everyone else; whoever has set it up is asked for a code at each log-in.

A signed-in user who still owes a code sees only the set-up or verification page and can log out; the API
treats such a session as not signed in (a bearer token still works: it was issued by a verified session
or by the server's operator)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.shortcuts import redirect
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from .access import is_admin, memberships_of
from .models import Role

HAS_DEVICE = "ntm_otp_has_device"  # session key: the user had a confirmed device when logging in
REQUIRED_ROLES = {Role.ADMIN, Role.PROVINCE_OFFICE}
OPEN_URL_NAMES = {"logout", "two_factor_setup", "two_factor_verify", "set_language"}


def requires_two_factor(user) -> bool:
    """Administrators and province offices must use a second factor (when NTM_REQUIRE_2FA)."""
    if not settings.NTM_REQUIRE_2FA or not getattr(user, "is_authenticated", False):
        return False
    return is_admin(user) or any(m.role in REQUIRED_ROLES for m in memberships_of(user))


def confirmed_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


@receiver(user_logged_in, dispatch_uid="ntm_two_factor_login")
def _remember_device(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        request.session[HAS_DEVICE] = TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def owes_code(request) -> str | None:
    """'verify' or 'setup' when the signed-in user must give a code first, else None."""
    user = request.user
    if not user.is_authenticated or user.is_verified():
        return None
    has_device = request.session.get(HAS_DEVICE)
    if has_device is None:  # a session from before two-factor existed
        has_device = request.session[HAS_DEVICE] = confirmed_device(user) is not None
    if has_device:
        return "verify"
    return "setup" if requires_two_factor(user) else None


class RequireTwoFactorMiddleware:
    """After django_otp's OTPMiddleware: sends whoever owes a code to the set-up or verification page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith((settings.STATIC_URL, "/i18n/")):
            return self.get_response(request)
        step = owes_code(request)
        if step is None:
            return self.get_response(request)
        if request.path.startswith("/api/"):
            request.user = AnonymousUser()  # the session does not count until the code is given
            return self.get_response(request)
        match = getattr(request, "resolver_match", None)
        if match is None:
            from django.urls import Resolver404, resolve

            try:
                match = resolve(request.path_info)
            except Resolver404:
                match = None
        if match is not None and match.url_name in OPEN_URL_NAMES:
            return self.get_response(request)
        target = reverse(f"two_factor_{step}")
        if request.method == "GET":
            target += "?" + urlencode({"next": request.get_full_path()})
        return redirect(target)
