from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkflowConfig(AppConfig):
    name = "ntm.workflow"
    verbose_name = _("Phân công, lộ trình và kiểm tra")

    def ready(self) -> None:
        from ntm.entry.views import read_assigned_from
        from ntm.evaluation.selectors import read_responsible_from

        from .selectors import assigned_to, responsible_by_criterion

        read_responsible_from(responsible_by_criterion)
        read_assigned_from(assigned_to)
