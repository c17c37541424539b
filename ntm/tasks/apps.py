from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TasksConfig(AppConfig):
    """Background work: what users follow of it (`Job`), retries, the daily schedule, `ntm worker`."""

    name = "ntm.tasks"
    label = "ntm_tasks"
    verbose_name = _("Việc chạy nền")
