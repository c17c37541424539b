"""Honour the browser's language on a first visit to any page.

Vietnamese pages have no language prefix (i18n_patterns with prefix_default_language=False), and
Django shows unprefixed paths in LANGUAGE_CODE whatever the browser asks. So a first visit (no
language chosen yet) from a browser that prefers another supported language is sent to the same
page under that language's prefix ("/commune/c28084/" → "/en/commune/c28084/")."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponseRedirect
from django.urls import translate_url
from django.utils import translation
from django.utils.cache import patch_vary_headers

SKIPPED_PREFIXES = ("/api/", "/i18n/", "/static/", "/media/", "/admin/")


class BrowserLanguageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        language = self._first_visit_language(request)
        if language is not None:
            target = translate_url(request.get_full_path(), language)
            if target != request.get_full_path():
                response = HttpResponseRedirect(target)
                patch_vary_headers(response, ["Accept-Language", "Cookie"])
                return response
        response = self.get_response(request)
        patch_vary_headers(response, ["Accept-Language"])
        return response

    @staticmethod
    def _first_visit_language(request: HttpRequest) -> str | None:
        if request.method not in ("GET", "HEAD") or request.headers.get("HX-Request"):
            return None
        if request.path_info.startswith(SKIPPED_PREFIXES) or settings.LANGUAGE_COOKIE_NAME in request.COOKIES:
            return None
        if translation.get_language_from_path(request.path_info):
            return None
        preferred = translation.get_language_from_request(request, check_path=False)
        return None if preferred == settings.LANGUAGE_CODE else preferred
