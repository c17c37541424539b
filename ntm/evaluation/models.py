"""Stored evaluation results, refreshed when figures change, so that no page evaluates while it loads."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from ntm.core.engine import Status
from ntm.units.models import Unit

STATUS_CHOICES = [
    (Status.MET.value, _("Đạt")),
    (Status.NOT_MET.value, _("Chưa đạt")),
    (Status.NO_DATA.value, _("Chưa có số liệu")),
    (Status.NOT_EVALUABLE.value, _("Chưa đánh giá được")),
]


class UnitResult(models.Model):
    """How one unit stands against one criteria set in one year: n of N criteria met."""

    unit = models.ForeignKey(Unit, models.CASCADE, related_name="results", verbose_name=_("đơn vị"))
    criteria_set = models.CharField(_("bộ tiêu chí"), max_length=64)
    set_version = models.CharField(_("phiên bản bộ tiêu chí"), max_length=40)
    level = models.CharField(_("mức"), max_length=16)
    year = models.PositiveSmallIntegerField(_("năm"))
    met = models.PositiveSmallIntegerField(_("số tiêu chí đạt"))
    total = models.PositiveSmallIntegerField(_("tổng số tiêu chí"))
    unmet = models.JSONField(_("tiêu chí chưa đạt"), default=list)
    evaluated_at = models.DateTimeField(_("đánh giá lúc"))

    class Meta:
        verbose_name = _("kết quả đơn vị")
        verbose_name_plural = _("kết quả đơn vị")
        constraints = [
            models.UniqueConstraint(fields=["unit", "criteria_set", "year"], name="one_result_per_unit_set_year"),
        ]
        indexes = [models.Index(fields=["criteria_set", "year"], name="unitresult_set_year")]

    def __str__(self) -> str:
        return f"{self.unit} {self.criteria_set} {self.year}: {self.met}/{self.total}"

    @property
    def reached(self) -> bool:
        return self.met == self.total


class CriterionResult(models.Model):
    """One criterion's status for a unit, set and year, with its indicators' outcomes."""

    unit = models.ForeignKey(Unit, models.CASCADE, related_name="criterion_results", verbose_name=_("đơn vị"))
    criteria_set = models.CharField(_("bộ tiêu chí"), max_length=64)
    year = models.PositiveSmallIntegerField(_("năm"))
    criterion = models.CharField(_("tiêu chí"), max_length=16)
    status = models.CharField(_("tình trạng"), max_length=16, choices=STATUS_CHOICES)
    provisional = models.BooleanField(_("dựa trên ngưỡng tạm tính"), default=False)
    indicators = models.JSONField(_("chỉ tiêu"), default=list)

    class Meta:
        verbose_name = _("kết quả tiêu chí")
        verbose_name_plural = _("kết quả tiêu chí")
        constraints = [
            models.UniqueConstraint(fields=["unit", "criteria_set", "year", "criterion"],
                                    name="one_result_per_criterion"),
        ]
        indexes = [models.Index(fields=["criteria_set", "year"], name="critresult_set_year")]

    def __str__(self) -> str:
        return f"{self.unit} {self.criteria_set} {self.year} {self.criterion}: {self.status}"
