from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpsConfig(AppConfig):
    """Running the installation for years: backup and restore (`ntm backup`, `ntm restore`)."""

    name = "ntm.ops"
    verbose_name = _("Vận hành")
