"""Reading uploaded workbooks: bytes in, rows and located errors out. Pure apart from gettext: no ORM,
no catalog. Every problem names its sheet, row and column; nothing is dropped silently."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from ntm.figures.parsing import NumberUnreadable, figure_value, parse_figure, parse_number
from ntm.units.text import fold
from ntm.uploads import ArchiveDamaged, UploadProblem, check_archive

from . import layout as L

MAX_ROWS = 5000  # a commune has < 100 indicators; a district < 50 communes


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


@dataclass(frozen=True)
class Meta:
    kind: str  # "figures" or "catalog"
    values: dict[str, str]
    sheets: tuple[tuple[str, str], ...] = ()  # (sheet name, unit key)

    def get(self, key: str) -> str:
        return self.values.get(key, "")


@dataclass(frozen=True)
class FigureRow:
    sheet: str
    row: int
    unit_key: str
    indicator: str
    measure: str
    value: Decimal | None
    verdict: bool | None
    note: str
    bound: str = ""  # "" exact, or ">", ">=", "<", "<=" when the source gives only a bound ("> 96")


@dataclass(frozen=True)
class ReadResult:
    meta: Meta | None
    rows: tuple = ()
    errors: tuple[CellError, ...] = ()


@dataclass
class _Collector:
    rows: list = field(default_factory=list)
    errors: list[CellError] = field(default_factory=list)

    def fail(self, sheet: str, row: int | None, column: str, message: str) -> None:
        self.errors.append(CellError(sheet, row, column, message))


# --- Opening ------------------------------------------------------------------------------------------


def open_workbook(data: bytes):
    """The workbook, or `WorkbookUnreadable` for anything that is not a readable .xlsx."""
    if not data:
        raise WorkbookUnreadable(_("Tệp rỗng. Hãy chọn tệp Excel (.xlsx) đã tải từ trang này."))
    if not data.startswith(b"PK"):
        raise WorkbookUnreadable(_("Tệp không phải là tệp Excel (.xlsx). Nếu đang dùng .xls hoặc .csv, hãy mở "
                                   "trong Excel và lưu lại dưới dạng .xlsx."))
    try:
        check_archive(io.BytesIO(data)).close()  # entries, unpacked size and ratio, before openpyxl reads
    except ArchiveDamaged:
        raise WorkbookUnreadable(_("Tệp Excel bị hỏng hoặc chưa tải lên hết; không đọc được. Hãy lưu lại tệp "
                                   "trong Excel rồi tải lên lần nữa.")) from None
    except UploadProblem as problem:
        raise WorkbookUnreadable(str(problem)) from None
    try:
        return load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError, AttributeError, IndexError):
        raise WorkbookUnreadable(_("Tệp Excel bị hỏng hoặc chưa tải lên hết; không đọc được. Hãy lưu lại tệp "
                                   "trong Excel rồi tải lên lần nữa.")) from None
    except Exception:  # noqa: BLE001 - openpyxl raises many kinds on damaged files; all mean "unreadable"
        raise WorkbookUnreadable(_("Tệp Excel bị hỏng; không đọc được.")) from None


def _rows(ws: Worksheet, width: int) -> Iterator[tuple[int, tuple]]:
    for number, values in enumerate(ws.iter_rows(min_row=1, max_row=MAX_ROWS, max_col=width, values_only=True), 1):
        yield number, tuple(values) + (None,) * (width - len(values))


def read_meta(wb) -> Meta | None:
    if L.META_SHEET not in wb.sheetnames:
        return None
    values: dict[str, str] = {}
    sheets: list[tuple[str, str]] = []
    for _n, (key, first, second) in _rows(wb[L.META_SHEET], 3):
        if key == "sheet":
            sheets.append((text(first), text(second)))
        elif key:
            values[text(key)] = text(first)
    if values.get("mark") != L.MARK:
        return None
    return Meta(values.get("kind", ""), values, tuple(sheets))


# --- Cells --------------------------------------------------------------------------------------------


def text(cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).strip()


def number(cell) -> Decimal | None:
    """A cell as a number: Excel numbers as they are, text as people type it ("68,2", "1.234,5",
    "1,234.5"); an ambiguous "1,234" raises `NumberUnreadable` (see ntm/figures/parsing.py)."""
    if cell is None or (isinstance(cell, str) and not cell.strip()):
        return None
    if isinstance(cell, bool | datetime):
        raise NumberUnreadable(_("“%(raw)s” không phải là số.") % {"raw": cell})
    if isinstance(cell, int | float | Decimal):
        return Decimal(str(cell))
    return parse_number(str(cell))


def figure_number(cell) -> tuple[str, Decimal | None]:
    """A figure's value and its bound: a number as `number` reads it (bound ""), or a bound typed as on
    the entry page ("> 96", "≥ 96", "trên 96", "dưới 5"). An unreadable cell keeps `number`'s message."""
    try:
        found = number(cell)  # then the entry form's reader: same refusals, same messages
        return "", found if found is None else figure_value(cell.strip() if isinstance(cell, str) else found)
    except NumberUnreadable:
        try:
            bound, value = parse_figure(str(cell))
        except NumberUnreadable:
            bound = ""
        if bound:
            return bound, value
        raise


