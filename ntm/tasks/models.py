"""What users see of a piece of background work. The queue (django_tasks_db) holds each attempt; a `Job` is
the one row a person follows from start to result, whatever the number of attempts."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Job(models.Model):
    """One piece of background work someone asked for (a province's report, a large import) or the schedule
    started (the daily digest): how far it got, and its result — a file to download, figures — or why it
    failed. Re-evaluations keep their own record (evaluation.RefreshJob)."""

    class Kind(models.TextChoices):
        PROVINCE_REPORT = "province_report", _("Báo cáo toàn tỉnh")
        DISTRICT_REPORT = "district_report", _("Báo cáo tổng hợp huyện")
        DIGEST = "digest", _("Bản tin hằng ngày")
        IMPORT = "import", _("Nhập số liệu từ Excel")

    class State(models.TextChoices):
        QUEUED = "queued", _("Đang chờ")
        RUNNING = "running", _("Đang chạy")
        RETRYING = "retrying", _("Chờ thử lại")
        DONE = "done", _("Xong")
        FAILED = "failed", _("Lỗi")

    kind = models.CharField(_("loại"), max_length=30, choices=Kind.choices)
    subject = models.CharField(_("nội dung"), max_length=300)  # "Tỉnh Long An — NTM 2024 — PDF": data, not text
    params = models.JSONField(_("tham số"), default=dict, blank=True)
    key = models.CharField(_("khóa"), max_length=100, null=True, blank=True, unique=True,
                           help_text=_("Một việc theo lịch chỉ được tạo một lần (vd. bản tin của một ngày)."))
    state = models.CharField(_("trạng thái"), max_length=10, choices=State.choices, default=State.QUEUED)
    done = models.PositiveIntegerField(_("đã xong"), default=0)
    total = models.PositiveIntegerField(_("tổng số bước"), default=0)
    attempts = models.PositiveSmallIntegerField(_("số lần chạy"), default=0)
    error = models.TextField(_("lỗi"), blank=True)
    result = models.JSONField(_("kết quả"), default=dict, blank=True)
    file = models.CharField(_("tệp kết quả"), max_length=300, blank=True)  # a name in the default storage
    filename = models.CharField(_("tên tệp tải về"), max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+",
                                   verbose_name=_("người yêu cầu"))
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    started_at = models.DateTimeField(_("bắt đầu lúc"), null=True, blank=True)
    finished_at = models.DateTimeField(_("xong lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("việc chạy nền")
        verbose_name_plural = _("việc chạy nền")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["state", "created_at"], name="job_state_created")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.subject} ({self.state} {self.done}/{self.total})"

    @property
    def percent(self) -> int:
        if self.state == self.State.DONE:
            return 100
        return 0 if not self.total else min(100, round(100 * self.done / self.total))

    @property
    def running(self) -> bool:
        return self.state in (self.State.QUEUED, self.State.RUNNING, self.State.RETRYING)
