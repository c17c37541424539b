"""Resources mobilised for the programme: money (and the value of land and labour) put into a
commune's criteria in a year, by source — "nhất là nguồn lực trong dân"."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ntm.units.models import Unit


class Source(models.TextChoices):
    CENTRAL_BUDGET = "central_budget", _("Ngân sách trung ương")
    LOCAL_BUDGET = "local_budget", _("Ngân sách địa phương")
    OTHER_PROGRAMMES = "other_programmes", _("Lồng ghép chương trình, dự án khác")
    CREDIT = "credit", _("Vốn tín dụng")
    ENTERPRISES = "enterprises", _("Doanh nghiệp")
    RESIDENTS_MONEY = "residents_money", _("Người dân đóng góp tiền")
    RESIDENTS_LAND = "residents_land", _("Người dân hiến đất (quy ra tiền)")
    RESIDENTS_LABOUR = "residents_labour", _("Người dân góp ngày công (quy ra tiền)")


RESIDENT_SOURCES = (Source.RESIDENTS_MONEY, Source.RESIDENTS_LAND, Source.RESIDENTS_LABOUR)


class Funding(models.Model):
    """One amount mobilised for a commune in a year from one source, for a criterion or (blank) for
    the programme in general. A correction is a new row; amounts are VND, land and labour at value."""

    commune = models.ForeignKey(Unit, models.CASCADE, related_name="fundings", verbose_name=_("xã"))
    criteria_set = models.CharField(_("bộ tiêu chí"), max_length=64)
    criterion = models.CharField(_("tiêu chí"), max_length=16, blank=True)
    year = models.PositiveSmallIntegerField(_("năm"))
    source = models.CharField(_("nguồn"), max_length=24, choices=Source.choices)
    amount = models.DecimalField(_("số tiền (đồng)"), max_digits=18, decimal_places=0)
    note = models.CharField(_("ghi chú"), max_length=300, blank=True)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("người nhập"))
    entered_at = models.DateTimeField(_("thời điểm nhập"))
    is_demo = models.BooleanField(_("dữ liệu mẫu"), default=False)

    class Meta:
        verbose_name = _("nguồn lực huy động")
        verbose_name_plural = _("nguồn lực huy động")
        ordering = ["-year", "commune", "criterion", "source"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="funding_amount_positive")]
        indexes = [models.Index(fields=["year", "commune"], name="funding_year_commune")]

    def __str__(self) -> str:
        return f"{self.commune} {self.year} {self.get_source_display()}: {self.amount}"
