from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MapsConfig(AppConfig):
    name = "ntm.maps"
    verbose_name = _("Bản đồ")

    def ready(self) -> None:
        from ntm.units import subcommands

        from . import command

        subcommands.register("boundaries", add_parser=command.add_parser, run=command.run)
