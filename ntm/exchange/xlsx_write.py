"""Rendering workbooks from plain rows (no ORM here): the figures template, the district matrix, a
commune's detail and a criteria set's thresholds. Every sheet prints on A4 and fits the page width."""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Sequence

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.worksheet.worksheet import Worksheet

from ntm.evaluation.presenters import basis_line, demo_label, demo_title, level_label
from ntm.workbooks.safe_cells import protect_workbook

from . import layout as L
from . import xlsx_stream

THIN = Side(style="thin", color="808080")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
BOLD = Font(bold=True)
TITLE = Font(bold=True, size=14)
WRAP = Alignment(wrap_text=True, vertical="top")
HEADER_FILL = PatternFill("solid", fgColor="D9E1F2")
INPUT_FILL = PatternFill("solid", fgColor="FFF9E5")
HEADING_FILL = PatternFill("solid", fgColor="F2F2F2")
STATUS_FILLS = {
    "met": PatternFill("solid", fgColor="C6EFCE"),
    "not_met": PatternFill("solid", fgColor="FFC7CE"),
    "no_data": PatternFill("solid", fgColor="EDEDED"),
    "not_evaluable": PatternFill("solid", fgColor="FFEB9C"),
}
_BAD_TITLE = re.compile(r"[\[\]:*?/\\]")


def _save(wb: Workbook) -> bytes:
    out = io.BytesIO()
    protect_workbook(wb).save(out)
    return out.getvalue()


def sheet_title(name: str, taken: set[str]) -> str:
    """A valid, unique sheet title (≤ 31 characters, none of []:*?/\\)."""
    base = _BAD_TITLE.sub(" ", name).strip()[:31] or "Sheet"
    title, n = base, 2
    while title.casefold() in {t.casefold() for t in taken} or title == L.META_SHEET:
        suffix = f" ({n})"
        title, n = base[: 31 - len(suffix)] + suffix, n + 1
    taken.add(title)
    return title


def _print_setup(ws: Worksheet, *, landscape: bool, header_row: int, freeze: str) -> None:
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = f"{header_row}:{header_row}"
    ws.freeze_panes = freeze
    ws.page_margins.left = ws.page_margins.right = 0.4


def _title(ws: Worksheet, lines: Sequence[str]) -> None:
    for n, line in enumerate(lines, 1):
        if line:
            ws.cell(row=n, column=1, value=line).font = TITLE if n == 1 else BOLD


def _header(ws: Worksheet, row: int, labels: Sequence[str], widths: Sequence[float]) -> None:
    for col, (label, width) in enumerate(zip(labels, widths, strict=True), 1):
        cell = ws.cell(row=row, column=col, value=label)
        cell.font, cell.fill, cell.border, cell.alignment = BOLD, HEADER_FILL, BORDER, WRAP
        ws.column_dimensions[cell.column_letter].width = width


def _row(ws: Worksheet, row: int, values: Iterable, fill: PatternFill | None = None) -> None:
    for col, value in enumerate(values, 1):
        cell = ws.cell(row=row, column=col, value=value)
        cell.border, cell.alignment = BORDER, WRAP
        if fill is not None:
            cell.fill = fill


def _meta(wb: Workbook, kind: str, values: dict[str, str], sheets: Sequence[tuple[str, str]] = ()) -> None:
    ws = wb.create_sheet(L.META_SHEET)
    ws.append(["mark", L.MARK])
    ws.append(["kind", kind])
    for key, value in values.items():
        ws.append([key, value])
    for title, key in sheets:
        ws.append(["sheet", title, key])
    ws.sheet_state = "hidden"


# --- Figures template ---------------------------------------------------------------------------------


