"""Unit boundaries an administrator imported (`ntm units boundaries FILE`), drawn on the maps."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ntm.units.models import Unit


class Boundary(models.Model):
    """The outline of one unit as the file an administrator imported gave it (WGS 84 GeoJSON geometry), and
    a simplified copy the map pages send to the browser. Importing the unit again replaces the row."""

    unit = models.OneToOneField(Unit, models.CASCADE, related_name="boundary", verbose_name=_("đơn vị"))
    geometry = models.TextField(_("ranh giới (GeoJSON)"))
    simplified = models.TextField(_("ranh giới đã đơn giản hóa cho web (GeoJSON)"))
    points = models.PositiveIntegerField(_("số điểm"), default=0)
    simplified_points = models.PositiveIntegerField(_("số điểm sau đơn giản hóa"), default=0)
    source = models.CharField(_("tệp nguồn"), max_length=300)
    attribution = models.CharField(_("ghi công nguồn dữ liệu"), max_length=500, blank=True)
    imported_at = models.DateTimeField(_("nhập lúc"))
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name=_("người nhập"))

    class Meta:
        verbose_name = _("ranh giới đơn vị")
        verbose_name_plural = _("ranh giới đơn vị")

    def __str__(self) -> str:
        return f"{self.unit_id}: {self.source}"
