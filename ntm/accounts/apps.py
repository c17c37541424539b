from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "ntm.accounts"
    verbose_name = _("Tài khoản và vai trò")

    def ready(self) -> None:
        from ntm.units import access as unit_access

        from .access import may_classify, unit_for_reader

        unit_access.register(unit_for_reader=unit_for_reader, may_classify=may_classify)
