"""Only the API, so that its tests do not depend on every page's URLs importing cleanly."""

from django.urls import include, path

urlpatterns = [path("api/", include("ntm.api.urls"))]
