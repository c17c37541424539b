"""Versions of criteria sets and province layers kept in the database: drafts an office writes,
approved by a second person before they take effect, and their history. The repository's
`catalog/` holds the national facts; a published version here stands in for a repository file only
when its version is newer (see `ntm.catalog_source`)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    SET = "set", _("Bộ tiêu chí")
    LAYER = "layer", _("Lớp của tỉnh (cụ thể hóa, nâng mức)")


class State(models.TextChoices):
    DRAFT = "draft", _("Bản nháp")
    PUBLISHED = "published", _("Đã phê duyệt, có hiệu lực")
    REJECTED = "rejected", _("Bị trả lại")


class CatalogVersion(models.Model):
    """One version of a set or layer, as YAML text (the format of `catalog/`)."""

    set_id = models.CharField(_("mã bộ tiêu chí / lớp"), max_length=64)
    version = models.CharField(_("phiên bản"), max_length=40)
    kind = models.CharField(_("loại"), max_length=8, choices=Kind.choices, default=Kind.SET)
    base = models.CharField(_("bộ nền (với lớp)"), max_length=64, blank=True)
    based_on = models.CharField(_("soạn từ phiên bản"), max_length=80, blank=True)
    text = models.TextField(_("nội dung (YAML)"))
    state = models.CharField(_("trạng thái"), max_length=12, choices=State.choices, default=State.DRAFT)
    demo = models.BooleanField(_("dữ liệu mẫu (minh họa)"), default=False)
    note = models.TextField(_("ghi chú"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("người soạn"))
    created_at = models.DateTimeField(_("soạn lúc"), auto_now_add=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name=_("người phê duyệt"))
    approved_at = models.DateTimeField(_("phê duyệt lúc"), null=True, blank=True)
    takes_effect = models.DateField(_("có hiệu lực từ"), null=True, blank=True)
    decision_note = models.TextField(_("ý kiến phê duyệt / trả lại"), blank=True)

    class Meta:
        verbose_name = _("phiên bản bộ tiêu chí")
        verbose_name_plural = _("phiên bản bộ tiêu chí")
        constraints = [models.UniqueConstraint(fields=["set_id", "version"], name="one_catalog_version")]
        ordering = ["set_id", "-created_at"]

    def __str__(self) -> str:
        return f"{self.set_id}@{self.version} ({self.get_state_display()})"
