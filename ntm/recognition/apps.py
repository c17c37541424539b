from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecognitionConfig(AppConfig):
    name = "ntm.recognition"
    verbose_name = _("Hồ sơ và công nhận")

    def ready(self) -> None:
        from ntm.evaluation.lineage import read_decision_from
        from ntm.figures.locks import read_locks_from

        from .figure_locks import locks_of, may_lock
        from .merger import can_decide
        from .merger_views import decision_on_page

        read_decision_from(decision_on_page, can_decide)
        read_locks_from(locks_of, may_lock)
