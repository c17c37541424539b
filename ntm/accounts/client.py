"""Where a request comes from: one answer for the lockout (django-axes) and the audit trail."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str | None:
    """The client's address. Behind `NTM_PROXY_COUNT` trusted reverse proxies, the address the outermost of
    them saw (counted from the right of X-Forwarded-For, so a client cannot forge it); else REMOTE_ADDR."""
    proxies = getattr(settings, "NTM_PROXY_COUNT", 0)
    if proxies > 0:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR") or None
