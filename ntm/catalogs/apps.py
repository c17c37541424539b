from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogsConfig(AppConfig):
    name = "ntm.catalogs"
    verbose_name = _("Bộ tiêu chí: phiên bản, lớp của tỉnh, phê duyệt")
    default_auto_field = "django.db.models.BigAutoField"
