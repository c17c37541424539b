"""Opening an uploaded workbook: bytes in, an openpyxl workbook out, or `WorkbookUnreadable` saying in
plain words why not; and `CellError`, a problem located by sheet, row and column. Used by the figures and
catalog workbooks (ntm.exchange) and the classification list (ntm.units)."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

from django.utils.translation import gettext as _
from openpyxl import load_workbook

from ntm.uploads import ArchiveDamaged, UploadProblem, check_archive


@dataclass(frozen=True)
class CellError:
    sheet: str
    row: int | None
    column: str
    message: str

    def __str__(self) -> str:
        if self.row is None:
            return _("Sheet '%(sheet)s': %(message)s") % {"sheet": self.sheet, "message": self.message}
        return _("Sheet '%(sheet)s', dòng %(row)s, cột %(column)s: %(message)s") % {
            "sheet": self.sheet, "row": self.row, "column": self.column, "message": self.message}


class WorkbookUnreadable(ValueError):
    """Not an Excel file, or a damaged one; the message says so in plain words."""


def checked_archive(data: bytes) -> zipfile.ZipFile:
    """The upload's archive once `ntm.uploads.check_archive` found it safe to read (entries, unpacked size
    and ratio, from the central directory only), or `WorkbookUnreadable` saying why not."""
    if not data:
        raise WorkbookUnreadable(_("Tệp rỗng. Hãy chọn tệp Excel (.xlsx) đã tải từ trang này."))
    if not data.startswith(b"PK"):
        raise WorkbookUnreadable(_("Tệp không phải là tệp Excel (.xlsx). Nếu đang dùng .xls hoặc .csv, hãy mở "
                                   "trong Excel và lưu lại dưới dạng .xlsx."))
    try:
        return check_archive(io.BytesIO(data))
    except ArchiveDamaged:
        raise damaged() from None
    except UploadProblem as problem:
        raise WorkbookUnreadable(str(problem)) from None


def damaged() -> WorkbookUnreadable:
    return WorkbookUnreadable(_("Tệp Excel bị hỏng hoặc chưa tải lên hết; không đọc được. Hãy lưu lại tệp "
                                "trong Excel rồi tải lên lần nữa."))


def open_workbook(data: bytes):
    """The workbook (openpyxl, read-only), or `WorkbookUnreadable` for anything that is not a readable .xlsx."""
    checked_archive(data).close()
    try:
        return load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError, AttributeError, IndexError):
        raise damaged() from None
    except Exception:  # noqa: BLE001 - openpyxl raises many kinds on damaged files; all mean "unreadable"
        raise WorkbookUnreadable(_("Tệp Excel bị hỏng; không đọc được.")) from None


# --- Cells ---------------------------------------------------------------------------------------------


def text(cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).strip()
