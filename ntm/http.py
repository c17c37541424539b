"""The request type of views that read `request.htmx` (set by django-htmx's middleware, which
Django's HttpRequest does not declare): annotate such a view's request with `HtmxHttpRequest`."""

from __future__ import annotations

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails
