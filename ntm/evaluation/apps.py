from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationConfig(AppConfig):
    name = "ntm.evaluation"
    verbose_name = _("Kết quả đánh giá")

    def ready(self) -> None:
        from ntm.figures.signals import figures_changed
        from ntm.units.signals import classified

        from .jobs import refresh_after_classification
        from .reactions import refresh_after_figures

        figures_changed.connect(refresh_after_figures, dispatch_uid="evaluation.refresh_after_figures")
        classified.connect(refresh_after_classification, dispatch_uid="evaluation.refresh_after_classification")
