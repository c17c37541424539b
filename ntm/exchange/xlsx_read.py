"""Reading uploaded figures workbooks: bytes in, rows and located errors out. Pure apart from gettext: no
ORM, no catalog. They are read with python-calamine (fast); the catalog workbook and the classification
list still go through openpyxl (`ntm.workbooks.opening.open_workbook`). Every problem names its sheet, row
and column; nothing is dropped silently."""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, time, timedelta
from decimal import Decimal
from typing import NamedTuple

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from openpyxl.worksheet.worksheet import Worksheet
from python_calamine import CalamineWorkbook

from ntm.figures.parsing import NumberUnreadable, figure_value, parse_figure, parse_number
from ntm.units.text import fold
from ntm.workbooks.opening import CellError, WorkbookUnreadable, checked_archive, damaged, text

from . import layout as L

MAX_ROWS = 5000  # a commune has < 100 indicators; a district < 50 communes


@dataclass(frozen=True)
class Meta:
    kind: str  # "figures" or "catalog"
    values: dict[str, str]
    sheets: tuple[tuple[str, str], ...] = ()  # (sheet name, unit key)

    def get(self, key: str) -> str:
        return self.values.get(key, "")


class FigureRow(NamedTuple):  # a tuple: a workbook has 10,000 of them (cheaper to make, and to collect)
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


# --- Opening (after `ntm.workbooks.opening.checked_archive`) --------------------------------------------


# python-calamine reads a sheet into one dense block from its first to its last cell: two cells at A1 and
# XFD1048576 would ask for 500 GB and abort the process. So the cell references of every sheet are checked
# first; a figures sheet has a few dozen rows and 12 columns.
MAX_SHEET_ROWS = 20_000
MAX_SHEET_COLUMNS = 100  # "CV"
_FAR_CELL = re.compile(rb'r="(?:([A-Z]{2,})[0-9]*|[A-Z]?([0-9]{5,}))"')


