"""The lockout check in front of Django's password check (django-axes)."""

from __future__ import annotations

from axes.backends import AxesStandaloneBackend


class LockoutBackend(AxesStandaloneBackend):
    """Refuses a log-in while the user name or the address is locked out (see settings AXES_*).
    Checks made without a request (scripts, the test client's `login`) are not web log-ins and are not
    throttled: django-axes would otherwise refuse them outright."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
