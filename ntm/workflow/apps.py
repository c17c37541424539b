from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkflowConfig(AppConfig):
    name = "ntm.workflow"
    verbose_name = _("Phân công, lộ trình và kiểm tra")
