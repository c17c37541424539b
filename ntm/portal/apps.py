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

        # The evaluation pages' cached parts are keyed by the same generation and the newest audit entry
        # (every other write is audited): see ntm.evaluation.page_cache.
        from ntm.evaluation import page_cache

        from . import generation

        page_cache.add_source(generation.current)
        page_cache.add_source(_newest_audit_entry)


def _newest_audit_entry() -> int:
    from ntm.audit.models import AuditEntry

    return AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def _published_changed(**_kwargs) -> None:
    from . import generation

    generation.bump()