def figures_template(sheets, *, set_id: str, set_version: str, year: int, unit_key: str) -> bytes:
    """One sheet per commune (`selectors.TemplateSheet`), the fill-in columns shaded. Written by the
    streaming writer (`xlsx_stream`): a province's hundreds of sheets in well under a second."""
    book = xlsx_stream.Book()
    taken: set[str] = set()
    names = []
    labels = [_("Mã xã"), _("Mã chỉ tiêu"), _("Chỉ tiêu"), _("Đơn vị tính"), _("So sánh"), _("Ngưỡng áp dụng"),
              _("Nguồn ngưỡng"), _("Giá trị hiện tại"), _("Kết luận hiện tại"), _("Giá trị mới"),
              _("Kết luận mới (Đạt/Chưa đạt)"), _("Minh chứng, ghi chú")]
    widths = [10, 9, 48, 14, 9, 11, 14, 11, 11, 12, 14, 30]
    hint = _("Điền các cột %(cols)s (tô màu). Số thập phân dùng dấu phẩy: 68,2; nghìn: 1.234,5. "
             "Không sửa các cột khác.") % {"cols": f"{L.NEW_VALUE}, {L.NEW_VERDICT}, {L.NOTE}"}
    header = [(label, _S_HEADER) for label in labels]
    styles = [_S_CELL] * len(labels)
    styles[L.index(L.INDICATOR)] = _S_CODE
    for col in (L.NEW_VALUE, L.NEW_VERDICT, L.NOTE):
        styles[L.index(col)] = _S_INPUT
    heading = [_S_HEADING] * len(labels)
    heading[L.index(L.INDICATOR)] = _S_HEADING_TEXT
    for sheet in sheets:
        ws = book.sheet(sheet_title(sheet.name, taken), widths=widths, freeze=f"D{L.FIRST_ROW}", landscape=True,
                        title_row=L.HEADER_ROW)
        names.append((ws.title, sheet.unit_key))
        book.row(ws, 1, [(sheet.title, _S_TITLE)])
        book.row(ws, 2, [(hint, _S_BOLD)])
        book.row(ws, L.HEADER_ROW, header)
        for n, r in enumerate(sheet.rows, L.FIRST_ROW):
            if r.heading:
                book.row(ws, n, zip([None, r.heading, *[None] * (len(labels) - 2)], heading, strict=True))
                continue
            book.row(ws, n, zip([r.unit_key, r.code, r.name, r.measure, r.comparison, r.threshold,
                                 r.threshold_status, r.value, r.verdict, None, None, None], styles, strict=True))
    meta = book.sheet(L.META_SHEET, hidden=True)
    lines = [["mark", L.MARK], ["kind", "figures"], ["set", set_id], ["set_version", set_version],
             ["year", str(year)], ["unit", unit_key], *(["sheet", title, key] for title, key in names)]
    for n, line in enumerate(lines, 1):
        book.row(meta, n, [(v, xlsx_stream.PLAIN) for v in line])
    return book.save()


_S_TITLE = xlsx_stream.Style(font="title")
_S_BOLD = xlsx_stream.Style(font="bold")
_S_HEADER = xlsx_stream.Style(font="bold", fill="D9E1F2", border=True, wrap=True)
_S_CELL = xlsx_stream.Style(border=True, wrap=True)
_S_CODE = xlsx_stream.Style(border=True, wrap=True, text=True)
_S_INPUT = xlsx_stream.Style(fill="FFF9E5", border=True, wrap=True)
_S_HEADING = xlsx_stream.Style(fill="F2F2F2")
_S_HEADING_TEXT = xlsx_stream.Style(font="bold", fill="F2F2F2")


# --- District matrix and commune detail ---------------------------------------------------------------


def _demo_line(demo: bool, threshold_demo: bool = False) -> str:
    parts = [_("Dữ liệu mẫu — không dùng cho báo cáo chính thức") if demo else "",
             f'{_("Có kết quả dựa trên ngưỡng minh họa (demo)")}: {demo_title()}' if threshold_demo else ""]
    return " · ".join(p for p in parts if p)


def _set_line(set_name: str, basis: str) -> str:
    """The set's name and the documents the verdicts rest on ("Căn cứ: Long An 8151/QĐ-UBND, trên nền …")."""
    return " — ".join(p for p in (set_name, basis_line(basis)) if p)


def _demo_comment(cell) -> None:
    cell.comment = Comment(f"{demo_label()}: {demo_title()}", "NTM Tracker")


