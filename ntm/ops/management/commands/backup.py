from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from ntm.ops.backup import make_backup
from ntm.ops.database import BackupError


class Command(BaseCommand):
    help = ("Sao lưu cơ sở dữ liệu, tệp tải lên, khóa bí mật và manifest vào một tệp .tar.gz, khi ứng dụng đang "
            "chạy / Back up the database, uploaded files, the secret key and a manifest into one .tar.gz, while "
            "the app runs.")

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="vd. /var/backups/ntm/ntm-2026-12-03.tar.gz")
        parser.add_argument("--lang", default="vi", choices=["vi", "en"])

    def handle(self, *args, file: Path, lang: str, **options):
        translation.activate(lang)
        if file.exists():
            raise CommandError(_("%(file)s đã có; chọn tên khác.") % {"file": file})
        try:
            manifest = make_backup(file)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        db = manifest["database"]
        self.stdout.write(_("Đã sao lưu vào %(file)s: cơ sở dữ liệu %(vendor)s %(version)s, %(figures)s số liệu, "
                            "%(files)s tệp tải lên, khóa bí mật.")
                          % {"file": file, "vendor": db["vendor"], "version": db["version"],
                             "figures": manifest["counts"].get("figures_figure", 0), "files": manifest["files"]})
