"""Where things sit in the workbooks we hand out, shared by the writer and the reader, so that a
template downloaded today reads back tomorrow."""

from __future__ import annotations

META_SHEET = "_ntm"  # hidden: what the workbook holds (kind, set, year, which sheet is which unit)
MARK = "ntm-tracker"
HEADER_ROW = 4
FIRST_ROW = 5

# Figures template: one sheet per commune.
UNIT_KEY, INDICATOR, NAME, MEASURE, COMPARISON, THRESHOLD, THRESHOLD_STATUS = "A", "B", "C", "D", "E", "F", "G"
CURRENT_VALUE, CURRENT_VERDICT, NEW_VALUE, NEW_VERDICT, NOTE = "H", "I", "J", "K", "L"
FIGURE_COLUMNS = "ABCDEFGHIJKL"

def index(column: str) -> int:
    """0-based position of a column letter in a row tuple."""
    return ord(column) - ord("A")
