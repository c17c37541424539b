"""Text that a spreadsheet could run as a formula is written as text, in every .xlsx and .csv we make.

A note such as `=HYPERLINK("http://evil.example/x","click")` typed by one user must reach another user's
Excel as the words, never as a live formula (OWASP "CSV injection"). Only text is touched: numbers,
dates and booleans (a negative number included) stay what they are.

- .xlsx: `protect_workbook(wb)` just before saving; a formula-like text cell gets the string type and
  Excel's "quote prefix" style, so it shows the exact text and stays text even when edited. The text
  itself is not changed, so our own imports read back what they wrote.
- .csv: `csv_cell(value)` per cell; a formula-like text gets a leading apostrophe (a CSV has no types).
"""

from __future__ import annotations

from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import Cell

# What makes Excel, LibreOffice or Google Sheets start a formula (or a DDE link) at the start of a cell.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")


def is_formula_like(value: Any) -> bool:
    """True for text a spreadsheet could read as a formula; never for numbers or other types."""
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def as_text(cell: Cell) -> None:
    """Make one openpyxl cell hold its formula-like text as plain text (no-op for anything else)."""
    if is_formula_like(cell.value) or cell.data_type == "f" and isinstance(cell.value, str):
        cell.data_type = "s"
        cell.quotePrefix = True


def protect_workbook(wb: Workbook) -> Workbook:
    """Every formula-like text cell of every sheet as text. Our writers write no formulas of their own."""
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    as_text(cell)
    return wb


def csv_cell(value: Any) -> Any:
    """A value for `csv.writer`: formula-like text behind an apostrophe, anything else unchanged."""
    return "'" + value if is_formula_like(value) else value


def csv_row(values: Any) -> list[Any]:
    return [csv_cell(v) for v in values]
