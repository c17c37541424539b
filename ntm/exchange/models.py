"""A previewed import until it is confirmed. Kept in a table, not in the session: a district's plan is
megabytes, which the session would sign, compress and read again on every request of that person."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class PendingImport(models.Model):
    """The plan a preview showed (`Plan.to_json` as JSON text), for the person and the area it was made for;
    the confirmation writes it and deletes the row."""

    token = models.CharField(_("mã xác nhận"), max_length=32, unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="+",
                             verbose_name=_("người tải lên"))
    unit = models.ForeignKey("units.Unit", models.CASCADE, related_name="+", verbose_name=_("đơn vị"))
    created_at = models.DateTimeField(_("lúc xem trước"), default=timezone.now, db_index=True)
    plan = models.TextField(_("kế hoạch ghi"))

    class Meta:
        verbose_name = _("bản xem trước chờ xác nhận")
        verbose_name_plural = _("bản xem trước chờ xác nhận")

    def __str__(self) -> str:
        return f"{self.unit_id} {self.created_at:%Y-%m-%d %H:%M}"