_MET = {"dat", "met", "yes", "co", "x", "✓"}
_NOT_MET = {"chua dat", "khong dat", "not met", "no", "khong", "✗"}


def verdict(cell) -> bool | None:
    """"Đạt" / "Chưa đạt" (also "Không đạt", without diacritics, or in English); None when empty."""
    raw = text(cell)
    if not raw:
        return None
    folded = fold(raw)
    if folded in _MET:
        return True
    if folded in _NOT_MET:
        return False
    raise ValueError(_("kết luận “%(raw)s” không hiểu được; ghi “Đạt” hoặc “Chưa đạt”.") % {"raw": raw})


# --- Figures ------------------------------------------------------------------------------------------


def read_workbook(data: bytes) -> ReadResult:
    """A figures template filled in: the rows where a value, a verdict or a note was typed."""
    try:
        wb = open_workbook(data)
    except WorkbookUnreadable as exc:
        return ReadResult(None, (), (CellError("?", None, "", str(exc)),))
    try:
        meta = read_meta(wb)
        if meta is None or meta.kind != "figures":
            return ReadResult(None, (), (CellError(L.META_SHEET, None, "", _(
                "tệp này không phải biểu nhập số liệu tải từ NTM Tracker (thiếu trang thông tin ẩn). Hãy tải "
                "biểu mẫu từ trang này, điền rồi tải lên.")),))
        out = _Collector()
        for sheet, _unit_key in meta.sheets:
            if sheet not in wb.sheetnames:
                out.fail(sheet, None, "", _("không tìm thấy trang này trong tệp (đã đổi tên hoặc xóa?)."))
                continue
            _read_figure_sheet(wb[sheet], sheet, out)
        return ReadResult(meta, tuple(out.rows), tuple(out.errors))
    finally:
        wb.close()


def _read_figure_sheet(ws: Worksheet, sheet: str, out: _Collector) -> None:
    for number_, row in _rows(ws, len(L.FIGURE_COLUMNS)):
        if number_ < L.FIRST_ROW:
            continue
        raw_value, raw_verdict, note = row[L.index(L.NEW_VALUE)], row[L.index(L.NEW_VERDICT)], row[L.index(L.NOTE)]
        if all(text(c) == "" for c in (raw_value, raw_verdict, note)):
            continue
        ok = True
        try:
            bound, value = figure_number(raw_value)
        except NumberUnreadable as exc:
            out.fail(sheet, number_, L.NEW_VALUE, str(exc))
            bound, value, ok = "", None, False
        try:
            judged = verdict(raw_verdict)
        except ValueError as exc:
            out.fail(sheet, number_, L.NEW_VERDICT, str(exc))
            judged, ok = None, False
        if ok:
            out.rows.append(FigureRow(sheet, number_, text(row[L.index(L.UNIT_KEY)]),
                                      text(row[L.index(L.INDICATOR)]), text(row[L.index(L.MEASURE)]),
                                      value, judged, text(note), bound))
