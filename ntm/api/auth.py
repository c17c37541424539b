"""How API callers prove who they are: a bearer token (machines) or the browser's session (people
already logged in to the pages). With a session, unsafe methods need the CSRF token like a form post.
Either way the caller gets exactly the permissions the pages would give the same user."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from ninja.errors import HttpError
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from .actions import token_user


class TokenAuth(HttpBearer):
    """`Authorization: Bearer <token>`, a token from `ntm api_token create`."""

    def authenticate(self, request: HttpRequest, token: str):
        return token_user(token) if token else None


class SessionAuth(APIKeyCookie):
    """The Django session cookie. Anonymous callers get 401 (not a CSRF 403): the CSRF check only
    runs once a logged-in session is found."""

    param_name = settings.SESSION_COOKIE_NAME

    def __init__(self) -> None:
        super().__init__(csrf=False)  # checked below, after we know there is a session

    def authenticate(self, request: HttpRequest, key: str | None):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        if request.method not in ("GET", "HEAD", "OPTIONS", "TRACE") and check_csrf(request):
            raise HttpError(403, "CSRF check failed")
        return user


API_AUTH = [TokenAuth(), SessionAuth()]
