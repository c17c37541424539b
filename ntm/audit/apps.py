from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "ntm.audit"
    verbose_name = _("Nhật ký thay đổi")

    def ready(self) -> None:
        from . import logins, registry  # noqa: F401  (log-in receivers)

        registry.register_all()
