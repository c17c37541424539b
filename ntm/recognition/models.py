"""Recognition dossiers: a commune's request to be recognised at a level in a year, its documents, the
steps taken (append-only), the indicator checks of each reviewer, and capital-construction debts."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ntm.core.recognition import Step as CoreStep
from ntm.units.models import Unit


class Level(models.TextChoices):
    NTM = "ntm", _("NTM")
    NTMNC = "ntmnc", _("NTM nâng cao")
    MODEL = "model", _("NTM kiểu mẫu")


class Step(models.TextChoices):
    DRAFTING = CoreStep.DRAFTING.value, _("Đang soạn hồ sơ")
    SUBMITTED = CoreStep.SUBMITTED.value, _("Đã trình")
    VERIFIED = CoreStep.VERIFIED.value, _("Huyện đã thẩm tra")
    APPRAISED = CoreStep.APPRAISED.value, _("Tỉnh đã thẩm định")
    RECOGNISED = CoreStep.RECOGNISED.value, _("Đã công nhận")
    REVOKED = CoreStep.REVOKED.value, _("Đã thu hồi")
    RETURNED = CoreStep.RETURNED.value, _("Trả lại")  # only in events: a returned dossier rests in drafting


class Dossier(models.Model):
    """One commune's recognition dossier for one level and year, at one step of the procedure."""

    commune = models.ForeignKey(Unit, models.CASCADE, related_name="dossiers", verbose_name=_("xã"))
    level = models.CharField(_("mức"), max_length=16, choices=Level.choices)
    year = models.PositiveSmallIntegerField(_("năm"))
    step = models.CharField(_("bước"), max_length=16, choices=Step.choices, default=Step.DRAFTING)
    satisfaction_rate = models.DecimalField(_("tỷ lệ hài lòng của người dân (%)"), max_digits=5, decimal_places=2,
                                            null=True, blank=True)
    security_ok = models.BooleanField(_("không phức tạp về an ninh, trật tự"), null=True, blank=True)
    decision_number = models.CharField(_("số quyết định công nhận"), max_length=120, blank=True)
    decision_date = models.DateField(_("ngày quyết định"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("người lập"))
    created_at = models.DateTimeField(_("lập lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)
    is_demo = models.BooleanField(_("dữ liệu mẫu"), default=False)

    class Meta:
        verbose_name = _("hồ sơ công nhận")
        verbose_name_plural = _("hồ sơ công nhận")
        ordering = ["-year", "commune__name"]
        constraints = [
            models.UniqueConstraint(fields=["commune", "level", "year"], name="one_dossier_per_level_year"),
            models.CheckConstraint(condition=Q(satisfaction_rate__isnull=True)
                                   | Q(satisfaction_rate__gte=0, satisfaction_rate__lte=100),
                                   name="dossier_satisfaction_is_a_percentage"),
        ]

    def __str__(self) -> str:
        return f"{self.commune}: {self.get_level_display()} {self.year} ({self.get_step_display()})"


class DossierEvent(models.Model):
    """One step taken on a dossier, with its comment: appended, never edited."""

    dossier = models.ForeignKey(Dossier, models.CASCADE, related_name="events", verbose_name=_("hồ sơ"))
    from_step = models.CharField(_("từ bước"), max_length=16, choices=Step.choices, blank=True)
    to_step = models.CharField(_("sang bước"), max_length=16, choices=Step.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True,
                              related_name="+", verbose_name=_("người thực hiện"))
    comment = models.TextField(_("ý kiến"), blank=True)
    at = models.DateTimeField(_("lúc"))

    class Meta:
        verbose_name = _("bước của hồ sơ")
        verbose_name_plural = _("các bước của hồ sơ")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.dossier_id}: {self.from_step or '∅'} → {self.to_step} ({self.at:%Y-%m-%d})"


def document_upload_to(instance: DossierDocument, filename: str) -> str:
    """A generated name: the uploader's file name is display text only, never a path on disk."""
    return f"dossiers/{instance.dossier_id}/{uuid.uuid4().hex}{instance.extension}"


class DossierDocument(models.Model):
    """One uploaded file of a checklist kind; a newer upload of the same kind sits beside the older one."""

    dossier = models.ForeignKey(Dossier, models.CASCADE, related_name="documents", verbose_name=_("hồ sơ"))
    kind = models.CharField(_("loại tài liệu"), max_length=40)
    file = models.FileField(_("tệp"), upload_to=document_upload_to, max_length=200)
    original_name = models.CharField(_("tên tệp gốc"), max_length=200)
    content_type = models.CharField(_("loại nội dung"), max_length=120)
    size = models.PositiveBigIntegerField(_("dung lượng (byte)"))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name=_("người tải lên"))
    uploaded_at = models.DateTimeField(_("tải lên lúc"))
    is_demo = models.BooleanField(_("dữ liệu mẫu"), default=False)

    class Meta:
        verbose_name = _("tài liệu hồ sơ")
        verbose_name_plural = _("tài liệu hồ sơ")
        ordering = ["kind", "-uploaded_at"]

    def __str__(self) -> str:
        return f"{self.dossier_id} {self.kind}: {self.original_name}"

    @property
    def extension(self) -> str:
        from .files import EXTENSIONS

        return EXTENSIONS.get(self.content_type, ".bin")


class IndicatorCheck(models.Model):
    """One indicator of the dossier's criteria set as each level saw it: the commune's self-assessment
    (from its figure), the district's verification and the province's appraisal. A reviewer may return
    the indicator for revision with a message; the commune's next self-assessment clears the return."""

    dossier = models.ForeignKey(Dossier, models.CASCADE, related_name="checks", verbose_name=_("hồ sơ"))
    criteria_set = models.CharField(_("bộ tiêu chí"), max_length=64)
    indicator = models.CharField(_("chỉ tiêu"), max_length=16)
    self_value = models.DecimalField(_("xã tự đánh giá"), max_digits=14, decimal_places=4, null=True, blank=True)
    self_verdict = models.BooleanField(_("xã kết luận đạt"), null=True, blank=True)
    self_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True,
                                related_name="+", verbose_name=_("xã: người đánh giá"))
    self_at = models.DateTimeField(_("xã: lúc"), null=True, blank=True)
    district_value = models.DecimalField(_("huyện thẩm tra"), max_digits=14, decimal_places=4, null=True,
                                         blank=True)
    district_verdict = models.BooleanField(_("huyện kết luận đạt"), null=True, blank=True)
    district_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name=_("huyện: người thẩm tra"))
    district_at = models.DateTimeField(_("huyện: lúc"), null=True, blank=True)
    province_value = models.DecimalField(_("tỉnh thẩm định"), max_digits=14, decimal_places=4, null=True,
                                         blank=True)
    province_verdict = models.BooleanField(_("tỉnh kết luận đạt"), null=True, blank=True)
    province_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name=_("tỉnh: người thẩm định"))
    province_at = models.DateTimeField(_("tỉnh: lúc"), null=True, blank=True)
    returned = models.BooleanField(_("trả lại để chỉnh sửa"), default=False)
    returned_message = models.TextField(_("lý do trả lại"), blank=True)
    returned_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name=_("người trả lại"))
    returned_at = models.DateTimeField(_("trả lại lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("kiểm tra chỉ tiêu")
        verbose_name_plural = _("kiểm tra chỉ tiêu")
        ordering = ["dossier", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["dossier", "criteria_set", "indicator"], name="one_check_per_indicator"),
        ]

    def __str__(self) -> str:
        return f"{self.dossier_id} {self.criteria_set}:{self.indicator}"


class CapitalDebt(models.Model):
    """Capital-construction debt under the programme in a commune; outstanding until `settled_on`."""

    commune = models.ForeignKey(Unit, models.CASCADE, related_name="capital_debts", verbose_name=_("xã"))
    amount = models.DecimalField(_("số tiền (đồng)"), max_digits=16, decimal_places=0)
    description = models.CharField(_("nội dung"), max_length=300)
    as_of = models.DateField(_("tính đến ngày"))
    settled_on = models.DateField(_("đã trả ngày"), null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name=_("người ghi"))
    is_demo = models.BooleanField(_("dữ liệu mẫu"), default=False)

    class Meta:
        verbose_name = _("nợ đọng xây dựng cơ bản")
        verbose_name_plural = _("nợ đọng xây dựng cơ bản")
        ordering = ["commune", "-as_of"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="capital_debt_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.commune}: {self.amount} đ ({self.description})"


class MergerPath(models.TextChoices):
    """How a commune formed by a merger is recognised (letter 267/BNN-VPĐP; `ntm.core.merger`)."""

    RECOGNISE = "recognise", _("Công nhận xã mới theo mức các xã cũ đã đạt")
    REASSESS = "reassess", _("Rà soát, đánh giá lại theo bộ tiêu chí hiện hành")
    OTHER = "other", _("Hướng khác (ghi rõ trong ghi chú)")


class MergerDecision(models.Model):
    """The path a province office chose for a commune formed by a merger, with the level it recognises
    (recognise) or builds toward (reassess), its decision and who recorded it. Appended: a later row
    replaces an earlier one as the commune's current path; nothing is edited in place."""

    commune = models.ForeignKey(Unit, models.CASCADE, related_name="merger_decisions", verbose_name=_("xã mới"))
    path = models.CharField(_("hướng"), max_length=16, choices=MergerPath.choices)
    level = models.CharField(_("mức"), max_length=16, choices=Level.choices, blank=True)
    proposed_path = models.CharField(_("hướng hệ thống đề xuất lúc quyết định"), max_length=16, blank=True)
    decision_number = models.CharField(_("số quyết định"), max_length=120, blank=True)
    decision_date = models.DateField(_("ngày quyết định"), null=True, blank=True)
    note = models.TextField(_("ghi chú"), blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("người ghi"))
    decided_at = models.DateTimeField(_("ghi lúc"))
    is_demo = models.BooleanField(_("dữ liệu mẫu"), default=False)

    class Meta:
        verbose_name = _("hướng công nhận xã sau sáp nhập")
        verbose_name_plural = _("hướng công nhận xã sau sáp nhập")
        ordering = ["-decided_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(path="recognise") | ~Q(level=""),
                                   name="merger_recognition_has_level"),
            models.CheckConstraint(condition=~Q(path="other") | ~Q(note=""), name="merger_other_path_has_note"),
        ]

    def __str__(self) -> str:
        return f"{self.commune}: {self.get_path_display()} {self.level} ({self.decided_at:%Y-%m-%d})"
