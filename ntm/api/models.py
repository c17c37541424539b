"""API tokens: a machine's key to the API on behalf of one user, with that user's permissions."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def digest(token: str) -> str:
    """What we store of a token: its SHA-256. The token itself is shown once, when it is created."""
    return hashlib.sha256(token.encode()).hexdigest()


class ApiToken(models.Model):
    """One bearer token of one user; `revoked` once withdrawn, void after `expires` (kept for the record,
    never reused)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="api_tokens",
                             verbose_name=_("người dùng"))
    key_hash = models.CharField(_("mã băm SHA-256 của khóa"), max_length=64, unique=True, editable=False)
    prefix = models.CharField(_("đầu khóa"), max_length=12, editable=False,
                              help_text=_("Vài ký tự đầu, để nhận ra khóa mà không lộ khóa."))
    name = models.CharField(_("tên"), max_length=100, blank=True)
    created = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    last_used = models.DateTimeField(_("dùng lần cuối"), null=True, blank=True)
    revoked = models.DateTimeField(_("thu hồi lúc"), null=True, blank=True)
    expires = models.DateTimeField(_("hết hạn lúc"), null=True, blank=True,
                                   help_text=_("Trống: không hết hạn (chỉ người quản trị máy chủ đặt được)."))

    class Meta:
        verbose_name = _("khóa API")
        verbose_name_plural = _("khóa API")
        ordering = ["-created"]

    def __str__(self) -> str:
        return f"{self.user} — {self.name or self.prefix}"

    @property
    def expired(self) -> bool:
        return self.expires is not None and self.expires <= timezone.now()

    @property
    def active(self) -> bool:
        return self.revoked is None and not self.expired
