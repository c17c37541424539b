from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "ntm.portal"
    verbose_name = _("Cổng thông tin công khai và tìm kiếm")
