"""Account pages: the account overview, two-factor set-up and verification, password change and reset
(Django's views with the app's templates). Locked-out log-ins are answered by lockout.py."""

from __future__ import annotations

from base64 import b32encode

import segno
from axes.utils import reset as reset_lockout
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from .forms import CodeForm
from .two_factor import HAS_DEVICE, confirmed_device, requires_two_factor


def _next_or(request, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return target
    return fallback


@login_required
def account(request):
    return render(request, "accounts/account.html", {
        "device": confirmed_device(request.user),
        "required": requires_two_factor(request.user),
    })


def _grouped(secret: str) -> str:
    return " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))


@login_required
def two_factor_setup(request):
    """Add an authenticator app: scan the code (or type the key), then confirm with one code. Whoever already
    has one must give its code first (a stolen password must not be enough to replace it)."""
    user = request.user
    if confirmed_device(user) is not None and not user.is_verified():
        return redirect(f"{reverse('two_factor_verify')}?next={reverse('two_factor_setup')}")
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=_("Ứng dụng xác thực"), confirmed=False)
    form = CodeForm(request.POST or None, device=device)
    if request.method == "POST" and form.is_valid():
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        otp_login(request, device)
        request.session[HAS_DEVICE] = True
        messages.success(request, _("Đã bật đăng nhập hai bước. Từ nay mỗi lần đăng nhập cần thêm mã trong ứng dụng."))
        return redirect(_next_or(request, reverse("account")))
    secret = b32encode(device.bin_key).decode()
    return render(request, "accounts/two_factor_setup.html", {
        "form": form, "qr_svg": segno.make(device.config_url, error="m").svg_inline(scale=4, light="#fff"),
        "secret": _grouped(secret), "required": requires_two_factor(user), "next": _next_or(request, ""),
    })


@login_required
def two_factor_verify(request):
    device = confirmed_device(request.user)
    if device is None:  # removed meanwhile (e.g. by an administrator after a lost phone)
        request.session[HAS_DEVICE] = False
        if requires_two_factor(request.user):
            return redirect("two_factor_setup")
        return redirect(_next_or(request, reverse("portal:me")))
    form = CodeForm(request.POST or None, device=device)
    if request.method == "POST" and form.is_valid():
        otp_login(request, device)
        return redirect(_next_or(request, reverse("portal:me")))
    return render(request, "accounts/two_factor_verify.html", {"form": form, "next": _next_or(request, "")})


@login_required
@require_POST
def two_factor_disable(request):
    if requires_two_factor(request.user):
        messages.error(request, _("Vai trò của bạn bắt buộc đăng nhập hai bước; không thể tắt."))
    elif request.user.is_verified() or confirmed_device(request.user) is None:
        TOTPDevice.objects.filter(user=request.user).delete()
        request.session[HAS_DEVICE] = False
        messages.success(request, _("Đã tắt đăng nhập hai bước."))
    return redirect("account")


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """A new password also lifts a lockout of that user name: proving access to the mailbox is enough."""

    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("password_reset_complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        reset_lockout(username=form.user.get_username())
        return response


password_change = auth_views.PasswordChangeView.as_view(template_name="accounts/password_change.html")
password_change_done = auth_views.PasswordChangeDoneView.as_view(template_name="accounts/password_change_done.html")
password_reset = auth_views.PasswordResetView.as_view(
    template_name="accounts/password_reset_form.html", email_template_name="accounts/password_reset_email.txt",
    subject_template_name="accounts/password_reset_subject.txt")
password_reset_done = auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html")
password_reset_confirm = PasswordResetConfirmView.as_view()
password_reset_complete = auth_views.PasswordResetCompleteView.as_view(
    template_name="accounts/password_reset_complete.html")
