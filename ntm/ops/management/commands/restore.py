from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from ntm.ops.database import BackupError
from ntm.ops.restore import restore_backup


class Command(BaseCommand):
    help = ("Khôi phục một bản sao lưu của “ntm backup” vào một cài đặt trống, rồi kiểm tra kết quả đã lưu / "
            "Restore an “ntm backup” archive into an empty installation, then verify stored results.")

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--lang", default="vi", choices=["vi", "en"])

    def handle(self, *args, file: Path, lang: str, **options):
        translation.activate(lang)
        try:
            summary = restore_backup(file)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        m = summary.manifest
        self.stdout.write(_("Đã khôi phục %(file)s (tạo lúc %(at)s, NTM Tracker %(app)s, %(vendor)s %(version)s).")
                          % {"file": file, "at": m["created_at"], "app": m["app_version"],
                             "vendor": m["database"]["vendor"], "version": m["database"]["version"]})
        for table, n in summary.counts.items():
            self.stdout.write(f"  {table}: {n}")
        self.stdout.write(_("Tệp tải lên: %(n)s.") % {"n": summary.files})
        self.stdout.write(_("Khóa bí mật: đã ghi vào thư mục dữ liệu.") if summary.key_written else
                          _("Khóa bí mật: biến môi trường SECRET_KEY được giữ nguyên (phiên đăng nhập và mã "
                            "truy cập ký bằng khóa cũ cần khóa trong bản sao lưu)."))
        if summary.differences_before:
            self.stdout.write(_("Kết quả đã lưu: %(n)s khác biệt với đánh giá mới, đã đánh giá lại %(r)s kết quả.")
                              % {"n": summary.differences_before, "r": summary.refreshed})
        self.stdout.write(_("Kết quả đã lưu khớp với đánh giá mới: 0 khác biệt."))