def matrix_workbook(matrix) -> bytes:
    """`evaluation.matrix.DistrictMatrix` as a printable A4-landscape table (the cells the page and the reports
    show: `Cell.text`)."""
    wb = Workbook()
    ws = wb.active
    ws.title = sheet_title(matrix.district.name, set())
    _title(ws, [
        _("Kết quả thực hiện tiêu chí %(level)s năm %(year)s — %(area)s") % {
            "level": level_label(matrix.level), "year": matrix.year, "area": matrix.district.full_name},
        _set_line(matrix.set_name, matrix.basis) or _("Chưa có bộ tiêu chí cho năm này"),
        _demo_line(matrix.demo, matrix.threshold_demo),
    ])
    labels = [_("STT"), _("Xã"), *[f"{c.number}. {c.name}" for c in matrix.columns], _("Số tiêu chí đạt")]
    _header(ws, L.HEADER_ROW, labels, [5, 22, *[11] * len(matrix.columns), 12])
    for n, r in enumerate(matrix.rows, 1):
        row = L.HEADER_ROW + n
        _row(ws, row, [n, r.name, *[c.text for c in r.cells], r.score])
        for col, c in enumerate(r.cells, 3):
            ws.cell(row=row, column=col).fill = STATUS_FILLS.get(c.status, HEADING_FILL)
            if c.demo:
                _demo_comment(ws.cell(row=row, column=col))
    _print_setup(ws, landscape=True, header_row=L.HEADER_ROW, freeze=f"C{L.FIRST_ROW}")
    return _save(wb)


def detail_workbook(detail) -> bytes:
    """`evaluation.selectors.CommuneDetail`: every criterion and indicator with value, threshold, verdict."""
    wb = Workbook()
    ws = wb.active
    ws.title = sheet_title(detail.commune.name, set())
    score = _("Đạt %(met)s/%(total)s tiêu chí") % {"met": detail.met, "total": detail.total}
    _title(ws, [
        _("Kết quả thực hiện tiêu chí %(level)s năm %(year)s — %(unit)s") % {
            "level": level_label(detail.level), "year": detail.year, "unit": detail.commune.full_name},
        f"{_set_line(detail.set_name, detail.basis)} · {detail.region} · {score}" if detail.set_name
        else _("Chưa có bộ tiêu chí"),
        _demo_line(detail.demo, detail.threshold_demo),
    ])
    labels = [_("Mã"), _("Tiêu chí / chỉ tiêu"), _("Đơn vị tính"), _("So sánh"), _("Ngưỡng"), _("Nguồn ngưỡng"),
              _("Giá trị / kết luận"), _("Kết quả"), _("Minh chứng")]
    _header(ws, L.HEADER_ROW, labels, [8, 46, 14, 9, 12, 14, 14, 12, 28])
    row = L.FIRST_ROW
    for block in detail.criteria:
        _row(ws, row, [block.code, f"{block.number}. {block.name}", "", "", "", "", "", block.label, ""], HEADING_FILL)
        ws.cell(row=row, column=2).font = BOLD
        ws.cell(row=row, column=8).fill = STATUS_FILLS.get(block.status, HEADING_FILL)
        row += 1
        for line in block.indicators:
            _row(ws, row, [line.code, line.name, line.unit, line.comparison_label, line.threshold_text,
                           line.threshold_status_label, line.value_text,
                           f"{line.status_label} †" if line.result_demo else line.status_label, line.source_note])
            ws.cell(row=row, column=8).fill = STATUS_FILLS.get(line.status, HEADING_FILL)
            if line.threshold_demo:
                _demo_comment(ws.cell(row=row, column=5))
            if line.result_demo:
                _demo_comment(ws.cell(row=row, column=8))
            row += 1
    _row(ws, row, ["", score, "", "", "", "", "", "", ""])
    ws.cell(row=row, column=2).font = BOLD
    _print_setup(ws, landscape=False, header_row=L.HEADER_ROW, freeze=f"C{L.FIRST_ROW}")
    return _save(wb)
