"""Issuing and withdrawing API tokens: the one place where tokens change."""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from .models import ApiToken, digest

TOKEN_PREFIX = "ntm_"
LAST_USED_EVERY = timedelta(minutes=1)  # write `last_used` at most this often, not on every request


def create_token(user, *, name: str = "", days: int | None = None) -> tuple[ApiToken, str]:
    """A new token for `user`, valid `days` (default NTM_API_TOKEN_DAYS; 0 = no expiry); returns the row and
    the token, which is never stored nor shown again."""
    days = settings.NTM_API_TOKEN_DAYS if days is None else days
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    expires = timezone.now() + timedelta(days=days) if days > 0 else None
    row = ApiToken.objects.create(user=user, key_hash=digest(token), prefix=token[:12], name=name, expires=expires)
    return row, token


def revoke_tokens(tokens) -> int:
    """Withdraw the given tokens (a queryset); returns how many were still active. Row by row, so that each
    revocation is audited like any other change."""
    now = timezone.now()
    count = 0
    for row in tokens.filter(revoked__isnull=True):
        row.revoked = now
        row.save(update_fields=["revoked"])
        count += 1
    return count


def token_user(token: str):
    """The active user behind a bearer token, or None; notes when the token was used."""
    now = timezone.now()
    row = (ApiToken.objects.select_related("user")
           .filter(Q(expires__isnull=True) | Q(expires__gt=now), key_hash=digest(token), revoked__isnull=True).first())
    if row is None or not row.user.is_active:
        return None
    if row.last_used is None or now - row.last_used > LAST_USED_EVERY:
        ApiToken.objects.filter(pk=row.pk).update(last_used=now)
    return row.user
