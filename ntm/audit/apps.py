from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "ntm.audit"
    verbose_name = _("Nhật ký thay đổi")

    def ready(self) -> None:
        from ntm.units.signals import classified

        from . import logins, registry  # noqa: F401  (log-in receivers)
        from .bulk import record_classified

        registry.register_all()
        classified.connect(record_classified, dispatch_uid="audit.record_classified")
