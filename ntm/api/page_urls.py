"""The token page, under the account pages (language-prefixed like every page)."""

from django.urls import path

from . import pages

urlpatterns = [
    path("", pages.tokens, name="api_tokens"),
    path("<int:pk>/revoke/", pages.revoke, name="api_token_revoke"),
]
