"""Alerts: something a person should know about a commune — a criterion that slipped, a title at
risk of revocation, work due or overdue. One row per recipient, so each reads and is mailed alone."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ntm.units.models import Unit


class AlertKind(models.TextChoices):
    CRITERION_SLIPPED = "criterion_slipped", _("Tiêu chí bị tụt hạng")
    REVOCATION_RISK = "revocation_risk", _("Nguy cơ bị thu hồi danh hiệu")
    DUE = "due", _("Sắp đến hạn")
    OVERDUE = "overdue", _("Quá hạn")


class Alert(models.Model):
    """One alert for one recipient. The message is not stored as text: `params` hold its facts and
    `ntm.alerts.messages` words them in the reader's language when it is shown or mailed."""

    kind = models.CharField(_("loại"), max_length=24, choices=AlertKind.choices)
    unit = models.ForeignKey(Unit, models.CASCADE, null=True, blank=True, related_name="alerts",
                             verbose_name=_("đơn vị"))
    criteria_set = models.CharField(_("bộ tiêu chí"), max_length=64, blank=True)
    year = models.PositiveSmallIntegerField(_("năm"), null=True, blank=True)
    criterion = models.CharField(_("tiêu chí"), max_length=16, blank=True)
    params = models.JSONField(_("nội dung"), default=dict, blank=True)
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="alerts",
                                  verbose_name=_("người nhận"))
    created_at = models.DateTimeField(_("tạo lúc"))
    read_at = models.DateTimeField(_("đã đọc lúc"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("đã gửi thư lúc"), null=True, blank=True)
    # The same situation is not announced twice to the same person, e.g. a title at risk for the
    # same unmet criteria; empty for events that may recur (a criterion that slips again).
    dedupe_key = models.CharField(_("khóa chống trùng"), max_length=200, blank=True, editable=False)

    class Meta:
        verbose_name = _("cảnh báo")
        verbose_name_plural = _("cảnh báo")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "dedupe_key"], condition=~Q(dedupe_key=""),
                                    name="one_alert_per_recipient_and_key"),
        ]
        indexes = [models.Index(fields=["recipient", "read_at"], name="alert_recipient_read")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.unit or '-'} → {self.recipient}"

    @property
    def message(self) -> str:
        from .messages import alert_message  # words in the active language

        return alert_message(self.kind, self.params)


class Language(models.TextChoices):
    VI = "vi", "Tiếng Việt"
    EN = "en", "English"


class NotificationSettings(models.Model):
    """How one user wants to be told: the language of mail (Vietnamese unless set) and whether to mail."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, models.CASCADE, related_name="notification_settings",
                                verbose_name=_("người dùng"))
    language = models.CharField(_("ngôn ngữ"), max_length=8, choices=Language.choices, default=Language.VI)
    email = models.BooleanField(_("nhận thư điện tử"), default=True)

    class Meta:
        verbose_name = _("cài đặt thông báo")
        verbose_name_plural = _("cài đặt thông báo")

    def __str__(self) -> str:
        return f"{self.user}: {self.language}"


class DigestSent(models.Model):
    """A user got the daily digest of `day`: `ntm notify` run twice the same day sends nothing more."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="+", verbose_name=_("người dùng"))
    day = models.DateField(_("ngày"))
    sent_at = models.DateTimeField(_("gửi lúc"))

    class Meta:
        verbose_name = _("bản tin đã gửi")
        verbose_name_plural = _("bản tin đã gửi")
        constraints = [models.UniqueConstraint(fields=["user", "day"], name="one_digest_per_user_and_day")]

    def __str__(self) -> str:
        return f"{self.user} {self.day}"
