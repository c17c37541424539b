from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogsConfig(AppConfig):
    name = "ntm.catalogs"
    verbose_name = _("Bộ tiêu chí: phiên bản, lớp của tỉnh, phê duyệt")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from ntm.audit.scope import register_unit_of
        from ntm.catalog_source import read_published_from

        from .access import audit_unit_id
        from .published import in_force

        read_published_from(in_force)
        register_unit_of("catalogs.catalogversion", audit_unit_id)
