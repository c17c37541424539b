"""Administrative units before and after the 1/7/2025 reorganisation, and the lineage between them."""

from __future__ import annotations

from django.conf import settings
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
    # True when the commune falls under 318/QĐ-TTg Art. 1 as amended by 211/QĐ-TTg (1/3/2024): xã khu vực
    # II/III of the ethnic-minority and mountainous region, xã đặc biệt khó khăn of coastal sandbanks and
    # islands, or xã an toàn khu of a poor district. That is what switches the 2021–2025 sets to the
    # northern-mountain (TDMNPB) levels (core scope_of). Set with its decision by `actions.classify`.
    specially_disadvantaged = models.BooleanField(_("xã đặc biệt khó khăn"), default=False)
    # Recorded facts with their decisions, shown and filtered on the classification page. None of them
    # decides a threshold alone: a mountain commune (Decree 272/2025: ≥ 2/3 of its area ≥ 200 m) is in
    # group 3 only as an Area II/III commune, which the province records as the group itself.
    mountain = models.BooleanField(_("xã miền núi"), default=False)
    island = models.BooleanField(_("xã hải đảo"), default=False)
    coastal = models.BooleanField(_("xã ven biển (bãi ngang)"), default=False)
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


class Attribute(models.TextChoices):
    """What decides a threshold, as recorded in `Classification`; the value is the Unit field's name."""

    REGION = "region", _("Vùng kinh tế - xã hội")
    GROUP = "commune_group", _("Nhóm xã")
    SPECIALLY_DISADVANTAGED = "specially_disadvantaged", _("Xã đặc biệt khó khăn")
    MOUNTAIN = "mountain", _("Xã miền núi")
    ISLAND = "island", _("Xã hải đảo")
    COASTAL = "coastal", _("Xã ven biển (bãi ngang)")


FLAG_ATTRIBUTES = (Attribute.SPECIALLY_DISADVANTAGED, Attribute.MOUNTAIN, Attribute.ISLAND, Attribute.COASTAL)


class Classification(models.Model):
    """A unit's region, commune group or flag as one decision set it, from `valid_from` to `valid_to`.

    The unit's own field holds the latest decided value (the fast path for pages); evaluation of a year
    uses the record in force in that year (`ntm.units.classification.rows_for_year`). A record is never
    edited: a later decision closes it (`valid_to`), a decision taking effect on or before its start
    replaces it (`superseded_at`). Flags are stored as "true"/"false". Written only by `actions.classify`.
    """

    unit = models.ForeignKey(Unit, models.CASCADE, related_name="classifications", verbose_name=_("đơn vị"))
    attribute = models.CharField(_("thuộc tính"), max_length=32, choices=Attribute.choices)
    value = models.CharField(_("giá trị"), max_length=16, blank=True)
    decision_number = models.CharField(_("số quyết định"), max_length=80, blank=True)
    decision_date = models.DateField(_("ngày quyết định"), null=True, blank=True)
    decision_issuer = models.CharField(_("cơ quan ban hành"), max_length=200, blank=True)
    valid_from = models.DateField(_("hiệu lực từ"), null=True, blank=True)  # None: since the unit existed
    valid_to = models.DateField(_("hiệu lực đến"), null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name=_("người ghi"))
    recorded_at = models.DateTimeField(_("ghi lúc"), auto_now_add=True)
    superseded_at = models.DateTimeField(_("bị thay thế lúc"), null=True, blank=True)
    note = models.CharField(_("ghi chú"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("phân loại đơn vị")
        verbose_name_plural = _("phân loại đơn vị")
        ordering = ["unit", "attribute", "valid_from"]
        indexes = [models.Index(fields=["unit", "attribute"], name="classification_unit_attr")]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.attribute}={self.value} ({self.valid_from} – {self.valid_to})"


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
