from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AlertsConfig(AppConfig):
    name = "ntm.alerts"
    verbose_name = _("Cảnh báo và thông báo")

    def ready(self) -> None:
        from ntm.evaluation.signals import results_refreshed

        from .actions import on_results_refreshed

        results_refreshed.connect(on_results_refreshed, dispatch_uid="alerts.on_results_refreshed")
