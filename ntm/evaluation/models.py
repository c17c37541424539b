"""Stored evaluation results, refreshed when figures change, so that no page evaluates while it loads."""

from __future__ import annotations

from django.conf import settings
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
    set_version = models.CharField(_("phiên bản bộ tiêu chí"), max_length=400)  # with its layers
    level = models.CharField(_("mức"), max_length=16)
    year = models.PositiveSmallIntegerField(_("năm"))
    met = models.PositiveSmallIntegerField(_("số tiêu chí đạt"))
    total = models.PositiveSmallIntegerField(_("tổng số tiêu chí"))
    unmet = models.JSONField(_("tiêu chí chưa đạt"), default=list)
    evaluated_at = models.DateTimeField(_("đánh giá lúc"))  # when the result was last computed
    # A digest of what the result rests on (set, scope, figures, engine): see store.py. A refresh
    # evaluates and writes again only the units whose digest changed.
    inputs_digest = models.CharField(_("dấu vết dữ liệu đầu vào"), max_length=32, blank=True, default="")

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


class RefreshJob(models.Model):
    """A re-evaluation of stored results after something they rest on changed (a published version, a
    commune's group or flags, restored data), run in the background; its progress is shown to users."""

    class State(models.TextChoices):
        QUEUED = "queued", _("Đang chờ")
        RUNNING = "running", _("Đang chạy")
        DONE = "done", _("Xong")
        FAILED = "failed", _("Lỗi")

    reason = models.CharField(_("lý do"), max_length=300)
    set_ids = models.JSONField(_("bộ tiêu chí"), default=list, blank=True)  # [] = every set
    unit_ids = models.JSONField(_("đơn vị"), default=list, blank=True)  # [] = every unit
    years = models.JSONField(_("năm"), default=list, blank=True)  # [] = every year with figures or results
    state = models.CharField(_("trạng thái"), max_length=10, choices=State.choices, default=State.QUEUED)
    done = models.PositiveIntegerField(_("đã xong"), default=0)
    total = models.PositiveIntegerField(_("tổng số bước"), default=0)
    written = models.PositiveIntegerField(_("số kết quả đã ghi"), default=0)
    error = models.TextField(_("lỗi"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+",
                                   verbose_name=_("người yêu cầu"))
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    finished_at = models.DateTimeField(_("xong lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("lượt đánh giá lại")
        verbose_name_plural = _("lượt đánh giá lại")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.reason} ({self.state} {self.done}/{self.total})"

    @property
    def percent(self) -> int:
        return 100 if not self.total else round(100 * self.done / self.total)
