"""Issuing and withdrawing API tokens: the one place where tokens change."""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.utils import timezone

from .models import ApiToken, digest

TOKEN_PREFIX = "ntm_"
LAST_USED_EVERY = timedelta(minutes=1)  # write `last_used` at most this often, not on every request


def create_token(user, *, name: str = "") -> tuple[ApiToken, str]:
    """A new token for `user`; returns the row and the token, which is never stored nor shown again."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    row = ApiToken.objects.create(user=user, key_hash=digest(token), prefix=token[:12], name=name)
    return row, token


def revoke_tokens(tokens) -> int:
    """Withdraw the given tokens (a queryset); returns how many were still active."""
    return tokens.filter(revoked__isnull=True).update(revoked=timezone.now())


def token_user(token: str):
    """The active user behind a bearer token, or None; notes when the token was used."""
    row = (ApiToken.objects.select_related("user")
           .filter(key_hash=digest(token), revoked__isnull=True).first())
    if row is None or not row.user.is_active:
        return None
    now = timezone.now()
    if row.last_used is None or now - row.last_used > LAST_USED_EVERY:
        ApiToken.objects.filter(pk=row.pk).update(last_used=now)
    return row.user
