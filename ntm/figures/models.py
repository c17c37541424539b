"""Figures: what a unit recorded for an indicator in a year. A correction adds a row; the row it
replaces gets `superseded_at`, so the history is never lost."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ntm.units.models import Unit

BOUND_CHOICES = [("", _("đúng bằng")), (">", _("trên")), (">=", _("từ … trở lên")), ("<", _("dưới")),
                 ("<=", _("từ … trở xuống"))]


class Figure(models.Model):
    """One recorded value: a number, a verdict (met / not met, with who judged it), or both."""

    unit = models.ForeignKey(Unit, models.CASCADE, related_name="figures", verbose_name=_("đơn vị"))
    criteria_set = models.CharField(_("bộ tiêu chí"), max_length=64)
    indicator = models.CharField(_("chỉ tiêu"), max_length=16)
    year = models.PositiveSmallIntegerField(_("năm"))
    value = models.DecimalField(_("giá trị"), max_digits=14, decimal_places=4, null=True, blank=True)
    # "" exact; ">", ">=", "<", "<=": the source gives only a bound ("trên 96 %"), `value` is that bound.
    bound = models.CharField(_("giới hạn"), max_length=2, blank=True, default="", choices=BOUND_CHOICES)
    verdict = models.BooleanField(_("kết luận đạt"), null=True, blank=True)
    judged_by = models.CharField(_("người/cơ quan kết luận"), max_length=120, blank=True)
    source_note = models.TextField(_("nguồn / minh chứng"), blank=True)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("người nhập"))
    entered_at = models.DateTimeField(_("thời điểm nhập"))
    superseded_at = models.DateTimeField(_("bị thay thế lúc"), null=True, blank=True)
    is_demo = models.BooleanField(_("dữ liệu mẫu"), default=False)

    class Meta:
        verbose_name = _("số liệu")
        verbose_name_plural = _("số liệu")
        constraints = [
            models.UniqueConstraint(fields=["unit", "criteria_set", "indicator", "year"],
                                    condition=Q(superseded_at__isnull=True), name="one_current_figure"),
            models.CheckConstraint(condition=Q(value__isnull=False) | Q(verdict__isnull=False),
                                   name="figure_has_value_or_verdict"),
            models.CheckConstraint(condition=Q(bound__in=["", ">", ">=", "<", "<="])
                                   & (Q(bound="") | Q(value__isnull=False)), name="figure_bound_has_value"),
        ]
        indexes = [models.Index(fields=["criteria_set", "year"], name="figure_set_year")]

    def __str__(self) -> str:
        return figure_text(str(self.unit), self.criteria_set, self.indicator, self.year, self.value, self.bound,
                           self.verdict)


def figure_text(unit: str, criteria_set: str, indicator: str, year: int, value, bound: str, verdict) -> str:
    """A figure as its audit entries name it, from its values (bulk writes build no instance)."""
    shown = f"{bound}{value}" if value is not None else verdict
    return f"{unit} {criteria_set}:{indicator} {year} = {shown}"


class FigureUnlock(models.Model):
    """A province office (or an administrator) lifting the lock a verified dossier puts on its figures,
    with the reason. It holds while the dossier stays at the step it was taken at (`step`); the dossier's
    next step locks the figures again."""

    dossier = models.ForeignKey("recognition.Dossier", models.CASCADE, related_name="figure_unlocks",
                                verbose_name=_("hồ sơ"))
    step = models.CharField(_("bước của hồ sơ khi mở khóa"), max_length=16)
    reason = models.TextField(_("lý do"))
    unlocked_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+",
                                    verbose_name=_("người mở khóa"))
    unlocked_at = models.DateTimeField(_("mở khóa lúc"))

    class Meta:
        verbose_name = _("mở khóa số liệu")
        verbose_name_plural = _("mở khóa số liệu")
        ordering = ["-unlocked_at", "-pk"]
        constraints = [models.CheckConstraint(condition=~Q(reason=""), name="figure_unlock_has_reason")]

    def __str__(self) -> str:
        return f"{self.dossier_id} {self.step} {self.unlocked_at:%Y-%m-%d}: {self.reason[:40]}"
