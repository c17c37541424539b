"""`ntm restore FILE`: into an empty installation only, after checking the whole archive; then stored
results are compared with a fresh evaluation (what `ntm results verify` does) and refreshed if they differ."""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.utils.translation import gettext as _

from . import archive, database
from .backup import MEDIA, SECRET_KEY, stored_files
from .database import BackupError


@dataclass
class Summary:
    manifest: dict
    counts: dict[str, int] = field(default_factory=dict)
    files: int = 0
    key_written: bool = False
    differences_before: int = 0
    refreshed: int = 0


def _refuse_unless_empty() -> None:
    if full := database.tables_with_rows():
        raise BackupError(_("Cơ sở dữ liệu đang có dữ liệu (bảng %(tables)s): chỉ khôi phục vào một cài đặt trống. "
                            "Tạo cơ sở dữ liệu mới rồi chạy lại.") % {"tables": ", ".join(full)})
    if files := stored_files():
        raise BackupError(_("Nơi lưu tệp tải lên đã có %(n)s tệp (vd. %(name)s): chỉ khôi phục vào một cài đặt "
                            "trống.") % {"n": len(files), "name": files[0]})


def _put_key(folder: Path) -> bool:
    """The key file in the data folder; a key set in the environment wins and is left as it is."""
    if os.environ.get("SECRET_KEY") or os.environ.get("SECRET_KEY_FILE"):
        return False
    path = Path(settings.DATA_DIR) / "secret_key"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text((folder / SECRET_KEY).read_text(encoding="utf-8"), encoding="utf-8")
    path.chmod(0o600)
    return True


def _verify_results(summary: Summary) -> None:
    from ntm.catalog_source import recheck
    from ntm.evaluation.actions import refresh_results
    from ntm.evaluation.jobs import years_to_refresh
    from ntm.evaluation.verify import differences

    recheck()  # catalog versions restored with the database
    found = differences()
    summary.differences_before = len(found)
    if found:
        summary.refreshed = sum(refresh_results(y) for y in years_to_refresh(None))
        if left := differences():
            raise BackupError(_("Sau khi đánh giá lại vẫn còn %(n)s khác biệt, vd. %(first)s")
                              % {"n": len(left), "first": left[0].render()})


def restore_backup(source: Path) -> Summary:
    with tempfile.TemporaryDirectory(prefix="ntm-restore-") as tmp:
        folder = Path(tmp)
        manifest = archive.read(source, folder)  # every checksum checked before anything changes
        vendor = manifest["database"]["vendor"]
        if vendor != (here := database.connection.vendor):
            raise BackupError(_("Bản sao lưu là cơ sở dữ liệu %(made)s, cài đặt này dùng %(here)s: chỉ khôi phục "
                                "được vào cùng loại cơ sở dữ liệu.") % {"made": vendor, "here": here})
        _refuse_unless_empty()
        summary = Summary(manifest)
        member = manifest["database"]["member"]
        database.load(folder / member)
        call_command("migrate", interactive=False, verbosity=0)  # a backup of an older version catches up
        for name in manifest["members"]:
            if name.startswith(MEDIA):
                with (folder / name).open("rb") as f:
                    saved = default_storage.save(name.removeprefix(MEDIA), File(f))
                if saved != name.removeprefix(MEDIA):
                    raise BackupError(_("Tệp %(name)s được lưu thành %(saved)s.") % {"name": name, "saved": saved})
                summary.files += 1
        summary.key_written = _put_key(folder)
        summary.counts = database.current_counts(list(manifest["counts"]))
    wrong = {t: (n, summary.counts.get(t)) for t, n in manifest["counts"].items()
             if t in database.main_tables() and summary.counts.get(t) != n}
    if wrong:
        raise BackupError(_("Số dòng khôi phục khác manifest: %(wrong)s") % {"wrong": wrong})
    _verify_results(summary)
    return summary
