from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecognitionConfig(AppConfig):
    name = "ntm.recognition"
    verbose_name = _("Hồ sơ và công nhận")
