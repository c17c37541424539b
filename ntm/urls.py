from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from ntm.server.health import healthz

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", include("ntm.api.urls")),  # no language prefix: machines call it
    path("healthz", healthz, name="healthz"),  # for probes: no language prefix, no log-in
]
urlpatterns += i18n_patterns(
    path("admin/", admin.site.urls),
    path("accounts/", include("ntm.accounts.urls")),
    path("accounts/tokens/", include("ntm.api.page_urls")),
    path("audit/", include("ntm.audit.urls")),
    path("", include("ntm.portal.urls")),
    path("", include("ntm.evaluation.urls")),
    path("", include("ntm.entry.urls")),
    path("", include("ntm.workflow.urls")),
    path("", include("ntm.recognition.urls")),
    path("", include("ntm.alerts.urls")),
    path("", include("ntm.resources.urls")),
    path("", include("ntm.catalogs.urls")),  # before exchange: its exchange/catalog/… come before exchange/<key>/…
    path("", include("ntm.exchange.urls")),
    path("", include("ntm.units.urls")),
    path("", include("ntm.reports.urls")),
    path("", include("ntm.maps.urls")),
    path("", include("ntm.tasks.urls")),
    prefix_default_language=False,
)
