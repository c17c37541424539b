from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "ntm.portal"
    verbose_name = _("Cổng thông tin công khai và tìm kiếm")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from ntm.evaluation.signals import results_written
        from ntm.units.models import Recognition, Target

        # The home page shows targets and recognitions beside the results: a change to one is a new
        # generation of what it publishes, as are stored results (evaluation announces `results_written`).
        for model in (Target, Recognition):
            for name, signal in (("saved", post_save), ("deleted", post_delete)):
                signal.connect(_published_changed, sender=model, dispatch_uid=f"portal.{model.__name__}.{name}")
        results_written.connect(_published_changed, dispatch_uid="portal.results_written")


def _published_changed(**_kwargs) -> None:
    from . import generation

    generation.bump()
