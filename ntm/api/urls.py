"""The REST API under /api/ (no language prefix: machines call it)."""

from django.urls import path

from .api import api

urlpatterns = [
    path("", api.urls),
]
