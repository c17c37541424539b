"""Who answers for what, the district's roadmap, and what its inspections concluded.

Rows here are working records, not history: an assignment or follow-up is edited as the work moves on.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ntm.evaluation.models import STATUS_CHOICES
from ntm.units.models import Unit


class Assignment(models.Model):
    """One official answers for one criterion (or one of its indicators) of a commune, for a set and year,
    helped by a district department, by a due date ("phân công phụ trách tiêu chí")."""

    unit = models.ForeignKey(Unit, models.CASCADE, related_name="assignments", verbose_name=_("xã"))
    criteria_set = models.CharField(_("bộ tiêu chí"), max_length=64)
    year = models.PositiveSmallIntegerField(_("năm"))
    criterion = models.CharField(_("tiêu chí"), max_length=16)
    indicator = models.CharField(_("chỉ tiêu"), max_length=16, blank=True)
    responsible = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="assignments",
                                    verbose_name=_("người phụ trách"))
    department = models.CharField(_("phòng, ngành hỗ trợ"), max_length=40, blank=True)
    due = models.DateField(_("hạn hoàn thành"), null=True, blank=True)
    note = models.TextField(_("ghi chú"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("người giao"))
    created_at = models.DateTimeField(_("giao lúc"))
    is_demo = models.BooleanField(_("dữ liệu mẫu"), default=False)

    class Meta:
        verbose_name = _("phân công")
        verbose_name_plural = _("phân công")
        ordering = ["due", "unit__name", "criterion"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "criteria_set", "year", "criterion", "indicator", "responsible"],
                                    name="one_assignment_per_person_and_item"),
        ]
        indexes = [models.Index(fields=["responsible", "due"], name="assignment_responsible_due")]

    def __str__(self) -> str:
        item = self.indicator or self.criterion
        return f"{self.unit} {self.criteria_set} {self.year} {item}: {self.responsible}"


class Plan(models.Model):
    """A district's (or province's) roadmap from a resolution: `communes_target` communes at `level` in
    `year`, and the district itself too when `district_targets` (e.g. 55-NQ/HU of 06/12/2023)."""

    unit = models.ForeignKey(Unit, models.CASCADE, related_name="plans", verbose_name=_("huyện/tỉnh"))
    title = models.CharField(_("tên kế hoạch"), max_length=200)
    resolution_number = models.CharField(_("số nghị quyết/quyết định"), max_length=60, blank=True)
    resolution_date = models.DateField(_("ngày ban hành"), null=True, blank=True)
    year = models.PositiveSmallIntegerField(_("năm mục tiêu"))
    level = models.CharField(_("mức"), max_length=16)
    communes_target = models.PositiveSmallIntegerField(_("số xã phấn đấu đạt chuẩn"))
    district_targets = models.BooleanField(_("huyện cùng phấn đấu đạt chuẩn"), default=False)
    is_demo = models.BooleanField(_("dữ liệu mẫu"), default=False)

    class Meta:
        verbose_name = _("kế hoạch, lộ trình")
        verbose_name_plural = _("kế hoạch, lộ trình")
        ordering = ["-year", "level"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "level", "year"], name="one_plan_per_unit_level_year"),
        ]

    def __str__(self) -> str:
        return f"{self.unit}: {self.title}"


class Inspection(models.Model):
    """A visit by the district's team to some of its communes, e.g. "Kiểm tra tiến độ tháng 3/2024"."""

    district = models.ForeignKey(Unit, models.CASCADE, related_name="inspections", verbose_name=_("huyện"))
    title = models.CharField(_("tên đợt kiểm tra"), max_length=200)
    date = models.DateField(_("ngày kiểm tra"))
    team = models.TextField(_("đoàn kiểm tra"), blank=True)
    communes = models.ManyToManyField(Unit, related_name="inspected_in", verbose_name=_("các xã được kiểm tra"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("người tạo"))
    created_at = models.DateTimeField(_("tạo lúc"))
    is_demo = models.BooleanField(_("dữ liệu mẫu"), default=False)

    class Meta:
        verbose_name = _("đợt kiểm tra")
        verbose_name_plural = _("đợt kiểm tra")
        ordering = ["-date", "title"]

    def __str__(self) -> str:
        return f"{self.district}: {self.title}"


class Finding(models.Model):
    """What the team saw in one commune, on one criterion when it names one."""

    inspection = models.ForeignKey(Inspection, models.CASCADE, related_name="findings", verbose_name=_("đợt kiểm tra"))
    commune = models.ForeignKey(Unit, models.CASCADE, related_name="findings", verbose_name=_("xã"))
    criteria_set = models.CharField(_("bộ tiêu chí"), max_length=64, blank=True)
    criterion = models.CharField(_("tiêu chí"), max_length=16, blank=True)
    status_seen = models.CharField(_("tình trạng ghi nhận"), max_length=16, choices=STATUS_CHOICES, blank=True)
    text = models.TextField(_("nội dung ghi nhận"))
    is_demo = models.BooleanField(_("dữ liệu mẫu"), default=False)

    class Meta:
        verbose_name = _("ghi nhận kiểm tra")
        verbose_name_plural = _("ghi nhận kiểm tra")
        ordering = ["commune__name", "criterion", "pk"]

    def __str__(self) -> str:
        return f"{self.commune} {self.criterion}: {self.text[:60]}"


class FollowUp(models.Model):
    """A conclusion to act on, with its owner and due date; done once `done_at` is set."""

    inspection = models.ForeignKey(Inspection, models.CASCADE, related_name="follow_ups",
                                   verbose_name=_("đợt kiểm tra"))
    finding = models.ForeignKey(Finding, models.SET_NULL, null=True, blank=True, related_name="follow_ups",
                                verbose_name=_("ghi nhận"))
    commune = models.ForeignKey(Unit, models.CASCADE, related_name="follow_ups", verbose_name=_("xã"))
    text = models.TextField(_("kết luận cần thực hiện"))
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="follow_ups",
                              verbose_name=_("người thực hiện"))
    due = models.DateField(_("hạn thực hiện"), null=True, blank=True)
    done_at = models.DateTimeField(_("hoàn thành lúc"), null=True, blank=True)
    done_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True,
                                related_name="+", verbose_name=_("người xác nhận hoàn thành"))
    done_note = models.TextField(_("kết quả thực hiện"), blank=True)
    is_demo = models.BooleanField(_("dữ liệu mẫu"), default=False)

    class Meta:
        verbose_name = _("việc cần khắc phục")
        verbose_name_plural = _("việc cần khắc phục")
        ordering = ["due", "commune__name", "pk"]
        indexes = [models.Index(fields=["done_at", "due"], name="followup_open_due")]

    def __str__(self) -> str:
        return f"{self.commune}: {self.text[:60]}"

    @property
    def done(self) -> bool:
        return self.done_at is not None
