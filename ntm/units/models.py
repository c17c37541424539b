"""Administrative units before and after the 1/7/2025 reorganisation, and the lineage between them."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ntm.core.catalog import scope_of

from .text import fold


class Kind(models.TextChoices):
    PROVINCE = "province", _("Tỉnh/thành phố")
    DISTRICT = "district", _("Huyện")
    COMMUNE = "commune", _("Xã")
    WARD = "ward", _("Phường/thị trấn")  # commune level but urban: not rated on the rural criteria
    HAMLET = "hamlet", _("Ấp/thôn")


class Region(models.TextChoices):
    """The 7 socio-economic regions of the 2021–2025 criteria sets."""

    TDMNPB = "TDMNPB", _("Trung du và miền núi phía Bắc")
    DBSH = "DBSH", _("Đồng bằng sông Hồng")
    BTB = "BTB", _("Bắc Trung Bộ")
    DHNTB = "DHNTB", _("Duyên hải Nam Trung Bộ")
    TN = "TN", _("Tây Nguyên")
    DNB = "DNB", _("Đông Nam Bộ")
    DBSCL = "DBSCL", _("Đồng bằng sông Cửu Long")


class CommuneGroup(models.TextChoices):
    """Commune groups of the 2026–2030 set (Decision 51/2025/QĐ-TTg)."""

    G1 = "G1", _("Xã nhóm 1")
    G2 = "G2", _("Xã nhóm 2")
    G3 = "G3", _("Xã nhóm 3")


class Unit(models.Model):
    """One administrative unit as it existed between `valid_from` and `valid_to`.

    Codes are the national statistics office's; pre-2025 and post-2025 codes overlap, so `key`
    (kind letter + code, with "-2025" for units created on 1/7/2025) identifies a unit.
    """

    key = models.CharField(_("mã khóa"), max_length=32, unique=True)
    code = models.CharField(_("mã hành chính"), max_length=16)
    name = models.CharField(_("tên"), max_length=120)
    division_type = models.CharField(_("loại đơn vị"), max_length=40, blank=True)
    kind = models.CharField(_("cấp"), max_length=16, choices=Kind.choices)
    parent = models.ForeignKey("self", models.PROTECT, null=True, blank=True, related_name="children",
                               verbose_name=_("đơn vị cấp trên"))
    valid_from = models.DateField(_("hiệu lực từ"), null=True, blank=True)
    valid_to = models.DateField(_("hiệu lực đến"), null=True, blank=True)
    region = models.CharField(_("vùng kinh tế - xã hội"), max_length=8, choices=Region.choices, blank=True)
    commune_group = models.CharField(_("nhóm xã"), max_length=4, choices=CommuneGroup.choices, blank=True)
    specially_disadvantaged = models.BooleanField(_("xã đặc biệt khó khăn"), default=False)
    search_name = models.CharField(max_length=120, blank=True, db_index=True, editable=False)

    class Meta:
        verbose_name = _("đơn vị hành chính")
        verbose_name_plural = _("đơn vị hành chính")
        ordering = ["kind", "code"]
        indexes = [models.Index(fields=["kind", "parent"], name="unit_kind_parent")]

    def __str__(self) -> str:
        return self.full_name

    def save(self, *args, **kwargs) -> None:
        # Keep the search name in step with edits made outside the importer (e.g. in the admin).
        self.search_name = fold(self.name)
        if kwargs.get("update_fields") is not None and "name" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_name"}
        super().save(*args, **kwargs)

    @property
    def full_name(self) -> str:
        prefix = self.division_type.capitalize() if self.division_type else ""
        return f"{prefix} {self.name}".strip()

    def scope_for(self, dimension: str) -> str:
        """The region or commune group that selects this unit's thresholds."""
        return scope_of(dimension, region=self.region, group=self.commune_group,
                        specially_disadvantaged=self.specially_disadvantaged)


class Succession(models.Model):
    """Part or all of `predecessor` became `successor` on `effective` (e.g. the 1/7/2025 merger)."""

    predecessor = models.ForeignKey(Unit, models.CASCADE, related_name="successions",
                                    verbose_name=_("đơn vị cũ"))
    successor = models.ForeignKey(Unit, models.CASCADE, related_name="predecessions",
                                  verbose_name=_("đơn vị mới"))
    effective = models.DateField(_("ngày hiệu lực"))
    partial = models.BooleanField(_("chỉ một phần"), default=False)
    source = models.CharField(_("nguồn"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("kế thừa đơn vị")
        verbose_name_plural = _("kế thừa đơn vị")
        constraints = [
            models.UniqueConstraint(fields=["predecessor", "successor"], name="one_succession_per_pair"),
        ]

    def __str__(self) -> str:
        return f"{self.predecessor} → {self.successor} ({self.effective})"


class Target(models.Model):
    """A unit's target: reach `level` (ntm, ntmnc, model) in `year`, e.g. from a district resolution."""

    unit = models.ForeignKey(Unit, models.CASCADE, related_name="targets", verbose_name=_("đơn vị"))
    level = models.CharField(_("mức"), max_length=16)
    year = models.PositiveSmallIntegerField(_("năm"))
    basis = models.CharField(_("căn cứ"), max_length=200, blank=True)
    is_demo = models.BooleanField(_("dữ liệu mẫu"), default=False)

    class Meta:
        verbose_name = _("mục tiêu")
        verbose_name_plural = _("mục tiêu")
        constraints = [
            models.UniqueConstraint(fields=["unit", "level", "year"], name="one_target_per_level_year"),
        ]

    def __str__(self) -> str:
        return f"{self.unit}: {self.level} {self.year}"


class Recognition(models.Model):
    """A title a unit holds (NTM, NTMNC, model), with its decision; `revoked_on` once withdrawn."""

    unit = models.ForeignKey(Unit, models.CASCADE, related_name="recognitions", verbose_name=_("đơn vị"))
    level = models.CharField(_("mức"), max_length=16)
    year = models.PositiveSmallIntegerField(_("năm"))
    decision = models.CharField(_("quyết định"), max_length=120, blank=True)
    revoked_on = models.DateField(_("thu hồi ngày"), null=True, blank=True)
    is_demo = models.BooleanField(_("dữ liệu mẫu"), default=False)

    class Meta:
        verbose_name = _("công nhận")
        verbose_name_plural = _("công nhận")
        constraints = [
            models.UniqueConstraint(fields=["unit", "level"], condition=Q(revoked_on__isnull=True),
                                    name="one_live_recognition_per_level"),
        ]

    def __str__(self) -> str:
        return f"{self.unit}: {self.level} {self.year}"