def _column_number(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n


def _check_extent(archive: zipfile.ZipFile) -> None:
    """Refuse a sheet whose cells reach past row `MAX_SHEET_ROWS` or column `MAX_SHEET_COLUMNS`, before any
    parser reads it. Rare enough in a real file that only the unusual references are looked at."""
    for info in archive.infolist():
        if not info.filename.startswith("xl/worksheets/") or not info.filename.endswith(".xml"):
            continue
        with archive.open(info) as part:
            raw = part.read()
        for match in _FAR_CELL.finditer(raw):
            if raw[match.start() - 1:match.start()] not in (b" ", b"\t", b"\n", b"\r"):
                continue  # another attribute ending in r= ("ref", "spans" do not; a prefix might)
            letters, digits = match.groups()
            if (letters and _column_number(letters) > MAX_SHEET_COLUMNS) or (
                    digits and int(digits) > MAX_SHEET_ROWS):
                raise WorkbookUnreadable(_(
                    "Tệp có ô nằm quá xa (dòng quá %(rows)s hoặc cột quá %(column)s); biểu nhập chỉ dùng các cột "
                    "A–L. Hãy xóa các ô đó rồi tải lên lần nữa.") % {
                    "rows": number_format(MAX_SHEET_ROWS, force_grouping=True), "column": "CV"})


def open_calamine(data: bytes) -> CalamineWorkbook:
    """The workbook for python-calamine (5× faster than openpyxl), after the same safety checks and the
    sheet-extent check calamine needs; `WorkbookUnreadable` otherwise."""
    archive = checked_archive(data)
    try:
        _check_extent(archive)
    except (zipfile.BadZipFile, OSError, EOFError, zlib.error):
        raise damaged() from None
    finally:
        archive.close()
    try:
        return CalamineWorkbook.from_filelike(io.BytesIO(data))
    except Exception:  # noqa: BLE001 - calamine raises CalamineError, ZipError, XmlError…: all mean "unreadable"
        raise damaged() from None


def _sheet_rows(wb: CalamineWorkbook, name: str, width: int) -> Iterator[tuple[int, list]]:
    """(row number, the first `width` cells) for the first `MAX_ROWS` rows; empty cells are ""."""
    try:
        rows = wb.get_sheet_by_name(name).to_python(skip_empty_area=False, nrows=MAX_ROWS)
    except Exception:  # noqa: BLE001 - a damaged sheet part
        raise damaged() from None
    for number, values in enumerate(rows, 1):
        yield number, values[:width] if len(values) >= width else values + [""] * (width - len(values))


def _rows(ws: Worksheet, width: int) -> Iterator[tuple[int, tuple]]:
    for number, values in enumerate(ws.iter_rows(min_row=1, max_row=MAX_ROWS, max_col=width, values_only=True), 1):
        yield number, tuple(values) + (None,) * (width - len(values))


def read_meta(wb) -> Meta | None:
    """The hidden sheet's metadata, from an openpyxl or a calamine workbook."""
    if L.META_SHEET not in _names(wb):
        return None
    values: dict[str, str] = {}
    sheets: list[tuple[str, str]] = []
    lines = _sheet_rows(wb, L.META_SHEET, 3) if isinstance(wb, CalamineWorkbook) else _rows(wb[L.META_SHEET], 3)
    for _n, (key, first, second) in lines:
        if key == "sheet":
            sheets.append((text(first), text(second)))
        elif key:
            values[text(key)] = text(first)
    if values.get("mark") != L.MARK:
        return None
    return Meta(values.get("kind", ""), values, tuple(sheets))


def _names(wb) -> list[str]:
    return wb.sheet_names if isinstance(wb, CalamineWorkbook) else wb.sheetnames


# --- Cells --------------------------------------------------------------------------------------------


def number(cell) -> Decimal | None:
    """A cell as a number: Excel numbers as they are, text as people type it ("68,2", "1.234,5",
    "1,234.5"); an ambiguous "1,234" raises `NumberUnreadable` (see ntm/figures/parsing.py)."""
    if cell is None or (isinstance(cell, str) and not cell.strip()):
        return None
    if isinstance(cell, bool | date | time | timedelta):
        raise NumberUnreadable(_("“%(raw)s” không phải là số.") % {"raw": cell})
    if isinstance(cell, float) and cell.is_integer():
        return Decimal(int(cell))  # calamine gives every number as a float: 75.0 is the 75 typed
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
    found = _verdicts.get(raw)
    if found is None:
        folded = fold(raw)
        found = True if folded in _MET else False if folded in _NOT_MET else None
        if found is None:
            raise ValueError(_("kết luận “%(raw)s” không hiểu được; ghi “Đạt” hoặc “Chưa đạt”.") % {"raw": raw})
        if len(_verdicts) < 256:
            _verdicts[raw] = found
    return found


_verdicts: dict[str, bool] = {}  # typed text → verdict: a workbook repeats "Đạt" on thousands of rows


# --- Figures ------------------------------------------------------------------------------------------


def read_workbook(data: bytes) -> ReadResult:
    """A figures template filled in: the rows where a value, a verdict or a note was typed."""
    try:
        wb = open_calamine(data)
    except WorkbookUnreadable as exc:
        return ReadResult(None, (), (CellError("?", None, "", str(exc)),))
    try:
        meta = read_meta(wb)
        if meta is None or meta.kind != "figures":
            return ReadResult(None, (), (CellError(L.META_SHEET, None, "", _(
                "tệp này không phải biểu nhập số liệu tải từ NTM Tracker (thiếu trang thông tin ẩn). Hãy tải "
                "biểu mẫu từ trang này, điền rồi tải lên.")),))
        out = _Collector()
        names = set(wb.sheet_names)
        for sheet, _unit_key in meta.sheets:
            if sheet not in names:
                out.fail(sheet, None, "", _("không tìm thấy trang này trong tệp (đã đổi tên hoặc xóa?)."))
                continue
            _read_figure_sheet(_sheet_rows(wb, sheet, len(L.FIGURE_COLUMNS)), sheet, out)
        return ReadResult(meta, tuple(out.rows), tuple(out.errors))
    except WorkbookUnreadable as exc:
        return ReadResult(None, (), (CellError("?", None, "", str(exc)),))
    finally:
        wb.close()


_VALUE, _VERDICT, _NOTE = L.index(L.NEW_VALUE), L.index(L.NEW_VERDICT), L.index(L.NOTE)
_UNIT, _CODE, _MEASURE = L.index(L.UNIT_KEY), L.index(L.INDICATOR), L.index(L.MEASURE)


def _read_figure_sheet(rows: Iterator[tuple[int, list]], sheet: str, out: _Collector) -> None:
    for number_, row in rows:
        if number_ < L.FIRST_ROW:
            continue
        raw_value, raw_verdict, note = row[_VALUE], row[_VERDICT], row[_NOTE]
        if _blank(raw_value) and _blank(raw_verdict) and _blank(note):
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
            out.rows.append(FigureRow(sheet, number_, text(row[_UNIT]), text(row[_CODE]), text(row[_MEASURE]),
                                      value, judged, text(note), bound))


def _blank(cell) -> bool:
    """What `text` reads as "" (calamine gives "" for an empty cell: checked first)."""
    return cell == "" or cell is None or (type(cell) is str and not cell.strip())
